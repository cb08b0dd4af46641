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

# %% tags=["exercise"]
# Your code here

# %% [markdown]
# Try it on the scratch lab with `audit(lab)`, then run the checker (it finds your function in this notebook):

# %%
httplab.check("audit")
