# %% [markdown]
# # Exercise 3 — An order that is safe to retry
#
# Orders look like `{"order_id": "A-1001", "product": "tea", "quantity": 2}`. The network is flaky: sometimes a response
# is lost and your shop retries the same order. Write `place_order(lab, order)` so that **placing the same order twice
# creates one item**, while different orders still create different items.
#
# The checker runs your function on fresh labs of its own and inspects what it left behind — the server's state is
# the answer key. Use the scratch cell to experiment with `lab` first.
#
# <details><summary>Hint 1</summary>
#
# A retry is the very same request sent again. How can the server recognise it?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# POST honours an `Idempotency-Key` header (an IETF draft, not part of HTTP itself). Which key should the *same* order get each time — a random one?
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# Another way: PUT the order to a URI named after its `order_id`.
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
def place_order(lab, order):
    lab.send(
        "POST",
        "/lab/items",
        json=order,
        headers={"Idempotency-Key": f"order-{order['order_id']}"},
    )

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("safe-order")
