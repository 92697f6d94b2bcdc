// The editing context the detail views share: apply one edit to the open
// plan through the core, and keep track of values the file does not hold yet
// (refused ones), so the status never says 保存済み while one waits.
import { getContext, setContext } from "svelte";
import type { Edit } from "../bindings/Edit";

/** What became of an edit: saved, refused by the core (with its Japanese
 * message), or cancelled by the planner at a confirmation. */
export type Outcome = { saved: true; cancelled?: undefined } | { saved: false; message: string; cancelled?: true };

export type Held = {
  /** Tries to save the held value again; true when it is now saved. */
  retry: () => Promise<boolean>;
  /** Shows the held field (focuses it). */
  focus: () => void;
};

export type Editor = {
  edit: (edit: Edit) => Promise<Outcome>;
  /** A field keeps a value the file refused; the window says so until released. */
  hold: (id: string, held: Held) => void;
  release: (id: string) => void;
  /** A field shows typed text the file does not hold yet (it is saved when
   * the field is left); the status says 入力中 meanwhile. */
  typing: (id: string, typing: boolean) => void;
  /** A refused value was given up: its field left the screen (another node
   * was chosen). The window says so; `what` names the field and the value. */
  dropped: (what: string) => void;
};

const KEY = Symbol("editor");

export function provideEditor(editor: Editor) {
  setContext(KEY, editor);
}

export function useEditor(): Editor {
  return getContext<Editor>(KEY);
}

/** The message to show for an outcome, or null when it was saved. */
export function refusal(outcome: Outcome): string | null {
  return outcome.saved ? null : outcome.message;
}

let nextId = 0;
/** A unique id for a field that may hold a value. */
export function fieldId(prefix: string): string {
  return `${prefix}-${++nextId}`;
}
