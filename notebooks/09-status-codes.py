# %% [markdown]
# # 09 · Status codes and errors
#
# **In this lesson (about 20 minutes) you will:**
# - provoke the error codes you have met — 400, 404, 405, 409, 412, 413, 415, 422, 428, 501 — and read what each means;
# - tell "the method is not allowed here" (405) from "the method is unknown" (501);
# - use httpbin's `/status` endpoint to see any code you like.

# %%
import httplab

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "tags": []})

JSON_PATCH = {"Content-Type": "application/json-patch+json"}

# %% [markdown]
# ## 1. A tour of the error codes
#
# Each request below is wrong in one specific way. The lab answers with a **problem details** document
# (`application/problem+json`, RFC 9457) whose `detail` says what was wrong and what to do:

# %%
tour = [
    ("400 — malformed content", "POST", "/lab/items", {"content": '{"name": "pear",}', "headers": {"Content-Type": "application/json"}}),
    ("404 — nothing there", "GET", "/lab/items/banana", {}),
    ("405 — known method, not supported here", "DELETE", "/lab/items", {}),
    ("409 — patch conflicts with current state", "PATCH", "/lab/items/apple", {"json": [{"op": "remove", "path": "/colour"}], "headers": JSON_PATCH}),
    ("412 — precondition false", "PUT", "/lab/items/apple", {"json": {"name": "apple"}, "headers": {"If-Match": '"not-the-etag"'}}),
    ("415 — unsupported media type", "POST", "/lab/items", {"content": "name=pear", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
    ("422 — well-formed, but not an item", "POST", "/lab/items", {"json": ["pear"]}),
    ("501 — unrecognised method", "BREW", "/lab/items", {}),
]
for label, method, path, request in tour:
    reply = lab.send(method, path, **request)
    print(f"{label}\n   {method} {path} → {reply.status_text}\n   {reply.json['detail']}\n")

# %% [markdown]
# None of them changed anything:

# %%
lab.state()["items"]

# %% [markdown]
# ## 2. 405 or 501?
#
# - **405 Method Not Allowed**: the server knows the method, but *this resource* does not support it. The response
#   **must** carry an `Allow` header listing what it does support (RFC 9110 §15.5.6).
# - **501 Not Implemented**: the server does not recognise the method at all (RFC 9110 §15.6.2).

# %%
for method in ("PUT", "BREW"):
    reply = lab.send(method, "/lab/items", json={})
    print(method, "→", reply.status_text, "| Allow:", reply.response.headers.get("Allow"))

# %% [markdown]
# ## 3. Too large
#
# The lab accepts at most 1 MiB of content per request. Bigger gets **413 Content Too Large**:

# %%
big = lab.send("POST", "/lab/items", content="x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"})
big.status_text

# %% [markdown]
# ## 4. Any code you like: httpbin's `/status`
#
# httpbin answers `/status/<code>` with that code. Try a few; `describe_status` explains each:

# %%
for code in (200, 201, 204, 301, 304, 400, 401, 403, 404, 410, 418, 429, 500, 503):
    reply = lab.send("GET", f"/status/{code}")
    print(f"{reply.status_text:32} {httplab.describe_status(reply.status)}")

# %% [markdown]
# 4xx means *you* can fix the request; 5xx means the server failed, and trying again later may help.
# A 2xx is not always `200`: `201`, `202` and `204` are just as successful.

# %% [markdown]
# ## 5. Explore
#
# In the Playground, send `GET /status/200:3,503:1` several times — httpbin picks a code at random with those
# weights. Which of these would a client retry?

# %%
from httplab.widgets import Playground

Playground(lab)

# %% [markdown]
# ## Self-check
#
# Answer, press **Check**, read the explanation. Questions marked *predict* send real requests to a lab of their own
# and grade your prediction against what the server actually did.

# %%
httplab.quiz.Quiz("09-status-codes").show()

# %% [markdown]
# ## Recap
#
# | Code | Meaning |
# |---|---|
# | 400 | the request is malformed (bad JSON, a bad header value) |
# | 404 | nothing at this URI — after a DELETE, that is the goal |
# | 405 | this resource does not support the method; see `Allow` |
# | 409 | conflicts with the resource's current state (a patch that cannot apply) |
# | 412 | a precondition (`If-Match`, `If-None-Match`) was false; nothing changed |
# | 413 | the content is too large |
# | 415 | the media type is not accepted here (PATCH also lists `Accept-Patch`) |
# | 422 | well-formed, but the server cannot process what it says |
# | 428 | the server requires a precondition |
# | 501 | the method is not recognised at all |
#
# You have finished the lessons. Try the exercises in `exercises/`, and the self-check quizzes at the end of each lesson.
