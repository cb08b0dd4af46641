# %% [markdown]
# # Exercise 1 — Exactly three items
#
# Your team's setup script must leave **exactly three items** in the lab — `a`, `b` and `c` — and people run it
# again and again. Write `make_three(lab)` so that running it once, twice or ten times always leaves three items.
#
# The checker runs your function on fresh labs of its own and inspects what it left behind — the server's state is
# the answer key. Use the scratch cell to experiment with `lab` first.
#
# <details><summary>Hint 1</summary>
#
# What does POST do when you send it twice? Try it in the scratch cell.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Which method sends a complete state to a URI that *you* choose? Send it twice in the scratch cell and count the
# items.
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
def make_three(lab):
    for name in ("a", "b", "c"):
        lab.send("PUT", f"/lab/items/{name}", json={"name": name})

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("create-three")
