"""The pieces of RFC 9110's grammar that the lab checks in more than one place."""

from __future__ import annotations

import re

#: A token (RFC 9110 section 5.6.2): what method names and header field names are made of.
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
TOKEN_BYTES = re.compile(TOKEN.pattern.encode())

#: A control character other than HTAB, which a field value may not hold (RFC 9110 section 5.5).
FIELD_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
FIELD_CONTROL_BYTES = re.compile(FIELD_CONTROL.pattern.encode())
