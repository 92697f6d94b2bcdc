"""Checks that two xlsx files hold the same workbook: the same sheets, and in
each the same cell values, number formats, fonts, fills, borders and
alignment, row heights, column widths, merged cells, autofilter, frozen panes,
print setup and charts (count). Used to show that a faster writer changed
nothing a planner could see.

Usage: python same_workbook.py A.xlsx B.xlsx   (exit 1 and the first differences when not)
"""
import sys

from openpyxl import load_workbook


def color(c):
    return None if c is None else (c.type, c.value)


def style(c):
    f, b, a, fill = c.font, c.border, c.alignment, c.fill
    return (c.number_format, f.name, f.sz, f.b, color(f.color),
            tuple(getattr(b, s).style for s in ("left", "right", "top", "bottom")),
            a.horizontal, a.vertical, a.wrap_text, fill.fill_type, color(fill.fgColor))


def describe(path):
    wb = load_workbook(path)
    out = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None or c.has_style:
                    cells[c.coordinate] = (c.value, style(c))
        out[ws.title] = {
            "cells": cells,
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "filter": ws.auto_filter.ref,
            "freeze": ws.freeze_panes,
            "print": (ws.page_setup.paperSize, ws.page_setup.orientation, ws.page_setup.fitToWidth,
                      ws.page_setup.fitToHeight, ws.print_title_rows, ws.oddFooter.left.text, ws.oddFooter.center.text),
            "charts": len(ws._charts),
        }
    return out


def main():
    a, b = describe(sys.argv[1]), describe(sys.argv[2])
    differences = []
    if a["sheets"] != b["sheets"]:
        differences.append(f"sheets: {a['sheets']} != {b['sheets']}")
    for sheet in a["sheets"]:
        for key, value in a[sheet].items():
            other = b.get(sheet, {}).get(key)
            if key == "cells":
                for ref in sorted(set(value) | set(other or {})):
                    if value.get(ref) != (other or {}).get(ref):
                        differences.append(f"{sheet}!{ref}: {value.get(ref)} != {(other or {}).get(ref)}")
            elif value != other:
                differences.append(f"{sheet} {key}: {value} != {other}")
    if differences:
        print(f"{len(differences)} differences, first ones:")
        print("\n".join(differences[:20]))
        sys.exit(1)
    cells = sum(len(a[s]["cells"]) for s in a["sheets"])
    print(f"same workbook: {len(a['sheets'])} sheets, {cells} cells")


if __name__ == "__main__":
    main()
