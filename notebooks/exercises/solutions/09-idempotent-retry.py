# %% [markdown]
# # Exercise 9 — A client that retries with an Idempotency-Key
#
# Your shop sends orders like `{"product": "green tea", "quantity": 2}` over a network that loses responses. Sometimes
# the server **creates the order and then the response is lost**: `lab.send` raises `httplab.NoResponseError`, and
# your client cannot know whether the order exists. Write `place_order(lab, order, sleep=time.sleep)` that POSTs the
# order to `/lab/items` and:
#
# - **tries again** when no response came, so that a lost response does not lose the order;
# - never creates the order **twice**, however many responses are lost;
# - **waits before each new attempt, a little longer each time** — call `sleep(seconds)`, the function you were given
#   (the checker passes its own `sleep`, which writes the delay down instead of waiting);
# - **gives up after a few attempts** (say 5) by raising an error that says the order may or may not exist;
# - returns the exchange that got a response (what `lab.send` returned).
#
# Why it matters: POST is not idempotent, and RFC 9110 §9.2.2 says a client SHOULD NOT retry it automatically unless it
# knows the request is idempotent in effect or was never applied. The lab's `POST /lab/items` honours the
# `Idempotency-Key` header field of an IETF draft (a draft, not part of HTTP itself). Waiting longer and longer between
# attempts (*backoff*) gives a struggling server room to recover, and a client that stops after a few attempts can
# tell its user the truth instead of hanging forever.
#
# To lose a response yourself, add the header field `X-Lab-Fault: drop-response`: the lab applies the request, then
# closes the connection without answering.
#
# The checker runs your function on fresh labs of its own. It loses the first response, then the first two, then every
# one; it also places two separate orders that look exactly alike. Then it counts the orders the lab holds.
#
# <details><summary>Hint 1</summary>
#
# Try it in the scratch cell: send a POST with `X-Lab-Fault: drop-response` inside a `try`, then send the same POST
# without it. How many items does `lab.state()["items"]` list? Which exception did the first one raise?
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The server can recognise a retry only by something the attempts of one order share. Two different orders with the
# same content must *not* share it — and nobody else should be able to guess it.
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# Where in your function does a new order begin, and where does a new attempt begin? Each thing you compute belongs
# to one of the two.
#
# </details>
#
# <details><summary>Hint 4</summary>
#
# A `for` loop over a fixed number of attempts cannot run forever. What should happen after its last attempt?
#
# </details>
#

# %%
import httplab

lab = httplab.start()
lab.reset()

# %%
# Scratch cell: try requests here, e.g. lab.send("GET", "/lab/items")

# %% tags=["solution"]
import time
import uuid


def place_order(lab, order, sleep=time.sleep, attempts=5):
    # One key per order, made before the first attempt and sent again on every attempt. It is random, so that
    # another order (or another client) never shares it; the draft writes it as a quoted string.
    key = f'"{uuid.uuid4()}"'
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            return lab.send("POST", "/lab/items", json=order, headers={"Idempotency-Key": key})
        except httplab.NoResponseError:
            if attempt == attempts:
                raise RuntimeError(
                    f"No response after {attempts} attempts: the order may or may not exist. "
                    f"Retry later with the same Idempotency-Key {key}."
                ) from None
            sleep(delay)
            delay *= 2  # wait longer before each new attempt

# %% [markdown]
# Run the checker (it finds your function in this notebook):

# %%
httplab.check("idempotent-retry")
