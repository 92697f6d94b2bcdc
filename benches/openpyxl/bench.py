"""Writes the same `data` workbook as Hoshin's `export_workbook(.., Layout::Data, ..)`
for the generated 24-ward set (demo plan x 24 wards, numbers varied the same
way as hoshin_core::xlsx::ward_set), with openpyxl, and prints timings.

Usage: python bench.py DEMO_JSON [RUNS] [OUT.xlsx]
       python bench.py --export PLAN_JSON OUT.xlsx   (one plan, once: the whole-process benchmark)
"""
import copy
import io
import math
import json
import statistics
import sys
import time

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

WARDS = ["北区", "都島区", "福島区", "此花区", "中央区", "西区", "港区", "大正区", "天王寺区", "浪速区", "西淀川区", "淀川区",
         "東淀川区", "東成区", "生野区", "旭区", "城東区", "鶴見区", "阿倍野区", "住之江区", "住吉区", "東住吉区", "平野区", "西成区"]
FONT = "游ゴシック"


def era(y):
    return f"令和{y - 2018}年度" if y >= 2019 else f"平成{y - 1988}年度"


def half_up(x):
    """Rust's f64::round (half away from zero) for the positive values here."""
    return math.floor(x + 0.5)


def ward_set(plan):
    out = []
    for w, ward in enumerate(WARDS):
        p = copy.deepcopy(plan)
        p["ward"] = ward
        factor = 0.6 + (w * 7.0 % 11.0) / 10.0
        for issue in p["issues"]:
            for s in issue["strategies"]:
                inds = list(s["outcome_indicators"]) + [i for ini in s["initiatives"] for i in ini["process_indicators"]]
                for ind in inds:
                    for r in ind["results"]:
                        if r.get("value") is not None:
                            r["value"] = half_up(min(r["value"] * (0.8 + factor / 5.0), 100.0) * 10.0) / 10.0
                for ini in s["initiatives"]:
                    for b in ini["budgets"]:
                        if b["amount_yen"] is not None:
                            b["amount_yen"] = half_up(b["amount_yen"] * factor / 1000.0) * 1000
        out.append(p)
    return out


KEYS = [("区名", 10), ("年度", 7), ("経営課題", 8), ("戦略", 6), ("取組", 6)]
KIND = {"settled": "決算額", "budget": "予算額"}
CMP = {"at_least": "以上", "at_most": "以下", None: None}
STAGE = {"plan": "策定", "midterm": "中間振り返り", "final": "自己評価", None: None}


def keys(p, issue, si=None, ii=None):
    pos = lambda x: None if x is None else x + 1
    return [p["ward"], p["fiscal_year"], issue, pos(si), pos(ii)]


def each_initiative(p):
    for issue in p["issues"]:
        for si, s in enumerate(issue["strategies"]):
            for ii, i in enumerate(s["initiatives"]):
                yield keys(p, issue["number"], si, ii), i


def each_indicator_list(p):
    for issue in p["issues"]:
        yield keys(p, issue["number"]), "アウトカム", issue.get("outcome_indicators", [])
        for si, s in enumerate(issue["strategies"]):
            yield keys(p, issue["number"], si), "アウトカム", s["outcome_indicators"]
            for ii, i in enumerate(s["initiatives"]):
                yield keys(p, issue["number"], si, ii), "プロセス", i["process_indicators"]


class Q:
    """A measured value and its decimals column."""
    def __init__(self, v):
        self.v = v


def decimals(v):
    s = json.dumps(v)
    return len(s.split(".")[1]) if "." in s else 0


def rows_plan(p):
    yield [p["ward"], p["fiscal_year"], None, None, None, era(p["fiscal_year"]), STAGE[p.get("stage")], p.get("source"),
           p.get("goal"), p.get("mission"), p.get("basic_policy"), p.get("self_evaluation"), p.get("future_policy")]


def rows_issues(p):
    for i in p["issues"]:
        yield keys(p, i["number"]) + [i["title"], i.get("summary"), "、".join(map(str, i.get("sdgs", []))), i.get("recognition")]


def rows_main(p):
    for i in p["issues"]:
        for n, s in enumerate(i.get("main_strategies", [])):
            yield keys(p, i["number"]) + [n + 1, s]


def rows_strategies(p):
    for i in p["issues"]:
        for si, s in enumerate(i["strategies"]):
            yield keys(p, i["number"], si) + [s["number"], s["title"], s.get("goal_state"), s.get("direction"),
                                              s.get("current_state"), s.get("challenges"), s.get("self_evaluation"), s.get("improvements")]


def rows_initiatives(p):
    for k, i in each_initiative(p):
        yield k + [i["number"], i["title"], i.get("section"), i.get("summary")]


def rows_budgets(p):
    for i in p["issues"]:
        for b in i.get("budgets", []):
            yield keys(p, i["number"]) + [b["fiscal_year"], KIND[b["kind"]], b["amount_yen"]]
    for k, i in each_initiative(p):
        for b in i["budgets"]:
            yield k + [b["fiscal_year"], KIND[b["kind"]], b["amount_yen"]]


def rows_indicators(p):
    for k, kind, lst in each_indicator_list(p):
        for n, ind in enumerate(lst):
            t = ind["target"]
            cum = t.get("cumulative")
            yield k + [kind, n + 1, ind["text"], Q(t.get("value")), t["unit"], CMP[t.get("comparison")], t.get("by_fiscal_year"),
                       t.get("from_fiscal_year"), None if cum is None else ("累計" if cum else "単年度"), t.get("text")]


def rows_results(p):
    for k, kind, lst in each_indicator_list(p):
        for n, ind in enumerate(lst):
            for r in ind["results"]:
                a = r.get("achieved")
                yield k + [kind, n + 1, r["fiscal_year"], Q(r.get("value")), None if a is None else ("〇" if a else "－"),
                           r.get("source"), r.get("rating"), r.get("note")]


def rows_activities(p):
    for k, i in each_initiative(p):
        for n, a in enumerate(i["activities"]):
            yield k + [n + 1, a["text"]]


def rows_activity_results(p):
    for k, i in each_initiative(p):
        for n, a in enumerate(i["activities"]):
            for r in a["results"]:
                yield k + [n + 1, r["fiscal_year"], r["text"]]


def rows_opinions(p):
    for k, i in each_initiative(p):
        for n, o in enumerate(i["council_opinions"]):
            yield k + [n + 1, o]


def rows_photos(p):
    for k, i in each_initiative(p):
        for n, ph in enumerate(i["photos"]):
            yield k + [n + 1, ph["caption"], ph.get("media_type"), 1, ph.get("data_base64", "")]


TABLES = [
    ("計画", [("和暦", 12), ("段階", 10), ("出典", 30), ("区の目標", 40), ("区の使命", 40), ("区運営の基本的な考え方", 40), ("自己評価", 40), ("今後の方針", 40)], rows_plan),
    ("経営課題", [("名称", 30), ("概要", 50), ("SDGsゴール", 12), ("課題認識", 50)], rows_issues),
    ("主な戦略", [("順", 6), ("主な戦略", 60)], rows_main),
    ("戦略", [("番号", 8), ("名称", 30), ("めざす状態", 40), ("中期的な取組の方向性", 40), ("現状", 40), ("課題", 40), ("自己評価", 30), ("改善策", 30)], rows_strategies),
    ("具体的取組", [("番号", 8), ("名称", 30), ("担当課", 14), ("概要", 60)], rows_initiatives),
    ("予算", [("対象年度", 10), ("種別", 10), ("金額（円）", 16)], rows_budgets),
    ("指標", [("種類", 10), ("指標", 6), ("内容", 50), ("目標値", 10), ("目標値の小数桁", 8), ("単位", 8), ("以上/以下", 8), ("期限年度", 10), ("開始年度", 10), ("累計", 8), ("目標（表記）", 24)], rows_indicators),
    ("指標実績", [("種類", 10), ("指標", 6), ("実績年度", 10), ("値", 10), ("値の小数桁", 8), ("達成", 6), ("出典", 30), ("評価", 6), ("備考", 20)], rows_results),
    ("主な取組", [("行", 6), ("内容", 60)], rows_activities),
    ("取組実績", [("行", 6), ("実績年度", 10), ("実績", 30)], rows_activity_results),
    ("区政会議等意見", [("番号", 6), ("意見", 70)], rows_opinions),
    ("写真", [("枚目", 6), ("説明", 30), ("画像形式", 12), ("分割", 6), ("画像データ（base64）", 40)], rows_photos),
]


def col_letter(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def write(plans):
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT, size=10)
    bold = Font(name=FONT, size=10, bold=True)
    fill = PatternFill("solid", fgColor="E8EEF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    caption = f"{plans[0]['ward'] if len(plans) == 1 else str(len(plans)) + '区'}　{era(plans[0]['fiscal_year'])}"
    wb = Workbook()
    wb.remove(wb.active)
    for name, cols, rows in TABLES:
        ws = wb.create_sheet(name)
        headers = KEYS + cols
        for c, (h, width) in enumerate(headers):
            ws.column_dimensions[col_letter(c)].width = width
            cell = ws.cell(row=1, column=c + 1, value=h)
            cell.font, cell.fill, cell.border, cell.alignment = bold, fill, border, center
        r = 1
        for p in plans:
            for row in rows(p):
                r += 1
                c = 0
                for v in row:
                    c += 1
                    if isinstance(v, Q):
                        cell = ws.cell(row=r, column=c)
                        dcell = ws.cell(row=r, column=c + 1)
                        if v.v is not None:
                            d = decimals(v.v)
                            cell.value = v.v
                            cell.number_format = "#,##0" + ("." + "0" * d if d else "")
                            dcell.value = d
                            dcell.number_format = "0"
                        for x in (cell, dcell):
                            x.font, x.border, x.alignment = font, border, wrap
                        c += 1
                        continue
                    cell = ws.cell(row=r, column=c)
                    if isinstance(v, str):
                        cell.value = v
                        cell.data_type = "s"
                    elif isinstance(v, (int, float)):
                        cell.value = v
                        cell.number_format = "#,##0" if name == "予算" and c == len(headers) else "0"
                    cell.font, cell.border, cell.alignment = font, border, wrap
        ws.auto_filter.ref = f"A1:{col_letter(len(headers) - 1)}{r}"
        ws.freeze_panes = "A2"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
        ws.oddFooter.left.text = caption
        ws.oddFooter.center.text = "&P / &N ページ"
    # グラフ: as Hoshin's charts.rs: indicator results (ward-prefixed when
    # several plans), budgets per initiative for one plan, per ward for several.
    ws = wb.create_sheet("グラフ")
    first = plans[0]["fiscal_year"] - 2
    row = 1
    tables = []
    ind_rows, bud_rows = [], []
    for p in plans:
        prefix = f"{p['ward']} " if len(plans) > 1 else ""
        lst = []
        for issue in p["issues"]:
            lst += [(f"経営課題{issue['number']} 指標{n + 1}", i) for n, i in enumerate(issue.get("outcome_indicators", []))]
            for s in issue["strategies"]:
                lst += [((s["number"] or s["title"]) + " アウトカム", i) for i in s["outcome_indicators"]]
                lst += [(ini["number"] + " プロセス", i) for ini in s["initiatives"] for i in ini["process_indicators"]]
        for label, ind in lst:
            vals = {r["fiscal_year"]: r.get("value") for r in ind["results"]}
            ind_rows.append((prefix + label, [vals.get(first), vals.get(first + 1), vals.get(first + 2)]))
        y = p["fiscal_year"]
        columns = [(y - 2, "settled"), (y - 1, "budget"), (y, "budget")]

        def amounts(budgets):
            found = {(b["fiscal_year"], b["kind"]): b["amount_yen"] for b in budgets}
            return [found.get(c) for c in columns]
        initiatives = [ini for issue in p["issues"] for s in issue["strategies"] for ini in s["initiatives"]]
        if len(plans) == 1:
            bud_rows += [(ini["number"], amounts(ini["budgets"])) for ini in initiatives]
        else:
            total = [None, None, None]
            for ini in initiatives:
                for k, a in enumerate(amounts(ini["budgets"])):
                    if a is not None:
                        total[k] = (total[k] or 0) + a
            bud_rows.append((p["ward"], total))
    y = plans[0]["fiscal_year"]
    budget_labels = [f"{y - 2 - 2018}決算額", f"{y - 1 - 2018}予算額", f"{y - 2018}予算額"]
    for title, cols, data, fmt in [("指標の実績", [era(first), era(first + 1), era(first + 2)], ind_rows, "#,##0.0"),
                                   ("予算（円）", budget_labels, bud_rows, "#,##0")]:
        ws.cell(row=row, column=1, value=title)
        for c, h in enumerate(cols):
            ws.cell(row=row, column=c + 2, value=h)
        head = row
        for label, vals in data:
            row += 1
            ws.cell(row=row, column=1, value=label)
            for c, v in enumerate(vals):
                cell = ws.cell(row=row, column=c + 2, value=v)
                cell.number_format = fmt
        chart = BarChart()
        chart.title = title
        chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=head, max_row=row), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=row))
        ws.add_chart(chart, f"F{1 + 16 * len(tables)}")
        tables.append(title)
        row += 2
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export(plan_json, out):
    """One whole export, as a process: read the plan's JSON, write the workbook."""
    plan = json.load(open(plan_json, encoding="utf-8"))
    with open(out, "wb") as f:
        f.write(write([plan]))


def main():
    if sys.argv[1] == "--export":
        return export(sys.argv[2], sys.argv[3])
    demo = json.load(open(sys.argv[1], encoding="utf-8"))
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    wards = ward_set(demo)
    times = {}
    for label, plans in [("demo data", [demo]), ("24 wards data", wards)]:
        ts = []
        for _ in range(runs):
            t = time.perf_counter()
            data = write(plans)
            ts.append(time.perf_counter() - t)
        times[label] = ts
        print(f"openpyxl {label}: median {statistics.median(ts) * 1000:.1f} ms, min {min(ts) * 1000:.1f} ms ({runs} runs, {len(data)} bytes)")
    if len(sys.argv) > 3:
        open(sys.argv[3], "wb").write(write(wards))


if __name__ == "__main__":
    main()
