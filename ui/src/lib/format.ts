// Display helpers shared by the views. 和暦 labels come from the core
// (PlanView.years); here only yen, marks and numbers are formatted.
import type { Budget } from "../bindings/Budget";
import type { Plan } from "../bindings/Plan";
import type { BudgetKind } from "../bindings/BudgetKind";
import type { IndicatorResult } from "../bindings/IndicatorResult";
import type { Target } from "../bindings/Target";
import type { YearLabel } from "../bindings/YearLabel";

const grouped = new Intl.NumberFormat("ja-JP", { maximumFractionDigits: 20 });

/** 16217000 → "16,217,000"; none → "－" (U+FF0D, as the city prints it). */
export function formatYen(amount: number | null | undefined): string {
  return amount === null || amount === undefined ? "－" : grouped.format(amount);
}

/** true → 〇 (U+3007), false → － (U+FF0D), not judged → "". */
export function mark(achieved: boolean | null | undefined): string {
  if (achieved === true) return "〇";
  if (achieved === false) return "－";
  return "";
}

/** "42.5%" or "10,000世帯"; none → "". */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return "";
  return `${grouped.format(value)}${unit}`;
}

export function targetText(target: Target): string {
  if (target.text) return target.text;
  if (target.value === null) return "";
  const comparison =
    target.comparison === "at_most" ? "以下" : target.comparison === "at_least" ? "以上" : "";
  return `${formatValue(target.value, target.unit)}${comparison}`;
}

const kindLabel: Record<BudgetKind, string> = { settled: "決算額", budget: "予算額" };

export type BudgetColumn = { fiscalYear: number; kind: BudgetKind; label: string };

/** The three budget columns of a plan year: 4決算額 / 5予算額 / 6予算額. */
export function budgetColumns(years: YearLabel[], planYear: number): BudgetColumn[] {
  const columns: [number, BudgetKind][] = [
    [planYear - 2, "settled"],
    [planYear - 1, "budget"],
    [planYear, "budget"],
  ];
  return columns.map(([fiscalYear, kind]) => {
    const number = years.find((y) => y.fiscal_year === fiscalYear)?.number ?? String(fiscalYear);
    return { fiscalYear, kind, label: `${number}${kindLabel[kind]}` };
  });
}

export function budgetAmount(budgets: Budget[], fiscalYear: number, kind: BudgetKind): number | null {
  return budgets.find((b) => b.fiscal_year === fiscalYear && b.kind === kind)?.amount_yen ?? null;
}

/** A budget table's one row as the grid shows it: 16,217,000 or －. */
export function budgetRow(budgets: Budget[], columns: BudgetColumn[]): string[] {
  return columns.map((c) => formatYen(budgetAmount(budgets, c.fiscalYear, c.kind)));
}

export function resultOf(results: IndicatorResult[], fiscalYear: number): IndicatorResult | undefined {
  return results.find((r) => r.fiscal_year === fiscalYear);
}

/** Splits a stored text into its lines (・ bullets stay as typed). */
export function lines(text: string | null): string[] {
  return text ? text.split("\n") : [];
}

/** The 担当課 of a plan's 取組, each once, in plan order (trimmed). */
export function sectionsOf(plan: Plan): string[] {
  const seen = new Set<string>();
  for (const issue of plan.issues)
    for (const strategy of issue.strategies)
      for (const initiative of strategy.initiatives) {
        const section = initiative.section?.trim();
        if (section) seen.add(section);
      }
  return [...seen];
}
