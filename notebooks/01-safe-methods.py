# %% [markdown]
# # 01 · GET, HEAD, OPTIONS and safe methods
#
# **In this lesson (about 20 minutes) you will:**
# - read a resource with **GET**, ask for its header fields only with **HEAD**, and ask what it allows with **OPTIONS**;
# - learn what **safe** means in HTTP — and what it does not mean;
# - repeat a safe request and *observe* that the server's state does not change.

# %%
import httplab

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "colour": "red"})

# %% [markdown]
# ## 1. GET: "send me the current representation"
#
# GET asks for a representation of the target resource. Any parameters belong in the URI (the query after `?`);
# content in a GET request has **no defined meaning** (RFC 9110 §9.3.1), so servers may ignore or reject it.

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
# A HEAD response has the **same status and header fields** a GET would have, and no content (RFC 9110 §9.3.2).
# So `Content-Length` is *not* 0: it tells how long the content of a GET would be.

# %%
head = lab.send("HEAD", "/lab/items/apple")
print(head.status_text)
print("GET  Content-Length:", got.response.headers["Content-Length"])
print("HEAD Content-Length:", head.response.headers["Content-Length"])
print("HEAD content:", head.response.body)

# %% [markdown]
# HEAD is handy for checking whether something exists, or whether it changed (compare the ETag), without downloading it.

# %% [markdown]
# ## 3. OPTIONS: "what can I do here?"
#
# OPTIONS asks about the communication options of a resource. The lab answers with an `Allow` header listing the
# methods this resource supports, and `Accept-Patch` listing the patch formats it understands:

# %%
options = lab.send("OPTIONS", "/lab/items/apple")
options.status_text, options.response.headers["Allow"], options.response.headers["Accept-Patch"]

# %% [markdown]
# A method the resource does not support gets `405 Method Not Allowed` — together with the same `Allow` header:

# %%
refused = lab.send("POST", "/lab/items/apple", json={})
refused.status_text, refused.response.headers["Allow"]

# %% [markdown]
# ## 4. Safe methods
#
# GET, HEAD and OPTIONS are **safe**: the client asks for **no change of state** on the server (RFC 9110 §9.2.1).
# Let's check that with the lab — send GET five times and compare the server's state after each call:

# %%
lab.repeat("GET", "/lab/items/apple", times=5, reset=False)

# %% [markdown]
# The state stayed the same. Note what the result says: an observation is **evidence about this server**, not a
# proof. Safe is a *promise* a server makes; nothing in the protocol enforces it.
#
# ### What "safe" does not mean
#
# - **Not "no side effects at all".** A server may log requests, count hits or charge for bandwidth on a GET; what
#   matters is that the client did not *ask* for a change. The lab counts requests per method too — look:

# %%
lab.state()["requests"]

# %% [markdown]
# Those counters changed, but the **items** did not. Counters and logs are not the state the client asked about.
#
# - **Not "secure".** Safe says nothing about encryption, authentication or who may read the data.
# - **Not enforced.** A server *could* delete something when it receives `GET /delete?id=1`. RFC 9110 §9.2.1 says
#   the resource owner **MUST** disallow such an unsafe action when it is reached with a safe method — the rule binds
#   the server's author; HTTP itself cannot stop a badly built server.
#
# Because safe methods ask for no change, crawlers, prefetchers and caches may send them freely.
# GET and HEAD responses are also **cacheable** — a cache *may* store them; that does not mean every response is
# cached.

# %% [markdown]
# ## 5. Try it
#
# In the Playground, send `HEAD /get` and `GET /get` and compare the header fields. Then send `OPTIONS /lab/items`:
# which methods does the *collection* allow?

# %%
from httplab.widgets import Playground

Playground(lab)

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
# - **GET** asks for the current representation; parameters go in the URI; content on a GET has no defined meaning.
# - **HEAD** answers with the same status and header fields as GET, without content — `Content-Length` is the
#   length a GET would send, not 0.
# - **OPTIONS** tells what a resource supports (`Allow`); a method outside that list gets **405** with `Allow`.
# - **Safe** = the client asks for no state change. Logging and counting are allowed; safe ≠ secure; the server
#   must keep the promise — the protocol cannot enforce it.
# - Every safe method is also idempotent (lesson 03 explains what that means).
#
# **Next:** [02 · POST](02-post.ipynb).
