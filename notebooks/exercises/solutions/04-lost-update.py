# %% [markdown]
# # Exercise 4 — Stop a lost update
#
# Write `safe_update(lab, item_id, changes)`: read the item, apply `changes` (a dict of fields) and write the complete
# item back — **without overwriting a change another client made after your read**. Return `True` when your change is
# stored, and `False` when it is not: when the item does not exist, when the server refuses the write, or when other
# clients keep changing the item and you give up after a few tries.
#
# Why it matters: without a condition, the second of two writers silently overwrites the first — a *lost update*
# (RFC 9110 §13.1.1). And a loop that only ends on success may never end.
#
# The checker plays the other client: it changes the item between your read and your write — once, and then before
# every one of your writes. It also asks you to update an item that does not exist. It runs your function on fresh
# labs of its own and inspects what it left behind — the server's state is the answer key. Use the scratch cell to
# experiment with `lab` first.
#
# <details><summary>Hint 1</summary>
#
# Every GET answers with an `ETag`. Which request header field sends it back with your PUT, so that the server can
# tell whether the item changed since you read it?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Try it in the scratch cell: read the item, change it with a second request, then send your conditional write. What
# does the server answer, and was anything stored?
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# List the answers your GET and your PUT can get. For each one ask: is my change stored now — and if not, is it worth
# another try?
#
# </details>
#

# %%
import httplab

lab = httplab.start()
lab.reset()

# %%
# Scratch cell: try requests here, e.g. lab.send("GET", "/lab/items")

# %% tags=["solution"]
def safe_update(lab, item_id, changes, tries=5):
    for _ in range(tries):
        current = lab.send("GET", f"/lab/items/{item_id}")
        if current.status != 200:
            return False  # 404: there is no item to update
        reply = lab.send(
            "PUT",
            f"/lab/items/{item_id}",
            json={**current.json, **changes},
            headers={"If-Match": current.response.headers["ETag"]},
        )
        if reply.status != 412:
            return reply.ok  # 2xx: stored; anything else (a 428, a 400, ...) stored nothing
        # 412: the item changed since our GET, and nothing was stored. Read it again.
    return False  # others kept changing it: give up, and say so

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("lost-update")
