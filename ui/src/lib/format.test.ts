import { describe, expect, it } from "vitest";
import demo from "../../../assets/demo/abeno-2024-issue5.json";
import type { Plan } from "../bindings/Plan";
import { budgetAmount, budgetColumns, budgetRow, formatValue, formatYen, mark, sectionsOf, targetText } from "./format";

const years = [2022, 2023, 2024, 2025].map((y) => ({
  fiscal_year: y,
  long: `令和${y - 2018}年度`,
  short: `${y - 2018}年度`,
  number: String(y - 2018),
}));

describe("format", () => {
  it("prints yen with commas and － for none", () => {
    expect(formatYen(16217000)).toBe("16,217,000");
    expect(formatYen(null)).toBe("\uFF0D");
  });
  it("prints marks with the city's glyphs", () => {
    expect(mark(true)).toBe("\u3007");
    expect(mark(false)).toBe("\uFF0D");
    expect(mark(null)).toBe("");
  });
  it("labels budget columns from the plan year", () => {
    expect(budgetColumns(years, 2024).map((c) => c.label)).toEqual(["4決算額", "5予算額", "6予算額"]);
  });
  it("finds a budget by year and kind", () => {
    const budgets = [{ fiscal_year: 2024, kind: "budget" as const, amount_yen: 5 }];
    expect(budgetAmount(budgets, 2024, "budget")).toBe(5);
    expect(budgetAmount(budgets, 2024, "settled")).toBeNull();
  });
  it("prints a budget row with commas and －", () => {
    const budgets = [{ fiscal_year: 2022, kind: "settled" as const, amount_yen: 16217000 }];
    expect(budgetRow(budgets, budgetColumns(years, 2024))).toEqual(["16,217,000", "\uFF0D", "\uFF0D"]);
  });
  it("prints values and targets", () => {
    expect(formatValue(42.5, "%")).toBe("42.5%");
    expect(formatValue(10000, "世帯")).toBe("10,000世帯");
    expect(
      targetText({ value: 50, unit: "%", comparison: "at_least", by_fiscal_year: null, text: null }),
    ).toBe("50%以上");
    expect(
      targetText({ value: 70, unit: "%", comparison: "at_least", by_fiscal_year: 2024, text: "6年度までに70％以上" }),
    ).toBe("6年度までに70％以上");
  });
  it("lists each 担当課 once, in plan order, trimmed", () => {
    const plan: Plan = structuredClone(demo as unknown as Plan);
    expect(sectionsOf(plan)).toEqual([]);
    const its = plan.issues[0].strategies.flatMap((s) => s.initiatives);
    its[0].section = "総務課";
    its[1].section = " 市民協働課 ";
    its[2].section = "総務課";
    its[3].section = "   ";
    expect(sectionsOf(plan)).toEqual(["総務課", "市民協働課"]);
  });
});
