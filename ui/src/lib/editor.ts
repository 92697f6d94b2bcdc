// The editing context the detail views share: apply one edit to the open
// plan through the core, and report the Japanese error (or null when saved).
import { getContext, setContext } from "svelte";
import type { Edit } from "../bindings/Edit";

export type Editor = { edit: (edit: Edit) => Promise<string | null> };

const KEY = Symbol("editor");

export function provideEditor(editor: Editor) {
  setContext(KEY, editor);
}

export function useEditor(): Editor {
  return getContext<Editor>(KEY);
}
