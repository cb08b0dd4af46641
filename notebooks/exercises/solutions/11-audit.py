# %% [markdown]
# # Exercise 11 — Audit a mystery server
#
# A mystery lab breaks some rules of HTTP on purpose, and does one thing that only looks odd. Write `audit(lab)`
# that runs experiments on the lab it is given and returns what it found, as a dict:
#
# - for each rule the server breaks: the flaw's id → the RFC section of the rule, like `"RFC 9110 §9.2.1"`;
# - for each behaviour that is unusual but **allowed**: the flaw's id → `"allowed"`;
# - nothing for what you did not observe. Accusing a server of a flaw it does not have is a mistake too.
#
# The ids, titles and rules are in `httplab.http.flaws.FLAWS` (lesson 10 prints them). Use the kit's experiments:
# `lab.repeat(...)` (its `broken_promise`, `unusual_but_allowed` and `misleading_statuses`), `lab.send(...)`,
# `lab.state()`, `lab.reset()`.
#
# The checker runs your function on four mystery labs whose seeds it knows: together they plant every flaw of the
# catalogue. It wants every broken rule found and cited, and every lawful oddity named as allowed.
#
# <details><summary>Hint 1</summary>
#
# Go promise by promise: safe (does a GET change the state?), idempotent (do repeated PUTs and DELETEs leave the
# state of one call?), then the MUSTs and SHOULDs about status codes and header fields: 201 + `Location`, 405 +
# `Allow`, 501, `If-Match`, HEAD's header fields, the form of an ETag.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Flaws can hide one another. Start each probe from a known state (`lab.reset()` or a `setup=`), and probe a
# stamped `updated_at` with a body that holds no list.
#
# </details>

# %%
import re

import httplab
from httplab.http.flaws import FLAWS

lab = httplab.Lab(in_process=True, flaws="mystery", seed=101)
ITEM = "/lab/items/probe"

# %%
# Scratch cell: try experiments here, e.g. lab.repeat("GET", ITEM, setup=[("PUT", ITEM, {"json": {"name": "x"}})])

# %% tags=["solution"]
def audit(lab):
    found = {}

    def put(body, **headers):
        return lab.send("PUT", ITEM, json=body, headers=headers)

    # Safe: a GET must not change the resource (§9.2.1).
    if lab.repeat("GET", ITEM, setup=[("PUT", ITEM, {"json": {"name": "pear"}})]).broken_promise:
        found["get-counts-views"] = "RFC 9110 §9.2.1"
    # PUT: 201 when it creates (§9.3.4), and the state of one call after repeats (§9.2.2).
    run = lab.repeat("PUT", "/lab/items/new", times=2, json={"name": "pear", "tags": ["ripe"]})
    if run.observation.changed_by_call[0] and run.statuses[0] != 201:
        found["put-create-200"] = "RFC 9110 §9.3.4"
    if run.broken_promise:
        found["put-appends"] = "RFC 9110 §9.2.2"
    if lab.repeat("PUT", ITEM, json={"name": "pear"}).unusual_but_allowed:
        found["put-stamps-updated-at"] = "allowed"
    # PUT replaces: a field left out must not survive (§9.3.4).
    lab.reset()
    put({"name": "pear", "color": "green"})
    put({"name": "pear"})
    if "color" in lab.state()["items"][0]["data"]:
        found["put-merges"] = "RFC 9110 §9.3.4"
    # DELETE: a 5xx that did the work misleads (§15.6.1); 2xx for nothing there is allowed.
    if lab.repeat("DELETE", ITEM, setup=[("PUT", ITEM, {"json": {"name": "pear"}})]).misleading_statuses:
        found["delete-500"] = "RFC 9110 §15.6.1"
    if lab.repeat("DELETE", "/lab/items/never-there", times=2).unusual_but_allowed:
        found["delete-missing-204"] = "allowed"
    # POST that creates: 201 + Location (§9.3.3).
    if "Location" not in lab.send("POST", "/lab/items", json={"name": "pear"}).response.headers:
        found["post-no-location"] = "RFC 9110 §9.3.3"
    # A false If-Match must stop the write (§13.1.1).
    if put({"name": "plum"}, **{"If-Match": '"not-the-etag"'}).ok:
        found["if-match-ignored"] = "RFC 9110 §13.1.1"
    # 405 carries Allow (§15.5.6); an unknown method gets 501 (§9.1).
    refused = lab.send("POST", ITEM, json={})
    if refused.status == 405 and "Allow" not in refused.response.headers:
        found["405-without-allow"] = "RFC 9110 §15.5.6"
    if lab.send("BREW", "/lab/items").status != 501:
        found["unknown-method-200"] = "RFC 9110 §9.1"
    # HEAD sends GET's header fields (§9.3.2); an ETag is a quoted string (§8.8.3); If-Match compares strongly.
    lab.reset()
    put({"name": "pear"})
    get, head = lab.send("GET", ITEM).response.headers, lab.send("HEAD", ITEM).response.headers
    if ("ETag" in get) != ("ETag" in head) or get.get("Content-Type") != head.get("Content-Type"):
        found["head-differs"] = "RFC 9110 §9.3.2"
    tag = get.get("ETag") or ""
    if not re.fullmatch(r'(W/)?"[^"]*"', tag):
        found["etag-unquoted"] = "RFC 9110 §8.8.3"
    if tag.startswith("W/") and put({"name": "plum"}, **{"If-Match": tag}).ok:
        found["weak-etag-if-match"] = "RFC 9110 §13.1.1"
    return found

# %% [markdown]
# Try it on the scratch lab with `audit(lab)`, then run the checker (it finds your function in this notebook):

# %%
httplab.check("audit")
