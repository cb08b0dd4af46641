"""An OpenAPI 3.1 description of the lab's resource API, served at ``GET /lab/openapi.json``.

It covers the items, the state snapshot, reset, the settings and the files, with every
status code each operation can answer and the schema of every JSON body, so a tool such
as Schemathesis can generate requests from it and check each response against it.
"""

from __future__ import annotations

import copy
from typing import Any

from httplab.server._openapi_components import COMPONENTS
from httplab.server._wsgi import JSON, MAX_BODY_BYTES, PROBLEM_JSON

__all__ = ["openapi_document"]

MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"

_PROBLEM = {"$ref": "#/components/schemas/Problem"}
_ETAG = {"$ref": "#/components/headers/ETag"}
_LOCATION = {"$ref": "#/components/headers/Location"}
_ALLOW = {"$ref": "#/components/headers/Allow"}
#: Every problem+json answer says which language its detail is in, and that it depends on Accept-Language.
_PROBLEM_HEADERS = {
    "Content-Language": {"$ref": "#/components/headers/ContentLanguage"},
    "Vary": {"$ref": "#/components/headers/VaryAcceptLanguage"},
}
_ACCEPT_LANGUAGE = {"$ref": "#/components/parameters/AcceptLanguage"}

_WHY = {
    304: "Not Modified: on GET or HEAD, If-None-Match lists the current ETag (on other methods that is 412).",
    400: "Bad Request: malformed JSON, a malformed header field or an invalid name.",
    404: "Not Found: nothing is there.",
    409: "Conflict: the patch cannot apply to the item as it is now, or an Idempotency-Key is in flight.",
    412: (
        "Precondition Failed: If-Match does not hold, or If-None-Match does not hold on a method other than "
        "GET or HEAD (RFC 9110 §13.2.2); nothing was changed."
    ),
    413: "Content Too Large: more than 1 MiB of content.",
    415: "Unsupported Media Type: see the operation's request body for what is accepted.",
    422: "Unprocessable Content: well-formed, but not something the lab can store.",
    428: (
        "Precondition Required (RFC 6585 §3): the lab's require_precondition switch is on and no If-Match or "
        "If-None-Match was sent."
    ),
    507: "Insufficient Storage: the store is full.",
}


def _problems(*codes: int) -> dict[str, Any]:
    """Return problem+json responses for *codes* (304 has no content)."""
    responses: dict[str, Any] = {}
    for code in codes:
        if code == 304:
            responses["304"] = {"description": _WHY[304], "headers": {"ETag": _ETAG}}
        else:
            responses[str(code)] = {
                "description": _WHY[code],
                "headers": dict(_PROBLEM_HEADERS),
                "content": {PROBLEM_JSON: {"schema": _PROBLEM}},
            }
    return responses


def _json(schema: dict[str, Any], description: str, **headers: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {JSON: {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _options(allow: str, *path_parameters: str) -> dict[str, Any]:
    # OPTIONS answers for any name in the path, valid or not: its parameters accept any text.
    return {
        "summary": "List the methods this resource supports",
        "parameters": [{"name": name, "in": "path", "required": True, "schema": {}} for name in path_parameters],
        "responses": {"204": {"description": f"No Content, with Allow: {allow}.", "headers": {"Allow": _ALLOW}}},
    }


def _head(get: dict[str, Any]) -> dict[str, Any]:
    """Return the HEAD twin of a GET operation: the same status codes, no content.

    RFC 9110 §9.3.2 says a server SHOULD send the header fields a GET would (it MAY leave some
    out, Content-Length among them); the lab sends them all.
    """
    responses = {}
    for code, response in get["responses"].items():
        responses[code] = {key: value for key, value in response.items() if key != "content"}
    head = {key: value for key, value in get.items() if key != "responses"}
    head["summary"] = "Like GET, without the content (RFC 9110 §9.3.2)"
    head["responses"] = responses
    return head


_CONDITIONS = [
    {"$ref": "#/components/parameters/IfMatch"},
    {"$ref": "#/components/parameters/IfNoneMatch"},
]
_ON_ITEM = [{"$ref": "#/components/parameters/ItemId"}, *_CONDITIONS]
_ON_FILE = [{"$ref": "#/components/parameters/FileName"}, *_CONDITIONS]


def _items_paths() -> dict[str, Any]:
    entries = {"type": "array", "items": {"$ref": "#/components/schemas/ItemEntry"}}
    list_items = {
        "summary": "List every item",
        "parameters": _CONDITIONS,
        "responses": {"200": _json(entries, "The list.", ETag=_ETAG), **_problems(304, 400, 412)},
    }
    create = {
        "summary": "Create an item at a URI the server chooses (not idempotent)",
        "parameters": [*_CONDITIONS, {"$ref": "#/components/parameters/IdempotencyKey"}],
        "requestBody": {"required": True, "content": {JSON: {"schema": {"$ref": "#/components/schemas/Item"}}}},
        "responses": {
            "201": _json({"$ref": "#/components/schemas/Item"}, "Created.", Location=_LOCATION, ETag=_ETAG),
            **_problems(400, 409, 412, 413, 415, 422, 507),
        },
    }
    read = {
        "summary": "Read one item",
        "parameters": _ON_ITEM,
        "responses": {
            "200": _json({"$ref": "#/components/schemas/Item"}, "The item.", ETag=_ETAG),
            **_problems(304, 400, 404, 412),
        },
    }
    replace = {
        "summary": "Replace the whole item, or create it at this URI (idempotent)",
        "parameters": _ON_ITEM,
        "requestBody": {"required": True, "content": {JSON: {"schema": {"$ref": "#/components/schemas/Item"}}}},
        "responses": {
            "201": _json({"$ref": "#/components/schemas/Item"}, "Created.", Location=_LOCATION, ETag=_ETAG),
            "204": {"description": "Replaced.", "headers": {"ETag": _ETAG}},
            **_problems(400, 412, 413, 415, 422, 428, 507),
        },
    }
    patch = {
        "summary": "Change part of the item with a merge patch or a JSON Patch (PATCH is not idempotent)",
        "description": (
            "RFC 5789 §2 defines PATCH as neither safe nor idempotent, so a proxy MUST NOT and a generic client "
            "SHOULD NOT repeat it automatically. A particular patch can be idempotent in effect: a merge patch "
            "that sets values gives the same item twice, a JSON Patch that appends to a list does not. A patch "
            "that changes nothing leaves the item and its ETag as they were."
        ),
        "parameters": _ON_ITEM,
        "requestBody": {
            "required": True,
            "content": {
                MERGE_PATCH: {"schema": {"$ref": "#/components/schemas/MergePatch"}},
                JSON_PATCH: {"schema": {"$ref": "#/components/schemas/JSONPatch"}},
            },
        },
        "responses": {
            "200": _json({"$ref": "#/components/schemas/Item"}, "The patched item.", ETag=_ETAG),
            **_problems(400, 404, 409, 412, 413, 415, 422, 428),
        },
    }
    delete = {
        "summary": "Delete the item (idempotent: a second DELETE's 404 is not a failure)",
        "parameters": _ON_ITEM,
        "responses": {"204": {"description": "Deleted."}, **_problems(400, 404, 412, 428)},
    }
    return {
        "/items": {
            "get": list_items,
            "head": _head(list_items),
            "post": create,
            "options": _options("GET, HEAD, POST, OPTIONS"),
        },
        "/items/{id}": {
            "get": read,
            "head": _head(read),
            "put": replace,
            "patch": patch,
            "delete": delete,
            "options": _options("GET, HEAD, PUT, PATCH, DELETE, OPTIONS", "id"),
        },
    }


def _lab_paths() -> dict[str, Any]:
    state = {
        "summary": "Snapshot every item, file, request count and setting",
        "responses": {"200": _json({"$ref": "#/components/schemas/State"}, "The state (never cached).")},
    }
    settings = {
        "summary": "Read the lab's switches",
        "responses": {"200": _json({"$ref": "#/components/schemas/Settings"}, "The settings.")},
    }
    change = {
        "summary": "Change the lab's switches with a merge patch",
        "requestBody": {
            "required": True,
            "content": {
                MERGE_PATCH: {"schema": {"$ref": "#/components/schemas/SettingsPatch"}},
                JSON: {"schema": {"$ref": "#/components/schemas/SettingsPatch"}},
            },
        },
        "responses": {
            "200": _json({"$ref": "#/components/schemas/Settings"}, "The new settings."),
            **_problems(400, 413, 415, 422),
        },
    }
    index = {
        "summary": "Describe the lab's routes",
        "responses": {"200": _json({"$ref": "#/components/schemas/Index"}, "What each route does.")},
    }
    document = {
        "summary": "This OpenAPI description",
        "responses": {"200": _json({"type": "object"}, "An OpenAPI 3.1 document.")},
    }
    return {
        "/": {"get": index, "head": _head(index), "options": _options("GET, HEAD, OPTIONS")},
        "/state": {"get": state, "head": _head(state), "options": _options("GET, HEAD, OPTIONS")},
        "/reset": {
            "post": {"summary": "Empty the store and restore the starting settings",
                     "responses": {"204": {"description": "Emptied."}}},
            "options": _options("POST, OPTIONS"),
        },
        "/settings": {
            "get": settings,
            "head": _head(settings),
            "patch": change,
            "options": _options("GET, HEAD, PATCH, OPTIONS"),
        },
        "/openapi.json": {"get": document, "head": _head(document), "options": _options("GET, HEAD, OPTIONS")},
    }


def _files_paths() -> dict[str, Any]:
    listing = {
        "summary": "List the files (names, sizes, media types, ETags; never the bytes)",
        "parameters": _CONDITIONS,
        "responses": {
            "200": _json({"type": "array", "items": {"$ref": "#/components/schemas/FileEntry"}}, "The list.",
                         ETag=_ETAG),
            **_problems(304, 400, 412),
        },
    }
    upload = {
        "summary": "Upload files as a form; each file part becomes a new file (not idempotent)",
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        # A part's content is bytes whatever it looks like, so it has no JSON type.
                        "properties": {"file": {"contentMediaType": "application/octet-stream"}},
                        "required": ["file"],
                    },
                },
            },
        },
        "responses": {
            "201": _json(
                {
                    "type": "object",
                    "properties": {"created": {"type": "array", "items": {"$ref": "#/components/schemas/FileEntry"},
                                               "minItems": 1}},
                    "required": ["created"],
                },
                "Created; Location names the first new file.",
                Location=_LOCATION,
            ),
            **_problems(400, 413, 415, 422, 507),
        },
    }
    read = {
        "summary": "Download the file's bytes with its stored media type",
        "parameters": _ON_FILE,
        "responses": {
            "200": {
                "description": "The bytes.",
                "headers": {"ETag": _ETAG},
                "content": {"*/*": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}},
            },
            **_problems(304, 400, 404, 412),
        },
    }
    store = {
        "summary": "Store the raw content under this name (idempotent)",
        "parameters": _ON_FILE,
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                "contentMediaType": "application/octet-stream"}}},
        },
        "responses": {
            "201": _json({"$ref": "#/components/schemas/FileEntry"}, "Created.", Location=_LOCATION, ETag=_ETAG),
            "204": {"description": "Replaced.", "headers": {"ETag": _ETAG}},
            **_problems(400, 412, 413, 507),
        },
    }
    delete = {
        "summary": "Delete the file",
        "parameters": _ON_FILE,
        "responses": {"204": {"description": "Deleted."}, **_problems(400, 404, 412)},
    }
    return {
        "/files": {
            "get": listing,
            "head": _head(listing),
            "post": upload,
            "options": _options("GET, HEAD, POST, OPTIONS"),
        },
        "/files/{name}": {
            "get": read,
            "head": _head(read),
            "put": store,
            "delete": delete,
            "options": _options("GET, HEAD, PUT, DELETE, OPTIONS", "name"),
        },
    }


def openapi_document(prefix: str = "/lab") -> dict[str, Any]:
    """Return the OpenAPI 3.1 description of the lab API mounted at *prefix*.

    Parameters
    ----------
    prefix
        Where the API is mounted; it becomes the document's only server URL.

    Returns
    -------
    dict
        A fresh JSON-serialisable document (callers may change it freely).

    Examples
    --------
    >>> document = openapi_document()
    >>> document["openapi"], document["servers"][0]["url"]
    ('3.1.0', '/lab')
    >>> sorted(document["paths"])[:3]
    ['/', '/files', '/files/{name}']

    """
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "httplab resource API",
            "version": "1",
            "description": (
                "The lab's stateful resources: items (POST, PUT, PATCH, DELETE, conditional requests, "
                "Idempotency-Key), a state snapshot, reset, settings and files. Errors are RFC 9457 "
                "problem details; their detail is in English or French, as the request's Accept-Language asks "
                "(RFC 9110 §12.5.4), and Content-Language names it (the title stays the reason phrase). "
                f"A request carries at most {MAX_BODY_BYTES:,} bytes of content. "
                "Known methods a resource does not support answer 405 with Allow; unknown methods 501."
            ),
        },
        "servers": [{"url": prefix or "/"}],
        "paths": {
            path: {"parameters": [_ACCEPT_LANGUAGE], **operations}
            for path, operations in {**_lab_paths(), **_items_paths(), **_files_paths()}.items()
        },
        "components": copy.deepcopy(COMPONENTS),
    }
