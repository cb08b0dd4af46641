# %% [markdown]
# # 10 · Audit a server
#
# **In this lesson (about 30 minutes) you will:**
# - see that HTTP cannot force a server to keep its promises: a server can break them, and only experiments show it;
# - predict, then observe, three behaviours: one that breaks a rule and two that only look odd;
# - run the kit's experiments against a **mystery lab** that breaks some rules on purpose;
# - write down each finding with the RFC rule it breaks — and say "allowed" for what is merely unusual.
#
# Until now every lab kept every rule of RFC 9110, so you only ever confirmed them. Real skill is judging a
# server you did not write. Some behaviour breaks a MUST; some is unusual but allowed; some is harmless.

# %%
import httplab

PEAR = ("PUT", "/lab/items/pear", {"json": {"name": "pear"}})

# %% [markdown]
# ## 1. A GET that changes the item
#
# This lab has one flaw, planted on purpose and named: `get-counts-views`. Every GET of an item adds 1 to a
# `views` field **stored in the item**. (`httplab.http.flaws.FLAWS` describes every flaw a lab can plant.)
#
# **Predict first.** What does repeating a GET do to the state here?

# %%
views_lab = httplab.Lab(flaws=["get-counts-views"])
views_lab

# %%
guess_views = httplab.predict("10-get-views")
guess_views

# %% [markdown]
# Now fire:

# %%
views = views_lab.repeat("GET", "/lab/items/pear", times=3, setup=[PEAR])
guess_views.reveal(views)

# %%
views

# %% [markdown]
# GET is **safe**: the client asks for no state change (RFC 9110 §9.2.1). HTTP cannot stop a server from changing
# state anyway — this one does, so the verdict says it **broke its promise**. A hit counter in a *log* would be
# fine: a log is not the resource's state.

# %%
views_lab.stop()

# %% [markdown]
# ## 2. Two things that look odd but break no rule
#
# This lab stamps an `updated_at` time on every PUT, a field the client never sent. It also answers `204` to a
# DELETE of an item that was never there, where most servers say `404`.
#
# **Predict first.** Repeat the same PUT three times. Does the verdict say PUT's idempotent promise was broken?

# %%
odd_lab = httplab.Lab(flaws=["put-stamps-updated-at", "delete-missing-204"])
guess_stamp = httplab.predict("10-put-stamp")
guess_stamp

# %%
stamped = odd_lab.repeat("PUT", "/lab/items/pear", json={"name": "pear"})
guess_stamp.reveal(stamped)

# %%
print(stamped.explanation)
[state["items"][0]["data"] for state in stamped.after]

# %% [markdown]
# The stored item differs after each call — but only in `updated_at`, which the client did not send. Idempotent
# is about the **intended effect** (RFC 9110 §9.2.2): after one PUT or three, every field the client sent is as
# sent. The RFC lets a server keep a history or other side effects of its own. So the kit's verdict sets aside
# the fields the client did not send, and says **unusual but allowed**. (Such a server must leave the `ETag`
# off its PUT answers, since what it stored is not exactly what was sent, §9.3.4 — this one does.)
#
# **Predict first.** A DELETE of an item that never existed answers 204. A broken promise?

# %%
guess_ghost = httplab.predict("10-delete-ghost")
guess_ghost

# %%
ghost = odd_lab.repeat("DELETE", "/lab/items/ghost", times=2)
guess_ghost.reveal(ghost)

# %%
print(ghost.explanation)
odd_lab.stop()

# %% [markdown]
# No rule says a DELETE of a missing item must get 404. The state afterwards — nothing at that URI — is what a
# DELETE asks for, and 204 is one of the answers §9.3.5 lists.

# %% [markdown]
# ## 3. A mystery lab
#
# Now a lab whose flaws you are **not** told. `flaws="mystery"` plants a hidden set chosen from the seed: three
# that break a rule and one that is lawful. Its state and its answers look normal until you experiment. The seed
# below gives everyone in the room the same server (your teacher may give you another).

# %%
mystery = httplab.Lab(flaws="mystery", seed=2)
mystery, mystery.state()["settings"]

# %% [markdown]
# Run experiments. Each cell checks one promise; read the result before you decide anything.
#
# **Safe methods.** Does a GET change the state?

# %%
mystery.repeat("GET", "/lab/items/pear", setup=[PEAR])

# %% [markdown]
# **Idempotent methods.** Do repeated PUTs and DELETEs leave the state of one call?

# %%
mystery.compare(times=3)

# %% [markdown]
# **Creating.** Does a POST that creates say where the new item is (`Location`, §9.3.3)?

# %%
created = mystery.send("POST", "/lab/items", json={"name": "fig"})
created.status_text, created.response.headers.get("Location")

# %% [markdown]
# **Preconditions.** Is a PUT with a wrong `If-Match` refused with 412 (§13.1.1)?

# %%
mystery.reset()
mystery.send("PUT", "/lab/items/pear", json={"name": "pear"})
mystery.send("PUT", "/lab/items/pear", json={"name": "plum"}, headers={"If-Match": '"not-the-etag"'}).status_text

# %% [markdown]
# **Methods.** A method this resource does not support (405 with `Allow`, §15.5.6), and one nobody knows (501,
# §9.1):

# %%
for method in ("POST", "BREW"):
    reply = mystery.send(method, "/lab/items/pear", json={})
    print(method, "→", reply.status_text, "| Allow:", reply.response.headers.get("Allow"))

# %% [markdown]
# **Missing things.** A DELETE of an item that was never there:

# %%
mystery.send("DELETE", "/lab/items/ghost").status_text

# %% [markdown]
# ## 4. Your findings
#
# Write down what this server does wrong, each with the rule it breaks, and what is only unusual. The ids are
# those of the catalogue:

# %%
from httplab.http.flaws import FLAWS

for flaw in FLAWS.values():
    print(f"{flaw.id:24} {flaw.title}")

# %%
findings = {
    # "flaw-id": "RFC 9110 §x.y" for a broken rule, or "allowed" for what is only unusual, e.g.
    # "get-counts-views": "RFC 9110 §9.2.1",
}

# %% [markdown]
# Compare with the catalogue: each flaw's rule, quoted from the RFC.

# %%
if not findings:
    print("No findings written yet: fill in the cell above, then run this one again.")
for flaw_id, verdict in findings.items():
    flaw = FLAWS[flaw_id]
    kind = "lawful: the rule that allows it is" if flaw.lawful else "breaks"
    print(f'{flaw_id}: you said {verdict}. The catalogue: {kind} {flaw.rule.section}: "{flaw.rule.sentence}"\n')

# %% [markdown]
# Did you find them all? Only the seed knows. The [audit exercise](exercises/11-audit.ipynb) makes you write the
# audit as a function and grades it against several mystery labs.

# %%
mystery.stop()

# %% [markdown]
# ## Self-check

# %%
httplab.quiz.Quiz("10-audit").show()

# %% [markdown]
# ## Recap
#
# - A method's semantics are a **promise the server keeps or breaks**: HTTP cannot enforce them.
# - **Broken**: an observation contradicts a rule — a GET that changes the resource (§9.2.1), a PUT or DELETE whose
#   repeats do not leave the state of one call (§9.2.2), a MUST such as `Allow` on 405 (§15.5.6) or refusing a false
#   `If-Match` (§13.1.1).
# - **Unusual but allowed**: a server-stamped `updated_at` (idempotence is about the intended effect), 204 for a
#   DELETE of a missing item. Say so, and do not report them as faults.
# - An experiment is evidence, not proof: cite what you saw and the sentence of the RFC it contradicts.
