# %% [markdown]
# # 01 · GET, HEAD, OPTIONS and safe methods
#
# **In this lesson (about 20 minutes) you will:**
# - read a resource with **GET**, ask for its header fields only with **HEAD**, and ask what it supports with
#   **OPTIONS**;
# - learn what **safe** means in HTTP — and what it does not mean;
# - predict, then observe, what repeating a GET does to the server's state.

# %%
import httplab

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "colour": "red"})

# %% [markdown]
# ## 1. GET: "send me the current representation"
#
# GET asks for a representation of the target resource (RFC 9110 §9.3.1). Any parameters belong in the URI (the
# query after `?`). Content in a GET request has **no generally defined meaning**: servers may ignore it, and some
# reject the request.

# %%
got = lab.send("GET", "/lab/items/apple")
got.status_text, got.json

# %% [markdown]
# The response carries an **ETag**, a tag for this exact version of the item. Lesson 08 puts it to work.

# %%
got.response.headers["ETag"]

# %% [markdown]
# GET on something that is not there answers `404 Not Found`:

# %%
lab.send("GET", "/lab/items/banana")

# %% [markdown]
# ## 2. HEAD: the same answer, without the content
#
# A HEAD request asks for what a GET would get, minus the content (RFC 9110 §9.3.2). The server answers with the
# same status, and it **should** send the same header fields a GET would get; it **may** leave out fields whose value
# it only learns while producing the content.
#
# `Content-Length` may be one of them: RFC 9110 §8.6 lets a server leave it out of a HEAD response. If the server
# does send one, it must be the length a GET's content would have — not a `0` standing for "this HEAD response has no
# content".

# %%
head = lab.send("HEAD", "/lab/items/apple")
print(head.status_text)
print("GET  Content-Length:", got.response.headers.get("Content-Length", "(not sent)"))
print("HEAD Content-Length:", head.response.headers.get("Content-Length", "(not sent)"))
print("HEAD content:", head.response.body)

# %% [markdown]
# This lab sends the same length for both. HEAD is handy for checking whether something exists, or whether it
# changed (compare the ETag), without downloading it.

# %% [markdown]
# ## 3. OPTIONS: "what can I do here?"
#
# OPTIONS asks about the communication options of a resource (RFC 9110 §9.3.7). The lab answers with an `Allow`
# header listing the methods this resource supports, and `Accept-Patch` listing the patch formats it understands
# (RFC 5789 §3.1):

# %%
options = lab.send("OPTIONS", "/lab/items/apple")
options.status_text, options.response.headers["Allow"], options.response.headers["Accept-Patch"]

# %% [markdown]
# **Predict first.** POST is not in that list. What will the item answer to one?

# %%
guess_post = httplab.predict("01-post-to-an-item")
guess_post

# %%
refused = lab.send("POST", "/lab/items/apple", json={})
guess_post.reveal(refused)

# %% [markdown]
# The `405` comes with the same `Allow` header, so the client learns what it *can* do:

# %%
refused.status_text, refused.response.headers["Allow"]

# %% [markdown]
# OPTIONS is not only a way to read `Allow`. Its best-known use today is the **CORS preflight**: before a script
# on one web site sends, say, a PUT to another site, the browser first sends an OPTIONS request naming the method it
# wants, and the server's `Access-Control-Allow-…` fields say whether the browser may go ahead. (CORS is defined by
# the WHATWG Fetch standard, not by RFC 9110.) httpbin answers preflights; here is one, sent by hand:

# %%
preflight = lab.send(
    "OPTIONS",
    "/anything",
    headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "PUT"},
)
preflight.status_text, preflight.response.headers["Access-Control-Allow-Methods"]

# %% [markdown]
# ## 4. Safe methods
#
# GET, HEAD, OPTIONS and TRACE are **safe** methods: the client asks for **no change of state** on the server
# (RFC 9110 §9.2.1). Safe is a property of the *method*, defined by the RFC.
#
# **TRACE** asks the server to echo back the request it received, for debugging (§9.3.8). It is safe too, but many
# servers switch it off, because an echo can reveal header fields such as cookies. The lab does:

# %%
trace = lab.send("TRACE", "/lab/items/apple")
trace.status_text, trace.response.headers["Allow"]

# %% [markdown]
# Does a safe method leave the state alone on *this* server? Let's check with the lab.
#
# **Predict first.**

# %%
guess = httplab.predict("01-safe-get-three")
guess

# %% [markdown]
# Now fire: GET the item three times, with a snapshot of the state before the first call and after each call
# (`reset=False` keeps our apple):

# %%
result = lab.repeat("GET", "/lab/items/apple", times=3, reset=False)
guess.reveal(result)

# %%
result

# %% [markdown]
# The state stayed the same. Note what the result says: "state unchanged" is an **observation** about this server,
# not a proof. That GET is safe is the method's definition; a server keeps it or breaks it, and nothing in the
# protocol can force it to.
#
# ### What "safe" does not mean
#
# - **Not "no side effects at all".** A server may log requests, count hits or charge for bandwidth on a GET; what
#   matters is that the client did not *ask* for a change (§9.2.1). The lab counts requests per method too — look:

# %%
lab.state()["requests"]

# %% [markdown]
# Those counters changed, but the **items** did not. Counters and logs are not the state the client asked about.
#
# - **Not "secure".** Safe says nothing about encryption, authentication or who may read the data.
# - **Not enforced.** A server *could* delete something when it receives `GET /delete?id=1`. RFC 9110 §9.2.1 says
#   that when a resource would perform an unsafe action, its owner **MUST** disable or disallow that action when it
#   is reached with a safe method — the rule binds whoever builds the server; HTTP itself cannot stop a badly built
#   one.
#
# Because safe methods ask for no change, crawlers and prefetchers can send them without fear of causing harm.
# GET and HEAD responses are also **cacheable**: a cache *may* store them — that does not mean every response is
# stored.

# %% [markdown]
# ## 5. Try it
#
# In the Playground, send `HEAD /get` and `GET /get` and compare the response header fields (the *Response headers*
# tab). Then send `OPTIONS /lab/items`: which methods does the *collection* allow, and which of them does the item
# `/lab/items/apple` not allow?

# %%
from httplab.widgets import Playground

Playground(lab)

# %% [markdown]
# **Exercise:** [7 · Which methods are allowed?](exercises/07-allowed-methods.ipynb) — ask resources with OPTIONS and
# read `Allow`.

# %% [markdown]
# ## Self-check
#
# Answer, press **Check**, read the explanation. Questions marked *predict* send real requests to a lab of their own
# and grade your prediction against what the server actually did.

# %%
httplab.quiz.Quiz("01-safe-methods").show()

# %% [markdown]
# ## Recap
#
# - **GET** asks for the current representation; parameters go in the URI; content on a GET has no generally
#   defined meaning.
# - **HEAD** answers with the same status as GET and normally the same header fields (a *should*), without content.
#   `Content-Length` may be absent; if present, it is the length a GET would send, not 0.
# - **OPTIONS** asks what a resource supports (`Allow`, `Accept-Patch`); browsers also use it for CORS preflights.
#   A method the resource does not support gets **405** with `Allow`.
# - **Safe** (GET, HEAD, OPTIONS, TRACE) = the client asks for no state change. It is a property of the method.
#   Logging and counting are allowed; safe ≠ secure; the server must keep it — the protocol cannot enforce it.
# - An observation says "state unchanged"; it supports the definition but cannot prove it.
# - Every safe method is also idempotent (lesson 03 explains what that means).
#
# **Next:** [02 · POST](02-post.ipynb).
