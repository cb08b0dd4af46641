"""A learner's audit of a mystery lab, written with the kit's experiments only: a right one and a typical wrong one.

The right one is the same audit as the solution of exercise 11 (notebooks/exercises/solutions/11-audit.py).
"""

from __future__ import annotations

import re

ITEM = "/lab/items/probe"
MERGE = {"Content-Type": "application/merge-patch+json"}


def _put(lab, body, **headers):
    return lab.send("PUT", ITEM, json=body, headers=headers)


def _fresh(lab, body):
    lab.reset()
    return _put(lab, body)


def audit(lab):
    found = {}
    run = lab.repeat("GET", ITEM, setup=[("PUT", ITEM, {"json": {"name": "pear"}})])
    if run.broken_promise:
        found["get-counts-views"] = "RFC 9110 §9.2.1"
    run = lab.repeat("PUT", "/lab/items/new", times=2, json={"name": "pear", "tags": ["ripe"]})
    if run.statuses[0] == 200 and run.observation.changed_by_call[0]:
        found["put-create-200"] = "RFC 9110 §9.3.4"
    if run.broken_promise:
        found["put-appends"] = "RFC 9110 §9.2.2"
    if lab.repeat("PUT", ITEM, json={"name": "pear"}).unusual_but_allowed:
        found["put-stamps-updated-at"] = "allowed"
    _fresh(lab, {"name": "pear", "color": "green"})
    _put(lab, {"name": "pear"})
    if "color" in lab.state()["items"][0]["data"]:
        found["put-merges"] = "RFC 9110 §9.3.4"
    run = lab.repeat("DELETE", ITEM, setup=[("PUT", ITEM, {"json": {"name": "pear"}})])
    if run.misleading_statuses:
        found["delete-500"] = "RFC 9110 §15.6.1"
    if lab.repeat("DELETE", "/lab/items/never-there", times=2).unusual_but_allowed:
        found["delete-missing-204"] = "allowed"
    if "Location" not in lab.send("POST", "/lab/items", json={"name": "pear"}).response.headers:
        found["post-no-location"] = "RFC 9110 §9.3.3"
    if _put(lab, {"name": "plum"}, **{"If-Match": '"not-the-etag"'}).ok:
        found["if-match-ignored"] = "RFC 9110 §13.1.1"
    refused = lab.send("POST", ITEM, json={})
    if refused.status == 405 and "Allow" not in refused.response.headers:
        found["405-without-allow"] = "RFC 9110 §15.5.6"
    if lab.send("BREW", "/lab/items").status != 501:
        found["unknown-method-200"] = "RFC 9110 §9.1"
    _fresh(lab, {"name": "pear"})
    get, head = lab.send("GET", ITEM).response.headers, lab.send("HEAD", ITEM).response.headers
    if ("ETag" in get) != ("ETag" in head) or get.get("Content-Type") != head.get("Content-Type"):
        found["head-differs"] = "RFC 9110 §9.3.2"
    tag = get.get("ETag") or ""
    if not re.fullmatch(r'(W/)?"[^"]*"', tag):
        found["etag-unquoted"] = "RFC 9110 §8.8.3"
    if tag.startswith("W/") and _put(lab, {"name": "plum"}, **{"If-Match": tag}).ok:
        found["weak-etag-if-match"] = "RFC 9110 §13.1.1"
    return found


def accusing_audit(lab):
    """A typical mistake: anything odd is a fault, the lawful oddities included."""
    found = audit(lab)
    return {flaw: "RFC 9110 §9.2.2" if verdict == "allowed" else verdict for flaw, verdict in found.items()}
