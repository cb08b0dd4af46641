# %% [markdown]
# # 08 · Conditional requests and lost updates
#
# **In this lesson (about 30 minutes) you will:**
# - use an item's **ETag** to ask "has it changed?" with `If-None-Match` (and get `304 Not Modified`);
# - predict whose write survives when two clients edit the same item — a **lost update** — and prevent it with
#   `If-Match` (`412`);
# - create only if absent with `If-None-Match: *`, and meet a server that *demands* a precondition (`428`);
# - learn the order in which a server checks several conditions.

# %%
import httplab

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/note", json={"text": "buy milk"})
lab.send("GET", "/lab/items/note").response.headers["ETag"]

# %% [markdown]
# ## 1. ETags: a tag for one version
#
# An **entity tag** names one version of a representation (RFC 9110 §8.8.3). It is a quoted string such as `"a1b2"`;
# a `W/` prefix marks a *weak* tag (`W/"a1b2"`). The lab's tags are strong and change exactly when the item changes.
#
# Read the ETag from a **GET**: that is always right. Some servers also send an ETag with a PUT's response, but
# they may do so only when the stored representation is exactly what was sent (RFC 9110 §9.3.4). Don't rely on a
# PUT response's ETag unless you have checked that the server keeps that rule.

# %%
etag = lab.send("GET", "/lab/items/note").response.headers["ETag"]
lab.send("PUT", "/lab/items/note", json={"text": "buy oat milk"})
new_etag = lab.send("GET", "/lab/items/note").response.headers["ETag"]
etag, new_etag

# %% [markdown]
# ## 2. "Only if it changed": `If-None-Match` on GET
#
# Send the ETag you have; if it still matches, the server answers **`304 Not Modified`** with no content: your copy
# is current, and nothing had to be downloaded (RFC 9110 §13.1.2). `If-None-Match` uses *weak* comparison, so
# `W/"a1b2"` and `"a1b2"` match here.

# %%
lab.send("GET", "/lab/items/note", headers={"If-None-Match": new_etag})

# %%
lab.send("GET", "/lab/items/note", headers={"If-None-Match": etag}).status_text  # the old tag: here is the new version

# %% [markdown]
# ## 3. The lost update
#
# Alice and Bob both read a shopping list (same ETag). Alice writes her version; then Bob writes his, built on the
# old version he read. Neither sends a condition.
#
# **Predict first.** Whose write survives?

# %%
guess_blind = httplab.predict("08-lost-update-blind")
guess_blind

# %% [markdown]
# Now fire. `lab.lost_update()` plays the story three ways (without `If-Match`, with it, create-only); look at the
# first way now:

# %%
story = lab.lost_update()
guess_blind.reveal(story)

# %%
story.without_if_match

# %% [markdown]
# Both writes succeeded, and Alice's change is gone; nobody was told. PUT being idempotent does not help here: these
# are two *different* PUTs. Idempotent does not mean "safe under concurrency".
#
# With **`If-Match: <the ETag I read>`**, a write only happens if the item is still the version the writer read
# (RFC 9110 §13.1.1). `If-Match` uses *strong* comparison: a weak tag never satisfies it.
#
# **Predict first.** Alice and Bob both read the note and send their PUT with `If-Match`. What does Bob get?

# %%
guess_if_match = httplab.predict("08-lost-update-if-match")
guess_if_match

# %% [markdown]
# Now fire, by hand:

# %%
lab.reset()
lab.send("PUT", "/lab/items/note", json={"text": "v1"})
seen = lab.send("GET", "/lab/items/note").response.headers["ETag"]          # Alice and Bob both read v1
alice = lab.send("PUT", "/lab/items/note", json={"text": "Alice's v2"}, headers={"If-Match": seen})
bob = lab.send("PUT", "/lab/items/note", json={"text": "Bob's v2"}, headers={"If-Match": seen})
guess_if_match.reveal(bob)

# %%
alice.status_text, bob.status_text, lab.send("GET", "/lab/items/note").json

# %% [markdown]
# Alice's write changed the ETag, so Bob's condition was false: **`412 Precondition Failed`**, nothing of his was
# stored, and he knows to read again. The same story from `lab.lost_update()`:

# %%
story.with_if_match

# %% [markdown]
# ## 4. Create only if absent: `If-None-Match: *`
#
# `*` matches any current representation. On a PUT, `If-None-Match: *` means "only if nothing is there yet": the
# first PUT creates (201), a second one gets 412 instead of overwriting.

# %%
lab.reset()
first = lab.send("PUT", "/lab/items/ticket-1", json={"seat": "12A"}, headers={"If-None-Match": "*"})
second = lab.send("PUT", "/lab/items/ticket-1", json={"seat": "14C"}, headers={"If-None-Match": "*"})
first.status_text, second.status_text, lab.send("GET", "/lab/items/ticket-1").json

# %% [markdown]
# ## 5. A server that insists: `428 Precondition Required`
#
# A server can refuse unconditional writes with **428** (RFC 6585 §3). Switch the lab into that mode:

# %%
lab.settings(require_precondition=True)
blind = lab.send("PUT", "/lab/items/ticket-1", json={"seat": "1A"})
print(blind.status_text, "—", blind.json["detail"])

# %%
etag = lab.send("GET", "/lab/items/ticket-1").response.headers["ETag"]
lab.send("PUT", "/lab/items/ticket-1", json={"seat": "1A"}, headers={"If-Match": etag}).status_text

# %%
lab.settings(require_precondition=False)

# %% [markdown]
# 428 is **optional**: most servers never send it, and a client cannot rely on it to prevent lost updates (RFC 6585
# §7.1). Send `If-Match` yourself whenever you write what you read.

# %% [markdown]
# ## 6. The order of checks
#
# When a request carries several conditions, the origin server evaluates them in this order (RFC 9110 §13.2.2):
#
# 1. `If-Match`, when present. False → `412`.
# 2. Otherwise, `If-Unmodified-Since`, when present. False → `412`.
# 3. `If-None-Match`, when present. False → `304` on GET and HEAD, `412` on every other method.
# 4. Otherwise, **for GET and HEAD only**, `If-Modified-Since`, when present. False → `304`.
#
# (Steps 1 and 2 have one exception: a server that can tell a state-changing request was already applied may
# answer 2xx instead of 412, RFC 9110 §13.1.1. Lesson 07 met it.)
#
# **Predict first.** A GET carries two false conditions: a stale `If-Match` and an `If-None-Match` with the current
# ETag. Which status?

# %%
guess_order = httplab.predict("08-precondition-order")
guess_order

# %% [markdown]
# Now fire:

# %%
lab.send("PUT", "/lab/items/note", json={"text": "v3"})
current = lab.send("GET", "/lab/items/note").response.headers["ETag"]
both = lab.send("GET", "/lab/items/note", headers={"If-Match": '"stale"', "If-None-Match": current})
guess_order.reveal(both)

# %% [markdown]
# `If-Match` comes first, so the answer is `412`, and `If-None-Match` is never reached.
#
# And conditions only matter when the request would otherwise succeed: the server ignores them when the response
# without them would be neither a 2xx nor a 412 (RFC 9110 §13.2.1). A conditional DELETE of an item that does not
# exist still answers 404:

# %%
lab.send("DELETE", "/lab/items/nothing-here", headers={"If-Match": '"abc"'}).status_text

# %% [markdown]
# ## 7. The Lost-Update Lab

# %%
from httplab.widgets import LostUpdateLab

LostUpdateLab(lab)

# %% [markdown]
# ## 8. Practise
#
# - [Stop a lost update](exercises/04-lost-update.ipynb): read, change, write back with `If-Match`.
# - [Create only if absent](exercises/06-create-once.ipynb): `If-None-Match: *`.
# - [Fetch only if changed](exercises/08-fetch-if-changed.ipynb): a conditional GET and its `304`.
# - [A conditional-update loop](exercises/10-update-loop.ipynb): on a `412`, read again and retry.

# %% [markdown]
# ## Self-check
#
# Answer, press **Check**, read the explanation. Questions marked *predict* send real requests to a lab of their own
# and grade your prediction against what the server actually did.

# %%
httplab.quiz.Quiz("08-conditional-requests").show()

# %% [markdown]
# ## Recap
#
# - An **ETag** names one version of a representation; it is a quoted string, possibly weak (`W/"…"`). Read it from
#   a GET.
# - `If-None-Match: <etag>` on GET → **304** when your copy is current.
# - Two writers without conditions → a **lost update**, silently. `If-Match: <etag>` → the second writer gets
#   **412** and nothing is overwritten.
# - `If-None-Match: *` on PUT → create only if absent (412 otherwise).
# - A server may demand preconditions with **428**, but it is optional: don't rely on it.
# - Order of checks (§13.2.2): `If-Match`; else `If-Unmodified-Since`; `If-None-Match` (false → 304 on GET/HEAD,
#   412 otherwise); else, for GET/HEAD only, `If-Modified-Since`.
#
# **Next:** [09 · Status codes and errors](09-status-codes.ipynb).
