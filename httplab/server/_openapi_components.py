"""The components of the lab's OpenAPI description: the schemas, parameters and headers its paths refer to."""

from __future__ import annotations

from typing import Any

from httplab.i18n import LANGUAGES

__all__ = ["COMPONENTS"]

#: ``*`` or a comma-separated list of entity tags, each quoted and maybe weak (RFC 9110 §13.1.1, §8.8.3).
_ETAG_LIST = r'^[ \t]*(\*|(W/)?"[\x21\x23-\x7e]*"([ \t]*,[ \t]*(W/)?"[\x21\x23-\x7e]*")*)[ \t]*$'


def _entity_tag_header(name: str, meaning: str) -> dict[str, Any]:
    schema = {"type": "string", "pattern": _ETAG_LIST}
    return {"name": name, "in": "header", "required": False, "description": meaning, "schema": schema}


#: The document's components: every schema, parameter and header the paths refer to.
COMPONENTS: dict[str, Any] = {
    "schemas": {
        "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details; detail says what was wrong and how to fix it.",
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": {"type": "string"},
            },
            "required": ["type", "title", "status", "detail"],
        },
        "Item": {
            "type": "object",
            "description": (
                "Any JSON object. POST and PUT store its bytes exactly as sent, so GET returns them and the "
                "ETag is theirs; a patched item is stored in the lab's own JSON layout."
            ),
        },
        "ItemEntry": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "href": {"type": "string"},
                "etag": {"type": "string", "pattern": '^"[0-9a-f]{16}"$'},
                "data": {"$ref": "#/components/schemas/Item"},
            },
            "required": ["id", "href", "etag", "data"],
        },
        "FileEntry": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "href": {"type": "string"},
                "size": {"type": "integer", "minimum": 0},
                "media_type": {"type": "string"},
                "etag": {"type": "string", "pattern": '^"[0-9a-f]{16}"$'},
            },
            "required": ["name", "href", "size", "media_type", "etag"],
        },
        "MergePatch": {"description": "A JSON Merge Patch (RFC 7396): members set to null are removed."},
        "JSONPatch": {
            "type": "array",
            "description": "A JSON Patch (RFC 6902), applied all-or-nothing.",
            "items": {
                "type": "object",
                "properties": {
                    "op": {"enum": ["add", "remove", "replace", "move", "copy", "test"]},
                    "path": {"type": "string"},
                    "from": {"type": "string"},
                    "value": {},
                },
                "required": ["op", "path"],
            },
        },
        "Settings": {
            "type": "object",
            "properties": {"require_precondition": {"type": "boolean"}},
            "required": ["require_precondition"],
            "additionalProperties": False,
        },
        "SettingsPatch": {
            "type": "object",
            "properties": {"require_precondition": {"type": ["boolean", "null"]}},
            "additionalProperties": False,
        },
        "State": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/ItemEntry"}},
                "files": {"type": "array", "items": {"$ref": "#/components/schemas/FileEntry"}},
                "requests": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
                "settings": {"$ref": "#/components/schemas/Settings"},
            },
            "required": ["items", "requests", "settings"],
        },
        "Index": {
            "type": "object",
            "properties": {
                "about": {"type": "string"},
                "routes": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "required": ["about", "routes"],
        },
    },
    "parameters": {
        "ItemId": {
            "name": "id",
            "in": "path",
            "required": True,
            "description": "1 to 64 letters, digits, '.', '_', '~' or '-', starting with a letter or digit.",
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._~-]{0,63}$"},
        },
        "FileName": {
            "name": "name",
            "in": "path",
            "required": True,
            "description": "1 to 128 letters, digits, '.', '_', '~' or '-', starting with a letter or digit, no '..'.",
            "schema": {"type": "string", "pattern": "^(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$"},
        },
        "AcceptLanguage": {
            "name": "Accept-Language",
            "in": "header",
            "required": False,
            "description": (
                "The language of a problem's detail (RFC 9110 §12.5.4): en or fr, fr-CA counting as fr. Without "
                "it, or when it accepts neither, the lab's own language (English unless the kit was set to French)."
            ),
            "schema": {"type": "string"},
        },
        "IfMatch": _entity_tag_header("If-Match", "Only if the current ETag is one of these (strong comparison)."),
        "IfNoneMatch": _entity_tag_header("If-None-Match", "Only if the current ETag is none of these; * = absent."),
        "IdempotencyKey": {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": (
                "IETF httpapi draft, not an RFC. A repeat with the same key replays the first response without "
                "a second effect; the lab marks a replay with Idempotent-Replayed: true, a header of its own."
            ),
            "schema": {"type": "string", "minLength": 1, "maxLength": 255},
        },
    },
    "headers": {
        "ETag": {"description": "A strong, quoted entity tag.", "schema": {"type": "string"}},
        "Location": {"description": "Where the new resource is.", "required": True, "schema": {"type": "string"}},
        "Allow": {"description": "The methods the resource supports.", "required": True, "schema": {"type": "string"}},
        "ContentLanguage": {
            "description": "The language of the problem's detail.",
            "required": True,
            "schema": {"type": "string", "enum": sorted(LANGUAGES)},
        },
        "VaryAcceptLanguage": {
            "description": "Accept-Language: another request may get the detail in another language.",
            "required": True,
            "schema": {"type": "string", "pattern": "[Aa]ccept-[Ll]anguage"},
        },
    },
}
