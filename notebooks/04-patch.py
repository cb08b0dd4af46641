# %% [markdown]
# # 04 · PATCH: not an idempotent method, though some patches repeat harmlessly
#
# **In this lesson (about 25 minutes) you will:**
# - change part of an item with **PATCH**, using two patch formats: **JSON Merge Patch** and **JSON Patch**;
# - predict, then see, what repeating each one does: one repeats harmlessly and the other does not;
# - learn why the *method* PATCH is "neither safe nor idempotent" even though some patches are idempotent in effect;
# - see that a patch is applied all-or-nothing, and how a server says which patch formats it accepts.

# %%
import httplab

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "price": 3, "tags": ["fruit"]})

# %% [markdown]
# ## 1. PATCH sends *instructions*, not a new state
#
# PATCH asks the server to apply a **patch document** — a set of changes — to the resource (RFC 5789 §2). The patch
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
# Only the price changed; the name and tags survived. A successful PATCH may answer with any 2xx code: usually
# `200 OK` with the new representation (as here) or `204 No Content`. RFC 5789 prefers neither.

# %% [markdown]
# ## 2. A merge patch, repeated
#
# The next cell puts the apple back to `{"name": "apple", "price": 3, "tags": ["fruit"]}`, then sends the merge patch
# `{"price": 5}` three times, with a snapshot after every call.
#
# **Predict first.**

# %%
guess_merge = httplab.predict("04-patch-merge-three")
guess_merge

# %%
APPLE = [("PUT", "/lab/items/apple", {"json": {"name": "apple", "price": 3, "tags": ["fruit"]}})]

merged = lab.repeat("PATCH", "/lab/items/apple", times=3, json={"price": 5}, headers=MERGE, setup=APPLE)
guess_merge.reveal(merged)

# %%
merged

# %% [markdown]
# "Set the price to 5" three times leaves what once leaves: **this patch** is idempotent *in effect*.

# %% [markdown]
# ## 3. A JSON Patch that appends, repeated
#
# In JSON Patch, the path `/tags/-` means "after the last element of the `tags` array" (RFC 6902 §4.1): adding there
# appends. The next cell puts the apple back again and sends that patch three times.
#
# **Predict first.**

# %%
guess_append = httplab.predict("04-patch-append-three")
guess_append

# %%
append = [{"op": "add", "path": "/tags/-", "value": "red"}]
appended = lab.repeat("PATCH", "/lab/items/apple", times=3, json=append, headers=JSON_PATCH, setup=APPLE)
guess_append.reveal(appended)

# %%
appended

# %%
lab.send("GET", "/lab/items/apple").json["tags"]

# %% [markdown]
# Every call appended another `"red"`: **this patch** does something new each time. A patch that removes
# `/tags/0` would too — each call removes whatever is first *now*.

# %% [markdown]
# ## 4. So: is PATCH idempotent?
#
# **No.** RFC 5789 §2 says it plainly: PATCH is "neither safe nor idempotent". A page that says "PATCH is not
# idempotent" is right.
#
# How does that fit with the merge patch you just saw? Idempotency is a property of the **method**, because the
# method is usually all that a client, an HTTP library or a proxy goes by: they do not read a patch document to
# decide whether sending it twice is harmless. So RFC 9110 §9.2.2 applies to every PATCH: a proxy **must not** repeat
# one automatically, and a generic client **should not**, unless it knows this particular request is idempotent in
# effect or that the first attempt was never applied.
#
# A *particular* patch can still be idempotent **in effect**, like the merge patch that sets a price. That is useful
# to know about *your* request — and it does not make PATCH an idempotent method.
#
# RFC 5789 §2 adds a piece of advice: a client whose patch only makes sense from a known starting point (an append,
# "remove the first tag") **should** send it as a *conditional* request, with `If-Match` and the ETag it last saw, so
# the patch fails if the item has changed since. Lesson 07 shows, with a real request, what happens when such a
# conditional PATCH is retried after its response was lost: you will see what this lab answers, why a server could
# answer differently, and why the client must read the item again to know where it stands.

# %% [markdown]
# ## 5. All or nothing
#
# A patch is applied as a whole (RFC 5789 §2; RFC 6902 §5): if any operation fails, **nothing** changes. JSON
# Patch's `test` operation makes that useful. Suppose you read the apple when its price was 2, and you want to set
# it to 10 only if the price is still 2. Put a `test` in front of the `replace` — the price is 3 now, so the test
# fails:

# %%
before = lab.send("GET", "/lab/items/apple").json
guarded = [
    {"op": "test", "path": "/price", "value": 2},
    {"op": "replace", "path": "/price", "value": 10},
]
failed = lab.send("PATCH", "/lab/items/apple", json=guarded, headers=JSON_PATCH)
print(failed.status_text, "—", failed.json["detail"])
print("unchanged:", lab.send("GET", "/lab/items/apple").json == before)

# %% [markdown]
# `409 Conflict` says the patch cannot be applied to the item *as it is now* (RFC 5789 §2.2). A malformed patch
# gets `400 Bad Request`, and a patch that would leave the item in a shape the server does not accept gets
# `422 Unprocessable Content`.

# %% [markdown]
# ## 6. Which patch formats? Ask the server
#
# Some documentation says PATCH "is not available for some modules". HTTP has a precise way to say that: a resource
# that does not support PATCH answers **405 with an `Allow` header**; one that does support it lists the formats it
# accepts in **`Accept-Patch`** (RFC 5789 §3.1) — on OPTIONS, and also on a `415 Unsupported Media Type` when you
# send a format it does not know (§2.2):

# %%
wrong_type = lab.send("PATCH", "/lab/items/apple", json={"price": 1})  # plain application/json
print(wrong_type.status_text)
print("Accept-Patch:", wrong_type.response.headers["Accept-Patch"])
collection = lab.send("PATCH", "/lab/items", json={}, headers=MERGE)
print("collection:", collection.status_text, "— Allow:", collection.response.headers["Allow"])

# %% [markdown]
# ## 7. Explore
#
# In the Playground, choose **Method** `PATCH`, set **Content type** to *JSON Patch (application/json-patch+json)*
# and send `remove`, `move` and `copy` operations to `/lab/items/apple` — for example
# `[{"op": "copy", "from": "/name", "path": "/nickname"}]`. Send each one twice. Which of them leave the item as one
# call left it, and which keep changing it? What status does a second `remove` of the same member get, and why?

# %%
from httplab.widgets import Playground

Playground(lab)

# %% [markdown]
# **Exercise:** [2 · Change one field](exercises/02-change-one-field.ipynb) — rename an item without losing its other
# fields.

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
# - PATCH is **neither safe nor idempotent** (RFC 5789 §2). Proxies must not, and generic clients should not,
#   repeat a PATCH on their own.
# - A *particular* patch can be idempotent **in effect**: a merge patch that sets values repeats harmlessly; a JSON
#   Patch that appends (`/tags/-`) or removes `/tags/0` does something new every time. That never makes the method
#   idempotent.
# - A patch applies **all or nothing**; a failing `test` changes nothing (409 here).
# - Success: any 2xx, usually `200` with the new representation or `204`. Unknown format: `415` + `Accept-Patch`;
#   no PATCH at all: `405` + `Allow`.
# - A patch that needs a known starting point should be conditional (`If-Match`); lesson 07 retries one for real.
#
# **Next:** [05 · DELETE](05-delete.ipynb).
