"""The lab's problem details speak the request's language: Accept-Language in, Content-Language out.

Each problem+json ``detail`` (RFC 9457) is read in the language the request's ``Accept-Language``
asks for (RFC 9110 §12.5.4), English or French, else in the kit's language. The answer says which
with ``Content-Language`` and warns caches with ``Vary: Accept-Language``. The ``title`` stays the
reason phrase, protocol text in every language; nothing else of the answer, and nothing of the
lab's state, depends on the language.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from _english import english_words
from _raw import send_raw

import httplab
from httplab.i18n import language, negotiate
from httplab.server import LabServer
from httplab.server._language import in_language
from httplab.server._wsgi import MAX_BODY_BYTES
from httplab.server.patch import PatchConflict, apply_json_patch

ITEM = "/lab/items/apple"
FR = {"Accept-Language": "fr"}
EN = {"Accept-Language": "en"}

#: Protocol text a French detail keeps as it is: quoted values (not the apostrophes of French words), paths
#: and media types, placeholders, header field names, code (drop-response, times=1, lab.send), method
#: names and other capitals (PUT, JSON), and RFC references.
_PROTOCOL = re.compile(
    r"(?<![\wÀ-ÿ])'[^']*'(?![\wÀ-ÿ])|\"[^\"]*\"|\S*/\S*|<[^>]*>|\b[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+\b:?"
    r"|\b[a-z_]+(?:[-=_][\w=]*)+|\b\w+(?:\.\w+)+|\b[A-Z]{2,}\b|RFC [\d.§ ]+"
)


def prose(detail: str) -> str:
    """Return *detail* without the protocol text it may quote, leaving the sentences around it."""
    return _PROTOCOL.sub(" ", detail)


def problem(exchange: httplab.Exchange) -> dict[str, object]:
    assert exchange.response.headers["Content-Type"] == "application/problem+json"
    body = exchange.json
    assert set(body) == {"type", "title", "status", "detail"}
    return body


def assert_french(exchange: httplab.Exchange, *, allowed: frozenset[str] = frozenset()) -> str:
    """Check a problem answer is in French, and say so; return its detail."""
    headers = exchange.response.headers
    assert headers["Content-Language"] == "fr"
    assert "accept-language" in headers["Vary"].lower()
    body = problem(exchange)
    detail = str(body["detail"])
    assert english_words(prose(detail), allowed) == [], detail
    return detail


def assert_english(exchange: httplab.Exchange) -> str:
    headers = exchange.response.headers
    assert headers["Content-Language"] == "en"
    assert "accept-language" in headers["Vary"].lower()
    return str(problem(exchange)["detail"])


# --------------------------------------------------------------------------- negotiation


def test_accept_language_fr_gets_the_french_detail_and_says_so(any_lab):
    exchange = any_lab.send("GET", "/lab/items/42", headers=FR)
    assert exchange.status == 404
    assert assert_french(exchange) == "Aucun élément à /lab/items/42."
    body = problem(exchange)
    assert body["title"] == "Not Found"  # the reason phrase is protocol text: never translated
    assert body["type"] == "about:blank" and body["status"] == 404


def test_without_accept_language_the_detail_is_english_as_before(any_lab):
    exchange = any_lab.send("GET", "/lab/items/42")
    assert assert_english(exchange) == "No item at /lab/items/42."
    assert exchange.response.body == (
        b'{"detail": "No item at /lab/items/42.", "status": 404, "title": "Not Found", "type": "about:blank"}'
    )


def test_an_english_problem_adds_only_content_language_and_vary(lab):
    names = {name.lower() for name in lab.send("GET", "/lab/items/42").response.headers}
    assert names == {"content-type", "content-length", "cache-control", "content-language", "vary"}


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("fr", "fr"),
        ("FR", "fr"),
        ("fr-CA;q=0.9, en;q=0.8", "fr"),  # a regional French is French (RFC 4647 §3.4 lookup)
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("en;q=0.5, fr", "fr"),
        ("en", "en"),
        ("en-US,en;q=0.9,fr;q=0.8", "en"),
        ("de", "en"),  # none of the kit's languages: the kit's own
        ("fr;q=0", "en"),  # q=0 means "not acceptable" (RFC 9110 §12.4.2)
        ("fr;q=0, fr-CA", "en"),  # French named on its own and refused stays refused
        ("*", "en"),
        ("not a language;;;", "en"),
    ],
)
def test_the_language_follows_accept_language(lab, accept_language, expected):
    exchange = lab.send("GET", "/lab/items/42", headers={"Accept-Language": accept_language})
    assert exchange.response.headers["Content-Language"] == expected
    assert (exchange.json["detail"] == "No item at /lab/items/42.") == (expected == "en")
    assert negotiate(accept_language) == expected


def test_accept_language_en_gets_english_and_content_language_en(any_lab):
    exchange = any_lab.send("GET", "/lab/items/42", headers=EN)
    assert assert_english(exchange) == "No item at /lab/items/42."


def test_the_kits_language_is_the_default_for_requests_without_accept_language(any_lab):
    with language("fr"):
        french = any_lab.send("GET", "/lab/items/42")
        asked_english = any_lab.send("GET", "/lab/items/42", headers=EN)
        asked_german = any_lab.send("GET", "/lab/items/42", headers={"Accept-Language": "de"})
    assert assert_french(french) == "Aucun élément à /lab/items/42."
    assert assert_english(asked_english) == "No item at /lab/items/42."
    assert assert_french(asked_german) == "Aucun élément à /lab/items/42."
    assert assert_english(any_lab.send("GET", "/lab/items/42")) == "No item at /lab/items/42."


# --------------------------------------------------------------------------- every kind of problem


def test_a_412_is_localized(any_lab):
    any_lab.send("PUT", ITEM, json={"name": "apple"})
    exchange = any_lab.send("PUT", ITEM, json={"name": "pear"}, headers={"If-Match": '"stale"', **FR})
    assert exchange.status == 412
    # "client" is a French word too ("celle d'un autre client").
    detail = assert_french(exchange, allowed=frozenset({"client"}))
    assert detail.startswith("La condition préalable a échoué : If-Match a envoyé")
    assert exchange.response.headers["ETag"] in detail


def test_a_412_on_a_weak_tag_is_one_french_text(lab):
    lab.send("PUT", ITEM, json={"name": "apple"})
    exchange = lab.send("DELETE", ITEM, headers={"If-Match": 'W/"stale"', **FR})
    detail = assert_french(exchange, allowed=frozenset({"client"}))
    assert "une étiquette faible (W/...) ne correspond donc jamais" in detail


def test_a_412_if_none_match_star_is_localized(lab):
    lab.send("PUT", ITEM, json={"name": "apple"})
    exchange = lab.send("PUT", ITEM, json={"name": "pear"}, headers={"If-None-Match": "*", **FR})
    assert exchange.status == 412
    assert "l'élément existe déjà" in assert_french(exchange)


def test_a_428_is_localized(any_lab):
    any_lab.send("PATCH", "/lab/settings", json={"require_precondition": True})
    exchange = any_lab.send("PUT", ITEM, json={"name": "apple"}, headers=FR)
    assert exchange.status == 428
    assert "Ce labo exige une condition préalable pour PUT" in assert_french(exchange)


@pytest.mark.parametrize(
    ("content", "headers", "status", "words"),
    [
        (b"{", {"Content-Type": "application/json"}, 400, "JSON non valide à la ligne 1, colonne 2"),
        (b"", {"Content-Type": "application/json"}, 400, "alors que du JSON était attendu"),
        (b'{"a": 1, "a": 2}', {"Content-Type": "application/json"}, 400, "apparaît deux fois"),
        (b'{"n": NaN}', {"Content-Type": "application/json"}, 400, "NaN n'est pas autorisé en JSON"),
        (b"[1]", {"Content-Type": "application/json"}, 422, "ce corps est un tableau JSON"),
        (b'{"a": 1}', {"Content-Type": "text/plain"}, 415, "le Content-Type de cette requête est text/plain"),
        (b'{"a": 1}', {}, 415, "cette requête n'a pas de Content-Type"),
    ],
)
def test_bad_json_and_media_types_are_localized(any_lab, content, headers, status, words):
    exchange = any_lab.send("POST", "/lab/items", content=content, headers={**headers, **FR})
    assert exchange.status == status
    assert words in assert_french(exchange)


def test_a_413_is_localized(any_lab):
    exchange = any_lab.send(
        "POST", "/lab/items", content=b" " * (MAX_BODY_BYTES + 1), headers={"Content-Type": "application/json", **FR}
    )
    assert exchange.status == 413
    detail = assert_french(exchange)
    # French groups thousands with a narrow no-break space: a comma would read as a decimal separator.
    assert "Le contenu de la requête dépasse ce que le labo accepte (1\u202f048\u202f576 octets)" in detail
    english = any_lab.send(
        "POST", "/lab/items", content=b" " * (MAX_BODY_BYTES + 1), headers={"Content-Type": "application/json"}
    )
    assert "(1,048,576 bytes)" in english.json["detail"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("DELETE", "/lab/items/gone", {}, 404),
        ("PATCH", "/lab/items/gone", {"json": {}}, 404),
        ("GET", "/lab/nowhere", {}, 404),
        ("PUT", "/lab/state", {}, 405),
        ("BREW", "/lab/items", {}, 501),
        ("PUT", "/lab/items/bad%20id", {"json": {}}, 400),
        ("PATCH", "/lab/settings", {"json": {"other": 1}}, 422),
        ("POST", "/lab/items", {"json": {}, "headers": {"Idempotency-Key": ""}}, 400),
        ("POST", "/lab/items", {"json": {}, "headers": {"X-Lab-Delay": "99"}}, 400),
        ("GET", "/lab/files/nothing.txt", {}, 404),
        ("POST", "/lab/files", {"content": b"x", "headers": {"Content-Type": "text/plain"}}, 415),
        ("PATCH", "/lab/files/a.txt", {}, 405),
        ("GET", "/lab/items", {"headers": {"If-Match": "no-quotes"}}, 400),
        ("GET", "/get", {"headers": {"X-Lab-Fault": "explode"}}, 400),
    ],
)
def test_other_problems_are_localized(lab, method, path, kwargs, status):
    headers = {**kwargs.pop("headers", {}), **FR}
    exchange = lab.send(method, path, headers=headers, **kwargs)
    assert exchange.status == status
    assert_french(exchange)


def test_json_patch_errors_read_in_one_language(lab):
    lab.send("PUT", ITEM, json={"tags": ["a"]})
    patch_type = {"Content-Type": "application/json-patch+json"}
    conflict = lab.send("PATCH", ITEM, json=[{"op": "remove", "path": "/nope"}], headers={**patch_type, **FR})
    assert conflict.status == 409
    assert assert_french(conflict) == (
        "Le patch ne peut pas s'appliquer à l'élément tel qu'il est maintenant : l'opération 1 : /nope n'existe pas."
    )
    malformed = lab.send("PATCH", ITEM, json=[{"op": "jump", "path": "/a"}], headers={**patch_type, **FR})
    assert malformed.status == 400
    assert "Le JSON Patch est mal formé : l'opération 1 a pour op 'jump'" in assert_french(malformed)
    english = lab.send("PATCH", ITEM, json=[{"op": "remove", "path": "/nope"}], headers=patch_type)
    assert english.json["detail"] == (
        "The patch cannot apply to the item as it is now: operation 1: /nope does not exist."
    )


def test_a_patch_that_makes_the_item_an_array_names_the_kind_in_french(lab):
    lab.send("PUT", ITEM, json={"a": 1})
    exchange = lab.send(
        "PATCH", ITEM, json=[{"op": "add", "path": "", "value": [1]}],
        headers={"Content-Type": "application/json-patch+json", **FR},
    )
    assert exchange.status == 422
    assert assert_french(exchange).startswith("Le patch ferait de l'élément un tableau JSON,")


def test_a_bad_file_name_is_one_french_sentence(lab):
    exchange = lab.send("PUT", "/lab/files/-dash.txt", content=b"x", headers=FR)
    assert exchange.status == 400
    detail = assert_french(exchange)
    assert "ne peut pas être un nom de fichier : il contient un caractère hors de l'ensemble autorisé" in detail
    assert "Un nom de fichier compte de 1 à 128 caractères" in detail


def test_a_head_problem_has_the_language_fields_and_no_content(lab):
    exchange = lab.send("HEAD", "/lab/items/42", headers=FR)
    assert exchange.status == 404 and exchange.response.body == b""
    assert exchange.response.headers["Content-Language"] == "fr"
    assert exchange.response.headers["Vary"] == "Accept-Language"


def test_a_flawed_labs_500_is_localized_too():
    with httplab.Lab(in_process=True, flaws=["delete-500"]) as lab:
        lab.send("PUT", ITEM, json={"name": "apple"})
        exchange = lab.send("DELETE", ITEM, headers=FR)
    assert exchange.status == 500
    assert exchange.json["detail"] == "Oups."
    assert exchange.response.headers["Content-Language"] == "fr"


# --------------------------------------------------------------------------- the state does not depend on the language

_SCRIPT = [
    ("POST", "/lab/items", {"json": {"name": "apple"}}),
    ("POST", "/lab/items", {"content": b"{", "headers": {"Content-Type": "application/json"}}),
    ("PUT", "/lab/items/pear", {"json": {"name": "pear"}}),
    ("PUT", "/lab/items/pear", {"json": {"name": "plum"}, "headers": {"If-Match": '"stale"'}}),
    ("PUT", "/lab/items/pear", {"json": {"name": "plum"}, "headers": {"If-None-Match": "*"}}),
    ("PATCH", "/lab/items/pear", {"json": [{"op": "test", "path": "/name", "value": "x"}],
                                  "headers": {"Content-Type": "application/json-patch+json"}}),
    ("DELETE", "/lab/items/1", {}),
    ("DELETE", "/lab/items/1", {}),
    ("PATCH", "/lab/settings", {"json": {"require_precondition": True}}),
    ("PUT", "/lab/items/pear", {"json": {"name": "fig"}}),
    ("PUT", "/lab/files/a.txt", {"content": b"hello"}),
    ("PUT", "/lab/files/a.txt", {"content": b"again", "headers": {"If-None-Match": "*"}}),
]


def _run(accept_language: str) -> tuple[list[int], dict[str, object]]:
    with httplab.Lab(in_process=True) as lab:
        statuses = []
        for method, path, options in _SCRIPT:
            headers = {**options.get("headers", {}), "Accept-Language": accept_language}
            rest = {key: value for key, value in options.items() if key != "headers"}
            statuses.append(lab.send(method, path, headers=headers, **rest).status)
        return statuses, lab.state()


def test_the_language_changes_no_status_and_no_state():
    english, french = _run("en"), _run("fr")
    assert english == french
    assert english[0] == [201, 400, 201, 412, 412, 409, 204, 404, 200, 428, 201, 412]


# --------------------------------------------------------------------------- the server's own refusals


def _head_and_detail(reply: bytes) -> tuple[str, str]:
    head, _, body = reply.partition(b"\r\n\r\n")
    return head.decode("latin-1"), httpx.Response(200, content=body).json()["detail"]


@pytest.mark.socket
def test_a_refusal_before_any_header_is_read_is_in_the_kits_language(socket_lab):
    head, detail = _head_and_detail(send_raw(socket_lab, b"NOT HTTP AT ALL\r\n\r\n", finish_writing=True))
    assert head.startswith("HTTP/1.1 400 ")
    assert "\r\nContent-Language: en\r\n" in head and "\r\nVary: Accept-Language\r\n" in head
    assert detail.startswith("The request line is not valid HTTP/1.1.")
    with language("fr"):
        head, detail = _head_and_detail(send_raw(socket_lab, b"NOT HTTP AT ALL\r\n\r\n", finish_writing=True))
    assert "\r\nContent-Language: fr\r\n" in head
    assert detail.startswith("La ligne de requête n'est pas du HTTP/1.1 valide.")


@pytest.mark.socket
def test_a_refusal_after_the_header_section_follows_accept_language(socket_lab):
    request = (
        b"POST /lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: fr-CA, en;q=0.5\r\n"
        b"Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n"
    )
    head, detail = _head_and_detail(send_raw(socket_lab, request, finish_writing=True))
    assert head.startswith("HTTP/1.1 413 ")
    assert "\r\nContent-Language: fr\r\n" in head
    assert detail.startswith("Le contenu de la requête dépasse ")
    assert english_words(prose(detail)) == []


@pytest.mark.socket
def test_a_refusal_on_a_kept_alive_connection_forgets_the_last_requests_language(socket_lab):
    first = b"GET /lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: fr\r\n\r\n"
    reply = send_raw(socket_lab, first + b"NOT HTTP AT ALL\r\n\r\n", finish_writing=True)
    assert reply.startswith(b"HTTP/1.1 200 ")
    assert b"\r\nContent-Language: en\r\n" in reply.split(b"\r\n\r\n", 2)[1]


@pytest.mark.socket
def test_an_application_failure_answers_in_the_requests_language():
    def app(environ, start_response):
        raise RuntimeError("a secret the client must not see")

    server = LabServer(app)
    try:
        with httpx.Client(base_url=server.url, timeout=5) as client:
            failed = client.get("/fail", headers=FR)
    finally:
        server.stop()
    assert failed.status_code == 500
    assert failed.headers["Content-Language"] == "fr"
    detail = failed.json()["detail"]
    assert detail.startswith("L'application du labo a échoué sur GET /fail.")
    assert "'httplab.server'" in detail and "secret" not in detail


@pytest.mark.socket
def test_concurrent_requests_each_get_their_own_language(socket_lab):
    def fetch(index: int) -> tuple[str, str]:
        code = "fr" if index % 2 else "en"
        exchange = socket_lab.send("GET", f"/lab/items/n{index}", headers={"Accept-Language": code})
        return code, exchange.response.headers["Content-Language"] + " " + exchange.json["detail"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(fetch, range(40)))
    for code, answer in answers:
        expected = "fr Aucun élément à" if code == "fr" else "en No item at"
        assert answer.startswith(expected), answer


# --------------------------------------------------------------------------- late text inside late text


def test_late_text_in_a_field_is_read_in_the_language_of_the_whole():
    with pytest.raises(PatchConflict) as caught:
        apply_json_patch({"a": [1]}, [{"op": "add", "path": "/a/5", "value": 2}])
    detail = caught.value.detail
    assert str(detail) == "operation 1: index 5 is out of range (the array has 1 elements)."
    assert in_language(detail, "fr") == "l'opération 1 : l'indice 5 est hors limites (taille du tableau : 1)."
    from httplab.i18n import L_

    whole = L_("The patch cannot be applied: {problem}", problem=detail)
    assert in_language(whole, "fr").startswith("Le patch ne peut pas être appliqué : l'opération 1 : l'indice 5")
    assert in_language(whole, "en").startswith("The patch cannot be applied: operation 1: index 5")
    with language("fr"):
        assert str(whole).startswith("Le patch ne peut pas être appliqué : l'opération 1")
