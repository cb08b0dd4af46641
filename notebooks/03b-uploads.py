# %% [markdown]
# # 03b · Optional: uploading a file with POST and with PUT
#
# *An optional lesson: take it after [03 · PUT](03-put.ipynb), or skip it — lesson 04 does not need it.*
#
# **In this lesson (about 10 minutes) you will:**
# - upload a file with **POST** as `multipart/form-data`, the format of an HTML upload form, and read it on the wire;
# - upload the same bytes with **PUT** to a name *you* choose;
# - predict, then see, that the difference between the methods is the same for files as for items;
# - see how a resource says it does not support PATCH: **405** with `Allow`.

# %%
import httplab

lab = httplab.start()
lab.reset()

# %% [markdown]
# ## 1. The same file, two ways
#
# Documentation pages often give "uploading a file" as the example for *both* POST and PUT. The lab has a files
# resource at `/lab/files` that shows the difference. First, a small "file":

# %%
report = b"Quarterly report\nRevenue: up\n"

# %% [markdown]
# The next two cells upload it four times: twice with **POST** to the collection `/lab/files`, then twice with
# **PUT** to `/lab/files/report.txt`.
#
# **Predict first.**

# %%
guess = httplab.predict("03b-uploads-two-and-two")
guess

# %% [markdown]
# Now fire. **POST** the file as `multipart/form-data` to the collection, twice. The server chooses each new file's
# name and says it in `Location`:

# %%
for _ in range(2):
    posted = lab.send("POST", "/lab/files", files={"file": ("report.txt", report, "text/plain")})
    print(posted.status_text, posted.response.headers["Location"])

# %% [markdown]
# **PUT** the raw bytes to a URI *you* choose, twice:

# %%
for _ in range(2):
    put = lab.send("PUT", "/lab/files/report.txt", content=report, headers={"Content-Type": "text/plain"})
    print(put.status_text)
files = [f["name"] for f in lab.state()["files"]]
print(files)
guess.reveal({"files": len(files)})

# %% [markdown]
# The PUT created `report.txt` once (`201 Created`) and replaced it with the same bytes the second time
# (`204 No Content`): still one file at that name, next to the two that POST made. It is the same difference as with
# items in lesson 03, and it comes from the methods, not from what is being stored: POST asks the collection to
# process an upload (here: store it under a new name), PUT says "the file at this URI is exactly these bytes".

# %% [markdown]
# ## 2. A multipart request on the wire
#
# Here is the last POST as HTTP/1.1 text. The content is split into *parts* by a boundary string (named in the
# `Content-Type` header field), and each part has header fields of its own: `Content-Disposition` gives the form
# field's name and the file name, `Content-Type` the file's media type.

# %%
print(posted.raw_request)

# %% [markdown]
# A PUT needs none of that: its content *is* the file, and its `Content-Type` is the file's media type.

# %%
print(put.raw_request)

# %% [markdown]
# ## 3. And PATCH?
#
# This files resource does not support PATCH. Some pages say PATCH is "not available for some modules"; HTTP says
# it precisely — **405 Method Not Allowed** with an `Allow` header listing what *is* supported (RFC 9110 §15.5.6):

# %%
patched = lab.send("PATCH", "/lab/files/report.txt", content=b"Revenue: down", headers={"Content-Type": "text/plain"})
patched.status_text, patched.response.headers["Allow"]

# %% [markdown]
# `OPTIONS /lab/files/report.txt` would tell you the same before you try.

# %% [markdown]
# ## Recap
#
# - POST the same upload twice to a collection → two files, at names the server chose (`201` + `Location` each time).
# - PUT the same bytes twice to one URI → one file: created (`201`), then replaced (`204`). PUT is idempotent for
#   files as for anything else.
# - `multipart/form-data` packs a file (and form fields) into parts with header fields of their own; PUT sends the
#   bytes as they are.
# - A resource that does not support PATCH answers **405** with `Allow`.
#
# **Next:** [04 · PATCH](04-patch.ipynb).
