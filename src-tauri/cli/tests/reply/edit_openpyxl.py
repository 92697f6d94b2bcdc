"""Fills in a Hoshin request workbook as a section's own script would, with
openpyxl: python3 edit_openpyxl.py IN.xlsx OUT.xlsx OPS.json

OPS.json is a list of edits; cells are found the way a person finds them,
by the row's content and the column's printed label, never by coordinates:
  {"op": "fill", "id": ROW_ID, "label": "6年度実績", "value": ...}
      the cell in the row whose hidden id is ROW_ID, under the nearest
      header cell reading LABEL (at or above the row)
  {"op": "mark", ...}    the same, in the last column of the header's merge
                         (the 〇/－ column beside a year's value)
  {"op": "right", "id": ROW_ID, "label": "4決算額", "value": ...}
      the cell right of LABEL's merge in the same row (a budget amount)
  {"op": "retitle", "find": PREFIX, "value": TEXT}
      unprotects the sheet and retypes the cell starting with PREFIX
  {"op": "comment", "id": INITIATIVE_ID, "value": TEXT}   on 回答票
  {"op": "copy_sheet", "from": OTHER.xlsx, "sheet": NAME, "as": NEW_NAME}
      copies every value of another workbook's sheet into a new sheet
A value that is a string starting with "=" is written as a formula.
"""
import json
import sys
import unicodedata

import openpyxl


def norm(v):
    return unicodedata.normalize("NFKC", str(v)).strip() if v is not None else ""


def find_id(wb, row_id):
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" or ws.title == "回答票":
            continue
        for row in ws.iter_rows():
            for c in row:
                if c.value == row_id:
                    return ws, c.row
    raise SystemExit(f"id {row_id} not found")


def label_cell(ws, row, label, same_row=False):
    rows = [row] if same_row else range(row, 0, -1)
    for r in rows:
        for c in ws[r]:
            if norm(c.value) == norm(label):
                return c
    raise SystemExit(f"label {label} not found above row {row} of {ws.title}")


def merge_of(ws, cell):
    for rng in ws.merged_cells.ranges:
        if cell.coordinate in rng:
            return rng
    return None


def main():
    src, dst, ops_file = sys.argv[1:4]
    wb = openpyxl.load_workbook(src)
    for op in json.load(open(ops_file, encoding="utf-8")):
        kind = op["op"]
        if kind in ("fill", "mark", "right"):
            ws, row = find_id(wb, op["id"])
            label = label_cell(ws, row, op["label"], same_row=kind == "right")
            rng = merge_of(ws, label)
            last = rng.max_col if rng else label.column
            col = {"fill": label.column, "mark": last, "right": last + 1}[kind]
            ws.cell(row=row, column=col).value = op["value"]
        elif kind == "retitle":
            done = False
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        if isinstance(c.value, str) and c.value.startswith(op["find"]):
                            ws.protection.sheet = False
                            c.value = op["value"]
                            done = True
            if not done:
                raise SystemExit(f"{op['find']} not found")
        elif kind == "comment":
            ws = wb["回答票"]
            for row in ws.iter_rows():
                if len(row) > 4 and row[4].value == op["id"]:
                    row[3].value = op["value"]
                    break
            else:
                raise SystemExit(f"comment row {op['id']} not found")
        elif kind == "copy_sheet":
            other = openpyxl.load_workbook(op["from"])[op["sheet"]]
            ws = wb.create_sheet(op["as"])
            for row in other.iter_rows():
                for c in row:
                    if c.value is not None:
                        ws.cell(row=c.row, column=c.column).value = c.value
        else:
            raise SystemExit(f"unknown op {kind}")
    wb.save(dst)


main()
