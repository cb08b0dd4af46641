# %% [markdown]
# # 00 · Start here: requests, responses and status codes
#
# **In this lesson (about 20 minutes) you will:**
# - start a real HTTP server inside this notebook's kernel — the *lab*;
# - send a request and read the three parts of its response: the **status code**, the **header fields** and the **content**;
# - see a whole exchange exactly as it travels over the network;
# - try the **Playground**, where you pick a method, fire it and see what comes back.
#
# Run each cell with **Shift+Enter**.

# %% [markdown]
# ## 1. Start the lab
#
# `httplab.start()` starts a small web server on your own computer (address `127.0.0.1`, which means "this machine",
# so nobody else can reach it). It offers two things at one address:
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
# The response starts with a **status code** — three digits and a short reason phrase:

# %%
exchange.status, exchange.status_text

# %% [markdown]
# The first digit gives the class of the answer (RFC 9110 §15):
#
# | Class | Meaning | Examples you will meet |
# |---|---|---|
# | 2xx | success | `200 OK`, `201 Created`, `204 No Content` |
# | 3xx | redirection, or "use your cached copy" | `303 See Other`, `304 Not Modified` |
# | 4xx | the request has a problem | `400 Bad Request`, `404 Not Found`, `405 Method Not Allowed`, `412 Precondition Failed` |
# | 5xx | the server failed | `500 Internal Server Error`, `501 Not Implemented` |
#
# `httplab.describe_status` explains any code in one line:

# %%
for code in (200, 201, 204, 404, 405):
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
# HTTP/1.1 is text you can read. This is exactly what went to the server and what came back
# (the blank line separates the header fields from the content):

# %%
print(exchange.raw_request)
print("-" * 60)
print(exchange.raw_response)

# %% [markdown]
# ## 5. A server with state
#
# httpbin forgets everything: it only echoes. The lab at `/lab` remembers. Create an item by **POSTing** a JSON
# object to the collection `/lab/items`:

# %%
created = lab.send("POST", "/lab/items", json={"name": "apple"})
created

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
# 2. `POST /lab/items` with the JSON body `{"name": "pear"}`, then look at the list again;
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
# - The status code's first digit tells the class of the answer: 2xx success, 3xx redirection, 4xx a problem with the
#   request, 5xx a server failure.
# - httpbin (at `/`) echoes requests; the lab (at `/lab`) keeps state, and `lab.state()` shows it.
# - Every exchange is recorded: `lab.history` lists them, and `raw_request` / `raw_response` show the wire text.
#
# **Next:** [01 · GET, HEAD, OPTIONS and safe methods](01-safe-methods.ipynb).
