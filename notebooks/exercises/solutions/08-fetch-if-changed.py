# %% [markdown]
# # Exercise 8 — Fetch only if changed
#
# You keep a copy of an item and its `ETag`. Write `fetch_if_changed(lab, item_id, etag)` that returns `(False, None)`
# when your copy is still current and `(True, new_data)` when the item changed — and lets the server do the comparing.
#
# The checker runs your function on fresh labs of its own and inspects what it left behind — the server's state is
# the answer key. Use the scratch cell to experiment with `lab` first.
#
# <details><summary>Hint 1</summary>
#
# A conditional GET: which header carries the ETag you already have?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# `304 Not Modified` has no content: your copy is current.
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
def fetch_if_changed(lab, item_id, etag):
    reply = lab.send("GET", f"/lab/items/{item_id}", headers={"If-None-Match": etag})
    if reply.status == 304:
        return False, None
    return True, reply.json

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("fetch-if-changed")
