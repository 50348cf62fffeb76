"""Run the benchmarks, write bench/results.md and bench/results.json, and fail on a missed goal.

``python bench/run.py`` is the quick tier (``make bench``); ``--full`` the full one (``make bench-full``).
Every figure is a ratio of two medians measured in the same run; the run fails only
when a ratio exceeds its goal by more than NOISE_MARGIN.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# Measured (bench/README.md, "Noise"): three quick runs back to back moved each ratio by at most ±7%;
# with the test suite running beside, by up to about ±25% (search full number ÷ get: 1.70–2.84).
NOISE_MARGIN = 0.25
# Each module exposes run(quick: bool) -> list[dict]; those not written yet are skipped.
MODULES = ("bench_services", "bench_pages", "bench_export", "bench_jobs", "bench_bulk")


def collect(quick: bool, modules: tuple[str, ...] = MODULES) -> list[dict[str, Any]]:
    sys.path.insert(0, str(HERE))
    sys.path.insert(1, str(HERE.parent))  # the repository: the legacy shop's models (example_app.legacy)
    results: list[dict[str, Any]] = []
    for name in modules:
        if importlib.util.find_spec(name) is None:
            print(f"{name}: not present, skipped")
            continue
        module = importlib.import_module(name)
        for raw in module.run(quick):
            row = {"module": name, **normalize(raw)}
            print(f"{row['ratio']:>10.2f} (goal {_goal(row)})  {row['name']}", flush=True)
            results.append(row)
    return results


def normalize(row: dict[str, Any]) -> dict[str, Any]:
    """Fill the agreed keys (name, value, baseline, ratio, goal, unit, ok) from what a module gave.

    A row without a baseline compares its value itself with the goal; goal None is for information only.
    """
    ratio = row.get("ratio")
    if ratio is None:
        ratio = row["value"] / row["baseline"] if row.get("baseline") else row["value"]
    goal = row.get("goal")
    return {
        **row, "name": row.get("name") or row.get("measure", "?"), "baseline": row.get("baseline"),
        "ratio": ratio, "goal": goal, "unit": row.get("unit", ""),
        "ok": row.get("ok", goal is None or ratio <= goal),
    }


def _goal(row: dict[str, Any]) -> str:
    return "–" if row["goal"] is None else f"≤ {row['goal']}"


def _range(row: dict[str, Any], key: str) -> str:
    if row[key] is None:
        return "–"
    low, high = row.get(f"{key}_min"), row.get(f"{key}_max")
    shown = f"{row[key]:.3g}"
    return shown if low is None else f"{shown} ({low:.3g}–{high:.3g})"


def machine() -> str:
    """What the figures were measured on: CPU model and count, memory, OS."""
    model, memory = platform.machine(), ""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name"))
        kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")))
        memory = f", {kib / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{model}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}"


def database_name() -> str:
    url = os.environ.get("ORDER_ADMIN_BENCH_DATABASE_URL")
    return url.split(":", 1)[0].split("+", 1)[0] if url else "sqlite"


def section(meta: dict[str, Any], results: list[dict[str, Any]]) -> list[str]:
    lines = [
        f"## {meta['database']}, {meta['tier']} tier", "",
        f"{meta['at']}, Python {meta['python']} on {meta['machine']}. Medians after warm-up (min–max),"
        f" samples of the two sides alternating; a run fails when a ratio exceeds its goal by more than"
        f" {meta['noise_margin']:.0%}.", "",
        "| benchmark | value | baseline | unit | ratio | goal | ok | where |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in results:
        lines.append(
            f"| {row['name']} | {_range(row, 'value')} | {_range(row, 'baseline')} | {row['unit']} "
            f"| {row['ratio']:.3g} | {_goal(row)} | {'yes' if row['ok'] else 'NO'} | {row.get('detail', '')} |"
        )
    return lines + [""]


def write_reports(results: list[dict[str, Any]], tier: str, append: bool = False) -> None:
    """One section per run; ``append`` keeps the runs already in results.json (e.g. SQLite, then PostgreSQL)."""
    meta = {"tier": tier, "database": database_name(), "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(), "machine": machine(), "noise_margin": NOISE_MARGIN}
    runs: list[dict[str, Any]] = []
    if append and (HERE / "results.json").exists():
        runs = json.loads((HERE / "results.json").read_text()).get("runs", [])
    runs.append({**meta, "results": results})
    (HERE / "results.json").write_text(json.dumps({"runs": runs}, indent=2, ensure_ascii=False) + "\n")
    lines = ["# Benchmark results", ""]
    for run in runs:
        lines += section(run, run["results"])
    (HERE / "results.md").write_text("\n".join(lines))


def is_missed(row: dict[str, Any]) -> bool:
    """Over the goal by more than the noise margin (a statement count, ``exact``, has no noise)."""
    if row["goal"] is None or row["ok"]:
        return False
    return bool(row.get("exact")) or row["ratio"] > row["goal"] * (1 + NOISE_MARGIN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="the full tier (bigger databases, more samples)")
    parser.add_argument("--append", action="store_true", help="add this run's section to the results already written")
    parser.add_argument("--only", nargs="+", choices=MODULES, default=MODULES, help="run only these modules")
    args = parser.parse_args(argv)
    tier = "full" if args.full else "quick"
    results = collect(quick=tier == "quick", modules=tuple(args.only))
    write_reports(results, tier, append=args.append)
    missed = [r for r in results if is_missed(r)]
    for row in missed:
        print(f"MISSED: {row['name']}: ratio {row['ratio']:.2f} > goal {row['goal']} + {NOISE_MARGIN:.0%}")
    met = sum(1 for r in results if r["ok"])
    within_noise = len(results) - met - len(missed)
    print(f"wrote {HERE / 'results.md'} and results.json: {met} of {len(results)} meet their goal, "
          f"{within_noise} over it within the {NOISE_MARGIN:.0%} noise margin, {len(missed)} missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
