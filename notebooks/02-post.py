# %% [markdown]
# # 02 · POST: create, process — and duplicates
#
# **In this lesson (about 20 minutes) you will:**
# - create items with **POST** and read `201 Created` and its `Location` header;
# - predict, then see, what the same POST sent three times does to the server's state;
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
# When a POST creates a resource, the server **should** answer **`201 Created`** with a **`Location`** header naming
# the new resource (RFC 9110 §9.3.3, §15.3.2). The lab does, and the *server* chose the id:

# %%
first.response.headers["Location"]

# %%
lab.send("GET", first.response.headers["Location"]).json

# %% [markdown]
# Some documentation says "POST succeeds with 200 OK". For a POST that creates, that is imprecise: such a POST
# should answer `201 Created` + `Location`, so the client learns what was made and where. Other answers fit other
# outcomes: `200 OK` when the response carries the result of the processing, `204 No Content` when there is nothing
# to send back, `303 See Other` to send the client to a result page. `202 Accepted` says the request was *accepted*
# for processing later — not that it is done.

# %% [markdown]
# ## 2. The same POST, again and again
#
# What if the identical request is sent three times — a double-click, a script run twice, a retry?
#
# **Predict first.**

# %%
guess = httplab.predict("02-post-three")
guess

# %% [markdown]
# Now fire. `lab.repeat` empties the lab, sends the request three times, and takes a snapshot of the state before
# the first call and after each call:

# %%
result = lab.repeat("POST", "/lab/items", times=3, json={"name": "apple"})
guess.reveal(result)

# %%
result

# %% [markdown]
# Three apples, each at its own URI:

# %%
[exchange.response.headers["Location"] for exchange in result.exchanges]

# %% [markdown]
# Each POST was processed on its own, so each created something new. Nothing in these requests lets the server tell
# a deliberate second POST from an accidental repeat.
#
# - POST is **not idempotent** (RFC 9110 §9.2.2): sending it three times need not have the effect of sending it once.
# - POST is **not safe** (§9.2.1): the client asks for something to happen.
#
# That is why browsers ask before they re-submit a form. RFC 9110 §9.2.2 says a client **should not** retry a
# request with a non-idempotent method *automatically*, unless it knows the request is idempotent in effect or can
# tell that the first attempt was never applied. Real HTTP libraries differ in what they actually do, so check
# what yours does. Lesson 07 shows what goes wrong when a POST is retried, and how an `Idempotency-Key` header
# (an IETF draft, not yet part of HTTP) lets a server recognise a repeat.

# %% [markdown]
# ## 3. POST is not only for creating
#
# "POST creates, PUT updates" is a popular rule of thumb, and it is wrong in both directions:
#
# - POST can do *anything* the resource defines — httpbin's `/post` just echoes what it got and creates nothing.
#   (A search API may take its query in a POST, too.)

# %%
echo = lab.send("POST", "/post", json={"question": "what did I send?"})
echo.status_text, echo.json["json"]

# %% [markdown]
# That POST changed nothing, yet POST is still not a safe method: "safe" is a property of the method, and a POST
# asks the resource to do whatever it does with content.
#
# - And PUT can create, at a URI the *client* chooses (next lesson).

# %% [markdown]
# ## 4. What a refused POST does
#
# The lab wants JSON objects. What happens when it gets something else?
#
# **Predict first.**

# %%
guess_refused = httplab.predict("02-post-refused")
guess_refused

# %% [markdown]
# Now fire, and read the `detail` messages — each says what was wrong and what to do:

# %%
for content, content_type in [
    ('{"name": "pear"', "application/json"),
    ("name=pear", "text/plain"),
    ("[1, 2]", "application/json"),
]:
    reply = lab.send("POST", "/lab/items", content=content, headers={"Content-Type": content_type})
    print(reply.status_text, "—", reply.json["detail"])
guess_refused.reveal(lab)

# %% [markdown]
# The lab checks the content before it creates anything, so each refusal left the state as it was.

# %% [markdown]
# ## 5. Explore
#
# Use the Repeat Explorer: POST the same body 10 times and watch the state grow with each call. Then POST to
# `/post` (httpbin) 10 times: what happens to the lab's state?

# %%
from httplab.widgets import RepeatExplorer

RepeatExplorer(lab)

# %% [markdown]
# **Exercise:** [1 · Exactly three items](exercises/01-create-three.ipynb) asks for a setup script that leaves
# exactly three items however often it runs. This lesson shows why repeating POSTs cannot do that on its own;
# lesson 03 gives you the tool.

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
# - When it creates a resource, the server **should** answer **`201 Created`** with a **`Location`** header naming
#   the URI it chose (§9.3.3). "200 for creation" is imprecise; `202` means accepted, not done.
# - The same POST sent twice is processed twice: **duplicates**. POST is neither safe nor idempotent, so a client
#   should not retry it automatically (what real libraries do varies: check yours).
# - A POST the server refuses (400, 415, 422 here) created nothing in this lab.
# - "POST creates, PUT updates" is a myth: POST can do anything the resource defines, and PUT can create.
#
# **Next:** [03 · PUT](03-put.ipynb).
