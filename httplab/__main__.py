"""Command line: ``python -m httplab serve`` (or ``httplab serve``) runs a lab server."""

from __future__ import annotations

import argparse
import os
import signal
import stat
import sys
import threading
from collections.abc import Sequence

from httplab.errors import HTTPLabError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="httplab",
        description="Run httplab's lab server: httpbin's echo endpoints at / and the resource API at /lab.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve a lab until interrupted (Ctrl+C) or until a piped stdin closes",
        description="Serve a lab. The base URL is printed alone on the first line of standard output.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="port to listen on (default: 0, a free port)")
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host, which opens the lab to the network (needs --any-user too)",
    )
    serve.add_argument(
        "--any-user",
        action="store_true",
        help="answer every user's programs, not only yours (by default another user of this machine gets 403)",
    )
    serve.add_argument(
        "--require-precondition",
        action="store_true",
        help="answer 428 to PUT, PATCH and DELETE on items without If-Match or If-None-Match",
    )
    return parser


def _watch_stdin(stop: threading.Event) -> None:
    """Stop when a piped stdin closes: the process that started us has gone."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return
    if not stat.S_ISFIFO(mode):
        return

    def wait_for_eof() -> None:
        try:
            while os.read(sys.stdin.fileno(), 4096):
                pass
        except (OSError, ValueError):
            pass
        stop.set()

    threading.Thread(target=wait_for_eof, name="httplab-stdin", daemon=True).start()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command != "serve":
        parser.print_help()
        return 2
    if not 0 <= args.port <= 65535:
        parser.error(f"--port {args.port} is not a port number; use 0 to 65535 (0 picks a free port).")

    from httplab.server import LabServer, create_lab_app
    from httplab.server.fault_counts import CountedFaults

    try:
        server = LabServer(
            CountedFaults(create_lab_app(require_precondition=args.require_precondition)),
            host=args.host,
            port=args.port,
            allow_remote=args.allow_remote,
            owner_only=not args.any_user,
        )
    except HTTPLabError as error:
        message = str(error).replace("pass allow_remote=True", "add --allow-remote")
        message = message.replace("pass owner_only=False as well", "add --any-user as well")
        print(f"httplab: {message}", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(server.url, flush=True)
    print(f"httplab: serving httpbin at {server.url}/ and the lab at {server.url}/lab; Ctrl+C stops.", file=sys.stderr)
    _watch_stdin(stop)
    try:
        while not stop.wait(0.5) and server.running:
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
