# %% [markdown]
# # 02 · POST: create, process — and duplicates
#
# **In this lesson (about 20 minutes) you will:**
# - create items with **POST** and read `201 Created` and its `Location` header;
# - send the same POST again and again and watch the duplicates pile up;
# - see why POST is neither safe nor idempotent — and what POST is really for.

# %%
import httplab

lab = httplab.start()
lab.reset()

# %% [markdown]
# ## 1. POST asks the resource to process what you send
#
# POST sends content to a resource and asks it to **process that content by its own rules** (RFC 9110 §9.3.3).
# What "process" means is up to the resource: append to a list, create a new resource at a URI the *server* chooses,
# place an order, run a search, send an e-mail…
#
# The lab's collection `/lab/items` processes a POST by creating a new item:

# %%
first = lab.send("POST", "/lab/items", json={"name": "apple"})
first

# %% [markdown]
# When a POST creates a resource, the server answers **`201 Created`** with a **`Location`** header naming the new
# resource (RFC 9110 §9.3.3, §15.3.2). The *server* chose the id:

# %%
first.response.headers["Location"]

# %%
lab.send("GET", first.response.headers["Location"]).json

# %% [markdown]
# Some documentation says "POST succeeds with 200 OK". That is imprecise: `200` is fine when a POST returns the
# result of some processing, but when it **creates** a resource the right answer is `201 Created` + `Location`.
# `202 Accepted` (processed later), `204 No Content` and `303 See Other` are also possible.

# %% [markdown]
# ## 2. The same POST, again
#
# Send the *identical* request a second time:

# %%
second = lab.send("POST", "/lab/items", json={"name": "apple"})
second.status_text, second.response.headers["Location"]

# %%
[(item["id"], item["data"]) for item in lab.state()["items"]]

# %% [markdown]
# Two apples. Each POST was processed on its own, so each created something new. Let the lab repeat it five
# times and watch the state after every call:

# %%
lab.repeat("POST", "/lab/items", times=5, json={"name": "apple"})

# %% [markdown]
# Every call changed the state again: POST is **not idempotent** (RFC 9110 §9.2.2), and it is **not safe** either —
# the client explicitly asks for something to happen.
#
# That is why browsers warn before re-submitting a form, and why clients **should not retry a POST automatically**
# (lesson 07 shows what goes wrong, and how an `Idempotency-Key` fixes it).

# %% [markdown]
# ## 3. POST is not only for creating
#
# "POST creates, PUT updates" is a popular rule of thumb, and it is wrong in both directions:
#
# - POST can do *anything* the resource defines — httpbin's `/post` just echoes what it got and creates nothing:

# %%
echo = lab.send("POST", "/post", json={"question": "what did I send?"})
echo.status_text, echo.json["json"]

# %% [markdown]
# - and PUT can create, at a URI the *client* chooses (next lesson).

# %% [markdown]
# ## 4. Try it: what a bad request gets
#
# The lab wants JSON objects. What does it say when it gets something else? Run the cell and read the `detail`
# messages — each says what was wrong and what to do.

# %%
for content, content_type in [('{"name": "pear"', "application/json"), ("name=pear", "text/plain"), ("[1, 2]", "application/json")]:
    reply = lab.send("POST", "/lab/items", content=content, headers={"Content-Type": content_type})
    print(reply.status_text, "—", reply.json["detail"])

# %% [markdown]
# None of those created anything — a rejected request leaves the state as it was:

# %%
len(lab.state()["items"])

# %% [markdown]
# ## 5. Explore
#
# Use the Repeat Explorer: POST the same body 10 times and watch the state grow with each call.

# %%
from httplab.widgets import RepeatExplorer

RepeatExplorer(lab)

# %% [markdown]
# ## Self-check
#
# Answer, press **Check**, read the explanation. Questions marked *predict* send real requests to a lab of their own
# and grade your prediction against what the server actually did.

# %%
httplab.quiz.Quiz("02-post").show()

# %% [markdown]
# ## Recap
#
# - POST asks the target resource to **process** the content by its own rules.
# - When it creates a resource: **`201 Created`** and a **`Location`** header with the URI the server chose.
# - The same POST sent twice is processed twice: **duplicates**. POST is neither safe nor idempotent.
# - "POST creates, PUT updates" is a myth: POST can do anything the resource defines, and PUT can create.
#
# **Next:** [03 · PUT](03-put.ipynb).
