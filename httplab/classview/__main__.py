"""Run the class view: ``python -m httplab.classview`` (JupyterHub starts it as a managed service).

Every option can also come from the environment, which is how ``c.JupyterHub.services`` passes it:

=============================  ==========================================================================
``--db-url``                   ``HTTPLAB_CLASSVIEW_DB_URL``; default ``sqlite:///<dir>/classview.sqlite``
``--dir``                      ``HTTPLAB_CLASSVIEW_DIR``; default the working directory the hub gives it
``--teachers GROUP[,GROUP]``   ``HTTPLAB_CLASSVIEW_TEACHERS``: hub groups whose members see the page
``--teacher-users NAME[,...]`` ``HTTPLAB_CLASSVIEW_TEACHER_USERS``: single users who see the page
``--no-admins``                ``HTTPLAB_CLASSVIEW_ADMINS=0``: hub admins are not teachers by default
``--show-names``               ``HTTPLAB_CLASSVIEW_SHOW_NAMES=1``: store and show names (anonymous otherwise)
``--port``, ``--ip``           default: from ``JUPYTERHUB_SERVICE_URL``
``--test-mode``                no hub: the token is the user name, ``teacher`` is a teacher (benchmarks)
=============================  ==========================================================================

What it prints (its help, its errors, its log lines) is in the kit's language (``HTTPLAB_LANG``); the page
itself speaks each teacher's language, as their browser asks.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from urllib.parse import urlparse

from httplab.__main__ import _argparse_in_kit_language
from httplab.classview.app import Teachers, TrustingAuth, make_app, names
from httplab.classview.store import Store
from httplab.i18n import _

log = logging.getLogger("httplab.classview")


def _on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the options (command line first, then the environment)."""
    # argparse's own words (usage, options, -h) are chosen as the parser is built and as it prints.
    with _argparse_in_kit_language():
        service_url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
        parser = argparse.ArgumentParser(
            prog="python -m httplab.classview",
            description=_(
                "Run the teacher's class view, a JupyterHub service that shows the class's predictions as they arrive."
            ),
        )
        parser.add_argument(
            "--dir",
            default=os.environ.get("HTTPLAB_CLASSVIEW_DIR", "."),
            help=_("the folder of the default SQLite database (default: {env}, else the working directory)").format(
                env="HTTPLAB_CLASSVIEW_DIR"
            ),
        )
        parser.add_argument(
            "--db-url",
            default=os.environ.get("HTTPLAB_CLASSVIEW_DB_URL", ""),
            help=_("a SQLAlchemy database URL (default: {env}, else {default})").format(
                env="HTTPLAB_CLASSVIEW_DB_URL", default="sqlite:///DIR/classview.sqlite"
            ),
        )
        parser.add_argument(
            "--teachers",
            action="append",
            default=[os.environ.get("HTTPLAB_CLASSVIEW_TEACHERS", "")],
            help=_("hub groups whose members see the page, separated by commas (also {env})").format(
                env="HTTPLAB_CLASSVIEW_TEACHERS"
            ),
        )
        parser.add_argument(
            "--teacher-users",
            action="append",
            default=[os.environ.get("HTTPLAB_CLASSVIEW_TEACHER_USERS", "")],
            help=_("single hub users who see the page, separated by commas (also {env})").format(
                env="HTTPLAB_CLASSVIEW_TEACHER_USERS"
            ),
        )
        parser.add_argument(
            "--no-admins",
            action="store_true",
            default=os.environ.get("HTTPLAB_CLASSVIEW_ADMINS") == "0",
            help=_("hub admins are not teachers unless named (also {env}=0)").format(env="HTTPLAB_CLASSVIEW_ADMINS"),
        )
        parser.add_argument(
            "--show-names",
            action="store_true",
            default=_on("HTTPLAB_CLASSVIEW_SHOW_NAMES"),
            help=_("store and show learners' hub names; anonymous otherwise (also {env}=1)").format(
                env="HTTPLAB_CLASSVIEW_SHOW_NAMES"
            ),
        )
        where = _("default: from {env}").format(env="JUPYTERHUB_SERVICE_URL")
        parser.add_argument(
            "--ip",
            default=service_url.hostname or "127.0.0.1",
            help=_("the address to listen on ({default})").format(default=where),
        )
        parser.add_argument(
            "--port",
            type=int,
            default=service_url.port or 10101,
            help=_("the port to listen on ({default})").format(default=where),
        )
        parser.add_argument(
            "--prefix",
            default=os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/httplab-classview/"),
            help=_("the service's URL prefix (default: {env})").format(env="JUPYTERHUB_SERVICE_PREFIX"),
        )
        parser.add_argument(
            "--test-mode",
            action="store_true",
            help=_('no hub: a token is taken as the user\'s name, and "teacher" is a teacher. Never on a hub.'),
        )
        return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Start the class view and serve until stopped."""
    logging.basicConfig(level=logging.INFO, format="[classview %(levelname)s] %(message)s")
    options = parse(argv)
    if not options.test_mode and not os.environ.get("JUPYTERHUB_API_TOKEN"):
        sys.exit(
            _(
                "The class view runs as a JupyterHub service: add it to c.JupyterHub.services (docs/deploy.md, "
                '"The teacher\'s class view"). Without a hub, try --test-mode.'
            )
        )
    db_url = options.db_url or f"sqlite:///{Path(options.dir).resolve() / 'classview.sqlite'}"
    store = Store(db_url, show_names=options.show_names)
    teachers = Teachers(names(options.teachers), names(options.teacher_users), admins=not options.no_admins)
    auth = None
    if options.test_mode:
        log.warning(_("TEST MODE: no hub checks anyone; a token is taken as the user's name. Never run it on a hub."))
        auth = TrustingAuth()
    app = make_app(store, prefix=options.prefix, hub_auth=auth, teachers=teachers)
    where = db_url.split("@")[-1]  # never log a password in a PostgreSQL URL

    async def serve() -> None:
        server = app.listen(options.port, options.ip, xheaders=True)
        address = f"http://{options.ip}:{options.port}{options.prefix}"
        log.info(_("class view on {address}, storing in {where}").format(address=address, where=where))
        # The hub stops its services with SIGTERM (SIGINT by hand): stop serving and close the database quietly.
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for stop in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stop, stopped.set)
        await stopped.wait()
        server.stop()

    try:
        asyncio.run(serve())
    finally:
        store.engine.dispose()
        log.info(_("class view stopped"))


if __name__ == "__main__":
    main()
