"""Headless Chromium for the tests and `docs/screenshots.py`, and the missing-tool rule.

Debian's `chromium-headless-shell` (or a full `chromium`) renders a page from a file:
`screenshot` writes what a person would see in a window of a given size, `dump_dom` returns
the document after it loaded and its scripts ran. Each run gets its own temporary profile
and a timeout; `--no-sandbox` only when running as root, where Chromium refuses to start
sandboxed.

`require_tool` is the rule for system tools the tests need (the browser, docker-compose):
missing in CI (the CI variable is set) is a failure naming the package to install, so a
check cannot silently stop running there; missing on a person's machine is a skip.
`python3 dev.py test` installs them when it can (root with apt-get).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

BROWSERS = ("chromium-headless-shell", "chromium")
BROWSER_PACKAGE = "chromium-headless-shell"
TIMEOUT = 90  # seconds for one browser run; a first start on a cold disk takes a few


def install_hint(package: str) -> str:
    return f"install it with: apt-get install -y --no-install-recommends {package}"


def require_tool(names: Sequence[str], package: str) -> str:
    """The path of the first of `names` on PATH; else fail in CI, skip elsewhere."""
    import pytest

    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{' or '.join(names)} not found on PATH; {install_hint(package)}"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {message}", pytrace=False)
    pytest.skip(message)


def find_browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_browser() -> str:
    return require_tool(BROWSERS, BROWSER_PACKAGE)


def _run(browser: str, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="supportbot-chromium-") as profile:
        command = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-dev-shm-usage",  # containers often have a small /dev/shm
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--user-data-dir={profile}",
            *(["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
            *args,
            page.resolve().as_uri(),
        ]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            env={**os.environ, "HOME": profile},
        )
    if result.returncode != 0:
        raise RuntimeError(f"{browser} exited with {result.returncode}: {result.stderr[-2000:]}")
    return result


def screenshot(browser: str, page: Path, out: Path, *, width: int, height: int) -> Path:
    """A PNG of the page as a `width` x `height` window shows it (no scrollbars)."""
    out.unlink(missing_ok=True)
    _run(browser, page, f"--window-size={width},{height}", f"--screenshot={out.resolve()}")
    if not out.is_file():
        raise RuntimeError(f"{browser} wrote no screenshot to {out}")
    return out


def dump_dom(browser: str, page: Path, *, width: int = 1000, height: int = 1400) -> str:
    """The document's HTML after it loaded (and its scripts ran) in such a window."""
    return _run(browser, page, f"--window-size={width},{height}", "--dump-dom").stdout
