# %% [markdown]
# # 08 · Conditional requests and lost updates
#
# **In this lesson (about 25 minutes) you will:**
# - use an item's **ETag** to ask "has it changed?" with `If-None-Match` (and get `304 Not Modified`);
# - watch two clients overwrite each other — a **lost update** — and prevent it with `If-Match` (`412`);
# - create only if absent with `If-None-Match: *`, and see a server that *demands* a precondition (`428`).

# %%
import httplab

lab = httplab.start()
lab.reset()
created = lab.send("PUT", "/lab/items/note", json={"text": "buy milk"})
created.response.headers["ETag"]

# %% [markdown]
# ## 1. ETags: a tag for one version
#
# An **entity tag** names one version of a representation (RFC 9110 §8.8.3). It is a quoted string such as `"a1b2"`;
# a `W/` prefix marks a *weak* tag. The lab's tags are strong and change exactly when the item changes.

# %%
etag = lab.send("GET", "/lab/items/note").response.headers["ETag"]
lab.send("PUT", "/lab/items/note", json={"text": "buy oat milk"})
new_etag = lab.send("GET", "/lab/items/note").response.headers["ETag"]
etag, new_etag

# %% [markdown]
# ## 2. "Only if it changed": `If-None-Match` on GET
#
# Send the ETag you have; if it still matches, the server answers **`304 Not Modified`** with no content — your copy
# is current, and nothing had to be downloaded:

# %%
lab.send("GET", "/lab/items/note", headers={"If-None-Match": new_etag})

# %%
lab.send("GET", "/lab/items/note", headers={"If-None-Match": etag}).status_text  # the old tag: here is the new version

# %% [markdown]
# ## 3. The lost update
#
# Alice and Bob both read the note (same ETag). Alice writes her version; then Bob writes his — built on the old
# version he read. Without any condition, Bob's PUT **silently overwrites** Alice's change:

# %%
story = lab.lost_update()
story

# %% [markdown]
# PUT being idempotent does not help here: these are two *different* PUTs. Idempotent is not "safe under
# concurrency".
#
# With **`If-Match: <the ETag I read>`**, a write only happens if the item is still the version the writer read
# (RFC 9110 §13.1.1). Alice's write changes the ETag, so Bob's condition is false: he gets **`412 Precondition
# Failed`**, nothing of his is stored, and he knows to read again.

# %%
story.with_if_match

# %% [markdown]
# Do it by hand:

# %%
lab.reset()
lab.send("PUT", "/lab/items/note", json={"text": "v1"})
seen = lab.send("GET", "/lab/items/note").response.headers["ETag"]          # Alice and Bob both read v1
alice = lab.send("PUT", "/lab/items/note", json={"text": "Alice's v2"}, headers={"If-Match": seen})
bob = lab.send("PUT", "/lab/items/note", json={"text": "Bob's v2"}, headers={"If-Match": seen})
alice.status_text, bob.status_text, lab.send("GET", "/lab/items/note").json

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
# A server can refuse unconditional writes altogether (RFC 6585 §3). Switch the lab into that mode:

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
# ## 6. The order of checks
#
# When a request carries several conditions, the server evaluates them in a fixed order (RFC 9110 §13.2.2):
# `If-Match` first, then `If-Unmodified-Since`, then `If-None-Match`, then `If-Modified-Since`. And conditions only
# matter when the request would otherwise succeed: a conditional DELETE of an item that does not exist still answers
# 404.

# %%
lab.send("DELETE", "/lab/items/nothing-here", headers={"If-Match": '"abc"'}).status_text

# %% [markdown]
# ## 7. The Lost-Update Lab

# %%
from httplab.widgets import LostUpdateLab

LostUpdateLab(lab)

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
# - An **ETag** names one version of a representation; it is a quoted string.
# - `If-None-Match: <etag>` on GET → **304** when your copy is current.
# - Two writers without conditions → a **lost update**, silently. `If-Match: <etag>` → the second writer gets
#   **412** and nothing is overwritten.
# - `If-None-Match: *` on PUT → create only if absent (412 otherwise).
# - A server may demand preconditions: **428**. Conditions are evaluated in the order of §13.2.2.
#
# **Next:** [09 · Status codes and errors](09-status-codes.ipynb).
