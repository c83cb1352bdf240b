"""The README's screenshots, rendered by headless Chromium (tests/support/browser.py).

    .venv/bin/python docs/screenshots.py report [--out docs/report.png] [--full] [--html DIR]
    .venv/bin/python docs/screenshots.py home VIEW.json OUT.png [--names NAMES.json]
    .venv/bin/python docs/screenshots.py queue [--out docs/staff-queue.png]

`report` seeds a temporary SQLite store with a deterministic demo (60 cases over six weeks,
2 Feb - 16 Mar 2026, across the sample directory's three organizations and all four
severities), runs `supportbot report --format html` on it and screenshots the page: the title,
the three charts and the "All cases" table, or the whole page with --full.

`queue` seeds a store with eight open cases of the three organizations at a fixed moment
(Wednesday 18 Nov 2026, 16:40 UTC: open in Chicago and Berlin, closed in Sydney), builds the
staff queue a staff member's App Home shows (bot.engine.queue, bot.slack.queue_view) and
draws it as `home` does.

`home` draws a Slack App Home view (`{"type": "home", "blocks": [...]}`, e.g. what
`bot.slack.home.publish_home` sends to views.publish) as Slack shows it: header, section
(text, fields, accessory), context, divider, actions (buttons, selects, overflow), image and
input blocks; mrkdwn with *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes,
<url|links>, <@U123> mentions (as @name: the sample directory's people, then NAMES.json, a
{"U123": "Name"} object), <#C123|channel>, <!here> and a few :emoji:. Images are drawn as
placeholders (the page is rendered offline).

Needs chromium-headless-shell (or chromium); Slack's look wants fonts-lato and, for emoji,
fonts-noto-color-emoji (apt-get install -y --no-install-recommends ...); without them the
page falls back to the system's sans-serif.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import shutil
import sys
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.browser import dump_dom, find_browser, install_hint, screenshot  # noqa: E402

# ---- the demo store and the report ---------------------------------------------------------

DEMO_FROM = date(2026, 2, 2)  # a Monday
DEMO_TO = date(2026, 3, 16)  # six weeks later (exclusive)
DEMO_NOW = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)  # the report is made the Monday after
DEMO_CASES = 60
DEMO_SEED = 2026
STAFF = ("U0STAFF1", "U0STAFF2")
ORG_WEIGHTS = {"acme": 5, "bergwerk": 4, "wattle": 3}
SEVERITY_WEIGHTS = {1: 1, 2: 3, 3: 5, 4: 3}
WEEK_WEIGHTS = (7, 9, 14, 12, 9, 9)  # a busier third week
PRIORITY = {1: "critical", 2: "high", 3: "medium", 4: "low"}
TITLES = (
    "One-way audio on WebRTC calls",
    "Agents cannot log in to the desktop app",
    "IVR flow plays the wrong prompt",
    "Queue wallboard shows stale figures",
    "Outbound campaign dialing slowly",
    "Call recordings missing for one site",
    "Chat widget does not load on the website",
    "Question about the API rate limits",
)


def seed_demo_store(data_dir: Path) -> int:
    """The demo cases, written through the store API as the assistant writes them."""
    from bot.directory import load_directory
    from bot.store.factory import open_store
    from bot.store.models import CaseDraft
    from policy.case_targets import OrganizationTargets

    rng = random.Random(DEMO_SEED)
    directory = load_directory()
    store = open_store(data_dir=data_dir)
    created = 0
    try:
        cases = store.cases
        for index in range(DEMO_CASES):
            org_name = rng.choices(list(ORG_WEIGHTS), weights=list(ORG_WEIGHTS.values()))[0]
            severity = rng.choices([1, 2, 3, 4], weights=list(SEVERITY_WEIGHTS.values()))[0]
            org = directory.organization(org_name)
            assert org is not None and org.tz is not None
            requester = rng.choice(org.designated_contacts)
            week = rng.choices(range(len(WEEK_WEIGHTS)), weights=WEEK_WEIGHTS)[0]
            day = DEMO_FROM + timedelta(weeks=week, days=rng.randrange(7 if severity == 1 else 5))
            local = time(rng.randrange(7, 18), rng.randrange(60))
            opened = datetime.combine(day, local, tzinfo=org.tz).astimezone(UTC)
            if opened >= DEMO_NOW - timedelta(hours=2):
                continue
            platform = severity == 1 or (severity == 2 and rng.random() < 0.4)
            targets = OrganizationTargets.of(
                org.tz, profile=org.support_profile, holidays=org.holiday_dates(day)
            )
            draft = CaseDraft(
                org_short_name=org.short_name,
                org_id=org.id,
                requester_id=requester.slack_id,
                requester_name=requester.name,
                title=rng.choice(TITLES),
                description="Demo case for the README screenshot.",
                business_impact="Agents are slowed down.",
                severity=severity,
                priority=PRIORITY[severity],
                platform_level=platform,
                response_due_at=targets.response_due(severity=severity, start=opened),
                restoration_due_at=targets.restoration_due(
                    severity=severity, start=opened, platform_level=platform
                ),
            )
            case, _ = cases.create_case(
                draft, idempotency_key=f"demo-{index}", actor_id=requester.slack_id, now=opened
            )
            created += 1
            _demo_history(rng, cases, case.number, severity, opened, platform)
    finally:
        store.close()
    return created


def _demo_history(
    rng: random.Random, cases: Any, number: str, severity: int, opened: datetime, platform: bool
) -> None:
    """Take, escalate, restore, change and close the case, at plausible moments."""
    staff = rng.choice(STAFF)

    def update(at: datetime, action: str, **changes: Any) -> bool:
        if at >= DEMO_NOW:
            return False
        cases.update_case(number, actor_id=staff, now=at, changes=changes, action=action)
        return True

    if rng.random() < 0.06:
        return  # nobody has taken it yet
    if severity == 1:
        delay = timedelta(minutes=rng.choice((3, 5, 6, 8, 9, 12, 18)))
    elif rng.random() < 0.15:
        delay = timedelta(hours=rng.uniform(3, 20))  # overnight, or a busy afternoon
    else:
        delay = timedelta(minutes=rng.uniform(4, 100))
    taken = opened + delay
    if not update(taken, "take", assignee_id=staff, acknowledged_at=taken):
        return
    at = taken
    if severity <= 2 and rng.random() < 0.2:
        at += timedelta(minutes=rng.uniform(20, 90))
        update(at, "escalation_requested", escalated_at=at)
    if platform and rng.random() < 0.85:
        at += timedelta(hours=rng.uniform(0.5, 5) if severity == 1 else rng.uniform(2, 30))
        update(at, "record_restoration", restored_at=at)
    if rng.random() < 0.12:
        at += timedelta(hours=rng.uniform(1, 6))
        new = PRIORITY[min(4, severity + 1)] if severity < 4 else PRIORITY[3]
        update(at, "change_priority", priority=new)
    if 1 < severity < 4 and rng.random() < 0.06:  # reported too high: one level down
        at += timedelta(hours=rng.uniform(1, 6))
        update(at, "change_severity", severity=severity + 1)
    roll = rng.random()
    if roll < 0.12:
        at += timedelta(days=rng.uniform(7, 9))
        if update(at, "inactivity_close", status="closed", closed_at=at) and rng.random() < 0.6:
            at += timedelta(hours=rng.uniform(2, 30))
            update(at, "reopen", status="open", closed_at=None)
    elif roll < 0.8:
        at += timedelta(days=rng.uniform(0.5, 4))
        if update(at, "propose_resolution", status="resolution_proposed"):
            at += timedelta(days=rng.uniform(1, 5))
            update(at, "resolution_close", status="closed", closed_at=at)


def build_report(out_dir: Path) -> Path:
    """report.html (and its charts) for the demo store, in out_dir."""
    from bot.cli import cmd_report
    from bot.cli.main import main

    data_dir = out_dir / "data"
    for name in ("REDIS_URL", "SUPPORTBOT_CONTACTS"):
        os.environ.pop(name, None)
    os.environ["SUPPORTBOT_DATA_DIR"] = str(data_dir)
    count = seed_demo_store(data_dir)
    cmd_report._now = lambda: DEMO_NOW  # as the tests do
    argv = ["report", "--from", DEMO_FROM.isoformat(), "--to", DEMO_TO.isoformat()]
    code = main([*argv, "--format", "html", "--out", str(out_dir / "report")])
    if code != 0:
        sys.exit(f"screenshots.py: supportbot report exited with {code}")
    print(f"screenshots.py: {count} demo cases reported", file=sys.stderr)
    return out_dir / "report" / "report.html"


def measure(browser: str, page: Path, expression: str, *, width: int) -> int:
    """A number the page computes once loaded in a window `width` wide (a JavaScript
    expression), read back through the DOM: the browser only hands back the document."""
    probe = page.with_name(f".probe-{page.name}")
    script = (
        "<script>addEventListener('load', () => { document.body.dataset.measured ="
        f" String(Math.ceil({expression})); }});</script>"
    )
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>"))
    try:
        found = re.search(
            r'data-measured="(\d+)"', dump_dom(browser, probe, width=width, height=100)
        )
    finally:
        probe.unlink()
    if found is None:
        sys.exit(f"screenshots.py: could not measure {page}")
    return int(found.group(1))


def report_command(args: argparse.Namespace) -> int:
    browser = _browser()
    with tempfile.TemporaryDirectory(prefix="supportbot-screenshot-") as work:
        page = build_report(Path(work))
        if args.html:
            shutil.copytree(page.parent, args.html, dirs_exist_ok=True)
        # Down to the first table ("All cases"), or the whole page.
        bottom = (
            "document.documentElement.scrollHeight"
            if args.full
            else "document.querySelector('table').getBoundingClientRect().bottom + 24"
        )
        height = measure(browser, page, bottom, width=args.width)
        screenshot(browser, page, args.out, width=args.width, height=height)
    print(f"screenshots.py: wrote {args.out} ({args.width}x{height})")
    return 0


# ---- Slack App Home -------------------------------------------------------------------------

EMOJI = {
    "rotating_light": "\U0001f6a8",
    "warning": "\u26a0\ufe0f",
    "white_check_mark": "\u2705",
    "heavy_check_mark": "\u2714\ufe0f",
    "x": "\u274c",
    "red_circle": "\U0001f534",
    "large_orange_circle": "\U0001f7e0",
    "large_yellow_circle": "\U0001f7e1",
    "large_green_circle": "\U0001f7e2",
    "large_blue_circle": "\U0001f535",
    "telephone_receiver": "\U0001f4de",
    "hourglass_flowing_sand": "\u23f3",
    "clock3": "\U0001f552",
    "hourglass": "\u231b",
    "mag": "\U0001f50d",
    "memo": "\U0001f4dd",
    "bell": "\U0001f514",
    "thread": "\U0001f9f5",
    "wave": "\U0001f44b",
    "tada": "\U0001f389",
    "eyes": "\U0001f440",
    "sos": "\U0001f198",
    "fire": "\U0001f525",
}
_SLACK_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
_TOKEN = re.compile(r"```(?P<pre>.+?)```|`(?P<code>[^`\n]+)`|<(?P<angle>[^<>\s][^<>\n]*)>", re.S)
_EMOJI = re.compile(r":([a-z0-9_+\-]+):")
_HOLE = re.compile("\ue000(\\d+)\ue001")
_SAFE_URL = re.compile(r"(https?|mailto):", re.I)


def _styles(mark: str) -> re.Pattern[str]:
    """`mark`...`mark` at word edges on one line, as Slack reads *bold*, _italic_, ~strike~."""
    m = re.escape(mark)
    edge = rf"[^\W_]|{m}"  # a letter or digit (not _), or the mark itself
    return re.compile(rf"(?<!{edge}){m}(?=[^\s{m}])([^{m}\n]*?[^\s{m}]){m}(?!{edge})")


_STYLES = ((_styles("*"), "b"), (_styles("_"), "i"), (_styles("~"), "s"))


def _unescape(text: str) -> str:
    """Slack's three entities: what a sender wrote as &lt; is shown as <."""
    for entity, char in _SLACK_ENTITIES:
        text = text.replace(entity, char)
    return text


def _text(raw: str) -> str:
    """Plain text for the page: Slack entities read, HTML escaped, :emoji: drawn."""
    escaped = html.escape(_unescape(raw), quote=False)
    return _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), escaped)


def _angle(inner: str, names: dict[str, str]) -> str:
    """<@U123>, <#C123|name>, <!here>, <!date^...|fallback>, <url|label> and <url>."""
    target, _, label = inner.partition("|")
    if target.startswith(("@U", "@W")):
        name = names.get(target[1:]) or label or target[1:]
        return f'<span class="mention">@{_text(name)}</span>'
    if target.startswith("#C"):
        return f'<span class="mention">#{_text(label or target[1:])}</span>'
    if target.startswith("!subteam^"):
        return f'<span class="mention">{_text(label or "@group")}</span>'
    if target.startswith("!date^"):
        return _text(label or target)
    if target.startswith("!"):
        return f'<span class="mention">@{_text(target[1:])}</span>'
    shown = _text(label or target.removeprefix("mailto:"))
    if not _SAFE_URL.match(target):
        return shown
    return f'<a href="{html.escape(_unescape(target))}">{shown}</a>'


def mrkdwn(raw: str, names: dict[str, str]) -> str:
    """Slack mrkdwn as HTML (shown with white-space: pre-wrap, so newlines stay)."""
    holes: list[str] = []

    def hole(fragment: str) -> str:
        holes.append(fragment)
        return f"\ue000{len(holes) - 1}\ue001"

    def token(found: re.Match[str]) -> str:
        if found.group("pre") is not None:
            body = html.escape(_unescape(found.group("pre").strip("\n")), quote=False)
            return hole(f'<pre class="pre">{body}</pre>')
        if found.group("code") is not None:
            body = html.escape(_unescape(found.group("code")), quote=False)
            return hole(f'<code class="code">{body}</code>')
        return hole(_angle(found.group("angle"), names))

    pieces, last = [], 0
    for found in _TOKEN.finditer(raw):
        pieces.append(_text(raw[last : found.start()]))
        pieces.append(token(found))
        last = found.end()
    pieces.append(_text(raw[last:]))
    out = "".join(pieces)
    for pattern, tag in _STYLES:
        out = pattern.sub(rf"<{tag}>\1</{tag}>", out)
    out = _quotes(out)
    return _HOLE.sub(lambda m: holes[int(m.group(1))], out)


def _quotes(text: str) -> str:
    """Lines starting with > (escaped by now) as one quote block per run of them; the block
    ends its line itself, so no line break follows it."""
    out: list[str] = []
    quoted: list[str] = []
    for line in [*text.split("\n"), None]:
        if line is not None and line.startswith("&gt;"):
            quoted.append(line[4:].removeprefix(" "))
            continue
        if quoted:
            joined = "\n".join(quoted)
            quoted = []
            if line is None:
                out.append(f"<blockquote>{joined}</blockquote>")
                break
            out.append(f"<blockquote>{joined}</blockquote>{line}")
            continue
        if line is not None:
            out.append(line)
    return "\n".join(out)


def text_object(obj: dict[str, Any] | None, names: dict[str, str]) -> str:
    if not obj:
        return ""
    if obj.get("type") == "mrkdwn":
        return mrkdwn(str(obj.get("text", "")), names)
    return _text(str(obj.get("text", "")))


SELECTS = ("static_select", "external_select", "users_select", "conversations_select")


def element(el: dict[str, Any], names: dict[str, str]) -> str:
    """An interactive element (or image) as it looks; nothing on the page does anything."""
    kind = el.get("type", "")
    if kind == "button":
        style = el.get("style")
        css = f"button {style}" if style in ("primary", "danger") else "button"
        return f'<span class="{css}">{text_object(el.get("text"), names)}</span>'
    if kind in SELECTS or kind.startswith("multi_"):
        chosen = el.get("initial_option") or {}
        if chosen:
            label = text_object(chosen.get("text"), names)
        elif wanted := str(el.get("initial_user") or el.get("initial_conversation") or ""):
            label = _text(names.get(wanted, wanted))
        else:
            label = f'<span class="placeholder">{text_object(el.get("placeholder"), names)}</span>'
        return f'<span class="select">{label}<span class="chevron">&#x25BE;</span></span>'
    if kind == "overflow":
        return '<span class="button overflow">&#x22EF;</span>'
    if kind == "datepicker":
        shown = _text(el.get("initial_date", "")) or text_object(el.get("placeholder"), names)
        return f'<span class="select">&#x1F4C5; {shown or "Select a date"}</span>'
    if kind == "image":
        return f'<span class="image small" title="{html.escape(el.get("alt_text", ""))}"></span>'
    if kind in ("mrkdwn", "plain_text"):
        return f"<span>{text_object(el, names)}</span>"
    if kind in ("checkboxes", "radio_buttons"):
        mark = "&#x2610;" if kind == "checkboxes" else "&#x25CB;"
        options = "".join(
            f"<div>{mark} {text_object(o.get('text'), names)}</div>" for o in el.get("options", [])
        )
        return f'<div class="choices">{options}</div>'
    if kind == "plain_text_input":
        hint = text_object(el.get("placeholder"), names)
        return f'<div class="input"><span class="placeholder">{hint}</span></div>'
    return f'<span class="unknown">[{_text(kind or "element")}]</span>'


def block(b: dict[str, Any], names: dict[str, str]) -> str:
    kind = b.get("type", "")
    if kind == "header":
        return f'<div class="header">{text_object(b.get("text"), names)}</div>'
    if kind == "divider":
        return '<hr class="divider">'
    if kind == "section":
        body = ""
        if b.get("text"):
            body += f'<div class="text">{text_object(b["text"], names)}</div>'
        if b.get("fields"):
            fields = "".join(
                f'<div class="text">{text_object(f, names)}</div>' for f in b["fields"]
            )
            body += f'<div class="fields">{fields}</div>'
        accessory = b.get("accessory")
        side = f'<div class="accessory">{element(accessory, names)}</div>' if accessory else ""
        return f'<div class="section"><div class="body">{body}</div>{side}</div>'
    if kind == "context":
        parts = "".join(element(e, names) for e in b.get("elements", []))
        return f'<div class="context">{parts}</div>'
    if kind == "actions":
        parts = "".join(element(e, names) for e in b.get("elements", []))
        return f'<div class="actions">{parts}</div>'
    if kind == "image":
        title = text_object(b.get("title"), names)
        alt = html.escape(b.get("alt_text", "image"))
        return (
            f'<div class="block-image"><div>{title}</div><div class="image large">{alt}</div></div>'
        )
    if kind == "input":
        label = text_object(b.get("label"), names)
        field = element(b.get("element", {}), names)
        return f'<div class="input-block"><div class="label">{label}</div>{field}</div>'
    return f'<div class="unknown">[{_text(kind or "block")} block]</div>'


PAGE_CSS = """
html, body { margin: 0; background: #fff; }
body { font-family: Lato, "Slack-Lato", "Helvetica Neue", Helvetica, Arial, sans-serif,
       "Noto Color Emoji"; font-size: 15px; line-height: 22px; color: #1d1c1d;
       -webkit-font-smoothing: antialiased; }
.top { display: flex; align-items: center; gap: 10px; padding: 14px 20px 0; }
.app-icon { width: 36px; height: 36px; border-radius: 8px; background: #4a154b; color: #fff;
            font-weight: 900; font-size: 20px; display: flex; align-items: center;
            justify-content: center; }
.app-name { font-weight: 900; font-size: 18px; }
.tabs { display: flex; gap: 24px; padding: 8px 20px 0; border-bottom: 1px solid #dddddd; }
.tab { padding: 6px 0 8px; color: #616061; font-weight: 700; font-size: 14px; }
.tab.active { color: #1d1c1d; border-bottom: 2px solid #1d1c1d; }
.view { padding: 12px 20px 28px; max-width: 860px; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.header { font-size: 18px; font-weight: 900; line-height: 1.33; margin: 8px 0 4px; }
.section { display: flex; gap: 12px; margin: 8px 0; }
.section .body { flex: 1; min-width: 0; }
.fields { display: grid; grid-template-columns: 1fr 1fr; column-gap: 16px; row-gap: 4px;
          margin-top: 4px; }
.accessory { flex: none; }
.context { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; font-size: 13px;
           line-height: 18px; color: #616061; margin: 4px 0 8px; white-space: pre-wrap; }
.divider { border: none; border-top: 1px solid #dddddd; margin: 16px 0; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 12px; }
.button, .select { display: inline-flex; align-items: center; height: 28px; padding: 0 12px;
                   border: 1px solid rgba(29, 28, 29, 0.3); border-radius: 4px;
                   background: #fff; font-size: 15px; font-weight: 700; color: #1d1c1d;
                   white-space: nowrap; box-sizing: border-box; }
.button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.button.overflow { padding: 0 8px; font-size: 18px; }
.select { font-weight: 400; min-width: 160px; justify-content: space-between; gap: 12px; }
.placeholder { color: #868686; }
.chevron { color: #616061; font-size: 13px; }
b { font-weight: 900; }
a { color: #1264a3; text-decoration: none; }
.mention { color: #1264a3; background: rgba(29, 155, 209, 0.1); border-radius: 3px;
           padding: 0 2px; }
.code { font-family: Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px;
        color: #e01e5a; background: rgba(29, 28, 29, 0.04);
        border: 1px solid rgba(29, 28, 29, 0.13); border-radius: 3px; padding: 2px 3px; }
.pre { font-family: Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px;
       line-height: 1.5; background: rgba(29, 28, 29, 0.04); margin: 4px 0;
       border: 1px solid rgba(29, 28, 29, 0.13); border-radius: 4px; padding: 8px;
       white-space: pre-wrap; }
blockquote { margin: 0; padding-left: 16px; border-left: 4px solid #dddddd; }
.image { display: inline-block; background: #e8e8e8; border-radius: 4px; color: #616061; }
.image.small { width: 20px; height: 20px; }
.image.large { display: block; height: 160px; max-width: 480px; text-align: center;
               line-height: 160px; margin-top: 4px; }
.unknown { border: 1px dashed #e01e5a; color: #e01e5a; padding: 2px 6px; margin: 6px 0; }
.input-block { margin: 8px 0; } .input-block .label { font-weight: 700; margin-bottom: 4px; }
.input { border: 1px solid rgba(29, 28, 29, 0.3); border-radius: 4px; height: 36px;
         padding: 0 12px; display: flex; align-items: center; max-width: 480px; }
"""


def home_page(view: dict[str, Any], names: dict[str, str], *, app_name: str = "supportbot") -> str:
    """A page that looks like the App Home tab showing `view`."""
    if view.get("type") not in ("home", "modal", None):
        raise ValueError(f"expected a home view, got type {view.get('type')!r}")
    blocks_html = "\n".join(block(b, names) for b in view.get("blocks", []))
    esc = html.escape(app_name)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc} - Home</title><style>{PAGE_CSS}</style></head><body>"
        f'<div class="top"><div class="app-icon">{esc[:1].upper()}</div>'
        f'<div class="app-name">{esc}</div></div>'
        '<div class="tabs"><span class="tab active">Home</span><span class="tab">Messages'
        '</span><span class="tab">About</span></div>'
        f'<div class="view">{blocks_html}</div></body></html>\n'
    )


def directory_names() -> dict[str, str]:
    """Slack ID -> name for everyone in the sample directory (empty if it can't be read)."""
    try:
        from bot.directory import load_directory

        directory = load_directory()
    except Exception:  # the names are a nicety: a view renders without them
        return {}
    names: dict[str, str] = {}
    for org in directory.organizations:
        for person in (*org.designated_contacts, *org.members):
            names[person.slack_id] = person.name
    for person in getattr(getattr(directory, "staff", None), "members", ()):
        names[person.slack_id] = person.name
    return names


def home_command(args: argparse.Namespace) -> int:
    browser = _browser()
    view = json.loads(Path(args.view).read_text(encoding="utf-8"))
    names = directory_names()
    if args.names:
        names.update(json.loads(Path(args.names).read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory(prefix="supportbot-home-") as work:
        page = Path(work) / "home.html"
        page.write_text(home_page(view, names, app_name=args.app_name), encoding="utf-8")
        if args.html:
            shutil.copy(page, args.html)
        height = measure(browser, page, "document.documentElement.scrollHeight", width=args.width)
        screenshot(browser, page, args.out, width=args.width, height=height)
    print(f"screenshots.py: wrote {args.out} ({args.width}x{height})")
    return 0


QUEUE_NOW = datetime(2026, 11, 18, 16, 40, tzinfo=UTC)
# (organization, severity, opened minutes before QUEUE_NOW, assignee, title)
QUEUE_CASES = (
    ("acme", 2, 190, None, "Agents cannot log in to the desktop app"),
    ("bergwerk", 3, 240, "U0STAFF2", "Queue wallboard shows stale figures"),
    ("acme", 3, 95, None, "IVR flow plays the wrong prompt"),
    ("wattle", 2, 30, None, "Call recordings missing for one site"),
    ("acme", 1, 4, None, "Whole contact center is down"),
    ("bergwerk", 4, 20, "U0STAFF1", "Question about the API rate limits"),
    ("acme", 3, 15, "U0STAFF1", "Outbound campaign dialing slowly"),
    ("wattle", 4, 600, None, "Chat widget does not load on the website"),
)


def queue_view(data_dir: Path) -> dict[str, Any]:
    """The staff queue U0STAFF1 sees at QUEUE_NOW, on a store seeded with QUEUE_CASES."""
    from zoneinfo import ZoneInfo

    from bot.directory import load_directory
    from bot.engine.queue import QueueFilter, QueueReader
    from bot.engine.zones import case_zone
    from bot.slack.queue_view import queue_blocks
    from bot.store.factory import open_store
    from bot.store.models import CaseDraft
    from policy.case_targets import OrganizationTargets

    directory = load_directory()
    store = open_store(data_dir=data_dir)
    try:
        for index, (short, severity, minutes, assignee, title) in enumerate(QUEUE_CASES):
            org = directory.organization(short)
            assert org is not None and org.tz is not None
            opened = QUEUE_NOW - timedelta(minutes=minutes)
            targets = OrganizationTargets.of(
                org.tz, profile=org.support_profile, holidays=org.holiday_dates(opened.date())
            )
            store.cases.create_case(
                CaseDraft(
                    org_short_name=short,
                    org_id=org.id,
                    requester_id=org.designated_contacts[0].slack_id,
                    requester_name=org.designated_contacts[0].name,
                    title=title,
                    description=title,
                    business_impact="Agents are slowed down.",
                    severity=severity,
                    response_due_at=targets.response_due(severity=severity, start=opened),
                    assignee_id=assignee,
                ),
                idempotency_key=f"queue-demo-{index}",
                actor_id="U01AAA",
                now=opened,
            )
        reader = QueueReader(
            store=store,
            directory=directory,
            zone_of=lambda case: case_zone(store=store, directory=directory, case=case),
        )
        blocks = queue_blocks(
            reader.read(QUEUE_NOW),
            chosen=QueueFilter.ALL,
            viewer_id="U0STAFF1",
            viewer_tz=ZoneInfo("Europe/London"),
        )
    finally:
        store.close()
    return {"type": "home", "blocks": blocks}


def queue_command(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="supportbot-queue-") as work:
        view = Path(work) / "view.json"
        view.write_text(json.dumps(queue_view(Path(work) / "data")), encoding="utf-8")
        args.view = view
        return home_command(args)


def _browser() -> str:
    found = find_browser()
    if found is None:
        hint = install_hint("chromium-headless-shell")
        sys.exit(f"screenshots.py: no chromium-headless-shell or chromium; {hint}")
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="the HTML report of a demo store")
    report.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    report.add_argument("--width", type=int, default=1000)
    report.add_argument("--full", action="store_true", help="the whole page, every table")
    report.add_argument("--html", type=Path, help="also keep report.html and its charts here")
    report.set_defaults(handler=report_command)
    home = commands.add_parser("home", help="a Slack App Home view (JSON) as Slack shows it")
    home.add_argument("view", type=Path, help='{"type": "home", "blocks": [...]}')
    home.add_argument("out", type=Path, help="the PNG to write")
    home.add_argument("--names", type=Path, help='{"U123": "Name"} for <@U123> mentions')
    home.add_argument("--app-name", default="supportbot")
    home.add_argument("--width", type=int, default=900)
    home.add_argument("--html", type=Path, help="also keep the page here")
    home.set_defaults(handler=home_command)
    queue = commands.add_parser("queue", help="the staff queue of a demo store, as Slack shows it")
    queue.add_argument("--out", type=Path, default=ROOT / "docs" / "staff-queue.png")
    queue.add_argument("--names", type=Path, help='{"U123": "Name"} for <@U123> mentions')
    queue.add_argument("--app-name", default="supportbot")
    queue.add_argument("--width", type=int, default=900)
    queue.add_argument("--html", type=Path, help="also keep the page here")
    queue.set_defaults(handler=queue_command)
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
