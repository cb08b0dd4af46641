# %% [markdown]
# # 00 · Start here: requests, responses and status codes
#
# **In this lesson (about 20 minutes) you will:**
# - start a real HTTP server inside this notebook's kernel — the *lab*;
# - send a request and read the three parts of its response: the **status code**, the **header fields** and the
#   **content**;
# - read a whole exchange as HTTP/1.1 text, the way it travels between client and server;
# - predict what a request will do before you send it — every lesson works this way;
# - try the **Playground**, where you pick a method, fire it and see what comes back.
#
# Run each cell with **Shift+Enter**.

# %% [markdown]
# ## 1. Start the lab
#
# `httplab.start()` starts a small web server on the computer that runs this notebook's kernel: your laptop, or the
# server of a hosted Jupyter. It listens on the address `127.0.0.1`, which means "this computer", so only programs
# running on this same computer can reach it — not other machines on the network. On a shared Jupyter server other
# people's programs run on that same computer too, so the lab also checks *who* connects: it answers only programs
# of the user who started it, and anyone else gets `403 Forbidden` (on Linux, where the lab can tell; `lab` shows
# whether this check is on). It offers two things at one address:
#
# - at `/` — **httpbin**, a server that *echoes* every request back to you, so you can see what you sent;
# - at `/lab` — a server that **keeps state**: a collection of *items* you can create, change and delete.
#
# Running the cell again is harmless: it gives you the lab that is already running.

# %%
import httplab

lab = httplab.start()
lab

# %% [markdown]
# ## 2. Your first request
#
# A request names a **method** (what you want done) and a **target** (the resource you want it done to).
# `GET /get` asks httpbin's `/get` resource for a representation of itself.

# %%
exchange = lab.send("GET", "/get")
exchange

# %% [markdown]
# `exchange` records everything: the request that went out and the response that came back.
# The response starts with a **status code** — three digits — and a short reason phrase:

# %%
exchange.status, exchange.status_text

# %% [markdown]
# The first digit gives the class of the answer (RFC 9110 §15):
#
# | Class | Meaning | Examples you will meet |
# |---|---|---|
# | 2xx | success: the request was received, understood and accepted | `200 OK`, `201 Created`, `204 No Content` |
# | 3xx | further action is needed: go elsewhere, or use the copy you have | `303 See Other`, `304 Not Modified` |
# | 4xx | client error: the request was not carried out, for a reason on the client's side | `400 Bad Request`, `404 Not Found`, `405 Method Not Allowed`, `412 Precondition Failed` |
# | 5xx | server error: the server failed, or cannot perform what was asked | `500 Internal Server Error`, `501 Not Implemented` |
#
# Two warnings for later lessons. A 4xx is not always fixed by editing the request: some ask you to wait
# (`429 Too Many Requests`) or to read the current state again (`409 Conflict`, `412 Precondition Failed`). And a
# 5xx does not prove that nothing happened: a gateway may answer `504 Gateway Timeout` after the server behind it
# did the work. `202 Accepted` is a success of another kind: it means "accepted, to be done later", not "done".
#
# `httplab.describe_status` explains any code in one line:

# %%
for code in (200, 201, 202, 204, 404, 405):
    print(httplab.describe_status(code))

# %% [markdown]
# ## 3. Header fields and content
#
# After the status come **header fields** — `Name: value` pairs with information *about* the message — and then the
# **content** (often called the body). httpbin's answer is JSON, which the exchange has already parsed for you:

# %%
exchange.response.headers["Content-Type"]

# %%
exchange.json["headers"]

# %% [markdown]
# Look closely: httpbin echoed the header fields **your** request carried, such as `Host` and `User-Agent`.
# Field names are case-insensitive: `content-type` and `Content-Type` are the same field.

# %% [markdown]
# ## 4. On the wire
#
# HTTP/1.1 is text you can read. Here is the exchange written out that way: first the request line or status line,
# then the header fields, then a blank line, then the content.

# %%
print(exchange.raw_request)
print("-" * 60)
print(exchange.raw_response)

# %% [markdown]
# What exactly is this? Your lab talks over a socket, and httplab shows the head of each message (the start line
# and the header fields) as it crossed that socket. A lab started with `in_process=True` has no socket at all: its
# wire view is rebuilt from the recorded request and response, so it shows what *would* have been sent. Either way,
# long or binary content is shortened in this view; the whole content stays on the record (`exchange.response.body`).

# %% [markdown]
# ## 5. A server with state
#
# httpbin forgets everything: it only echoes. The lab at `/lab` remembers. We start from an empty lab, so that the
# item numbers below match yours:

# %%
lab.reset()

# %% [markdown]
# **Predict first.** Every lesson asks you to commit to a prediction before a demo runs. Choose an answer and press
# **Lock in my prediction**; then run the cell after it. A wrong guess is fine — a surprise is where learning starts.

# %%
guess = httplab.predict("00-start-here-echo-or-keep")
guess

# %% [markdown]
# Now fire: the same JSON object, once to httpbin's `/post`, once to the lab's collection `/lab/items`.

# %%
echoed = lab.send("POST", "/post", json={"name": "apple"})
created = lab.send("POST", "/lab/items", json={"name": "apple"})
guess.reveal(lab)

# %% [markdown]
# httpbin answered `200 OK` and echoed what it got; the lab created an item:

# %%
echoed.status_text, created.status_text

# %% [markdown]
# `201 Created` says a new resource exists now, and the `Location` header says where:

# %%
created.response.headers["Location"]

# %% [markdown]
# `lab.state()` shows what the server holds. Every later lesson uses it to watch what requests *do*:

# %%
lab.state()["items"]

# %% [markdown]
# ## 6. The Playground
#
# Pick a method, type a path, add a body if you like, and press **Send**. Try these:
#
# 1. `GET /lab/items` — the list of items;
# 2. `POST /lab/items`: set **Content type** to *JSON (application/json)* and type `{"name": "pear"}` in **Body**;
#    send it. Then clear the Body, set Content type back to *none*, and send `GET /lab/items` again;
# 3. `GET /lab/items/1`, then `DELETE /lab/items/1`, then `GET /lab/items/1` once more;
# 4. `GET /status/418` — httpbin answers with whatever code you ask for.
#
# The Playground also shows each request as Python code and as a `curl` command you can copy.

# %%
from httplab.widgets import Playground

Playground(lab)

# %% [markdown]
# ## Self-check
#
# Answer, press **Check**, read the explanation. Questions marked *predict* send real requests to a lab of their own
# and grade your prediction against what the server actually did.

# %%
httplab.quiz.Quiz("00-start-here").show()

# %% [markdown]
# ## Recap
#
# - A **request** has a method, a target, header fields and sometimes content; a **response** has a status code,
#   header fields and usually content.
# - The status code's first digit tells the class of the answer: 2xx success, 3xx further action, 4xx client error,
#   5xx server error. A 4xx may ask you to wait or re-read rather than edit; a 5xx does not prove nothing happened.
# - httpbin (at `/`) echoes requests; the lab (at `/lab`) keeps state, and `lab.state()` shows it. The same method
#   can do different things at different resources.
# - Every exchange is recorded: `lab.history` lists them, and `raw_request` / `raw_response` show it as HTTP/1.1
#   text (the head as it crossed the socket; rebuilt when the lab runs in-process).
# - The lab listens on `127.0.0.1`: only programs on this computer can reach it, and on Linux it answers only
#   programs of the user who started it (`lab` shows whether this check is on).
#
# **Next:** [01 · GET, HEAD, OPTIONS and safe methods](01-safe-methods.ipynb). From lesson 01 on, each lesson links
# to an exercise in the `exercises` folder, where you write the requests yourself.
