"""Run the benchmarks, write bench/results.md and bench/results.json, and fail on a missed goal.

``python bench/run.py`` is the quick tier (``make bench``); ``--full`` the full one (``make bench-full``).
Every figure is a ratio of two medians measured in the same run; the run fails only
when a ratio exceeds its goal by more than NOISE_MARGIN.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# Measured: between repeated quick runs on this 2-core machine (other test runs going on beside),
# each ratio stayed within about ±25% of its median (e.g. search full number ÷ get: 1.70–2.84).
NOISE_MARGIN = 0.25
# Each module exposes run(quick: bool) -> list[dict]; those not written yet are skipped.
MODULES = ("bench_services", "bench_export")


def collect(quick: bool) -> list[dict[str, Any]]:
    sys.path.insert(0, str(HERE))
    results: list[dict[str, Any]] = []
    for name in MODULES:
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


def write_reports(results: list[dict[str, Any]], tier: str) -> None:
    meta = {"tier": tier, "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(), "machine": platform.machine(), "noise_margin": NOISE_MARGIN}
    (HERE / "results.json").write_text(json.dumps({**meta, "results": results}, indent=2, ensure_ascii=False) + "\n")
    lines = [
        f"# Benchmark results ({tier} tier)", "",
        f"{meta['at']}, Python {meta['python']} on {meta['machine']}. Medians after warm-up, (min–max);"
        f" a run fails when a ratio exceeds its goal by more than {NOISE_MARGIN:.0%}.", "",
        "| benchmark | value | baseline | unit | ratio | goal | ok | where |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in results:
        lines.append(
            f"| {row['name']} | {_range(row, 'value')} | {_range(row, 'baseline')} | {row['unit']} "
            f"| {row['ratio']:.3g} | {_goal(row)} | {'yes' if row['ok'] else 'NO'} | {row.get('detail', '')} |"
        )
    (HERE / "results.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="the full tier (bigger databases, more samples)")
    tier = "full" if parser.parse_args(argv).full else "quick"
    results = collect(quick=tier == "quick")
    write_reports(results, tier)
    missed = [r for r in results if r["goal"] is not None and r["ratio"] > r["goal"] * (1 + NOISE_MARGIN)]
    for row in missed:
        print(f"MISSED: {row['name']}: ratio {row['ratio']:.2f} > goal {row['goal']} + {NOISE_MARGIN:.0%}")
    met = sum(1 for r in results if r["ok"])
    within_noise = len(results) - met - len(missed)
    print(f"wrote {HERE / 'results.md'} and results.json: {met} of {len(results)} meet their goal, "
          f"{within_noise} over it within the {NOISE_MARGIN:.0%} noise margin, {len(missed)} missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
