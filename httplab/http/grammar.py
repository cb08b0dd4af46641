"""The pieces of RFC 9110's grammar that the lab checks in more than one place."""

from __future__ import annotations

import re

from httplab.i18n import N_

#: A token (RFC 9110 section 5.6.2): what method names and header field names are made of.
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
TOKEN_BYTES = re.compile(TOKEN.pattern.encode())

#: A control character other than HTAB, which a field value may not hold (RFC 9110 section 5.5).
FIELD_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
FIELD_CONTROL_BYTES = re.compile(FIELD_CONTROL.pattern.encode())

#: What Python's JSON parser says went wrong (``json.JSONDecodeError.msg``), marked for the catalogues: the lab's
#: problem details and the Playground's form both show it, translated, after "Invalid JSON at line 1, column 7:".
JSON_MISTAKES = frozenset(
    {
        # Translators: Python's JSON parser's words, shown after "Invalid JSON at line 1, column 7:".
        N_("Expecting value"),
        N_("Expecting property name enclosed in double quotes"),
        N_("Expecting ':' delimiter"),
        N_("Expecting ',' delimiter"),
        N_("Unterminated string starting at"),
        N_("Invalid control character at"),
        N_("Invalid \\escape"),
        N_("Invalid \\uXXXX escape"),
        N_("Extra data"),
        N_("Illegal trailing comma before end of object"),
        N_("Illegal trailing comma before end of array"),
    }
)
