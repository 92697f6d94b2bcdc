// Keys that belong to an IME composition. While a planner converts かな to
// 漢字, Enter confirms the conversion, Tab and arrows pick candidates: none of
// them may commit a field or move to another. Browsers disagree on how they
// say so: WebView2 (Windows) marks the keydown isComposing / keyCode 229;
// WebKitGTK fires compositionend *before* the confirming key's keydown. Both
// are guarded, and so is a composition the browser did not report at all.

let composing = false;
let justEnded = false;

if (typeof document !== "undefined") {
  document.addEventListener("compositionstart", () => (composing = true), true);
  document.addEventListener(
    "compositionend",
    () => {
      composing = false;
      // The confirming key arrives in the same task (WebKit's order).
      justEnded = true;
      setTimeout(() => (justEnded = false), 0);
    },
    true,
  );
}

/** True when the key belongs to the IME, not to the form. */
export function imeOwnsKey(event: KeyboardEvent): boolean {
  return event.isComposing || event.keyCode === 229 || composing || justEnded;
}

/** For keydown handlers: true when the IME owns the key. When the browser
 * itself does not know about the composition, Enter and Tab are kept from
 * submitting or moving focus. */
export function imeKey(event: KeyboardEvent): boolean {
  if (!imeOwnsKey(event)) return false;
  const browserKnows = event.isComposing || event.keyCode === 229;
  if (!browserKnows && (event.key === "Enter" || event.key === "Tab")) event.preventDefault();
  return true;
}

/** A composition is open (the first key of a new one is keyCode 229). */
export function isComposing(): boolean {
  return composing;
}

/** A dialog's keydown handler: Esc closes it (not while the IME composes). */
export function closeOnEscape(close: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    if (imeKey(event) || event.key !== "Escape") return;
    event.preventDefault();
    close();
  };
}
