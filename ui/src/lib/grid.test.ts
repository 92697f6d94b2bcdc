import { describe, expect, it } from "vitest";
import { moveFrom, parseClipboard, placeBlock } from "./grid";

describe("grid", () => {
  it("reads an Excel row with full-width digits", () => {
    expect(parseClipboard("５，１００，０００\t５，４４２，０００\t６，１３５，０００\r\n")).toEqual([
      ["５，１００，０００", "５，４４２，０００", "６，１３５，０００"],
    ]);
  });
  it("reads a block of rows", () => {
    expect(parseClipboard("a\tb\nc\td")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });
  it("reads cells Excel quoted: line breaks inside a cell, doubled quotes", () => {
    expect(parseClipboard('"地域懇談会の開催\r\n（各地域年1回）"\t"10地域\n延べ200人"\t未定\r\n')).toEqual([
      ["地域懇談会の開催\n（各地域年1回）", "10地域\n延べ200人", "未定"],
    ]);
    expect(parseClipboard('"「""見守り""」活動"\tb\nc\t""')).toEqual([
      ['「"見守り"」活動', "b"],
      ["c", ""],
    ]);
  });
  it("keeps a quote that does not close a cell as typed text", () => {
    expect(parseClipboard('"約"10件\tb')).toEqual([['"約"10件', "b"]]);
    expect(parseClipboard('"開いたまま\nx')).toEqual([['"開いたまま'], ["x"]]);
    expect(parseClipboard("a\t")).toEqual([["a", ""]]);
  });
  it("places a block and skips read-only or outside cells", () => {
    const edits = placeBlock([["1", "2", "3"]], 0, 1, 1, [false, true, true]);
    expect(edits).toEqual([
      { row: 0, col: 1, value: "1" },
      { row: 0, col: 2, value: "2" },
    ]);
  });
  it("moves like Excel", () => {
    expect(moveFrom(0, 0, "Enter", false, 3, 3)).toEqual({ row: 1, col: 0 });
    expect(moveFrom(0, 0, "Enter", true, 3, 3)).toEqual({ row: 0, col: 0 });
    expect(moveFrom(2, 2, "ArrowRight", false, 3, 3)).toEqual({ row: 2, col: 2 });
    expect(moveFrom(1, 1, "x", false, 3, 3)).toBeNull();
  });
});
