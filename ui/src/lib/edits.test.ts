import { describe, expect, it } from "vitest";
import { budgetInputs, edits, nodeOf, together } from "./edits";

describe("edits", () => {
  const node = nodeOf({ kind: "initiative", issue: 0, strategy: 1, initiative: 2 });

  it("addresses the selected node", () => {
    expect(node).toEqual({ issue: 0, strategy: 1, initiative: 2 });
    expect(nodeOf({ kind: "plan" })).toEqual({ issue: null, strategy: null, initiative: null });
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
    expect(budgetInputs(edits.text(node, "title", "名称"))).toEqual([]);
  });
});
