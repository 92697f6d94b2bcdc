// Search across the plan: titles, texts, activities, indicators, opinions.
import type { Plan } from "../bindings/Plan";
import type { Selection } from "./selection";

/** A node whose text matches: where it is, its name, and the text around the match. */
export type Hit = { selection: Selection; place: string; name: string; snippet: string };

/** Case- and width-insensitive form for matching (全角/半角, かな stay). */
export function fold(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

function snippet(text: string, at: number, length: number): string {
  const start = Math.max(0, at - 12);
  const end = Math.min(text.length, at + length + 24);
  return `${start > 0 ? "…" : ""}${text.slice(start, end).replace(/\n/g, " ")}${end < text.length ? "…" : ""}`;
}

export function searchPlan(plan: Plan, query: string): Hit[] {
  const q = fold(query.trim());
  if (!q) return [];
  const hits: Hit[] = [];
  const look = (selection: Selection, place: string, name: string, texts: (string | null | undefined)[]) => {
    for (const text of texts) {
      if (!text) continue;
      const at = fold(text).indexOf(q);
      if (at >= 0) {
        hits.push({ selection, place, name, snippet: snippet(text, at, q.length) });
        return; // one hit per node is enough to jump there
      }
    }
  };
  look({ kind: "plan" }, "計画全体", "", [plan.goal, plan.mission, plan.basic_policy, plan.self_evaluation, plan.future_policy]);
  plan.issues.forEach((issue, i) => {
    look({ kind: "issue", issue: i }, `経営課題${issue.number}`, issue.title, [
      issue.title, issue.summary, issue.recognition, ...issue.main_strategies,
      ...issue.outcome_indicators.map((x) => x.text),
    ]);
    issue.strategies.forEach((s, si) => {
      look({ kind: "strategy", issue: i, strategy: si }, `戦略 ${s.number ?? ""}`, s.title, [
        s.title, s.goal_state, s.current_state, s.challenges, s.direction, s.self_evaluation, s.improvements,
        ...s.outcome_indicators.flatMap((x) => [x.text, ...x.results.map((r) => r.source)]),
      ]);
      s.initiatives.forEach((it, n) => {
        look({ kind: "initiative", issue: i, strategy: si, initiative: n }, `具体的取組 ${it.number}`, it.title, [
          it.title, it.section, it.summary,
          ...it.activities.flatMap((a) => [a.text, ...a.results.map((r) => r.text)]),
          ...it.process_indicators.map((x) => x.text),
          ...it.council_opinions,
          ...it.photos.map((p) => p.caption),
        ]);
      });
    });
  });
  return hits;
}
