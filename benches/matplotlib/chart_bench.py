"""matplotlib drawing the same four charts as Hoshin's chart module (issue 5),
for docs/BENCHMARKS.md. Same data (the demo plan), same size (800 x 560 px at
96 dpi, PNG at 300 dpi), same font (the bundled IPAexGothic).

Setup: run.sh (python3 -m venv target/matplotlib-venv && pip install matplotlib).
Prints one line per kind: "kind png_ms svg_ms" (median of --runs runs).
`--once KIND OUT.png` draws one chart to a file and exits (benches/processes.sh
times that whole process against `hoshin-cli chart`).
"""

import io
import json
import pathlib
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
font_manager.fontManager.addfont(str(ROOT / "assets/fonts/ipaexg.ttf"))
plt.rcParams["font.family"] = "IPAexGothic"
plt.rcParams["svg.fonttype"] = "none"  # text as text, like Hoshin's SVG
BLUE, INK, GREY = "#0017C1", "#1A1A1A", "#999999"
PLAN = json.loads((ROOT / "assets/demo/abeno-2024-issue5.json").read_text())


def era(year):
    return f"令和{year - 2018}年度" if year > 2019 else f"令和元年度"


def fig():
    return plt.figure(figsize=(800 / 96, 560 / 96), dpi=96)


def indicator():
    ind = PLAN["issues"][0]["strategies"][0]["outcome_indicators"][0]
    years = [2022, 2023, 2024]
    res = ind["results"]
    f = fig()
    ax = f.add_subplot()
    xs = [years.index(r["fiscal_year"]) for r in res]
    ys = [r["value"] for r in res]
    ax.plot(xs, ys, color=BLUE, marker="o", lw=2.5, label="実績")
    ax.axhline(ind["target"]["value"], color=INK, ls="--", lw=1.5, label="目標")
    for x, r in zip(xs, res):
        mark = "〇" if r["achieved"] else "－"
        ax.annotate(f"{r['value']}%\n{mark}", (x, r["value"]), xytext=(0, 10),
                    textcoords="offset points", ha="center")
    ax.set_xticks(range(3), [era(y) for y in years])
    ax.set_xlim(-0.5, 2.5)
    ax.set_ylim(0, 100)
    ax.set_title(ind["text"], wrap=True, loc="left")
    f.subplots_adjust(bottom=0.2)
    f.legend(loc="lower left", ncols=3, title="〇：目標達成　－：目標未達成")
    return f


def budget():
    b = PLAN["issues"][0]["strategies"][0]["initiatives"][0]["budgets"]
    f = fig()
    ax = f.add_subplot()
    for i, x in enumerate(b):
        settled = x["kind"] == "settled"
        ax.bar(i, x["amount_yen"] / 1000, width=0.5, color=BLUE if settled else "white",
               edgecolor=BLUE, hatch=None if settled else "//")
        ax.annotate(f"{x['amount_yen'] // 1000:,}千円", (i, x["amount_yen"] / 1000),
                    xytext=(0, 4), textcoords="offset points", ha="center")
    ax.set_xticks(range(len(b)), [f"{era(x['fiscal_year'])}\n{'決算額' if x['kind'] == 'settled' else '予算額'}" for x in b])
    ax.set_title("具体的取組5-1-1　区民ニーズの的確な把握と施策への反映", loc="left")
    return f


def counts(issue):
    inds = list(issue["outcome_indicators"])
    for s in issue["strategies"]:
        inds += s["outcome_indicators"]
        for i in s["initiatives"]:
            inds += i["process_indicators"]
    c = [0, 0, 0]
    for ind in inds:
        last = max(ind["results"], key=lambda r: r["fiscal_year"], default=None)
        a = None if last is None else last.get("achieved")
        c[0 if a is True else 1 if a is False else 2] += 1
    return c


def overview():
    f = fig()
    ax = f.add_subplot()
    for row, issue in enumerate(PLAN["issues"]):
        left = 0
        for n, (col, hatch, label) in zip(counts(issue), [(BLUE, None, "達成"), (GREY, None, "未達成"), ("white", "//", "未測定")]):
            ax.barh(row, n, left=left, color=col, hatch=hatch, edgecolor=INK, label=label)
            left += n
        ax.text(left, row, f"  経営課題{issue['number']}", va="center")
    ax.set_title("阿倍野区 令和6年度　指標の達成状況（経営課題別）", loc="left")
    f.subplots_adjust(bottom=0.2)
    f.legend(loc="lower left", ncols=3)
    return f


def share():
    f = fig()
    ax = f.add_subplot()
    amounts = []
    for issue in PLAN["issues"]:
        amounts.append(sum(b["amount_yen"] or 0 for s in issue["strategies"] for i in s["initiatives"]
                           for b in i["budgets"] if b["fiscal_year"] == PLAN["fiscal_year"]))
    total = sum(amounts)
    for row, (issue, yen) in enumerate(zip(PLAN["issues"], amounts)):
        ax.barh(row, yen, color=BLUE)
        ax.text(yen, row, f"  {yen // 1000:,}千円（{yen * 100 / total:.1f}%）", va="center")
        ax.text(0, row + 0.45, f"経営課題{issue['number']}　{issue['title']}")
    ax.set_title("阿倍野区 令和6年度　予算額の構成（経営課題別）", loc="left")
    return f


def timed(make, fmt, dpi):
    t = time.perf_counter()
    f = make()
    buf = io.BytesIO()
    f.savefig(buf, format=fmt, dpi=dpi)
    plt.close(f)
    return (time.perf_counter() - t) * 1000


def main():
    if "--once" in sys.argv:  # the whole-process benchmark: one chart, one PNG
        at = sys.argv.index("--once")
        kind, out = sys.argv[at + 1], sys.argv[at + 2]
        make = {"indicator": indicator, "budget": budget, "overview": overview, "share": share}[kind]
        make().savefig(out, dpi=300)
        return
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 20
    out = ROOT / "target/chart-preview"
    out.mkdir(parents=True, exist_ok=True)
    for name, make in [("indicator", indicator), ("budget", budget), ("overview", overview), ("share", share)]:
        make().savefig(out / f"matplotlib-{name}.png", dpi=300)
        plt.close("all")
        timed(make, "png", 300)  # warm-up
        png = statistics.median(timed(make, "png", 300) for _ in range(runs))
        svg = statistics.median(timed(make, "svg", 96) for _ in range(runs))
        print(f"{name} {png:.1f} {svg:.1f}")


if __name__ == "__main__":
    main()
