# %% [markdown]
# # 03 · PUT: replace the whole state — and idempotency, observed
#
# **In this lesson (about 20 minutes) you will:**
# - create an item with **PUT** at a URI *you* choose, then replace it;
# - read the status codes RFC 9110 requires: **201** on create, **200 or 204** on replace;
# - see that PUT asks for the **whole state** to be replaced — don't count on fields you leave out;
# - predict, then observe, what repeating a PUT does — and what **idempotent** really means.
#
# File uploads with POST and PUT have an optional lesson of their own, [03b · Uploads](03b-uploads.ipynb).

# %%
import httplab

lab = httplab.start()
lab.reset()

# %% [markdown]
# ## 1. PUT: "make the resource at this URI look like this"
#
# PUT sends the **complete new state** of the target resource (RFC 9110 §9.3.4). The client chooses the URI.
# If nothing is there yet, PUT creates it:

# %%
created = lab.send("PUT", "/lab/items/pear", json={"name": "pear", "price": 2})
created.status_text, created.response.headers["Location"]

# %% [markdown]
# If something is there, PUT replaces it:

# %%
replaced = lab.send("PUT", "/lab/items/pear", json={"name": "pear", "price": 3})
replaced.status_text

# %% [markdown]
# The codes are not a matter of taste. RFC 9110 §9.3.4: when a PUT **creates** a resource, the server **MUST**
# answer `201 Created`; when it **replaces** one, it **MUST** answer `200 OK` or `204 No Content` — both are right.
# The lab answers `204 No Content` on replace.
#
# A page that says "PUT succeeds with 200 (usually 201 or 204)" is imprecise rather than wrong: 200 is a correct
# answer to a replace, but a create must get 201.

# %% [markdown]
# ## 2. PUT replaces *everything*
#
# A PUT is not "update these fields". What you send is meant to be the **whole** new state. Send only a price:

# %%
lab.send("PUT", "/lab/items/pear", json={"price": 4})
lab.send("GET", "/lab/items/pear").json

# %% [markdown]
# In this lab the name is gone. RFC 9110 §9.3.4 says a server **should** make the stored state consistent with what
# the PUT sent; real servers may still fill in defaults or keep fields they manage themselves (an id, a creation
# date). What no client should do is count on a left-out field surviving.
#
# To change one field and keep the others, either PUT the complete item with that field changed, or use a method
# made for partial updates: PATCH (next lesson). That is what RFC 9110 §14.5 points to for partial changes.

# %% [markdown]
# ## 3. Send the same PUT again and again
#
# Now the heart of the matter. The next cell empties the lab and sends one PUT three times, with a snapshot of the
# state before the first call and after each call.
#
# **Predict first** — two questions about the same run: the status codes, and the items left at the end.

# %%
guess_statuses = httplab.predict("03-put-three-statuses")
guess_statuses

# %%
guess_items = httplab.predict("03-put-three-items")
guess_items

# %% [markdown]
# Now fire:

# %%
put_result = lab.repeat("PUT", "/lab/items/pear", times=3, json={"name": "pear", "price": 2})
guess_statuses.reveal(put_result)

# %%
guess_items.reveal(put_result)

# %%
put_result

# %% [markdown]
# Look at two things:
#
# - the **responses differ**: `201 Created` the first time, `204 No Content` after that;
# - the **state is the same** after every call: one pear, price 2.
#
# That is what **idempotent** means (RFC 9110 §9.2.2): the *intended effect on the server* of sending a request
# several times is the same as the effect of sending it once. It is about the **state**, not about the response.

# %%
put_result.statuses, put_result.same_after_repeats

# %% [markdown]
# Compare with POST, side by side. POST climbs; PUT changes the state once and then stays flat:

# %%
lab.compare(
    [
        ("POST", "/lab/items", {"json": {"name": "pear"}}),
        ("PUT", "/lab/items/pear", {"json": {"name": "pear"}}),
    ],
    times=3,
)

# %% [markdown]
# Why is PUT idempotent and POST not? Not because one "updates" and the other "creates" — PUT can create too.
# PUT says *"the state at this URI is exactly this"*: saying it twice changes nothing more. POST says *"process
# this"*, and a resource may process the same content twice.
#
# Three more things idempotent does **not** mean:
#
# - **Not "safe".** PUT changes state (it is not a safe method), but sending it again changes nothing more.
# - **Not "byte-identical everything".** A server may log each call or update a "last seen" time; what counts is the
#   state the client asked for.
# - **Not "harmless under concurrency".** If another client changes the pear between your two PUTs, your second PUT
#   overwrites their change. Idempotent speaks of *identical* requests in a row; guarding against other writers takes
#   a precondition such as `If-Match` (lesson 08).

# %% [markdown]
# ## 4. Explore
#
# In the Repeat Explorer, PUT `{"name": "plum"}` to `/lab/items/plum` ten times. Then change the body between two
# runs: what is the state now? And what if you leave out `"name"`?

# %%
from httplab.widgets import RepeatExplorer

RepeatExplorer(lab)

# %% [markdown]
# **Exercise:** [1 · Exactly three items](exercises/01-create-three.ipynb) — a setup script that leaves exactly
# three items, however often it runs. You have the tool now.

# %% [markdown]
# ## Self-check
#
# Answer, press **Check**, read the explanation. Questions marked *predict* send real requests to a lab of their own
# and grade your prediction against what the server actually did.

# %%
httplab.quiz.Quiz("03-put").show()

# %% [markdown]
# ## Recap
#
# - PUT sends the **complete new state** of a resource at a URI the **client** chooses.
# - Create → **201 Created** (MUST); replace → **200 OK or 204 No Content** (MUST).
# - PUT asks for replacement, not a merge: never count on fields left out of a PUT surviving.
# - PUT is **idempotent**: N identical PUTs leave the state one PUT leaves, even though the responses differ
#   (201, then 204). Idempotent is about state, not responses. PUT is not safe, and idempotent does not protect
#   you from other clients' writes.
#
# **Optional:** [03b · Uploads: POST vs PUT for files](03b-uploads.ipynb). **Next:** [04 · PATCH](04-patch.ipynb).
