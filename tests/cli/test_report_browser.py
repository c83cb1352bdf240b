"""`supportbot report --format html` as a person sees it: rendered by headless Chromium.

The store is the one tests/cli/test_report.py seeds (its figures are worked out by hand
there). The screenshot checks compare the chart colours the report's own PNGs are drawn in
with the pixels Chromium painted, so they hold whatever colours the charts use; a control
render of the same page with its data URIs corrupted shows that a broken image fails them.
Needs `chromium-headless-shell` (or `chromium`): skipped when missing, failed when CI is set
(tests/support/browser.py).
"""

from __future__ import annotations

import base64
import html.parser
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from tests.cli.test_report import WINDOW, data_dir, report, seeded
from tests.support.browser import dump_dom, require_browser, screenshot

__all__ = ["data_dir", "seeded"]  # the fixtures, shared with test_report

# Wide enough for the 700 px charts at their natural size, tall enough for all three.
WIDTH, HEIGHT = 1000, 1400
DATA_URI = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
MAJOR = 1500  # pixels: a colour filling at least this much of a chart is one of its bars


@pytest.fixture
def browser() -> str:
    return require_browser()


@pytest.fixture
def page(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "html"
    code, _, err = report(capsys, *WINDOW, "--format", "html", "--out", str(out))
    assert code == 0, err
    return out / "report.html"


def _colours(image: Image.Image) -> Counter[tuple[int, int, int]]:
    rgb = image.convert("RGB")
    found = rgb.getcolors(maxcolors=rgb.width * rgb.height) or []
    return Counter({(c[0], c[1], c[2]): n for n, c in found if isinstance(c, tuple)})


def _chart_colours(page: Path) -> Counter[tuple[int, int, int]]:
    """Per colour, the pixels the embedded charts fill with it: saturated colours (not the
    white, black and greys of axes and text) that cover at least MAJOR pixels of a chart."""
    charts = DATA_URI.findall(page.read_text(encoding="utf-8"))
    assert len(charts) == 3
    wanted: Counter[tuple[int, int, int]] = Counter()
    for encoded in charts:
        for colour, count in _colours(Image.open(io.BytesIO(base64.b64decode(encoded)))).items():
            if count >= MAJOR and max(colour) - min(colour) >= 40:
                wanted[colour] += count
    return wanted


def _shown(shot: Path, wanted: Counter[tuple[int, int, int]]) -> dict[str, float]:
    """For each chart colour, the share of its pixels the screenshot shows."""
    painted = _colours(Image.open(shot))
    return {"#{:02x}{:02x}{:02x}".format(*c): painted[c] / n for c, n in wanted.items()}


def test_the_screenshot_shows_the_three_charts_in_full(browser: str, page: Path) -> None:
    wanted = _chart_colours(page)
    assert len(wanted) >= 5  # the severity, median/p90 and within-target colours
    shot = screenshot(browser, page, page.with_name("shot.png"), width=WIDTH, height=HEIGHT)
    shown = _shown(shot, wanted)
    assert all(share >= 0.95 for share in shown.values()), shown


def test_a_page_with_broken_chart_images_fails_that_check(browser: str, page: Path) -> None:
    """The control: the same page with every data URI corrupted (Chromium shows its
    broken-image placeholder and the alt text) shows none of the chart colours."""
    wanted = _chart_colours(page)
    broken = page.with_name("broken.html")
    text = page.read_text(encoding="utf-8")
    broken.write_text(text.replace("base64,iVBORw0KGgo", "base64,AAAAiVBORw0KGgo"), "utf-8")
    shot = screenshot(browser, broken, page.with_name("broken.png"), width=WIDTH, height=HEIGHT)
    shown = _shown(shot, wanted)
    assert all(share < 0.05 for share in shown.values()), shown


class _Tables(html.parser.HTMLParser):
    """{h2 text: {row header: row value}} from the tables under each heading."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, str]] = {}
        self.tag: str | None = None
        self.heading = self.label = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "th", "td"):
            self.tag = tag
            if tag == "h2":
                self.heading = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self.tables[self.heading] = {}
        self.tag = None

    def handle_data(self, data: str) -> None:
        if self.tag == "h2":
            self.heading += data
        elif self.tag == "th":
            self.label = data
        elif self.tag == "td":
            self.tables[self.heading][self.label] = data


def test_the_rendered_tables_carry_the_hand_computed_figures(browser: str, page: Path) -> None:
    parser = _Tables()
    parser.feed(dump_dom(browser, page))
    tables = parser.tables
    assert list(tables) == [
        "All cases",
        "Severity 1: Critical (Code Red)",
        "Severity 2: High",
        "Severity 3: Medium",
        "Severity 4: Low",
        "Organization acme",
        "Organization bergwerk",
        "Definitions",
    ]
    # Friday 16:59 -> Monday 08:01 Chicago: two business minutes (see test_report.seeded).
    assert tables["Severity 2: High"]["First response median / p90"] == (
        "2 min / 2 min (business time), 1 acknowledged"
    )
    assert tables["All cases"]["Response within target"] == "50.0% (2 met, 2 missed, 1 pending)"
    assert tables["Organization bergwerk"]["Restoration within target"] == (
        "0.0% (0 met, 1 missed, 0 pending, of 1 platform-level)"
    )


def test_each_chart_decodes_at_its_drawn_size_with_its_name(browser: str, page: Path) -> None:
    """What the browser made of each <img>: its alt text (what a screen reader says) and the
    decoded size (7 x 3.6 inches at 100 dpi), read by a script added after the page."""
    probe = page.with_name("probe.html")
    script = (
        "<script>addEventListener('load', () => { document.body.dataset.charts ="
        " [...document.images].map(i => `${i.alt}=${i.naturalWidth}x${i.naturalHeight}`)"
        ".join(';'); });</script>"
    )
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>"))
    found = re.search(r'<body data-charts="([^"]*)"', dump_dom(browser, probe))
    assert found is not None
    assert found.group(1).split(";") == [
        "first response=700x360",
        "weekly volume=700x360",
        "within target=700x360",
    ]
