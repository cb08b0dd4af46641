# %% [markdown]
# # Cheat sheet: HTTP methods on one page
#
# Everything here is also in `docs/cheat-sheet.md`, which prints on one page. Three cells ask the lab to show
# a fact from the sheet: run them with **Shift+Enter**.
#
# **Safe** = the client asks for no state change (logs and hit counters are allowed). **Idempotent** = the
# intended effect on the server of N identical requests is the same as of one. Both are promises of the *method*
# (RFC 9110 §9.2), kept or broken by the server. Sections are RFC 9110's unless another RFC is named.
#
# | Method | Safe | Idempotent | Cacheable | Request content | Success | Typical errors | Source |
# |---|---|---|---|---|---|---|---|
# | GET | yes | yes | yes | no defined meaning | 200; 304 conditional; 206 range | 404, 406, 410 | §9.3.1 |
# | HEAD | yes | yes | yes | as GET | as GET, without content | as GET | §9.3.2 |
# | OPTIONS | yes | yes | no | rarely used | 200/204 + `Allow` | 404 | §9.3.7 |
# | TRACE | yes | yes | no | none allowed | 200, echoes the request | 405 (often off) | §9.3.8 |
# | POST | no | no | no¹ | processed by the resource's rules | 201 + `Location` (created); 200, 202, 204, 303 | 400, 409, 415, 422 | §9.3.3 |
# | PUT | no | yes | no | the complete new state | 201 created (MUST); 200/204 replaced | 400, 409, 412, 415, 428 | §9.3.4 |
# | PATCH | no | no² | no¹ | a patch document (own media type) | 200 + new state; 204; 201 created | 400, 404, 409, 412, 415, 422 | RFC 5789 §2 |
# | DELETE | no | yes | no | no defined meaning | 204; 200 + status; 202 accepted for later | 404 (already gone), 405, 409, 412 | §9.3.5 |
#
# ¹ In practice. Only with explicit freshness and a `Content-Location` equal to the target URI, and then only for a later
# GET/HEAD (§9.3.3). "Cacheable" means a cache *may* store a response, not that it will.
#
# ² "Neither safe nor idempotent" (RFC 5789 §2): a proxy MUST NOT and a generic client SHOULD NOT repeat a PATCH on its
# own. A *particular* patch may be idempotent **in effect**: a merge patch that sets values (RFC 7396) gives the same
# state twice; a JSON Patch that appends to `/tags/-` (RFC 6902) adds again every time.

# %% [markdown]
# Idempotent is about state, not responses: the same PUT twice, then the same DELETE twice. The responses
# differ; the state after the second call is the state after the first.

# %%
import httplab

lab = httplab.start()
lab.reset()
for method in ("PUT", "PUT", "DELETE", "DELETE"):
    content = {"json": {"name": "pear"}} if method == "PUT" else {}
    reply = lab.send(method, "/lab/items/pear", **content)
    print(f"{method:6} → {reply.status_text:16} items afterwards: {[item['id'] for item in lab.state()['items']]}")

# %% [markdown]
# ## Status codes to know
#
# | Code | Meaning | Code | Meaning |
# |---|---|---|---|
# | 201 | created; `Location` names the new resource | 409 | conflicts with the resource's current state |
# | 204 | done, no content to send back | 412 | a precondition was false; nothing changed |
# | 304 | your copy is current (conditional GET/HEAD) | 415 | media type not accepted (PATCH: see `Accept-Patch`) |
# | 404 | nothing here (after a DELETE: the goal) | 422 | well-formed, but cannot be processed |
# | 405 | known method, not supported here; see `Allow` | 428 | a precondition is required (RFC 6585 §3) |
# | 501 | the method is not recognised at all (§9.1) | | |

# %% [markdown]
# A known method the resource does not support, then a method nobody knows:

# %%
lab.send("PUT", "/lab/items/apple", json={"name": "apple"})
refused = lab.send("POST", "/lab/items/apple", json={})
print(refused.status_text, "| Allow:", refused.response.headers["Allow"])
print(lab.send("BREW", "/lab/items").status_text)

# %% [markdown]
# ## Preconditions, in the order of §13.2.2
#
# `If-Match` (strong comparison) → else `If-Unmodified-Since` → `If-None-Match` (weak comparison) → else, for GET/HEAD
# only, `If-Modified-Since`. False `If-Match` or `If-Unmodified-Since` → **412**; false `If-None-Match` → **304** on
# GET/HEAD, **412** otherwise; false `If-Modified-Since` → **304**. Conditions count only when the answer without them
# would be 2xx or 412 (§13.2.1): `DELETE` + `If-Match` on a missing item → 404. `If-None-Match: *` on PUT = create only if absent.

# %% [markdown]
# Preconditions: a current ETag on GET, a stale one on PUT, and a condition on something that is not there:

# %%
etag = lab.send("GET", "/lab/items/apple").response.headers["ETag"]
checks = [
    ("GET    with If-None-Match: the current ETag", "GET", "/lab/items/apple", {"If-None-Match": etag}),
    ('PUT    with If-Match: "stale"', "PUT", "/lab/items/apple", {"If-Match": '"stale"'}),
    ("DELETE with If-Match, of an item not there", "DELETE", "/lab/items/nothing", {"If-Match": etag}),
]
for label, method, path, headers in checks:
    content = {"json": {"name": "pear"}} if method == "PUT" else {}
    print(f"{label:44} → {lab.send(method, path, headers=headers, **content).status_text}")

# %% [markdown]
# ## The core truths
#
# 1. **Idempotent is about state, not responses** (§9.2.2): PUT 201 then 204, DELETE 204 then 404 — both idempotent.
# 2. **Safe describes a method** (§9.2.1): say "state unchanged" of an observation, "harmless to retry" of a retry.
# 3. **PUT asks for full replacement** at a URI the client picks; **POST asks the resource to process** (§9.3.3–4).
# 4. **PATCH is not idempotent as a method** (RFC 5789 §2); a particular patch can be idempotent in effect.
# 5. **Lost update**: without `If-Match` the second writer silently overwrites; with it, the second gets 412.
# 6. **Lost response**: the client cannot know if it was applied; don't auto-retry non-idempotent requests (§9.2.2).
# 7. **`Idempotency-Key`** (IETF draft): same key → first response replayed; other payload → 422; in progress → 409.
# 8. A PUT response carries an `ETag` only when the stored representation is exactly what was sent (§9.3.4).
