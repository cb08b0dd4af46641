"""Command line: ``python -m httplab serve`` (or ``httplab serve``) runs a lab server."""

from __future__ import annotations

import argparse
import os
import signal
import stat
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from httplab.errors import HTTPLabError, LanguageError
from httplab.i18n import ENV_VAR, LANGUAGES, _, language, pgettext

__all__ = ["main"]


def _argparse_texts() -> dict[str, str]:
    """Return argparse's own words (usage, options, its error messages) in the kit's language."""
    return {
        "usage: ": pgettext("argparse", "usage: "),
        "positional arguments": pgettext("argparse", "positional arguments"),
        "options": pgettext("argparse", "options"),
        "show this help message and exit": pgettext("argparse", "show this help message and exit"),
        "%(prog)s: error: %(message)s\n": pgettext("argparse", "%(prog)s: error: %(message)s\n"),
        "argument %(argument_name)s: %(message)s": pgettext("argparse", "argument %(argument_name)s: %(message)s"),
        "invalid %(type)s value: %(value)r": pgettext("argparse", "invalid %(type)s value: %(value)r"),
        "invalid choice: %(value)r (choose from %(choices)s)": pgettext(
            "argparse", "invalid choice: %(value)r (choose from %(choices)s)"
        ),
        "unrecognized arguments: %s": pgettext("argparse", "unrecognized arguments: %s"),
        "the following arguments are required: %s": pgettext("argparse", "the following arguments are required: %s"),
        "expected one argument": pgettext("argparse", "expected one argument"),
        "ambiguous option: %(option)s could match %(matches)s": pgettext(
            "argparse", "ambiguous option: %(option)s could match %(matches)s"
        ),
    }


@contextmanager
def _argparse_in_kit_language() -> Iterator[None]:
    """Let argparse say its own words in the kit's language while the command line is read.

    argparse looks each of its sentences up through its module's ``_`` (gettext's default domain);
    for these few moments that lookup is the kit's catalogue, then gettext's again.
    """
    texts = _argparse_texts()
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: texts.get(text) or original(text)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def _chosen_language(argv: Sequence[str]) -> str | None:
    """Return the value of ``--lang`` in *argv* (``--lang fr`` or ``--lang=fr``), or None."""
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--lang="):
            return word.partition("=")[2]
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="httplab",
        description=_("Run httplab's lab server: httpbin's echo endpoints at / and the resource API at /lab."),
        epilog=_(
            "Language: the messages follow the {env} environment variable ({env}=fr for French); "
            "--lang fr does the same for one command and wins over {env}."
        ).format(env=ENV_VAR),
    )
    lang = _("the language of the messages: en or fr (default: {env}, else English)").format(env=ENV_VAR)
    # main() reads --lang before parsing (the help itself is in that language); here it is only declared.
    parser.add_argument("--lang", choices=sorted(LANGUAGES), help=lang)
    commands = parser.add_subparsers(dest="command", metavar=pgettext("argparse", "COMMAND"))
    serve = commands.add_parser(
        "serve",
        help=_("serve a lab until interrupted (Ctrl+C) or until a piped stdin closes"),
        description=_("Serve a lab. The base URL is printed alone on the first line of standard output."),
    )
    serve.add_argument("--lang", choices=sorted(LANGUAGES), default=argparse.SUPPRESS, help=lang)
    serve.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default: 127.0.0.1)"))
    serve.add_argument("--port", type=int, default=0, help=_("port to listen on (default: 0, a free port)"))
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help=_("allow a non-loopback --host, which opens the lab to the network (needs --any-user too)"),
    )
    serve.add_argument(
        "--any-user",
        action="store_true",
        help=_("answer every user's programs, not only yours (by default another user of this machine gets 403)"),
    )
    serve.add_argument(
        "--require-precondition",
        action="store_true",
        help=_("answer 428 to PUT, PATCH and DELETE on items without If-Match or If-None-Match"),
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
    words = list(sys.argv[1:] if argv is None else argv)
    wanted = _chosen_language(words)
    if wanted is None:
        return _main(words)
    try:
        with language(wanted):
            return _main(words)
    except LanguageError as error:
        print(f"httplab: {error}", file=sys.stderr)
        return 2


def _main(words: list[str]) -> int:
    with _argparse_in_kit_language():
        parser = _parser()
        args = parser.parse_args(words)
        if args.command != "serve":
            parser.print_help()
            return 2
        if not 0 <= args.port <= 65535:
            parser.error(
                _("--port {port} is not a port number; use 0 to 65535 (0 picks a free port).").format(port=args.port)
            )

    from httplab.server import LabServer, create_lab_app
    from httplab.server.app import is_loopback
    from httplab.server.fault_counts import CountedFaults

    # The server refuses these too, in words for Python callers; the command line names its own options.
    if not is_loopback(args.host) and not args.allow_remote:
        print(
            "httplab: "
            + _(
                "The lab listens on this machine only, and {host!r} would open it to the network. "
                "Use 127.0.0.1, or add --allow-remote if you really mean to share it."
            ).format(host=args.host),
            file=sys.stderr,
        )
        return 2
    if args.allow_remote and not args.any_user:
        print(
            "httplab: "
            + _(
                "A lab open to the network cannot tell which user a remote connection belongs to, so it cannot "
                "answer its owner only. If you really mean to share it, add --any-user as well."
            ),
            file=sys.stderr,
        )
        return 2
    try:
        server = LabServer(
            CountedFaults(create_lab_app(require_precondition=args.require_precondition)),
            host=args.host,
            port=args.port,
            allow_remote=args.allow_remote,
            owner_only=not args.any_user,
        )
    except HTTPLabError as error:
        print(f"httplab: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    print(server.url, flush=True)
    print(
        "httplab: "
        + _("serving httpbin at {url}/ and the lab at {url}/lab; Ctrl+C stops.").format(url=server.url),
        file=sys.stderr,
    )
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
