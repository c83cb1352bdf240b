"""`supportbot serve --socket | --http PORT`: run the Slack app.

Settings come from the environment (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN,
SLACK_API_URL, REDIS_URL); a missing one is named in one line, and no token is ever printed.
"""

from __future__ import annotations

import argparse
import logging

from bot.cli.errors import UsageError

# Where `serve` says it is up ("serving Slack on …", "connected to Slack in Socket Mode").
STARTUP_LOGGER = "bot.slack.serving"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the Slack app (Socket Mode or HTTP)",
        description=(
            "Serve the assistant in Slack. --socket needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; "
            "--http PORT needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and serves "
            "/slack/events, /healthz, /readyz and /metrics (Prometheus); --socket --metrics-port N "
            "serves /metrics, /healthz and /readyz on 127.0.0.1:N. On SIGTERM it stops taking "
            "events and finishes the work in flight. SLACK_API_URL points the Web API "
            "client elsewhere; REDIS_URL selects the Redis store."
        ),
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--socket", action="store_true", help="connect with Socket Mode")
    mode.add_argument("--http", metavar="PORT", help="listen for HTTP requests on PORT")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP address (default: 0.0.0.0)")
    parser.add_argument(
        "--metrics-port",
        metavar="PORT",
        help="with --socket: serve /metrics and /healthz on this port",
    )
    parser.add_argument(
        "--metrics-host",
        default="127.0.0.1",
        help="address for --metrics-port (default: 127.0.0.1)",
    )
    parser.add_argument(
        "--drain-seconds",
        metavar="S",
        default=None,
        help=(
            "on SIGTERM/SIGINT, how long the acknowledged turns may take to finish (default: 20)"
        ),
    )
    parser.add_argument("--contacts", metavar="FILE", help="directory file (default: sample)")
    parser.add_argument("--data-dir", metavar="DIR", help="store directory (default: user data)")
    parser.set_defaults(handler=run)


def parse_port(value: str, option: str = "--http") -> int:
    try:
        port = int(value)
    except ValueError:
        raise UsageError(f"{option} needs a port number, got {value!r}") from None
    if not 0 <= port <= 65535:
        raise UsageError(f"{option} port must be 0-65535, got {port}")
    return port


def parse_seconds(value: str | None) -> float:
    """--drain-seconds: a number of seconds, 0-600 (default: serving.DRAIN_SECONDS)."""
    if value is None:
        from bot.slack.serving import DRAIN_SECONDS

        return DRAIN_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise UsageError(f"--drain-seconds needs a number of seconds, got {value!r}") from None
    if not 0 <= seconds <= 600:
        raise UsageError(f"--drain-seconds must be 0-600, got {value}")
    return seconds


def show_startup_lines() -> None:
    """The start-up line is INFO, not a warning, yet shown without -v: it says where to look.

    Only raises that one logger to INFO when logging is quieter; -v (DEBUG) is left alone.
    """
    logger = logging.getLogger(STARTUP_LOGGER)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)


def run(args: argparse.Namespace) -> int:
    from bot.slack.settings import SettingsError, SlackSettings
    from bot.store.errors import StoreUnavailable

    mode = "socket" if args.socket else "http"
    port = parse_port(args.http) if mode == "http" else 0
    metrics_port = None
    if args.metrics_port is not None:
        if mode != "socket":
            raise UsageError("--metrics-port is for --socket; HTTP mode serves /metrics itself")
        metrics_port = parse_port(args.metrics_port, "--metrics-port")
    drain_seconds = parse_seconds(getattr(args, "drain_seconds", None))
    try:
        settings = SlackSettings.from_env(mode=mode)
    except SettingsError as error:
        raise UsageError(str(error)) from None

    from bot.slack import serving

    try:
        app, store = serving.build(
            settings,
            contacts=args.contacts,
            data_dir=args.data_dir,
            verify_requests=mode == "http",
        )
    except StoreUnavailable as error:
        raise UsageError(f"cannot open the store: {error}") from None
    except Exception as error:  # e.g. Slack refused the token at start-up (auth.test)
        raise UsageError(
            f"cannot start: {type(error).__name__}: {_safe(error, settings)}"
        ) from None
    show_startup_lines()
    if mode == "http":
        try:
            serving.serve_http(app, store, host=args.host, port=port, drain_seconds=drain_seconds)
        except OSError as error:
            raise UsageError(
                f"cannot listen on {args.host}:{port}: {error.strerror or error}"
            ) from None
    else:
        metrics_server = None
        if metrics_port is not None:
            try:
                metrics_server = serving.start_metrics_server(
                    app, store, host=args.metrics_host, port=metrics_port
                )
            except OSError as error:
                raise UsageError(
                    f"cannot listen on {args.metrics_host}:{metrics_port}: "
                    f"{error.strerror or error}"
                ) from None
        serving.serve_socket(
            app,
            settings,
            metrics_server=metrics_server,
            store=store,
            drain_seconds=drain_seconds,
        )
    return 0


def _safe(error: Exception, settings: object) -> str:
    """The error's message with any token removed, first line only."""
    text = str(error).splitlines()[0] if str(error) else ""
    for secret in (
        getattr(settings, "bot_token", ""),
        getattr(settings, "app_token", ""),
        getattr(settings, "signing_secret", ""),
    ):
        if secret:
            text = text.replace(secret, "***")
    return text[:300]
