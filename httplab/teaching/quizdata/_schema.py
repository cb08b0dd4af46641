"""The schema of a quiz bank, as code: which keys each kind of question takes, checked in pure Python.

Every check returns problems in words a bank author can act on; :func:`bank_problems` collects
them all so one run shows everything that is wrong with a file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from httplab.http.grammar import TOKEN

__all__ = ["KINDS", "MISCONCEPTIONS", "Kind", "bank_problems", "is_number", "parse_number"]

Kind = Literal["single", "multiple", "numeric", "text", "predict"]
KINDS: tuple[Kind, ...] = ("single", "multiple", "numeric", "text", "predict")

#: The misconceptions every lesson set confronts, as HTTP_SEMANTICS.md lists them; questions tag them by key.
MISCONCEPTIONS: Mapping[str, str] = {
    "idempotent-means-same-response": "idempotent = same response",
    "safe-means-no-side-effects": "safe = no side effects at all",
    "safe-means-secure": "safe = secure",
    "idempotent-means-safe": "idempotent = safe",
    "post-creates-put-updates": "POST creates, PUT updates",
    "post-always-changes-state": "POST always changes state",
    "idempotent-patch-makes-patch-idempotent": "a PATCH that happens to be idempotent makes PATCH an idempotent method",
    "idempotent-means-byte-identical": "idempotent = byte-identical state",
    "client-error-means-edit-request": "4xx = edit the request",
    "server-error-means-nothing-happened": "5xx = nothing happened",
    "options-only-for-allow": "OPTIONS is only for Allow",
    "html-forms-send-put-delete": "HTML forms can send PUT/DELETE",
    "redirects-302-307-same": "302 and 307 are the same",
    "protocol-enforces-semantics": "the protocol enforces semantics",
    "second-delete-404-is-failure": "second DELETE's 404 = failure",
    "idempotent-means-concurrency-safe": "idempotent = safe under concurrency",
    "retrying-always-fine": "retrying is always fine",
    "post-never-retried": "POST is never retried",
    "head-content-length-zero": "HEAD has Content-Length: 0",
    "cacheable-means-cached": "cacheable = will be cached",
    "put-partial-update": "PUT with some fields updates only those",
    "idempotency-key-is-http": "Idempotency-Key is part of HTTP",
    "get-body-fine": "a body on GET is fine",
}

_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_MAX_TIMES = 10
_COMMON_KEYS = {"id", "type", "prompt", "explanation", "misconceptions"}
_KIND_KEYS: dict[str, tuple[set[str], set[str]]] = {  # kind: (required, optional) beyond the common keys
    "single": ({"options"}, set()),
    "multiple": ({"options"}, set()),
    "numeric": ({"answers"}, {"tolerance", "wrong_answers", "hint"}),
    "text": ({"answers"}, {"wrong_answers", "hint"}),
    "predict": ({"observe", "request", "times"}, {"setup", "count_of", "also_right"}),
}
_OPTION_KEYS = {"id", "text", "correct", "explanation"}
_STATUS = re.compile(r"[1-5][0-9][0-9]")
_REQUEST_KEYS = {"method", "path", "json", "content", "headers"}


def bank_problems(raw: Any, stem: str) -> list[str]:
    """Return every problem with a bank file's parsed JSON; an empty list means it is valid.

    Parameters
    ----------
    raw
        The parsed JSON of the file.
    stem
        The file's name without ``.json``, which the bank's ``"bank"`` member must repeat.

    Examples
    --------
    >>> bank_problems({"bank": "x", "title": "X", "questions": []}, "x")
    ["'questions' must be a non-empty list"]

    """
    if not isinstance(raw, dict):
        return ["the file must hold a JSON object with 'bank', 'title' and 'questions'"]
    problems = [f"unknown top-level key {key!r} (allowed: bank, title, questions)"
                for key in sorted(set(raw) - {"bank", "title", "questions"})]
    if raw.get("bank") != stem:
        problems.append(f"'bank' must be {stem!r}, the file's name without .json; it is {raw.get('bank')!r}")
    if not _text(raw.get("title")):
        problems.append("'title' must be a non-empty string")
    questions = raw.get("questions")
    if not isinstance(questions, list) or not questions:
        return [*problems, "'questions' must be a non-empty list"]
    seen: set[str] = set()
    for index, item in enumerate(questions, 1):
        qid = item.get("id") if isinstance(item, dict) else None
        label = f"question {qid!r}" if isinstance(qid, str) else f"question #{index}"
        problems += [f"{label}: {problem}" for problem in _question_problems(item, seen)]
        if isinstance(qid, str):
            seen.add(qid)
    return problems


def _question_problems(item: Any, seen: set[str]) -> list[str]:
    if not isinstance(item, dict):
        return ["must be a JSON object"]
    problems: list[str] = []
    qid, kind = item.get("id"), item.get("type")
    if not isinstance(qid, str) or not _ID.fullmatch(qid):
        problems.append("'id' must be lower-case letters, digits and '-' (up to 64), like 'put-creates'")
    elif qid in seen:
        problems.append("this id is used twice in the bank; every question needs its own")
    if kind not in _KIND_KEYS:
        return [*problems, f"'type' must be one of {', '.join(KINDS)}; it is {kind!r}"]
    required, optional = _KIND_KEYS[kind]
    for key in sorted((_COMMON_KEYS | required) - set(item)):
        problems.append(f"a {kind} question needs {key!r}")
    for key in sorted(set(item) - _COMMON_KEYS - required - optional):
        why = " (the server is the answer key; a predict question holds only the requests)" if kind == "predict" else ""
        problems.append(f"unknown key {key!r} for a {kind} question{why}")
    for key in ("prompt", "explanation"):
        if key in item and not _text(item[key]):
            problems.append(f"{key!r} must be a non-empty string")
    tags = item.get("misconceptions", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        problems.append("'misconceptions' must be a list of misconception keys")
    else:
        problems += [f"unknown misconception {tag!r} (known: {', '.join(MISCONCEPTIONS)})" for tag in tags
                     if tag not in MISCONCEPTIONS]
    if kind in ("single", "multiple"):
        problems += _option_problems(item.get("options"), kind)
    elif kind == "numeric":
        problems += _answer_problems(item, number=True)
        tolerance = item.get("tolerance", 0)
        if not is_number(tolerance) or tolerance < 0:
            problems.append("'tolerance' must be a number of at least 0")
    elif kind == "text":
        problems += _answer_problems(item, number=False)
    else:
        problems += _predict_problems(item)
    if "hint" in item and not _text(item["hint"]):
        problems.append("'hint' must be a non-empty string")
    return problems


def _option_problems(options: Any, kind: str) -> list[str]:
    if not isinstance(options, list) or len(options) < 2:
        return ["'options' must list at least 2 options"]
    problems: list[str] = []
    ids: set[str] = set()
    for number, option in enumerate(options, 1):
        if not isinstance(option, dict) or set(option) != _OPTION_KEYS:
            problems.append(f"option #{number} must have exactly the keys id, text, correct, explanation")
            continue
        if not isinstance(option["id"], str) or not _ID.fullmatch(option["id"]) or option["id"] in ids:
            problems.append(f"option #{number} needs a unique id of lower-case letters and digits, like 'a'")
        ids.add(str(option["id"]))
        if not isinstance(option["correct"], bool):
            problems.append(f"option #{number}: 'correct' must be true or false")
        if not _text(option["text"]) or not _text(option["explanation"]):
            problems.append(f"option #{number}: 'text' and 'explanation' must be non-empty strings")
    right = sum(1 for option in options if isinstance(option, dict) and option.get("correct") is True)
    if kind == "single" and right != 1:
        problems.append(f"a single-choice question needs exactly 1 correct option; it has {right}")
    if kind == "multiple" and right < 1:
        problems.append("a multiple-choice question needs at least 1 correct option; it has none")
    return problems


def _answer_problems(item: dict[str, Any], *, number: bool) -> list[str]:
    problems: list[str] = []
    answers = item.get("answers")
    check = is_number if number else _text
    if not isinstance(answers, list) or not answers or not all(check(a) for a in answers):
        what = "numbers" if number else "non-empty strings"
        problems.append(f"'answers' must be a non-empty list of {what} (every accepted answer)")
    wrong = item.get("wrong_answers", {})
    if not isinstance(wrong, dict) or not all(_text(v) for v in wrong.values()):
        problems.append("'wrong_answers' must map an expected wrong answer to the explanation it deserves")
    elif number and not all(parse_number(k) is not None for k in wrong):
        problems.append("every key of 'wrong_answers' must be a number written as a string, like \"200\"")
    return problems


def _predict_problems(item: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if item.get("observe") not in ("statuses", "count"):
        problems.append("'observe' must be 'statuses' (the status of each call) or 'count' (how many after)")
    if "count_of" in item and (item.get("observe") != "count" or not str(item["count_of"]).startswith("/")):
        problems.append("'count_of' is a JSON pointer into the lab's state like '/items', and only for observe: count")
    if "also_right" in item:
        problems += _also_right_problems(item["also_right"], item.get("observe"))
    times = item.get("times")
    if not isinstance(times, int) or isinstance(times, bool) or not 1 <= times <= _MAX_TIMES:
        problems.append(f"'times' must be a whole number from 1 to {_MAX_TIMES}")
    setup = item.get("setup", [])
    if not isinstance(setup, list):
        problems.append("'setup' must be a list of requests")
        setup = []
    for number, spec in enumerate(setup, 1):
        problems += [f"setup request #{number}: {p}" for p in _request_problems(spec)]
    if "request" in item:
        problems += [f"request: {p}" for p in _request_problems(item["request"])]
    return problems


def _also_right_problems(also: Any, observe: Any) -> list[str]:
    """Check ``also_right``: for a status the lab answers, the other statuses the RFCs allow for that outcome."""
    shape = (
        "'also_right' maps a status the lab answers to the other statuses the RFCs allow for the same "
        'outcome, like {"204": [200]}'
    )
    if observe != "statuses":
        return ["'also_right' is only for observe: statuses (a count has one right answer)"]
    if not isinstance(also, dict) or not also:
        return [shape]
    problems: list[str] = []
    for key, others in also.items():
        if not _STATUS.fullmatch(str(key)):
            problems.append(f"{shape}; the key {key!r} is not a status code from 100 to 599")
            continue
        if (
            not isinstance(others, list)
            or not others
            or not all(isinstance(code, int) and not isinstance(code, bool) and 100 <= code <= 599 for code in others)
        ):
            problems.append(f"{shape}; the value for {key!r} must be a non-empty list of status codes (numbers)")
        elif int(key) in others or len(set(others)) != len(others):
            problems.append(f"'also_right' for {key!r} must list other statuses, each once (not {key} itself)")
    return problems


def _request_problems(spec: Any) -> list[str]:
    if not isinstance(spec, dict):
        return ["must be an object with 'method' and 'path'"]
    allowed = ", ".join(sorted(_REQUEST_KEYS))
    problems = [f"unknown key {key!r} (allowed: {allowed})" for key in sorted(set(spec) - _REQUEST_KEYS)]
    method = spec.get("method")
    if not isinstance(method, str) or not TOKEN.fullmatch(method) or method != method.upper():
        problems.append(f"'method' must be an upper-case method name like 'PUT'; it is {method!r}")
    if not isinstance(spec.get("path"), str) or not spec["path"].startswith("/"):
        problems.append("'path' must start with '/', like '/lab/items'")
    if "json" in spec and "content" in spec:
        problems.append("give 'json' or 'content', not both")
    if "content" in spec and not isinstance(spec["content"], str):
        problems.append("'content' must be a string")
    headers = spec.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        problems.append("'headers' must map header names to string values")
    return problems


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_number(value: Any) -> bool:
    """Tell whether *value* is an int or float (a bool is not a number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_number(text: Any) -> float | None:
    """Return *text* as a finite number, or None.

    >>> parse_number(" 201 ")
    201.0
    """
    try:
        value = float(str(text).strip())
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
