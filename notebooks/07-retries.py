# %% [markdown]
# # 07 · Retries, lost responses and `Idempotency-Key`
#
# **In this lesson (about 25 minutes) you will:**
# - lose a response on purpose and see why the client cannot know what happened;
# - retry with three policies — never, idempotent methods only, always — and see what the server ends up with;
# - make a POST safe to retry with an `Idempotency-Key`.

# %%
import httplab

lab = httplab.start()
lab.reset()

# %% [markdown]
# ## 1. A lost response
#
# Networks fail. Sometimes a request reaches the server, the server does the work — and the response never makes it
# back. The lab can simulate exactly that: a request carrying `X-Lab-Fault: drop-response` is applied, and then the
# connection is closed without a response.

# %%
try:
    lab.send("POST", "/lab/items", json={"order": "tea"}, headers={"X-Lab-Fault": "drop-response"})
except httplab.NoResponseError as error:
    print(error)

# %% [markdown]
# From the client's side, all it knows is "no response". Did the order go through? Only the server knows:

# %%
lab.state()["items"]

# %% [markdown]
# It did. A client that never saw the response **cannot know** whether the server applied the request.

# %% [markdown]
# ## 2. Should the client retry?
#
# RFC 9110 §9.2.2: because idempotent requests can be repeated without a different effect, a client *may* retry them
# automatically after a failure; a client **SHOULD NOT** automatically retry a non-idempotent request (unless it knows
# the request is idempotent some other way), and a proxy **MUST NOT**.
#
# Real clients follow this. urllib3's default retry policy retries read errors only for GET, HEAD, PUT, DELETE,
# OPTIONS and TRACE. httpx's `HTTPTransport(retries=N)` retries only when the connection could not be made — when
# the request was never sent at all.
#
# Let's try three policies on a lost POST:

# %%
for policy in ("never", "idempotent-only", "always"):
    result = lab.retry_after_lost_response("POST", "/lab/items", retry=policy, json={"order": "tea"})
    print(f"{policy:16} retried={result.retried!s:5}  duplicated={result.duplicated}")

# %%
lab.retry_after_lost_response("POST", "/lab/items", retry="always", json={"order": "tea"})

# %% [markdown]
# Retrying the POST **duplicated the order**. Now the same with PUT and DELETE:

# %%
lab.retry_after_lost_response("PUT", "/lab/items/order-1", retry="idempotent-only", json={"order": "tea"})

# %%
lab.retry_after_lost_response(
    "DELETE", "/lab/items/order-1", retry="idempotent-only", setup=[("PUT", "/lab/items/order-1", {"json": {"order": "tea"}})]
)

# %% [markdown]
# The retried PUT changed nothing more. The retried DELETE answered **404** — and that is a success: the first,
# lost attempt had already deleted the order.
#
# And a PATCH? It depends on the patch. An appending JSON Patch, retried, appends twice:

# %%
lab.retry_after_lost_response(
    "PATCH", "/lab/items/cart", retry="always",
    json=[{"op": "add", "path": "/lines/-", "value": "tea"}],
    headers={"Content-Type": "application/json-patch+json"},
    setup=[("PUT", "/lab/items/cart", {"json": {"lines": []}})],
)

# %% [markdown]
# A **conditional** PATCH makes such a retry harmless (RFC 5789 §2): with `If-Match`, the retry carries the old ETag,
# which no longer matches after the first attempt was applied, so the server answers 412 and changes nothing.

# %% [markdown]
# ## 3. Making POST safe to retry: `Idempotency-Key`
#
# An IETF **draft** (not yet an RFC, and not part of HTTP itself) defines the `Idempotency-Key` header: the client
# sends a unique key with the request; the server remembers the key with the first response; a repeat with the same
# key gets **the first response replayed**, with no second effect.

# %%
lab.retry_after_lost_response("POST", "/lab/items", retry="always", idempotency_key="order-7f3a", json={"order": "tea"})

# %% [markdown]
# One order, however often it is retried. Two more rules from the draft, tried on the lab:

# %%
lab.reset()
key = {"Idempotency-Key": "order-42"}
print(lab.send("POST", "/lab/items", json={"order": "tea"}, headers=key).status_text)
print(lab.send("POST", "/lab/items", json={"order": "tea"}, headers=key).response.headers.get("Idempotent-Replayed"))
reused = lab.send("POST", "/lab/items", json={"order": "coffee"}, headers=key)
print(reused.status_text, "—", reused.json["detail"])

# %% [markdown]
# - the same key with a **different payload** → `422`: a key identifies one request, not one customer;
# - a repeat while the first request is **still in progress** → `409` (try it in the Retry Lab with a slow server).
#
# The key must be the same for the *same* request: generate it once per order, not once per attempt.

# %% [markdown]
# ## 4. The Retry Lab

# %%
from httplab.widgets import RetryLab

RetryLab(lab)

# %% [markdown]
# ## Self-check
#
# Answer, press **Check**, read the explanation. Questions marked *predict* send real requests to a lab of their own
# and grade your prediction against what the server actually did.

# %%
httplab.quiz.Quiz("07-retries").show()

# %% [markdown]
# ## Recap
#
# - After a lost response, the client **cannot know** whether the server applied the request.
# - Clients **should not** automatically retry non-idempotent requests; proxies **must not**. urllib3 retries only
#   idempotent methods by default; httpx retries only failed connections.
# - A retried POST can duplicate; a retried PUT or DELETE cannot (a DELETE retry ending in 404 has succeeded); a
#   retried PATCH depends on the patch — `If-Match` makes it harmless.
# - `Idempotency-Key` (an IETF draft) makes POST safe to retry: same key → first response replayed; same key,
#   different payload → 422; still in progress → 409.
#
# **Next:** [08 · Conditional requests and lost updates](08-conditional-requests.ipynb).
