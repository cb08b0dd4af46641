# %% [markdown]
# # Exercise 7 — Which methods are allowed?
#
# Write `allowed_methods(lab, path)` that returns the **set of methods** the resource at `path` supports — found out from
# the server itself, not from documentation.
#
# The checker runs your function on fresh labs of its own and inspects what it left behind — the server's state is
# the answer key. Use the scratch cell to experiment with `lab` first.
#
# <details><summary>Hint 1</summary>
#
# One method asks a resource about its communication options instead of its content (RFC 9110 §9.3 defines them all). Which?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# That response has no content. Print its header fields in the scratch cell: which one lists methods? Its value is
# one piece of text, and you need a set.
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
httplab.check("allowed-methods")
