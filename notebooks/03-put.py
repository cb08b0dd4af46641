# %% [markdown]
# # 03 · PUT: replace the whole state — and idempotency, observed
#
# **In this lesson (about 20 minutes) you will:**
# - create an item with **PUT** at a URI *you* choose, then replace it;
# - read the status codes RFC 9110 requires: **201** on create, **200 or 204** on replace;
# - see that PUT **replaces the whole state** — fields you leave out are gone;
# - repeat a PUT and observe what **idempotent** really means.

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
# The codes are not a matter of taste. RFC 9110 §9.3.4: when PUT **creates** a resource the server **MUST** answer
# `201 Created`; when it **replaces** one, it **MUST** answer `200 OK` or `204 No Content`. (A page that says "PUT
# answers 200, usually 201 or 204" mixes the two cases up.) The lab answers `204 No Content` on replace.

# %% [markdown]
# ## 2. PUT replaces *everything*
#
# A PUT is not "update these fields". Whatever you send **is** the new state. Send only a price, and the name is gone:

# %%
lab.send("PUT", "/lab/items/pear", json={"price": 4})
lab.send("GET", "/lab/items/pear").json

# %% [markdown]
# To change one field and keep the others, either PUT the complete item with that field changed, or use PATCH
# (next lesson).

# %% [markdown]
# ## 3. Send the same PUT again and again
#
# Now the heart of the matter. Repeat one PUT five times and compare the state after every call:

# %%
put_result = lab.repeat("PUT", "/lab/items/pear", times=5, json={"name": "pear", "price": 2})
put_result

# %% [markdown]
# Look at two things:
#
# - the **responses differ**: `201 Created` the first time, `204 No Content` after that;
# - the **state is the same** after every call: one pear, price 2.
#
# That is what **idempotent** means (RFC 9110 §9.2.2): the *intended effect on the server* of sending a request
# several times is the same as sending it once. It is about the **state**, not about the response.

# %%
put_result.statuses, put_result.idempotent_observed

# %% [markdown]
# Compare with POST, side by side. POST climbs; PUT stays flat:

# %%
lab.compare(
    [
        ("POST", "/lab/items", {"json": {"name": "pear"}}),
        ("PUT", "/lab/items/pear", {"json": {"name": "pear"}}),
    ],
    times=5,
)

# %% [markdown]
# Why is PUT idempotent and POST not? Not because one "updates" and the other "creates" — PUT can create too.
# PUT says *"the state at this URI is exactly this"*: saying it twice changes nothing more. POST says *"process
# this"*, and a resource may process the same content twice.
#
# Idempotent is not the same as safe: PUT changes state (not safe), but sending it again changes nothing more
# (idempotent).

# %% [markdown]
# ## 4. Uploading a file: POST vs PUT
#
# Documentation pages often give "uploading a file" as the example for *both* POST and PUT. The lab has a files
# resource at `/lab/files` that shows the difference. First, a small "file":

# %%
report = b"Quarterly report\nRevenue: up\n"

# %% [markdown]
# **POST** a file as `multipart/form-data` (the format of an HTML upload form) to the collection: the server chooses
# the new file's name. Do it twice:

# %%
lab.reset()
for _ in range(2):
    posted = lab.send("POST", "/lab/files", files={"file": ("report.txt", report, "text/plain")})
    print(posted.status_text, posted.response.headers["Location"])
[f["name"] for f in lab.state()["files"]]

# %% [markdown]
# Two uploads, two files. Here is what a multipart request looks like on the wire — each part has its own header
# fields:

# %%
print(posted.raw_request)

# %% [markdown]
# **PUT** the raw bytes to a URI *you* choose. Do it twice:

# %%
for _ in range(2):
    put = lab.send("PUT", "/lab/files/report.txt", content=report, headers={"Content-Type": "text/plain"})
    print(put.status_text)
[f["name"] for f in lab.state()["files"]]

# %% [markdown]
# The PUT created `report.txt` once (201) and replaced it with the same bytes the second time (204): still one file
# at that name, next to the two that POST made. The same difference as with items — it comes from the methods, not
# from what is being stored.
#
# And PATCH? This files resource does not support it. Some pages say PATCH is "not available for some modules";
# HTTP says it precisely — **405 Method Not Allowed** with an `Allow` header listing what *is* supported:

# %%
patched = lab.send("PATCH", "/lab/files/report.txt", content=b"Revenue: down", headers={"Content-Type": "text/plain"})
patched.status_text, patched.response.headers["Allow"]

# %% [markdown]
# ## 5. Explore
#
# In the Repeat Explorer, PUT `{"name": "plum"}` to `/lab/items/plum` ten times. Then change the body between two
# runs: what is the state now?

# %%
from httplab.widgets import RepeatExplorer

RepeatExplorer(lab)

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
# - Fields left out of a PUT are **gone**: PUT replaces, it does not merge.
# - PUT is **idempotent**: N identical PUTs leave the same state as one, even though the responses differ
#   (201, then 204). Idempotent is about state, not responses. PUT is not safe.
# - The same holds for files: POST the same upload twice → two files; PUT it twice to one name → one file.
#   A resource that does not support PATCH answers **405** with `Allow`.
#
# **Next:** [04 · PATCH](04-patch.ipynb).
