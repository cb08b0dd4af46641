# %% [markdown]
# # Exercise 5 — Delete, and delete again
#
# Write `remove(lab, item_id)` that deletes an item and returns `True` when the item is gone. It will be called twice
# for the same item (a retry): **both calls must return `True`**.
#
# The checker runs your function on fresh labs of its own and inspects what it left behind — the server's state is
# the answer key. Use the scratch cell to experiment with `lab` first.
#
# <details><summary>Hint 1</summary>
#
# What does the second DELETE answer? Try it.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Idempotent is about the state on the server, not the response: after the second DELETE, is the item gone?
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
def remove(lab, item_id):
    reply = lab.send("DELETE", f"/lab/items/{item_id}")
    return reply.status in (200, 202, 204, 404)

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("delete-twice")
