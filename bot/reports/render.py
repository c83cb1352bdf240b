"""The report's figures as text, JSON or an HTML page with the charts embedded."""

from __future__ import annotations

import base64
import html
import json
import textwrap
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from policy.severity import Severity, severity_label


def render_json(figures: dict[str, Any]) -> str:
    return json.dumps(figures, indent=2, ensure_ascii=False)


def _minutes(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 120:
        return f"{value:g} min"
    return f"{value / 60:.1f} h"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _group_rows(group: dict[str, Any]) -> list[tuple[str, str]]:
    response = group["first_response"]
    target = group["response_target"]
    restoration = group["restoration"]
    basis = f" ({response['basis']} time)" if response["basis"] else ""
    return [
        ("Cases opened", str(group["opened"])),
        (
            "First response median / p90",
            f"{_minutes(response['median_minutes'])} / {_minutes(response['p90_minutes'])}"
            f"{basis}, {response['acknowledged']} acknowledged",
        ),
        (
            "Response within target",
            f"{_share(target['share_within'])} ({target['met']} met, {target['missed']} missed,"
            f" {target['pending']} pending)",
        ),
        (
            "Restoration within target",
            f"{_share(restoration['share_within'])} ({restoration['met']} met, "
            f"{restoration['missed']} missed, {restoration['pending']} pending, of "
            f"{restoration['platform_level']} platform-level)",
        ),
        ("Escalated", str(group["escalations"]["escalated"])),
        ("Priority changes", str(group["priority_changes"])),
        ("Severity changes", str(group["severity_changes"])),
        ("Reopened", str(group["reopened"])),
        ("Closed for inactivity", str(group["closed_for_inactivity"])),
        ("Closed after Resolution Proposed", str(group["closed_after_resolution_proposed"])),
    ]


def _sections(figures: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "All cases", figures["total"]
    for level, group in figures["by_severity"].items():
        if group["opened"]:
            yield f"Severity {level}: {severity_label(Severity(int(level)))}", group
    for org, group in figures["by_organization"].items():
        yield f"Organization {org}", group


def _generated(figures: dict[str, Any]) -> str:
    """When the report was made, as people read it ("Wed 02 Dec 2026, 08:19 UTC")."""
    moment = datetime.fromisoformat(str(figures["generated_at"])).astimezone(UTC)
    return moment.strftime("%a %d %b %Y, %H:%M UTC")


def _title(figures: dict[str, Any]) -> str:
    window = figures["window"]
    scope = f" for {figures['organization']}" if figures["organization"] else ""
    return (
        f"Support report{scope}: cases opened from {window['from']} (inclusive) to "
        f"{window['to']} (exclusive), UTC"
    )


def render_text(figures: dict[str, Any]) -> str:
    lines = [_title(figures), f"Generated {_generated(figures)}", ""]
    for heading, group in _sections(figures):
        lines.append(heading)
        lines.extend(f"  {label + ':':<34}{value}" for label, value in _group_rows(group))
        lines.append("")
    lines.append("Response targets:")
    for level, targets in figures["response_targets"].items():
        for target in targets:
            lines.append(f"  S{level} {target['profile']}: {target['target']}")
    lines.append("")
    lines.append("Weekly volume (week from Monday, UTC): S1 S2 S3 S4")
    for row in figures["weekly_volume"]:
        lines.append(f"  {row['week']}  {row['1']} {row['2']} {row['3']} {row['4']}")
    lines.append("")
    if figures["zones"].get("utc"):
        lines.append(
            f"Note: {figures['zones']['utc']} case(s) have no known time zone; business time "
            "counted in UTC."
        )
    lines.extend(textwrap.wrap(figures["escalation_note"], width=90))
    return "\n".join(lines) + "\n"


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def render_html(figures: dict[str, Any], charts: Sequence[Path]) -> str:
    """A self-contained page: the tables and the charts as PNG data URIs."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(_title(figures))}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
        "margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
        "img{max-width:100%}</style>",
        "</head><body>",
        f"<h1>{esc(_title(figures))}</h1>",
        f"<p>Generated {esc(_generated(figures))}</p>",
    ]
    for path in charts:
        parts.append(f'<p><img alt="{esc(path.stem.replace("_", " "))}" src="{_data_uri(path)}">')
    for heading, group in _sections(figures):
        parts.append(f"<h2>{esc(heading)}</h2><table>")
        parts.extend(
            f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>"
            for label, value in _group_rows(group)
        )
        parts.append("</table>")
    parts.append("<h2>Definitions</h2><dl>")
    for name, text in figures["definitions"].items():
        parts.append(f"<dt>{esc(name)}</dt><dd>{esc(text)}</dd>")
    parts.append("</dl>")
    if figures["zones"].get("utc"):
        parts.append(
            f"<p>{figures['zones']['utc']} case(s) have no known time zone; business time "
            "counted in UTC.</p>"
        )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
