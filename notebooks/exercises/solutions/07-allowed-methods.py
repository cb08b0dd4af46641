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
# Which method asks a resource about its communication options?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The answer is in a header field of the response. Split it on commas.
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
def allowed_methods(lab, path):
    reply = lab.send("OPTIONS", path)
    return {method.strip() for method in reply.response.headers["Allow"].split(",")}

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("allowed-methods")
