"""Fills in a Hoshin request workbook in LibreOffice Calc (through UNO, as
if typed into the cells), then saves it as .xlsx again:
/usr/bin/python3 edit_calc.py IN.xlsx OUT.xlsx OPS.json

The ops are those of edit_openpyxl.py ("fill", "mark", "right",
"comment"); values are entered as typed text (Calc's own input parsing).
Needs LibreOffice and its Python bridge (Debian: python3-uno).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def norm(v):
    return unicodedata.normalize("NFKC", str(v)).strip()


def used(sheet):
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end = cursor.RangeAddress
    return sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow).DataArray


def find_id(doc, row_id):
    for name in doc.Sheets.ElementNames:
        sheet = doc.Sheets.getByName(name)
        if not sheet.IsVisible or name == "回答票":
            continue
        data = used(sheet)
        for r, row in enumerate(data):
            if row_id in row:
                return sheet, data, r
    raise SystemExit(f"id {row_id} not found")


def main():
    src, dst, ops_file = sys.argv[1:4]
    ops = json.load(open(ops_file, encoding="utf-8"))
    pipe = f"hoshin_calc_{os.getpid()}"
    profile = tempfile.mkdtemp(prefix="hoshin-calc-")
    office = subprocess.Popen(
        [
            "soffice", "--headless", "--invisible", "--norestore", "--nologo",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(300):
            try:
                ctx = resolver.resolve(
                    f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.2)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
            (prop("Hidden", True),))
        for op in ops:
            kind = op["op"]
            if kind == "comment":
                sheet = doc.Sheets.getByName("回答票")
                rows = [r for r, row in enumerate(used(sheet)) if len(row) > 4 and row[4] == op["id"]]
                sheet.getCellByPosition(3, rows[0]).setFormula(op["value"])
                continue
            sheet, data, row = find_id(doc, op["id"])
            rows = [row] if kind == "right" else range(row, -1, -1)
            at = next((r, c) for r in rows for c, v in enumerate(data[r])
                      if norm(v) == norm(op["label"]))
            cursor = sheet.createCursorByRange(sheet.getCellByPosition(at[1], at[0]))
            cursor.collapseToMergedArea()
            last = cursor.RangeAddress.EndColumn
            col = {"fill": at[1], "mark": last, "right": last + 1}[kind]
            value = op["value"]
            sheet.getCellByPosition(col, row).setFormula(
                value if isinstance(value, str) else repr(value))
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge closes as the office quits
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
        shutil.rmtree(profile, ignore_errors=True)


main()
