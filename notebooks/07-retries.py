# %% [markdown]
# # 07 · Retries, lost responses and `Idempotency-Key`
#
# **In this lesson (about 30 minutes) you will:**
# - lose a response on purpose and see why the client cannot know what happened;
# - predict what a retried POST does, and learn what RFC 9110 says about automatic retries;
# - watch real libraries (requests, urllib3, httpx, and a model of Go's rule) meet the same lost response, and see
#   why you must check what **your** library does;
# - see a retried PUT undo another client's write, and `If-Match` prevent it;
# - retry a **conditional** PATCH and find out, with a GET, whose write its `412` was about;
# - make a POST harmless to retry with an `Idempotency-Key`.

# %%
import uuid

import httplab

lab = httplab.start()
lab.reset()

# %% [markdown]
# ## 1. A lost response
#
# Networks fail. Sometimes a request reaches the server, the server does the work — and the response never makes it
# back. The lab can simulate exactly that: a request carrying `X-Lab-Fault: drop-response` is applied, and then the
# connection is closed without a response. (`X-Lab-Fault` is this lab's own header, for teaching.)

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
# ## 2. Retry a lost POST?
#
# Suppose the client simply sends the POST again.
#
# **Predict first.** How many orders will the lab hold?

# %%
guess_no_key = httplab.predict("07-lost-post-no-key")
guess_no_key

# %% [markdown]
# Now fire. `retry_after_lost_response` starts from an empty lab, sends the request with the fault, then follows a
# retry policy; `"always"` resends whatever the method:

# %%
no_key = lab.retry_after_lost_response("POST", "/lab/items", retry="always", json={"order": "tea"})
guess_no_key.reveal(no_key)

# %%
no_key

# %% [markdown]
# Retrying the POST **duplicated the order**.
#
# ### What RFC 9110 says about automatic retries
#
# Idempotent methods are singled out because their requests can be repeated automatically when the connection fails
# before the client could read the response (RFC 9110 §9.2.2). For the other methods:
#
# - a client **SHOULD NOT** automatically retry a request with a non-idempotent method, **unless** it knows the
#   request is idempotent in effect (whatever its method), **or** it can detect that the original request was never
#   applied;
# - a proxy **MUST NOT** automatically retry non-idempotent requests;
# - a client **SHOULD NOT** automatically retry a failed automatic retry.
#
# The RFC itself notes that some clients take the riskier path anyway.

# %% [markdown]
# ## 3. What real libraries do: watch them
#
# The RFC leaves room, so libraries choose. Rather than take anyone's word for it, hand the same lost response to real
# client libraries, installed in this kernel:
#
# - **requests**, with its defaults;
# - **urllib3**, with its default `Retry`;
# - **httpx**, with `HTTPTransport(retries=3)`;
# - **`"go"`**: a model of Go's net/http replay rule, written for this kit and sent with httpx. It is **not Go
#   itself**: it follows Go's rule of replaying a request that failed on a connection it had already used, when the
#   method is GET, HEAD, OPTIONS or TRACE, or the request carries `Idempotency-Key` or `X-Idempotency-Key`.
#
# Each one first sends a GET, so that the request goes over a connection it already used (the case Go's rule is
# about). The request carries `X-Lab-Fault: drop-response; times=1; id=…`: the lab applies the first attempt and
# closes the connection without a response; a retry carries the same header and gets an answer. The lab's own request
# counts say how many attempts reached the server.
#
# **Predict first.** How many of the four send the lost POST a second time?

# %%
guess_libraries = httplab.predict("07-libraries-lost-post")
guess_libraries

# %% [markdown]
# Now fire: every request of the method board, lost once, with each of the four.

# %%
from httplab.experiments import compare_clients

libraries = compare_clients(lab, clients=("requests", "urllib3", "httpx", "go"))
guess_libraries.reveal(libraries)

# %%
libraries

# %% [markdown]
# Each cell says how many times the server received the request, then what the program saw: a status, or the
# exception the library raised. Read it row by row:
#
# - Where a library did not retry, the program got an **error for a request the server had applied**: the order was
#   placed, and the program was told "failed".
# - The libraries **disagree**: urllib3 retries a lost PUT and DELETE; Go's rule does not (PUT and DELETE are not in
#   its list), but it does replay a GET; requests and httpx retry none of them.
#
# Where do these rules come from? From each library's own settings. Read them here, for the versions in this kernel:

# %%
import requests.adapters
from urllib3.util import Retry

print("requests retries by default:", requests.adapters.DEFAULT_RETRIES)
print("urllib3's default:", Retry.DEFAULT)
print("urllib3 retries a lost response for:", sorted(Retry.DEFAULT_ALLOWED_METHODS))

# %% [markdown]
# One setting changes everything. urllib3 with `allowed_methods=None` retries a lost response **whatever the
# method**:

# %%
any_method = lab.retry_after_lost_response("POST", "/lab/items", client="urllib3-any-method", json={"order": "tea"})
print(any_method.received, "attempts;", len(any_method.final["items"]), "orders")

# %% [markdown]
# Two orders: that setting ignores RFC 9110's SHOULD NOT for non-idempotent methods. Other clients you cannot run
# here differ again: with `HTTPAdapter(max_retries=3)`, requests retries read errors for idempotent methods, although
# its docstring says it never retries once data reached the server; Go also replays any method when nothing was
# written; browsers have resent POSTs after a reset keep-alive connection.
#
# So: **check what your library does**, with your version and your settings, before you rely on it. And not retrying
# is no answer either: the program reports an error for an order that **was** placed. Section 6 shows how to make the
# retry harmless.

# %% [markdown]
# ## 4. Retried PUT and DELETE
#
# urllib3 retries a lost PUT and a lost DELETE. What does the retry do?

# %%
lab.retry_after_lost_response("PUT", "/lab/items/order-1", client="urllib3", json={"order": "tea"})

# %%
lab.retry_after_lost_response(
    "DELETE", "/lab/items/order-1", client="urllib3",
    setup=[("PUT", "/lab/items/order-1", {"json": {"order": "tea"}})],
)

# %% [markdown]
# The retried PUT changed nothing more. The retried DELETE answered **404**: the order is gone, as asked. Most likely
# the lost first attempt deleted it (here the state shows it did), but a 404 alone does not say who deleted it.
#
# ### When someone else writes in between
#
# Idempotent means one request or many leave the same state — if nobody else writes. Let another client write
# between the lost attempt and urllib3's retry.
#
# **Predict first.** What does the note hold at the end?

# %%
guess_other = httplab.predict("07-retried-put-other-write")
guess_other

# %% [markdown]
# Now fire. `other_write=` is the other client's request, sent after the lost attempt and before the retry:

# %%
original = ("PUT", "/lab/items/note", {"json": {"text": "original"}})
theirs = ("PUT", "/lab/items/note", {"json": {"text": "theirs"}})
overwritten = lab.retry_after_lost_response(
    "PUT", "/lab/items/note", client="urllib3", json={"text": "mine"}, setup=[original], other_write=theirs
)
guess_other.reveal(overwritten)

# %%
overwritten

# %% [markdown]
# The retry undid the other client's write, and nobody was told. Retrying even an idempotent request can do that.
# The cure is a conditional request: send `If-Match` with the ETag you read (`if_match=True` reads it for you, after
# the setup). The lost first attempt still applies; the retry's ETag is stale, so it gets `412` and changes nothing:

# %%
guarded = lab.retry_after_lost_response(
    "PUT", "/lab/items/note", client="urllib3", json={"text": "mine"}, setup=[original], other_write=theirs,
    if_match=True,
)
print(guarded.client_saw, "|", guarded.final["items"][0]["data"])

# %% [markdown]
# "theirs" is kept. But the program now holds a `412` for a write that was in fact applied, then replaced by someone
# else's: a 412 does not say whose write moved the ETag. GET the item to find out before deciding anything (section 5
# does exactly that).

# %% [markdown]
# ## 5. A retried PATCH
#
# PATCH is "neither safe nor idempotent" (RFC 5789 §2). An appending JSON Patch, retried, appends twice:

# %%
lab.retry_after_lost_response(
    "PATCH", "/lab/items/cart", retry="always",
    json=[{"op": "add", "path": "/lines/-", "value": "tea"}],
    headers={"Content-Type": "application/json-patch+json"},
    setup=[("PUT", "/lab/items/cart", {"json": {"lines": []}})],
)

# %% [markdown]
# RFC 5789 §2 says clients SHOULD make a PATCH **conditional**: send `If-Match` with the ETag you read. Then a
# retry can notice that the item moved on. Do it by hand, with real requests. First read the cart and its ETag:

# %%
lab.reset()
lab.send("PUT", "/lab/items/cart", json={"lines": []})
read = lab.send("GET", "/lab/items/cart")
etag = read.response.headers["ETag"]
read.json, etag

# %% [markdown]
# **Predict first.** The conditional PATCH is applied but its response is lost; the client retries it with the same
# `If-Match`. What does the retry get?

# %%
guess_patch = httplab.predict("07-conditional-patch-retry")
guess_patch

# %% [markdown]
# Now fire: the first attempt (response lost), then the retry.

# %%
append_tea = [{"op": "add", "path": "/lines/-", "value": "tea"}]
conditional = {"Content-Type": "application/json-patch+json", "If-Match": etag}
try:
    lab.send("PATCH", "/lab/items/cart", json=append_tea, headers={**conditional, "X-Lab-Fault": "drop-response"})
except httplab.NoResponseError as error:
    print("first attempt:", error)
retry = lab.send("PATCH", "/lab/items/cart", json=append_tea, headers=conditional)
guess_patch.reveal(retry)

# %%
print(retry.status_text, "—", retry.json["detail"])

# %% [markdown]
# The retry changed nothing: tea was not appended twice. But what does the `412` tell the client? Only that the
# cart's ETag is no longer the one it sent. It does **not** say whose write moved it: the client's own lost attempt,
# or another client's change. The only way to know is to read the cart again:

# %%
lab.send("GET", "/lab/items/cart").json

# %% [markdown]
# One `tea`, and nobody else uses this lab: the ETag moved because the client's own lost attempt was applied, and
# there is nothing more to do. Had the GET shown someone else's change instead, the client would apply its change to
# that version and send it with the new ETag.
#
# `412` is this lab's answer. RFC 9110 §13.1.1 also allows a server that can tell the requested change was already
# applied to answer with a **2xx** instead. After a `412`, the client must GET before it decides anything more.

# %% [markdown]
# ## 6. Making a POST harmless to retry: `Idempotency-Key`
#
# An IETF **draft** (not an RFC, and not part of HTTP itself) defines the `Idempotency-Key` header: the client
# sends a unique key with the request; the server remembers the key with the first response; a repeat with the same
# key gets **the first response replayed**, with no second effect.
#
# The key must identify **one operation**: make it once (a random UUID), store it with the order, and send the same
# key on every attempt. The draft writes the value as a quoted string.

# %%
key = f'"{uuid.uuid4()}"'
key

# %% [markdown]
# **Predict first.** The same lost POST, retried once, but both attempts carry this key. How many orders?

# %%
guess_key = httplab.predict("07-lost-post-with-key")
guess_key

# %% [markdown]
# Now fire:

# %%
with_key = lab.retry_after_lost_response(
    "POST", "/lab/items", retry="always", idempotency_key=key, json={"order": "tea"}
)
guess_key.reveal(with_key)

# %%
with_key

# %% [markdown]
# One order, however often it is retried. Two more rules from the draft, tried on the lab with a new key for a new
# order:

# %%
lab.reset()
order_key = {"Idempotency-Key": f'"{uuid.uuid4()}"'}
print(lab.send("POST", "/lab/items", json={"order": "tea"}, headers=order_key).status_text)
replay = lab.send("POST", "/lab/items", json={"order": "tea"}, headers=order_key)
print(replay.status_text, "| Idempotent-Replayed:", replay.response.headers.get("Idempotent-Replayed"))
reused = lab.send("POST", "/lab/items", json={"order": "coffee"}, headers=order_key)
print(reused.status_text, "—", reused.json["detail"])

# %% [markdown]
# - the same key with the same content → the first response, replayed. (The lab marks a replay with its own header
#   `Idempotent-Replayed: true`; that header is **not** part of the draft.)
# - the same key with a **different payload** → `422`: a key identifies one request, not one customer;
# - a repeat while the first request is **still in progress** → `409`.
#
# More from the draft: a server that requires a key answers `400` without one; keys expire after a while; and a
# general client cannot assume a server honours the header at all. Guessable keys such as `order-42` leak and
# collide with other people's orders: use random ones.

# %% [markdown]
# ## 7. The Retry Lab
#
# Choose who retries: the lab's own client by a retry policy (never, idempotent methods only, always), or one of
# the real libraries with its defaults.

# %%
from httplab.widgets import RetryLab

RetryLab(lab)

# %% [markdown]
# ## 8. Practise
#
# - [An order that is harmless to retry](exercises/03-safe-order.ipynb): placing the same order twice must create
#   one item.
# - [A client that retries with an Idempotency-Key](exercises/09-idempotent-retry.ipynb): one key per order, reused on
#   every attempt.

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
# - RFC 9110 §9.2.2: a client **SHOULD NOT** automatically retry a non-idempotent request unless it knows the request
#   is idempotent in effect or can detect that the original was never applied; a proxy **MUST NOT**.
# - Real libraries differ, and you watched them: requests and httpx did not retry the lost requests, urllib3 retried
#   the idempotent ones, Go's rule replays GET, HEAD, OPTIONS, TRACE and requests with `Idempotency-Key`, and one
#   setting (`allowed_methods=None`) makes urllib3 resend a POST. **Check what your library does.**
# - Retrying even an idempotent PUT can undo another client's write made in between; with `If-Match` the retry gets
#   `412` instead, and a GET tells you what happened.
# - A retried POST can duplicate. A retried PUT or DELETE leaves the state one request leaves; a DELETE retry's 404
#   most likely means your first attempt did it. A retried PATCH may do its work twice.
# - A conditional PATCH (`If-Match`) retried after a lost response gets `412` here (or a 2xx from a server that can
#   tell the change was already applied). A 412 does not say whose write moved the ETag: **GET to find out**.
# - `Idempotency-Key` (an IETF draft) makes a POST harmless to retry: one random key per operation, reused on every
#   attempt; same key → first response replayed; same key, different payload → 422; still in progress → 409.
#
# **Next:** [08 · Conditional requests and lost updates](08-conditional-requests.ipynb).
