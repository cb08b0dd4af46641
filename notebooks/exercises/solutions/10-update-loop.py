# %% [markdown]
# # Exercise 10 — A conditional-update loop
#
# A shop item looks like `{"name": "tea", "price": 4, "stock": 10}`, and several clients change its stock at the same
# time. Write `add_stock(lab, item_id, amount)` that adds `amount` to the item's `stock` **without losing anybody
# else's change**:
#
# - read the item, add `amount` to the stock you read, and write the complete item back;
# - if another client changed the item in between, your write must not overwrite their change — read again and try
#   again;
# - **give up after a few tries** (say 5);
# - return `True` only when your increase is stored, and `False` when it is not: after giving up, when the item does
#   not exist, or when the server refuses your write.
#
# Why it matters: "read, change, write back" is how most clients update things. Without a condition the write of one
# client silently wipes out the other's — a *lost update* (RFC 9110 §13.1.1). A server may even demand a condition
# and refuse writes without one (`428 Precondition Required`, RFC 6585 §3). And a loop that only ends on success may
# never end.
#
# The checker plays the other clients: it adds 5 to the stock between your read and your write — once, twice, and
# before every one of your writes. It also asks for an item that does not exist, and runs your function on a lab that
# requires a precondition. After each run it reads the stock: every increase that was reported must be there.
#
# <details><summary>Hint 1</summary>
#
# Every GET answers with an `ETag`. Which request header field makes your write happen only if the item still has
# the version you read? (Exercise 4 and lesson 08 used it.)
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# When that condition fails, nothing is stored. Before your next try, what do you need: only the new ETag, or the
# item as it is now?
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# List the answers your GET and your write can get — try them in the scratch cell, also after
# `lab.settings(require_precondition=True)`. For each one ask: is my increase stored now?
#
# </details>
#

# %%
import httplab

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/tea", json={"name": "tea", "price": 4, "stock": 10})

# %%
# Scratch cell: try requests here, e.g. lab.send("GET", "/lab/items/tea")

# %% tags=["solution"]
def add_stock(lab, item_id, amount, tries=5):
    for _ in range(tries):
        current = lab.send("GET", f"/lab/items/{item_id}")
        if current.status != 200:
            return False  # 404: there is no item, so no stock to add to
        item = current.json
        reply = lab.send(
            "PUT",
            f"/lab/items/{item_id}",
            json={**item, "stock": item["stock"] + amount},
            headers={"If-Match": current.response.headers["ETag"]},
        )
        if reply.status != 412:
            return reply.ok  # 2xx: stored; a 428 or anything else stored nothing
        # 412: someone changed the item since our GET (a 412 does not say who). Read it again, add to the new stock.
    return False  # others kept writing first: give up, and say so

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("update-loop")
