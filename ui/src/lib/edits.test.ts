import { describe, expect, it } from "vitest";
import type { Plan } from "../bindings/Plan";
import { budgetInputs, edits, nodeOf, together } from "./edits";

const plan = {
  issues: [
    {
      id: "i1",
      outcome_indicators: [],
      strategies: [
        {
          id: "s1",
          outcome_indicators: [{ id: "o1" }],
          initiatives: [
            {
              id: "n1",
              activities: [{ id: "a1" }, { id: "a2" }],
              process_indicators: [{ id: "p1" }],
              photos: [{ id: "f1" }],
            },
          ],
        },
      ],
    },
  ],
} as unknown as Plan;

describe("edits", () => {
  const node = nodeOf(plan, { kind: "initiative", issue: 0, strategy: 0, initiative: 0 });

  it("addresses nodes and rows by id, not by position", () => {
    expect(node.ref).toEqual({ kind: "initiative", id: "n1" });
    expect(nodeOf(plan, { kind: "plan" }).ref).toEqual({ kind: "plan" });
    expect(nodeOf(plan, { kind: "strategy", issue: 0, strategy: 0 }).indicators.map((i) => i.id)).toEqual(["o1"]);
    expect(edits.activity(node, 1, "広報紙")).toEqual({ op: "set_activity_text", activity: "a2", text: "広報紙" });
    expect(edits.deleteIndicator(node, 0)).toEqual({ op: "delete_indicator", indicator: "p1" });
    expect(edits.photoCaption(node, 0, "x")).toEqual({ op: "set_photo_caption", photo: "f1", caption: "x" });
  });

  it("inserts a row before the one shown at that position, or at the end", () => {
    expect(edits.insertActivity(node, 1, "SNS", "new1")).toEqual({
      op: "add_activity",
      initiative: "n1",
      text: "SNS",
      before: "a2",
      id: "new1",
    });
    expect(edits.insertActivity(node, 2, "最後")).toMatchObject({ before: null, id: null });
  });

  it("groups several edits into one undo step, and leaves one alone", () => {
    const one = edits.activity(node, 0, "広報紙");
    expect(together([one])).toBe(one);
    const both = together([one, edits.insertActivity(node, 1, "SNS")]);
    expect(both.op).toBe("batch");
  });

  it("finds the budget cells that may need a confirmation, also inside a batch", () => {
    const paste = together([edits.budget(node, 2024, "budget", "２００億"), edits.activity(node, 0, "x")]);
    expect(budgetInputs(paste)).toEqual(["２００億"]);
    expect(budgetInputs(edits.initiativeText(node, "title", "名称"))).toEqual([]);
  });
});
