# %% [markdown]
# # 09 · Status codes and errors
#
# **In this lesson (about 25 minutes) you will:**
# - provoke the error codes you have met — 400, 404, 405, 409, 412, 413, 415, 422, 501 — and read what each means;
# - ask for the same error in two languages, and see what content negotiation changes and what it does not;
# - tell "the method is not allowed here" (405) from "the method is unknown" (501);
# - predict what a false `If-None-Match` gets on a PUT (it is not `304`);
# - decide, for each code, what fixes it: editing the request, waiting, re-reading the resource — or nothing;
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
# ## 2. Content negotiation: the same error in two languages
#
# A problem details document is a **representation** of the error, and a representation can come in more than one
# language. The client says which languages it prefers with `Accept-Language` (RFC 9110 §12.5.4); the server
# chooses — this is **proactive negotiation** (§12.1) — and names the language it chose with `Content-Language`
# (§8.5). The lab negotiates the language of its `detail`. Send the same bad request twice, asking once for French
# and once for English:

# %%
answers = {}
for language in ("fr", "en"):
    reply = lab.send("GET", "/lab/items/banana", headers={"Accept-Language": language})
    answers[language] = reply
    headers = reply.response.headers
    print(f"Accept-Language: {language} → {reply.status_text}")
    print(f"   Content-Language: {headers.get('Content-Language')}   Vary: {headers.get('Vary')}")
    print(f"   title:  {reply.json['title']}\n   detail: {reply.json['detail']}\n")

# The same error both times: the same status code and the same title.
assert answers["fr"].status == answers["en"].status == 404
assert answers["fr"].json["title"] == answers["en"].json["title"]
# Content-Language, when sent, names the language that was asked for.
for language, reply in answers.items():
    assert reply.response.headers.get("Content-Language") in (language, None)

# %% [markdown]
# - The **status code is the same**, 404 both times, and so is the state: there is still nothing at
#   `/lab/items/banana`. It is one error; only its **representation** differs. The `detail` comes in the language
#   asked for, and `Content-Language` says which language that is.
# - `title` stays `Not Found`, the reason phrase, in both. For a problem of type `about:blank` the title SHOULD be
#   the status code's reason phrase (RFC 9457 §4.2.1); that RFC lets a server translate it, and this lab keeps it
#   as it is on the status line.
# - `Vary: Accept-Language` tells caches that the answer depends on the request's `Accept-Language`: a cache must
#   not reuse the French answer for a request that asks for English without checking with the server first
#   (§12.5.5). It also tells the client that other values may get another representation. (These error answers
#   also say `Cache-Control: no-store`, so no cache keeps them at all.)
# - `Accept-Language` is a preference, not an order: a server may answer in a language you did not ask for
#   (§12.1). Read `Content-Language` to know which one you got.

# %% [markdown]
# ## 3. 405 or 501?
#
# - **405 Method Not Allowed**: the server knows the method, but *this resource* does not support it. The response
#   **must** carry an `Allow` header listing what it does support (RFC 9110 §15.5.6).
# - **501 Not Implemented**: the server does not recognise the method at all (RFC 9110 §9.1, §15.6.2).

# %%
for method in ("PUT", "BREW"):
    reply = lab.send(method, "/lab/items", json={})
    print(method, "→", reply.status_text, "| Allow:", reply.response.headers.get("Allow"))

# %% [markdown]
# Does retrying a 501 help? Send BREW three times:

# %%
lab.repeat("BREW", "/lab/items", times=3, reset=False).statuses

# %% [markdown]
# It never will: the server does not implement the method, and asking again does not change that.

# %% [markdown]
# ## 4. 304 or 412? A false `If-None-Match`
#
# In lesson 08, a GET whose `If-None-Match` named the current ETag got `304 Not Modified`. Check it once more:

# %%
etag = lab.send("GET", "/lab/items/apple").response.headers["ETag"]
lab.send("GET", "/lab/items/apple", headers={"If-None-Match": etag}).status_text

# %% [markdown]
# **Predict first.** The same `If-None-Match` on a PUT: which status?

# %%
guess_put = httplab.predict("09-if-none-match-put")
guess_put

# %% [markdown]
# Now fire:

# %%
put = lab.send("PUT", "/lab/items/apple", json={"name": "apple"}, headers={"If-None-Match": etag})
guess_put.reveal(put)

# %% [markdown]
# A false `If-None-Match` gives `304` on GET and HEAD ("your copy is current") and `412` on every other method
# ("the condition you set failed; nothing was done") (RFC 9110 §13.1.2).

# %% [markdown]
# ## 5. Too large
#
# The lab accepts at most 1 MiB of content per request. Bigger gets **413 Content Too Large**:

# %%
big = lab.send("POST", "/lab/items", content="x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"})
big.status_text

# %% [markdown]
# ## 6. What fixes it?
#
# A popular rule of thumb says "4xx: fix your request; 5xx: the server failed, try again later". It is a start, and
# it is wrong often enough to matter (RFC 9110 §15.5, §15.6; 428 and 429 are from RFC 6585 §3, §4):
#
# | Code | What it says | What fixes it |
# |---|---|---|
# | 400, 413, 415, 422 | the request itself is wrong | edit the request |
# | 404 | nothing at this URI | check the URI; after a DELETE, it is the goal |
# | 405 | the resource does not support the method | use a method listed in `Allow` |
# | 428 | the server wants a precondition | add `If-Match` (read the ETag with a GET) |
# | **408** Request Timeout | the server gave up waiting for the rest of the request | **send it again**; nothing to edit |
# | **409** Conflict | the request conflicts with the resource's current state | **re-read** the resource, then decide |
# | **412** Precondition Failed | the resource changed since you read it | **re-read** (GET), redo your change, send the new ETag |
# | **429** Too Many Requests | you sent too many requests | **wait** (honour `Retry-After` when it is sent), then resend |
# | 500 | the server failed | maybe later; the request may have been applied, in part or in full |
# | **501** Not Implemented | the server does not recognise the method | **nothing**: retrying never helps |
# | 502, 503 | a gateway got a bad answer; the server is unavailable now | waiting and retrying may help (`Retry-After` on 503) |
# | **504** Gateway Timeout | a gateway did not get an answer in time | retry with care: the server behind it **may have applied** the request |
#
# A 504 is like the lost response of lesson 07: the gateway stopped waiting, but the server behind it may have done
# the work. Retrying a POST after a 504 can duplicate it.
#
# And the 2xx codes are not all "done": `200`, `201` and `204` say the request succeeded, but **`202 Accepted`** says
# only that the request was accepted for processing. It is not done yet, and it may still fail.

# %% [markdown]
# ## 7. Any code you like: httpbin's `/status`
#
# httpbin answers `/status/<code>` with that code. Try a few; `describe_status` explains each:

# %%
for code in (200, 201, 202, 204, 301, 304, 400, 401, 403, 404, 410, 418, 429, 500, 501, 503, 504):
    reply = lab.send("GET", f"/status/{code}")
    print(f"{reply.status_text:32} {httplab.describe_status(reply.status)}")

# %% [markdown]
# ## 8. Explore
#
# In the Playground below, choose `GET`, type the path `/status/200:3,503:1`, and press **Send** several times:
# httpbin picks a code at random with those weights (three 200s to one 503). Which of these answers would a client
# retry, and why is that harmless here?

# %%
from httplab.widgets import Playground

Playground(lab)

# %% [markdown]
# ## 9. Practise
#
# Exercise: [Which methods are allowed?](exercises/07-allowed-methods.ipynb) Ask the server, not the documentation.

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
# | 202 | accepted for processing — not done yet |
# | 304 | a false `If-None-Match` on GET or HEAD: your copy is current |
# | 400 | the request is malformed (bad JSON, a bad header value) |
# | 404 | nothing at this URI — after a DELETE, that is the goal |
# | 405 | this resource does not support the method; see `Allow` |
# | 408 | the server timed out waiting for the request: send it again |
# | 409 | conflicts with the resource's current state: re-read it |
# | 412 | a precondition was false; nothing changed: re-read the resource |
# | 413 | the content is too large |
# | 415 | the media type is not accepted here (PATCH also lists `Accept-Patch`) |
# | 422 | well-formed, but the server cannot process what it says |
# | 428 | the server requires a precondition |
# | 429 | too many requests: wait, then resend |
# | 501 | the method is not recognised at all: retrying never helps |
# | 504 | a gateway timed out: the request may still have been applied |
#
# The same error can come in several languages: `Accept-Language` asks, `Content-Language` names the language sent,
# `Vary: Accept-Language` tells caches. The status code and the state stay the same.
#
# Next, lesson 10 puts everything together: you audit a server that breaks some of these rules. The exercises are in
# `exercises/`, and each lesson ends with a self-check quiz.
