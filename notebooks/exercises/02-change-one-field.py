# %% [markdown]
# # Exercise 2 — Change one field
#
# An item looks like `{"name": "apple", "price": 3, "tags": ["fruit", "red"]}`. Write `rename(lab, item_id, new_name)`
# that changes its **name only** — the price and the tags must survive.
#
# The checker runs your function on fresh labs of its own and inspects what it left behind — the server's state is
# the answer key. Use the scratch cell to experiment with `lab` first.
#
# <details><summary>Hint 1</summary>
#
# PUT replaces the whole item: what happens to the fields you leave out?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# PATCH carries a patch document with a media type of its own (RFC 5789). Ask the item with OPTIONS: its
# `Accept-Patch` header field lists the kinds the lab takes. Which kind holds only the members to change?
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
httplab.check("change-one-field")
