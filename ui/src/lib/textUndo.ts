// Ctrl+Z / Ctrl+Y inside a field act on that field's own typing, the same
// in every webview (WebKitGTK loses an input's native undo when the page
// sets its value). What was typed since the field got the focus is undone
// step by step; with nothing typed, the keys go on to the window (where a
// selected grid cell stands for the file's history).

export function textUndo(field: HTMLInputElement | HTMLTextAreaElement) {
  let done: string[] = [];
  let undone: string[] = [];
  let replaying = false;

  const onFocus = () => {
    done = [field.value];
    undone = [];
  };
  const onInput = () => {
    if (replaying) return;
    if (done.length === 0) done = [field.value];
    else done.push(field.value);
    undone = [];
  };
  const show = (value: string) => {
    replaying = true;
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    replaying = false;
  };
  const onKeydown = (e: Event) => {
    const event = e as KeyboardEvent;
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    const redo = key === "y" || (key === "z" && event.shiftKey);
    if (key !== "z" && !redo) return;
    if (redo ? undone.length === 0 : done.length < 2) return;
    event.preventDefault();
    event.stopPropagation();
    if (redo) {
      const value = undone.pop()!;
      done.push(value);
      show(value);
    } else {
      undone.push(done.pop()!);
      show(done[done.length - 1]);
    }
  };
  field.addEventListener("focus", onFocus);
  field.addEventListener("input", onInput);
  field.addEventListener("keydown", onKeydown);
  return {
    destroy() {
      field.removeEventListener("focus", onFocus);
      field.removeEventListener("input", onInput);
      field.removeEventListener("keydown", onKeydown);
    },
  };
}
