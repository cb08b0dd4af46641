# %% [markdown]
# # Exercise 5 — Delete, and delete again
#
# Write `remove(lab, item_id)` that deletes an item and returns `True` when the item is gone, `False` when it is not.
# It will be called twice for the same item (a retry): **both calls must return `True`**.
#
# The checker also tries a server that answers `202 Accepted`: it took the request, but the deletion has not happened
# yet (RFC 9110 §15.3.3). The item is not gone then.
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
# <details><summary>Hint 3</summary>
#
# RFC 9110 §9.3.5 lists what a successful DELETE may answer. Which of those answers say the work is *done*?
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
    # 200 and 204: deleted. 404: no item now (most likely an earlier attempt deleted it).
    # 202 Accepted is not among them: the deletion is queued, not done (RFC 9110 §15.3.3).
    return reply.status in (200, 204, 404)

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("delete-twice")
