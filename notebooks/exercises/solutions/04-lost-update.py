# %% [markdown]
# # Exercise 4 — Stop a lost update
#
# Write `safe_update(lab, item_id, changes)`: read the item, apply `changes` (a dict of fields) and write the complete
# item back — **without overwriting a change another client made after your read**. The checker plays that other client:
# it changes the item between your read and your write.
#
# The checker runs your function on fresh labs of its own and inspects what it left behind — the server's state is
# the answer key. Use the scratch cell to experiment with `lab` first.
#
# <details><summary>Hint 1</summary>
#
# Every GET answers with an `ETag`. What does `If-Match` do with it on a PUT?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# If the server answers `412 Precondition Failed`, nothing was changed: read again and retry.
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
def safe_update(lab, item_id, changes):
    while True:
        current = lab.send("GET", f"/lab/items/{item_id}")
        etag = current.response.headers["ETag"]
        reply = lab.send(
            "PUT",
            f"/lab/items/{item_id}",
            json={**current.json, **changes},
            headers={"If-Match": etag},
        )
        if reply.status != 412:
            return reply

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("lost-update")
