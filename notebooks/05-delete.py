# %% [markdown]
# # 05 · DELETE: 204, then 404 — and idempotent anyway
#
# **In this lesson (about 15 minutes) you will:**
# - remove an item with **DELETE** and read its status codes;
# - send the same DELETE again, get `404 Not Found` — and see why that is not a failure;
# - connect that to idempotency: same state, different responses.

# %%
import httplab

lab = httplab.start()
lab.reset()
for name in ("apple", "pear", "plum"):
    lab.send("PUT", f"/lab/items/{name}", json={"name": name})
[item["id"] for item in lab.state()["items"]]

# %% [markdown]
# ## 1. DELETE removes the association between a URI and its resource
#
# DELETE asks the server to remove the target resource (RFC 9110 §9.3.5). A successful DELETE answers with one of:
#
# - `204 No Content` — done, nothing more to say (the lab's answer);
# - `200 OK` — done, and here is a status message;
# - `202 Accepted` — accepted, will be done later.

# %%
lab.send("DELETE", "/lab/items/pear")

# %%
[item["id"] for item in lab.state()["items"]]

# %% [markdown]
# ## 2. The same DELETE again

# %%
again = lab.send("DELETE", "/lab/items/pear")
print(again.status_text)
print(again.json["detail"])

# %% [markdown]
# `404 Not Found`. Did the second DELETE fail? Ask a better question: **what did you want?** You wanted the pear
# gone. Is it gone?

# %%
"pear" in [item["id"] for item in lab.state()["items"]]

# %% [markdown]
# The goal is reached. A retried DELETE that ends in 404 has **succeeded** — the first one did the work.

# %% [markdown]
# ## 3. Observed: DELETE is idempotent

# %%
lab.repeat("DELETE", "/lab/items/plum", times=4, setup=[("PUT", "/lab/items/plum", {"json": {"name": "plum"}})])

# %% [markdown]
# The first DELETE changed the state; the later ones left it exactly as the first one did. The responses differ
# (`204`, then `404`), the state does not: **idempotent** (RFC 9110 §9.2.2). Not safe — it does change state —
# but safe to repeat.
#
# Some documentation says "DELETE deletes the resource if it exists, 200 OK". That is imprecise on two counts: `204`
# and `202` are just as correct, and it forgets the second call, whose `404` is not a failure.

# %% [markdown]
# ## 4. Not every resource can be deleted
#
# The collection `/lab/items` does not support DELETE. The server says so the HTTP way:

# %%
refused = lab.send("DELETE", "/lab/items")
refused.status_text, refused.response.headers["Allow"]

# %% [markdown]
# ## Self-check
#
# Answer, press **Check**, read the explanation. Questions marked *predict* send real requests to a lab of their own
# and grade your prediction against what the server actually did.

# %%
httplab.quiz.Quiz("05-delete").show()

# %% [markdown]
# ## Recap
#
# - DELETE asks the server to remove the target resource: `204`, `200` or `202` on success.
# - A second DELETE usually answers **404** — and the goal (no resource) is still reached: a retried DELETE that ends
#   in 404 has succeeded.
# - DELETE is **idempotent** (same state after N calls as after one) and **not safe**.
# - A resource that does not support DELETE answers **405** with `Allow`.
#
# **Next:** [06 · The idempotency lab](06-idempotency-lab.ipynb).
