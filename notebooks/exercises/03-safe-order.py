# %% [markdown]
# # Exercise 3 — An order that is harmless to retry
#
# Orders look like `{"order_id": "A-1001", "product": "tea", "quantity": 2}`; your shop chose the `order_id`. The
# network is flaky: sometimes a response is lost, and your shop places the same order again. Write
# `place_order(lab, order)` so that **placing the same order twice creates one item**, while different orders still
# create different items.
#
# Why it matters: a client that never saw the response cannot know whether the server applied the request
# (RFC 9110 §9.2.2). If sending the order again can create a second one, every retry risks a double order.
#
# The checker runs your function on fresh labs of its own and inspects what it left behind — the server's state is
# the answer key. Use the scratch cell to experiment with `lab` first.
#
# <details><summary>Hint 1</summary>
#
# A retry is the very same request sent again. Try it in the scratch cell: send one order twice, then look at
# `lab.state()["items"]`. How could the server tell that the second request is not a new order?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The order already carries an id that your shop chose. Which method sends a complete state to a URI that the
# *client* picks — and what does the server hold after it is sent twice?
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# If you would rather POST: the lab honours an `Idempotency-Key` header field (an IETF draft, not part of HTTP itself).
# Ask yourself when the key is made, where it is kept so that the retry can send it again, and what goes wrong if
# someone else could guess it.
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
httplab.check("safe-order")
