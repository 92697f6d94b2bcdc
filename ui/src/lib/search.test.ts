import { describe, expect, it } from "vitest";
import demo from "../../../assets/demo/abeno-2024-issue5.json";
import type { Plan } from "../bindings/Plan";
import { searchPlan } from "./search";

const plan = demo as unknown as Plan;

describe("search", () => {
  it("finds an opinion and jumps to its initiative", () => {
    const hits = searchPlan(plan, "一問一答");
    expect(hits).toHaveLength(1);
    expect(hits[0].place).toBe("具体的取組 5-1-1");
    expect(hits[0].selection).toEqual({ kind: "initiative", issue: 0, strategy: 0, initiative: 0 });
  });
  it("matches full-width and half-width alike", () => {
    expect(searchPlan(plan, "SNS").map((h) => h.place)).toContain("具体的取組 5-1-2");
    expect(searchPlan(plan, "ＳＮＳ").length).toBe(searchPlan(plan, "sns").length);
  });
  it("finds the 取組 of a 担当課", () => {
    const withSection: Plan = structuredClone(plan);
    withSection.issues[0].strategies[1].initiatives[1].section = "総務課";
    expect(searchPlan(plan, "総務課")).toEqual([]);
    const hits = searchPlan(withSection, "総務課");
    expect(hits.map((h) => [h.place, h.name, h.snippet])).toEqual([["具体的取組 5-2-2", "改革を推進する職員づくり", "総務課"]]);
  });
  it("finds nothing for an empty query", () => {
    expect(searchPlan(plan, "  ")).toEqual([]);
  });
});
