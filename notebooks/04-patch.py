# %% [markdown]
# # 04 · PATCH: when it is idempotent, and when it is not
#
# **In this lesson (about 25 minutes) you will:**
# - change part of an item with **PATCH**, using two patch formats: **JSON Merge Patch** and **JSON Patch**;
# - repeat each and see that one repeats harmlessly and the other does not;
# - see that a patch is applied all-or-nothing, and how a server says which patch formats it accepts.

# %%
import httplab

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "price": 3, "tags": ["fruit"]})

# %% [markdown]
# ## 1. PATCH sends *instructions*, not a new state
#
# PATCH asks the server to apply a **patch document** — a set of changes — to the resource (RFC 5789). The patch
# has its own media type, which says how to read it. The lab accepts two:
#
# | Media type | Format | Looks like |
# |---|---|---|
# | `application/merge-patch+json` | JSON Merge Patch, RFC 7396 | `{"price": 4}` — the members to set (`null` removes one) |
# | `application/json-patch+json` | JSON Patch, RFC 6902 | `[{"op": "add", "path": "/tags/-", "value": "red"}]` — a list of operations |

# %%
MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}

patched = lab.send("PATCH", "/lab/items/apple", json={"price": 4}, headers=MERGE)
patched.status_text, patched.json

# %% [markdown]
# Only the price changed; the name and tags survived. A successful PATCH answers `200 OK` with the new
# representation (as here) or `204 No Content` — RFC 5789 prefers neither.

# %% [markdown]
# ## 2. A merge patch, repeated
#
# Send the same merge patch five times:

# %%
lab.repeat("PATCH", "/lab/items/apple", times=5, json={"price": 5}, headers=MERGE,
           setup=[("PUT", "/lab/items/apple", {"json": {"name": "apple", "price": 3, "tags": ["fruit"]}})])

# %% [markdown]
# "Set the price to 5" twice is the same as once: **this** PATCH is idempotent.

# %% [markdown]
# ## 3. A JSON Patch that appends, repeated
#
# In JSON Patch, the path `/tags/-` means "the end of the `tags` array". Adding there appends:

# %%
append = [{"op": "add", "path": "/tags/-", "value": "red"}]
appended = lab.repeat("PATCH", "/lab/items/apple", times=5, json=append, headers=JSON_PATCH,
                      setup=[("PUT", "/lab/items/apple", {"json": {"name": "apple", "price": 3, "tags": ["fruit"]}})])
appended

# %%
lab.send("GET", "/lab/items/apple").json["tags"]

# %% [markdown]
# Every call appended another `"red"`: **this** PATCH is not idempotent. Removing `/tags/0` would be the same —
# each call removes whatever is first *now*.
#
# So "PATCH is not idempotent" is imprecise. RFC 5789 §2 says PATCH is **not guaranteed** to be idempotent:
# some patches are, some are not. It depends on the patch, not on the method.

# %% [markdown]
# ## 4. All or nothing
#
# A JSON Patch is applied as a whole (RFC 6902 §5): if any operation fails, **nothing** changes. The `test`
# operation makes that useful — "only if the price is still 3, set it to 10":

# %%
before = lab.send("GET", "/lab/items/apple").json
guarded = [
    {"op": "test", "path": "/price", "value": 999},
    {"op": "replace", "path": "/price", "value": 10},
]
failed = lab.send("PATCH", "/lab/items/apple", json=guarded, headers=JSON_PATCH)
print(failed.status_text, "—", failed.json["detail"])
print("unchanged:", lab.send("GET", "/lab/items/apple").json == before)

# %% [markdown]
# `409 Conflict` says the patch could not be applied to the item *as it is now*. A malformed patch gets `400`,
# and a patch that would leave the item in a shape the server does not accept gets `422`.

# %% [markdown]
# ## 5. Which patch formats? Ask the server
#
# Some documentation says PATCH "is not available for some modules". HTTP has a precise way to say that: a resource
# that does not support PATCH answers **405 with an `Allow` header**; one that does support it lists the formats it
# accepts in **`Accept-Patch`** (RFC 5789 §3.1) — also on a `415` when you send a format it does not know:

# %%
wrong_type = lab.send("PATCH", "/lab/items/apple", json={"price": 1})  # plain application/json
print(wrong_type.status_text)
print("Accept-Patch:", wrong_type.response.headers["Accept-Patch"])
print("collection:", lab.send("PATCH", "/lab/items", json={}, headers=MERGE).status_text)

# %% [markdown]
# ## 6. Explore
#
# In the Playground, choose the body type "JSON Patch" and try `move`, `copy` and `remove` operations on
# `/lab/items/apple`. Which of them could be repeated harmlessly?

# %%
from httplab.widgets import Playground

Playground(lab)

# %% [markdown]
# ## Self-check
#
# Answer, press **Check**, read the explanation. Questions marked *predict* send real requests to a lab of their own
# and grade your prediction against what the server actually did.

# %%
httplab.quiz.Quiz("04-patch").show()

# %% [markdown]
# ## Recap
#
# - PATCH sends a **patch document** in a media type of its own: merge patch (RFC 7396) or JSON Patch (RFC 6902).
# - PATCH is **not guaranteed** idempotent: a merge patch that sets values repeats harmlessly; a JSON Patch that
#   appends (`/tags/-`) or removes `/tags/0` does something new every time.
# - A JSON Patch applies **all or nothing**; a failing `test` changes nothing (409).
# - Success: `200` with the new representation, or `204`. Unknown format: `415` + `Accept-Patch`; no PATCH at all:
#   `405` + `Allow`.
# - Lesson 07 shows how a conditional PATCH (`If-Match`) makes a retry harmless.
#
# **Next:** [05 · DELETE](05-delete.ipynb).
