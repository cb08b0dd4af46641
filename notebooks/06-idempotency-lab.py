# %% [markdown]
# # 06 · The idempotency lab: every method side by side
#
# **In this lesson (about 30 minutes) you will:**
# - run one scenario for every method and see what repeating each one does to the server's state;
# - sort the requests by that evidence **yourself**, before you see what HTTP defines;
# - compare your sorting with what RFC 9110 and RFC 5789 define as **safe** and **idempotent**;
# - test common myths against the facts, and judge the claims of a typical documentation page.

# %%
import httplab

lab = httplab.start()

# %% [markdown]
# ## 1. Every method, three times each
#
# Each scenario starts from a fresh lab holding one item, `/lab/items/apple` = `{"name": "apple", "tags":
# ["fruit"]}`, then sends the same request three times, taking a snapshot of the state after every call:
#
# | Row | Request |
# |---|---|
# | GET, HEAD, OPTIONS | on `/lab/items/apple` |
# | POST | `POST /lab/items` with `{"name": "pear"}` |
# | PUT | `PUT /lab/items/pear` with `{"name": "pear"}` |
# | PATCH (merge patch) | `PATCH /lab/items/apple` with `{"colour": "red"}` as `application/merge-patch+json` |
# | PATCH (JSON Patch append) | `PATCH /lab/items/apple` with `[{"op": "add", "path": "/tags/-", "value": "x"}]` |
# | DELETE | `DELETE /lab/items/apple` |
#
# **Predict first.** In how many rows will every call change the state again?

# %%
guess_board = httplab.predict("06-board-kept-changing")
guess_board

# %% [markdown]
# Now fire the whole board, then count the rows in which a later call left a different state than the first call
# left:

# %%
board = lab.compare(times=3)
guess_board.reveal(sum(not row.same_after_repeats for row in board.rows))

# %% [markdown]
# Here is the evidence, row by row: the status of each call, and the **state numbers**. State `0` is the state
# before the first call; each new state gets the next number, and a state seen before keeps its number. So
# `0 → 0 → 0 → 0` means no call changed anything, `0 → 1 → 1 → 1` means the first call changed the state and the
# others left it as it was, and `0 → 1 → 2 → 3` means every call changed it again.

# %%
for row in board.rows:
    numbers = " → ".join(map(str, row.state_numbers))
    statuses = ", ".join(map(str, row.statuses))
    print(f"{row.label:28} statuses: {statuses:15} state numbers: {numbers}")

# %% [markdown]
# ## 2. Sort the evidence
#
# For each row, choose what sending it again and again did to the state, then press **Check my sorting**. The
# check compares your choices with the board you just ran — not with a textbook.

# %%
from httplab.widgets import EvidenceSort

EvidenceSort(board)

# %% [markdown]
# ## 3. What HTTP defines
#
# Now compare your groups with what the specifications define for each **method** (RFC 9110 §9.2, RFC 5789 §2):
#
# | Method | Safe | Idempotent |
# |---|---|---|
# | GET, HEAD, OPTIONS, TRACE | yes | yes |
# | PUT, DELETE | no | yes |
# | POST | no | no |
# | PATCH | no | no: "neither safe nor idempotent" (RFC 5789 §2) |
# | PATCH with a merge patch that sets values (this board's row) | no | the method: no. This request: **idempotent in effect** |
#
# - **Safe** (§9.2.1): the client asks for no change of state. Every safe method is also idempotent.
# - **Idempotent** (§9.2.2): the intended effect on the server of N identical requests is the effect of one.
#
# The evidence lines up with the table, with one row to look at twice: **PATCH (merge patch)** changed the state
# once and then stayed the same, yet PATCH is not an idempotent method. Both are true. The merge patch
# `{"colour": "red"}` sets a value, so sending it again sets the same value: this particular request is
# idempotent **in effect** (RFC 7396 §2). The method makes no such promise: the JSON Patch row, also a PATCH, kept
# changing. And a client library or a proxy usually sees only the method, so it treats every PATCH as not
# idempotent: a proxy MUST NOT, and a generic client SHOULD NOT, repeat a PATCH on its own (RFC 9110 §9.2.2).
#
# Remember what an observation is: **evidence about this server**, not a proof about the method. The table is a
# promise; a badly built server can break it, and nothing in HTTP stops it.
#
# The board itself, with each method's promise beside what was observed:

# %%
board

# %% [markdown]
# ## 4. Try it yourself
#
# The Method Board runs the same scenarios with one click. Change the number of calls and run it again.

# %%
from httplab.widgets import MethodBoard

MethodBoard(lab)

# %% [markdown]
# ## 5. Myths and facts
#
# | Myth | Fact |
# |---|---|
# | "Idempotent means the same response every time." | It means the same **effect on the server's state**. PUT answers 201 then 204; DELETE 204 then 404. Both are idempotent. |
# | "Safe means no side effects at all." | Safe means the client asked for **no state change**. Logging and hit counters are allowed. |
# | "Safe means secure." | Safe says nothing about security. |
# | "Idempotent means safe." | Every safe method is idempotent, but PUT and DELETE are idempotent and **not** safe. |
# | "A request that changed nothing was safe." | Safe is a property of the **method**. A DELETE of a missing item changes nothing, and DELETE is still not safe. Say "state unchanged" about an observation. |
# | "POST creates, PUT updates." | PUT creates too (at a URI you choose); POST can do anything the resource defines. |
# | "This PATCH repeated harmlessly, so PATCH is idempotent." | One patch can be idempotent in effect (a merge patch that sets values); the **method** is not (RFC 5789 §2). |
# | "Idempotent means byte-identical state." | It is about the intended effect; timestamps and logs that change are incidental. |
# | "The protocol enforces these rules." | They are promises servers must keep; a `GET /delete?id=1` endpoint breaks a MUST, and HTTP cannot stop it. |
# | "A second DELETE's 404 is a failure." | The resource is gone, as wanted; the 404 is not a failure of the first DELETE. |
# | "Idempotent means safe under concurrency." | Two clients PUTting different data still overwrite each other; `If-Match` prevents that (lesson 08). |
# | "PUT with some fields updates only those." | PUT asks for **full replacement**; don't rely on fields you left out surviving. |

# %% [markdown]
# Check the last one right here: PUT with some fields.

# %%
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "price": 3})
lab.send("PUT", "/lab/items/apple", json={"price": 4})
lab.send("GET", "/lab/items/apple").json

# %% [markdown]
# ## 6. Judging a documentation page, kindly
#
# Many short documentation pages describe the methods roughly like this. Each claim, checked against the RFCs:
#
# - **GET**: "returns 200 OK with the content." *Correct but incomplete*: a conditional GET can answer 304, a range
#   request 206; parameters belong in the URI; and it never says GET is safe and cacheable.
# - **POST**: "several POSTs may give different results; beware of duplicates." *Correct.* "Success is 200 OK."
#   *Imprecise*: when a POST creates something, the server SHOULD answer **201 Created** with a `Location` (RFC 9110
#   §9.3.3).
# - **PUT**: "idempotent: one PUT equals many identical PUTs." *Correct for the server's state*; the responses may
#   differ. "200 (usually 201 or 204)." *Imprecise, not wrong*: **201 is required when PUT creates**; when it
#   replaces, **200 and 204 are both right** (§9.3.4).
# - **PATCH**: "not idempotent." *Correct* (RFC 5789 §2). Worth adding: one particular patch can be idempotent in
#   effect (a merge patch that sets values), but generic clients and proxies still treat PATCH as not idempotent.
#   "200 (usually 204)." *Imprecise*: RFC 5789 prefers neither. "Not available for some modules." *A tool limit*;
#   in HTTP a resource advertises PATCH with `Allow`, and its patch formats with `Accept-Patch`.
# - **DELETE**: "deletes the resource if it exists, 200 OK." *Imprecise*: 204 and 200 say "done", 202 says
#   "accepted, not done yet"; DELETE is idempotent, and a second DELETE's 404 is not a failure of the first.
# - **Missing entirely**: safe methods, HEAD, OPTIONS, 405 + `Allow`, conditional requests.

# %% [markdown]
# ## 7. Practise
#
# Two exercises use what you sorted today: [Exactly three items](exercises/01-create-three.ipynb) (make a setup
# script that can run again and again) and [An order that is harmless to retry](exercises/03-safe-order.ipynb).

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
# - Safe: GET, HEAD, OPTIONS, TRACE. Idempotent: those four plus PUT and DELETE. Neither: POST and PATCH.
# - A particular PATCH can be **idempotent in effect** (a merge patch that sets values); the method is not.
# - Idempotent is about **state**, not responses; safe is about what the client **asked for**, not about security.
#   About one observation, say "state unchanged" or "changed once, then stayed the same", not "safe".
# - The properties are promises the server must keep; the lab lets you check whether a server keeps them.
#
# **Next:** [07 · Retries, lost responses and Idempotency-Key](07-retries.ipynb).
