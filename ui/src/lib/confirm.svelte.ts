// In-page dialogs: confirmations (role=alertdialog) and short forms that ask
// for a name before something is created (role=dialog). In the page rather
// than native, so they speak the window's language and the e2e suite can
// answer them.

export type Field = { name: string; label: string; placeholder?: string; value?: string; options?: string[] };

export type Question = {
  title: string;
  message?: string;
  ok: string;
  cancel: string;
  danger?: boolean;
  /** Enter answers `cancel` (the safe choice), also when nothing is removed. */
  cautious?: boolean;
  /** Asked for when present (all required). */
  fields?: Field[];
};

type Answer = Record<string, string> | null;
type Pending = Question & { answer: (values: Answer) => void };

export const dialog = $state<{ current: Pending | null }>({ current: null });

function open(question: Question): Promise<Answer> {
  dialog.current?.answer(null);
  return new Promise((resolve) => {
    dialog.current = {
      ...question,
      answer: (values) => {
        dialog.current = null;
        resolve(values);
      },
    };
  });
}

/** Asks; resolves true when the planner chose `ok`. */
export async function ask(question: Omit<Question, "fields">): Promise<boolean> {
  return (await open(question)) !== null;
}

/** Asks for the fields; resolves with their trimmed values, or null when cancelled. */
export function prompt(question: Question & { fields: Field[] }): Promise<Answer> {
  return open(question);
}
