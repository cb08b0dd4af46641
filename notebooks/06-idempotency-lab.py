# %% [markdown]
# # 06 · The idempotency lab: every method side by side
#
# **In this lesson (about 25 minutes) you will:**
# - run one scenario for every method and compare what repeating each one does to the server's state;
# - sort the methods into **safe**, **idempotent** and **neither** — from evidence;
# - test common myths against the facts, and correct the claims of a typical documentation page.

# %%
import httplab

lab = httplab.start()

# %% [markdown]
# ## 1. Every method, three times each
#
# Each scenario starts from a fresh lab holding one item, `/lab/items/apple`, then sends the same request three
# times, taking a snapshot of the state after every call:

# %%
board = lab.compare(times=3)
board

# %% [markdown]
# Read the chart lane by lane: a flat lane at 0 means the state never changed; a single step means the first call
# changed it and repeats did not; a staircase means every call changed it again.

# %%
for row in board.rows:
    print(f"{row.label:28} statuses={row.statuses}  safe={row.safe_observed}  idempotent={row.idempotent_observed}")

# %% [markdown]
# ## 2. What RFC 9110 promises (§9.2)
#
# | Method | Safe | Idempotent |
# |---|---|---|
# | GET, HEAD, OPTIONS | yes | yes |
# | PUT, DELETE | no | yes |
# | POST | no | no |
# | PATCH | no | not guaranteed (RFC 5789 §2) |
#
# Our observations agree. Remember what an observation is: **evidence about this server**, not a proof about the
# method. The table is a promise; a badly built server can break it, and nothing in HTTP stops it.

# %% [markdown]
# ## 3. Try it yourself
#
# The Method Board runs the same scenarios with one click. Change the number of calls and run it again.

# %%
from httplab.widgets import MethodBoard

MethodBoard(lab)

# %% [markdown]
# ## 4. Myths and facts
#
# | Myth | Fact |
# |---|---|
# | "Idempotent means the same response every time." | It means the same **effect on the server's state**. PUT answers 201 then 204; DELETE 204 then 404 — both idempotent. |
# | "Safe means no side effects at all." | Safe means the client asked for **no state change**. Logging and hit counters are allowed. |
# | "Safe means secure." | Safe says nothing about security. |
# | "Idempotent means safe." | Every safe method is idempotent, but PUT and DELETE are idempotent and **not** safe. |
# | "POST creates, PUT updates." | PUT creates too (at a URI you choose); POST can do anything the resource defines. |
# | "PATCH is never idempotent." | Not **guaranteed**: a merge patch that sets a value is; a JSON Patch that appends is not. |
# | "The protocol enforces these rules." | They are promises servers must keep; a `GET /delete?id=1` endpoint breaks a MUST, and HTTP cannot stop it. |
# | "A second DELETE's 404 is a failure." | The resource is gone, as wanted: the retry succeeded. |
# | "Idempotent means safe under concurrency." | Two clients PUTting different data still overwrite each other; `If-Match` prevents that (lesson 08). |
# | "PUT with some fields updates only those." | PUT **replaces** the whole state; fields left out are gone. |

# %% [markdown]
# Check one of them right here: PUT with some fields.

# %%
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "price": 3})
lab.send("PUT", "/lab/items/apple", json={"price": 4})
lab.send("GET", "/lab/items/apple").json

# %% [markdown]
# ## 5. Correcting a documentation page, kindly
#
# Many short documentation pages describe the methods roughly like this. Each claim, checked against RFC 9110:
#
# - **GET** — "returns 200 OK with the content." *Correct but incomplete*: a conditional GET can answer 304, a range
#   request 206; parameters belong in the URI; and it never says GET is safe and cacheable.
# - **POST** — "several POSTs may give different results; beware of duplicates." *Correct.* "Success is 200 OK."
#   *Imprecise*: when POST creates something it should answer **201 Created** with a `Location`.
# - **PUT** — "idempotent: one PUT equals many identical PUTs." *Correct for the server's state*; the responses may
#   differ. "200 (usually 201 or 204)." *Wrong*: **201 is required when PUT creates**, **200 or 204 when it replaces**.
# - **PATCH** — "not idempotent." *Imprecise*: not **guaranteed** — a merge patch is, an appending JSON Patch is not.
#   "200 (usually 204)." *Imprecise*: RFC 5789 prefers neither. "Not available for some modules." *A tool limit*; in
#   HTTP a resource says it with **405 + `Allow`**, and advertises its patch formats with `Accept-Patch`.
# - **DELETE** — "deletes the resource if it exists, 200 OK." *Imprecise*: 204, 200 and 202 are all correct; DELETE is
#   idempotent, and a second DELETE's 404 is not a failure.
# - **Missing entirely**: safe methods, HEAD, OPTIONS, 405 + `Allow`, conditional requests.

# %% [markdown]
# ## Self-check
#
# Answer, press **Check**, read the explanation. Questions marked *predict* send real requests to a lab of their own
# and grade your prediction against what the server actually did.

# %%
httplab.quiz.Quiz("06-idempotency-lab").show()

# %% [markdown]
# ## Recap
#
# - Safe: GET, HEAD, OPTIONS. Idempotent: those three plus PUT and DELETE. Neither: POST. PATCH: depends on the patch.
# - Idempotent is about **state**, not responses; safe is about what the client **asked for**, not about security.
# - The properties are promises the server must keep; the lab lets you check whether a server keeps them.
#
# **Next:** [07 · Retries, lost responses and Idempotency-Key](07-retries.ipynb).
