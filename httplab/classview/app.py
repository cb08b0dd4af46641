"""The class view's web app: tornado handlers behind the hub's proxy, authenticated by the hub.

Routes, all under the service's prefix (``/services/httplab-classview/`` by default):

``GET  /``               the teacher's page (hub OAuth login in a browser)
``GET  /api/summary``    the class's picture as JSON (the page polls it every 1.5 s)
``POST /api/reveal``     ``{"question": ..., "revealed": true}``: show what the server did, or hide it again
``GET  /export.csv``     every stored report as CSV
``POST /api/events``     one report from a learner's kernel (``Authorization: token $JUPYTERHUB_API_TOKEN``)

Teachers are hub admins, members of the configured groups, or the configured users; everyone else gets 403
on the teacher's routes and may only post reports, as themselves (the hub says whose token it is).

Each answer with words in it (the page, the summary's prompts and choices, every problem's ``detail``) is in the
language its request's ``Accept-Language`` asks for (:func:`httplab.i18n.negotiate`: French or English, else
the kit's language, ``HTTPLAB_LANG``), and says so: ``Content-Language``, and ``Vary: Accept-Language`` for caches.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from typing import Any

from jupyterhub.services.auth import (  # type: ignore[import-untyped]  # jupyterhub ships no type information
    HubOAuth,
    HubOAuthCallbackHandler,
    HubOAuthenticated,
    UserNotAllowed,
)
from tornado import web

from httplab.classview.page import forbidden_page, page
from httplab.classview.store import BadEvent, Store, parse_event
from httplab.i18n import L_, LazyText, negotiate


@dataclass(frozen=True)
class Teachers:
    """Who may see the class view: hub admins (unless turned off), these groups and these users."""

    groups: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()
    admins: bool = True

    def allow(self, model: dict[str, Any] | None) -> bool:
        """Return True when the hub user ``model`` is a teacher."""
        if not model or model.get("kind", "user") != "user":
            return False
        if self.admins and model.get("admin"):
            return True
        return model.get("name") in self.users or bool(self.groups.intersection(model.get("groups") or ()))


@dataclass
class TrustingAuth:
    """Stand-in for HubOAuth in the service's test mode: the token *is* the user name, and nothing is asked.

    Never use it on a hub: anyone could post as anyone. ``python -m httplab.classview --test-mode`` prints a
    warning saying so.
    """

    admins: set[str] = field(default_factory=lambda: {"teacher"})
    login_url: str = ""
    base_url: str = "/"

    async def _model(self, handler: web.RequestHandler) -> dict[str, Any] | None:
        header = handler.request.headers.get("Authorization", "")
        scheme, _, name = header.partition(" ")
        if scheme.lower() not in {"token", "bearer"} or not name.strip():
            return None
        name = name.strip()
        return {"kind": "user", "name": name, "admin": name in self.admins, "groups": [], "scopes": []}

    def get_user(self, handler: web.RequestHandler, *, sync: bool = True) -> Awaitable[dict[str, Any] | None]:
        """Return the user the request's token names."""
        return self._model(handler)

    def _persist_url_token_if_set(self, handler: web.RequestHandler) -> None:
        return None


class _Handler(HubOAuthenticated, web.RequestHandler):  # type: ignore[misc]  # jupyterhub is untyped
    allow_all = True  # every hub user may be identified; who is a teacher is decided below

    @property
    def hub_auth(self) -> Any:
        return self.settings["hub_auth"]

    @hub_auth.setter
    def hub_auth(self, value: Any) -> None:  # HubAuthenticated's own setter; the app's settings decide
        pass

    @property
    def store(self) -> Store:
        return self.settings["store"]  # type: ignore[no-any-return]

    async def prepare(self) -> None:
        # Identify the user without blocking the server's loop (HubAuthenticated's default is a blocking call).
        model = await self.hub_auth.get_user(self, sync=False)
        try:
            self._hub_auth_user_cache = self.check_hub_user(model) if model else None
        except UserNotAllowed:
            self._hub_auth_user_cache = None

    def is_teacher(self) -> bool:
        return bool(self.settings["teachers"].allow(self.current_user))

    @property
    def language(self) -> str:
        """The language this request is answered in: the best its ``Accept-Language`` accepts, else the kit's."""
        if not hasattr(self, "_language"):
            self._language = negotiate(self.request.headers.get("Accept-Language"))
        return self._language

    def in_language(self) -> str:
        """Say that this answer's words are in the request's language (and vary with Accept-Language); return it."""
        self.set_header("Content-Language", self.language)
        self.add_header("Vary", "Accept-Language")
        return self.language

    def write_json(self, status: int, body: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))

    def problem(self, status: int, detail: LazyText) -> None:
        """Answer *status* with ``{"detail": ...}``, the detail in the request's language."""
        self.write_json(status, {"detail": detail.in_language(self.in_language())})

    def require_teacher(self) -> bool:
        """Answer 403 (or 401 without a login) and return False unless the user is a teacher."""
        if self.current_user is None:
            # A 401 carries a challenge (RFC 9110 §15.5.2): the hub's tokens go in "Authorization: token ...".
            self.set_header("WWW-Authenticate", 'token realm="JupyterHub"')
            self.problem(401, L_("Log in to JupyterHub first, then open the class view from the hub."))
            return False
        if not self.is_teacher():
            self.problem(403, L_("The class view is for teachers only; your own answers stay yours."))
            return False
        return True


class PageHandler(_Handler):
    """The teacher's page; a hub login first (OAuth), 403 for anyone who is not a teacher."""

    @web.authenticated
    def get(self) -> None:
        """Serve the page."""
        self.set_header("Cache-Control", "no-store")
        code = self.in_language()
        if not self.is_teacher():
            self.set_status(403)
            self.finish(forbidden_page(code, str(self.current_user.get("name", ""))))
            return
        xsrf = self.xsrf_token.decode() if isinstance(self.hub_auth, HubOAuth) else ""
        self.finish(page(code, xsrf))


class SummaryHandler(_Handler):
    """The class's picture as JSON, for teachers."""

    def get(self) -> None:
        """Answer the summary."""
        if self.require_teacher():
            self.write_json(200, with_choices(self.store.summary(), self.in_language()))


class RevealHandler(_Handler):
    """The teacher reveals (or hides again) what the server did for one prediction."""

    def post(self) -> None:
        """Record the reveal."""
        if not self.require_teacher():
            return
        try:
            body = json.loads(self.request.body or b"{}")
            question, revealed = body["question"], body.get("revealed", True)
            if not isinstance(question, str) or not question or not isinstance(revealed, bool):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            self.problem(400, L_('Send {"question": "<prediction id>", "revealed": true or false}.'))
            return
        self.store.set_revealed(question, revealed)
        self.write_json(200, {"question": question, "revealed": revealed})


class EventHandler(_Handler):
    """One report from a learner's kernel, stored under the name the hub gives its token."""

    def post(self) -> None:
        """Store the report."""
        if self.current_user is None:
            self.problem(403, L_("Send your JupyterHub token: Authorization: token $JUPYTERHUB_API_TOKEN."))
            return
        try:
            event = parse_event(json.loads(self.request.body or b"null"))
        except ValueError as error:  # BadEvent, or JSON that does not parse
            why = error.detail if isinstance(error, BadEvent) else L_("the body is not JSON")
            # The reason is read in the request's language first, so the whole sentence is in one language.
            self.problem(400, L_("This report was not stored: {detail}.", detail=why.in_language(self.language)))
            return
        self.store.add(str(self.current_user["name"]), event)
        # Stored, and nothing to send back: 204 (a report gets no URL of its own, so not 201, RFC 9110 §15.3.2).
        self.set_status(204)
        self.finish()


class ExportHandler(_Handler):
    """Every stored report as CSV, for teachers."""

    def get(self) -> None:
        """Answer the CSV file."""
        if not self.require_teacher():
            return
        out = io.StringIO()
        columns = ["id", "at", "kind", "lesson", "question", "learner", "answer", "before_demo", "observed", "correct"]
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(self.store.rows_for_export())
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", 'attachment; filename="classview.csv"')
        self.finish(out.getvalue())


def with_choices(summary: dict[str, Any], language: str | None = None) -> dict[str, Any]:
    """Add each prediction's prompt and every choice (a choice nobody picked still gets its bar).

    The texts are the prediction bank's, in *language* (the kit's language by default); ids and values are
    the same in every language.
    """
    from httplab.teaching.predictions import prediction_specs

    try:
        specs = prediction_specs(language)
    except Exception:  # a bank this kit cannot read: every prediction shows what was sent
        specs = {}
    for entry in summary["predictions"]:
        spec = specs.get(entry["question"])
        if spec is None:  # a prediction this kit does not know (another version): show what was sent
            entry["prompt"] = entry["question"]
            entry["choices"] = [{"value": v, "text": v} for v in sorted(entry["counts"])]
            continue
        entry["prompt"] = spec.prompt
        entry["choices"] = [{"value": c.value, "text": c.text} for c in spec.choices]
    return summary


def make_app(
    store: Store,
    *,
    prefix: str = "/services/httplab-classview/",
    hub_auth: Any = None,
    teachers: Teachers | None = None,
) -> web.Application:
    """Build the class view's tornado application.

    Parameters
    ----------
    store
        Where reports go.
    prefix
        The service's URL prefix (JupyterHub sets ``JUPYTERHUB_SERVICE_PREFIX``).
    hub_auth
        A ``HubOAuth`` (the default, configured from JupyterHub's environment) or :class:`TrustingAuth`.
    teachers
        Who may see the page; hub admins by default.

    """
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    auth = hub_auth if hub_auth is not None else HubOAuth.instance(cache_max_age=60)
    routes: list[Any] = [
        (prefix, PageHandler),
        (prefix + "api/summary", SummaryHandler),
        (prefix + "api/reveal", RevealHandler),
        (prefix + "api/events", EventHandler),
        (prefix + "export.csv", ExportHandler),
    ]
    if isinstance(auth, HubOAuth):
        routes.append((prefix + "oauth_callback", HubOAuthCallbackHandler))
    settings: dict[str, Any] = {
        "store": store,
        "hub_auth": auth,
        "teachers": teachers or Teachers(),
        "cookie_secret": _random_secret(),
    }
    return web.Application(routes, **settings)


def _random_secret() -> bytes:
    import os

    return os.urandom(32)


def names(values: Iterable[str]) -> frozenset[str]:
    """Split comma-separated configuration values into a set of names."""
    return frozenset(part.strip() for value in values for part in value.split(",") if part.strip())
