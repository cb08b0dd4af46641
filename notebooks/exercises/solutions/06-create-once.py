# %% [markdown]
# # Exercise 6 — Create only if absent
#
# Write `create_once(lab, item_id, data)` that creates the item at `/lab/items/<item_id>` **only if nothing is there
# yet**: return `True` if it created the item and `False` if one already existed — and never overwrite it.
#
# The checker runs your function on fresh labs of its own and inspects what it left behind — the server's state is
# the answer key. Use the scratch cell to experiment with `lab` first.
#
# <details><summary>Hint 1</summary>
#
# A plain PUT creates *or replaces*. Which precondition header means “only if there is no current representation”?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# `If-None-Match: *` — and a `412` means something was already there.
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
def create_once(lab, item_id, data):
    reply = lab.send("PUT", f"/lab/items/{item_id}", json=data, headers={"If-None-Match": "*"})
    return reply.status == 201

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("create-once")
