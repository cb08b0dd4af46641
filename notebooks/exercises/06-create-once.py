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
# A plain PUT creates *or replaces*. HTTP has header fields that make a request conditional on what the server holds
# now (RFC 9110 §13.1). Which one can ask for "only if there is nothing here yet"?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Try it twice in the scratch cell. When the condition does not hold, the server changes nothing: which status code
# does it answer with, and what should your function return then?
#
# </details>
#

# %%
import httplab

lab = httplab.start()
lab.reset()

# %%
# Scratch cell: try requests here, e.g. lab.send("GET", "/lab/items")

# %% tags=["exercise"]
# Your code here

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("create-once")
