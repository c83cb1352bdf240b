"""The report's three charts as PNG files, drawn with matplotlib's Agg backend (no display).

Imported only by `supportbot report` when it runs: matplotlib (and NumPy) cost a command
nothing until then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

SEVERITY_COLOURS = {"1": "#b2182b", "2": "#ef8a62", "3": "#67a9cf", "4": "#2166ac"}
CHART_FILES = ("first_response.png", "weekly_volume.png", "within_target.png")


def write_charts(figures: dict[str, Any], out_dir: Path) -> list[Path]:
    """Draw the charts into `out_dir` (created if needed); returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    drawers = (_first_response, _weekly_volume, _within_target)
    written = []
    for name, draw in zip(CHART_FILES, drawers, strict=True):
        path = out_dir / name
        figure, axes = plt.subplots(figsize=(7, 3.6), dpi=100)
        try:
            draw(figures, axes)
            figure.tight_layout()
            figure.savefig(path, format="png")
        finally:
            plt.close(figure)
        written.append(path)
    return written


def _first_response(figures: dict[str, Any], axes: Any) -> None:
    levels = ["1", "2", "3", "4"]
    positions = list(range(len(levels)))
    width = 0.38
    response = [figures["by_severity"][level]["first_response"] for level in levels]
    medians = [r["median_minutes"] or 0 for r in response]
    p90s = [r["p90_minutes"] or 0 for r in response]
    axes.bar([p - width / 2 for p in positions], medians, width, label="median", color="#67a9cf")
    axes.bar([p + width / 2 for p in positions], p90s, width, label="p90", color="#2166ac")
    shown = False
    highest = max([*medians, *p90s, 1.0])
    for position, level in zip(positions, levels, strict=True):
        for target in figures["response_targets"][level]:
            axes.hlines(
                target["minutes"],
                position - 0.45,
                position + 0.45,
                colors="#b2182b",
                linestyles="dashed",
                label=None if shown else "target",
            )
            shown = True
            highest = max(highest, target["minutes"])
    axes.set_ylim(0, highest * 1.45)  # room for the legend above the target lines
    axes.set_xticks(positions, [f"S{level}" for level in levels])
    axes.set_ylabel("minutes (business minutes where\nthe target counts business time)")
    axes.set_title("Time to first human response against the target")
    axes.legend(loc="upper left", ncols=3, fontsize="small")


def _weekly_volume(figures: dict[str, Any], axes: Any) -> None:
    weeks = figures["weekly_volume"]
    labels = [row["week"] for row in weeks]
    positions = list(range(len(labels)))
    bottom = [0] * len(labels)
    for level in ("1", "2", "3", "4"):
        counts = [row[level] for row in weeks]
        axes.bar(
            positions,
            counts,
            bottom=bottom,
            label=f"S{level}",
            color=SEVERITY_COLOURS[level],
        )
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_xticks(positions, labels, rotation=45, ha="right", fontsize="small")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("cases opened")
    axes.set_title("Cases opened per week (weeks from Monday, UTC)")
    axes.legend(loc="upper right", fontsize="small")


def _within_target(figures: dict[str, Any], axes: Any) -> None:
    orgs = list(figures["by_organization"])
    shares = [
        (figures["by_organization"][org]["response_target"]["share_within"] or 0) * 100
        for org in orgs
    ]
    positions = list(range(len(orgs)))
    axes.barh(positions, shares, color="#4d9221")
    for position, org in zip(positions, orgs, strict=True):
        target = figures["by_organization"][org]["response_target"]
        axes.text(1, position, f"{target['met']}/{target['met'] + target['missed']}", va="center")
    axes.set_yticks(positions, orgs)
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of first responses within target (pending excluded)")
    axes.set_title("Initial response within target, per organization")
