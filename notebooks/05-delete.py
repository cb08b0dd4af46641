# %% [markdown]
# # 05 · DELETE: 204, then 404 — and idempotent anyway
#
# **In this lesson (about 20 minutes) you will:**
# - remove an item with **DELETE** and read its status codes (`204`, `200` or `202`);
# - predict what the same DELETE answers a second time, and see why its `404 Not Found` is not a failure;
# - lose a DELETE's response, retry it, and say what the retry's `404` does and does not tell you;
# - connect all of it to idempotency: same state, different responses.

# %%
import httplab

lab = httplab.start()
lab.reset()
for name in ("apple", "pear", "plum"):
    lab.send("PUT", f"/lab/items/{name}", json={"name": name})
[item["id"] for item in lab.state()["items"]]

# %% [markdown]
# ## 1. DELETE asks the server to remove the target resource
#
# More exactly, DELETE asks the origin server to remove the association between the target resource and its current
# functionality (RFC 9110 §9.3.5). A successful DELETE answers with one of:
#
# - `204 No Content`: done, nothing more to say (the lab's answer);
# - `200 OK`: done, and here is a message about it;
# - `202 Accepted`: **accepted, not done yet**. The server will act later, and the action may still fail.
#   A `202` is not a promise that the resource is gone.

# %% [markdown]
# ## 2. The same DELETE, twice
#
# **Predict first.** What does each of two identical DELETEs of the pear answer?

# %%
guess_twice = httplab.predict("05-delete-twice")
guess_twice

# %% [markdown]
# Now fire: `reset=False` keeps the three items, so both DELETEs go to the lab you just filled.

# %%
twice = lab.repeat("DELETE", "/lab/items/pear", times=2, reset=False)
guess_twice.reveal(twice)

# %%
twice

# %% [markdown]
# The second DELETE answered `404 Not Found`. Did it fail? Ask a better question: **what did you want?** You wanted
# the pear gone. Is it gone?

# %%
"pear" in [item["id"] for item in lab.state()["items"]]

# %% [markdown]
# The goal is reached. The second `404` is not a failure, and it does not undo the first call's success.
#
# Read the chart above again: the first call changed the state (a step), the second left it as the first one did
# (flat). The responses differ (`204`, then `404`); the state after two DELETEs is the state after one. That is
# what **idempotent** means (RFC 9110 §9.2.2): it is about the effect on the server's state, not about the response.

# %% [markdown]
# ## 3. A lost response, and a retried DELETE
#
# Networks fail. Sometimes the server deletes the item and the response never reaches the client. The lab can do
# exactly that on purpose (lesson 07 looks at lost responses in depth). Here a client whose DELETE got no answer
# sends it once more.
#
# **Predict first.** What does this client see?

# %%
guess_retry = httplab.predict("05-delete-lost-retry")
guess_retry

# %% [markdown]
# Now fire. The lab starts fresh, creates the plum (`setup`), loses the first DELETE's response, and retries:

# %%
lost = lab.retry_after_lost_response(
    "DELETE", "/lab/items/plum", retry="idempotent-only",
    setup=[("PUT", "/lab/items/plum", {"json": {"name": "plum"}})],
)
guess_retry.reveal(lost)

# %%
lost

# %% [markdown]
# You can see the state, so you know the first attempt did the work. A client in the wild sees only the `404`.
# What should it conclude? **Most likely its first attempt did it** — but a `404` does not say *who* deleted the
# item. Watch: another client, Bob, deletes the kiwi first; then your DELETE arrives.

# %%
lab.reset()
lab.send("PUT", "/lab/items/kiwi", json={"name": "kiwi"})
bob = lab.send("DELETE", "/lab/items/kiwi")    # Bob's request
mine = lab.send("DELETE", "/lab/items/kiwi")   # yours
bob.status_text, mine.status_text

# %% [markdown]
# Your `404` looks exactly like the `404` of a retry after your own lost DELETE. Either way the item is gone, which
# is what you asked for. If your program must know who deleted it, the `404` cannot tell you.
#
# DELETE is idempotent, so it is **harmless to retry**: repeating it leaves the state one DELETE leaves (as long as
# nobody else writes to the item in between; lesson 07 comes back to that). DELETE is **not safe**, though: safe
# methods ask for no change of state at all (RFC 9110 §9.2.1), and a DELETE asks for one. "Safe" is a property of
# the method: the DELETE above that found nothing changed nothing, and DELETE is still not a safe method.

# %% [markdown]
# ## 4. What a short documentation page gets imprecise
#
# Some documentation says "DELETE deletes the resource if it exists, 200 OK". That is **imprecise**:
#
# - `204` and `200` both say "done"; `202` says "accepted, not done yet";
# - it forgets the second call: DELETE is idempotent, and a second DELETE's `404` is not a failure of the first.

# %% [markdown]
# ## 5. Not every resource can be deleted
#
# The collection `/lab/items` does not support DELETE. The server says so the HTTP way: `405 Method Not Allowed`,
# with an `Allow` header that lists what the resource does support (RFC 9110 §15.5.6).

# %%
refused = lab.send("DELETE", "/lab/items")
refused.status_text, refused.response.headers["Allow"]

# %% [markdown]
# ## 6. Practise
#
# Exercise: [Delete, and delete again](exercises/05-delete-twice.ipynb). Write a `remove` function that a retry can
# call twice, and that reports success both times.

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
# - DELETE asks the server to remove the target resource: `204` or `200` when done, `202` when only **accepted**.
# - A second DELETE usually answers **404**. The goal (no resource) is still reached: that `404` is not a failure.
# - A retried DELETE that ends in `404`: **most likely** your first attempt did it — but a `404` does not say who
#   deleted the item.
# - DELETE is **idempotent** (same state after N calls as after one), so it is harmless to retry; it is **not safe**.
# - A resource that does not support DELETE answers **405** with `Allow`.
#
# **Next:** [06 · The idempotency lab](06-idempotency-lab.ipynb).
