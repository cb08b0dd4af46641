# %% [markdown]
# # 10 · Auditer un serveur
#
# **Dans cette leçon (environ 30 minutes), vous allez :**
# - voir que HTTP ne peut pas forcer un serveur à tenir ses promesses : un serveur peut les rompre, et seules des
#   expériences le montrent ;
# - prédire, puis observer, trois comportements : un qui enfreint une règle et deux qui ont seulement l'air bizarres ;
# - exécuter les expériences du kit sur un **labo mystère** qui enfreint exprès certaines règles ;
# - noter chaque constat avec la règle de la RFC qu'il enfreint — et dire « autorisé » pour ce qui est seulement
#   inhabituel.
#
# Jusqu'ici, chaque labo respectait toutes les règles de la RFC 9110 : vous n'avez donc fait que les confirmer. Le
# vrai savoir-faire, c'est de juger un serveur que vous n'avez pas écrit. Certains comportements enfreignent un MUST ;
# certains sont inhabituels mais autorisés ; certains sont sans conséquence.

# %%
import httplab

httplab.set_language("fr")

PEAR = ("PUT", "/lab/items/pear", {"json": {"name": "pear"}})

# %% [markdown]
# ## 1. Un GET qui modifie l'élément
#
# Ce labo a un défaut, introduit exprès et nommé : `get-counts-views`. Chaque GET d'un élément ajoute 1 à un champ
# `views` **stocké dans l'élément**. (`httplab.http.flaws.FLAWS` décrit chaque défaut qu'un labo peut introduire.)
#
# **Prédisez d'abord.** Que fait ici la répétition d'un GET à l'état ?

# %%
views_lab = httplab.Lab(flaws=["get-counts-views"])
views_lab

# %%
guess_views = httplab.predict("10-get-views")
guess_views

# %% [markdown]
# Maintenant, envoyez :

# %%
views = views_lab.repeat("GET", "/lab/items/pear", times=3, setup=[PEAR])
guess_views.reveal(views)

# %%
views

# %% [markdown]
# GET est une méthode **sûre** : le client ne demande aucun changement d'état (RFC 9110 §9.2.1). HTTP ne peut pas
# empêcher un serveur de changer l'état malgré tout — celui-ci le fait, donc le verdict dit qu'il **a rompu sa
# promesse**. Un compteur de visites dans un *journal* serait acceptable : un journal ne fait pas partie de l'état de
# la ressource.

# %%
views_lab.stop()

# %% [markdown]
# ## 2. Deux choses qui ont l'air bizarres mais n'enfreignent aucune règle
#
# Ce labo appose un horodatage `updated_at` à chaque PUT, un champ que le client n'a jamais envoyé. Il répond aussi `204`
# à un DELETE d'un élément qui n'a jamais existé, là où la plupart des serveurs disent `404`.
#
# **Prédisez d'abord.** Répétez trois fois le même PUT. Le verdict dira-t-il que la promesse d'idempotence de PUT a
# été rompue ?

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
# L'élément stocké diffère après chaque appel — mais seulement par `updated_at`, que le client n'a pas envoyé.
# Idempotent porte sur l'**effet voulu** (RFC 9110 §9.2.2) : après un PUT ou trois, chaque champ envoyé par le client
# est tel qu'il a été envoyé. La RFC permet à un serveur de garder un historique ou d'autres effets de bord qui lui
# sont propres. Le verdict du kit met donc de côté les champs que le client n'a pas envoyés, et dit **inhabituel mais
# autorisé**. (Un tel serveur doit omettre l'`ETag` de ses réponses aux PUT, puisque ce qu'il a stocké n'est pas
# exactement ce qui a été envoyé, §9.3.4 — celui-ci le fait.)
#
# **Prédisez d'abord.** Un DELETE d'un élément qui n'a jamais existé répond 204. Une promesse rompue ?

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
# Aucune règle ne dit qu'un DELETE d'un élément absent doit recevoir 404. L'état qui en résulte — rien à cette URI —
# est ce que demande un DELETE, et 204 est l'une des réponses que liste le §9.3.5.

# %% [markdown]
# ## 3. Un labo mystère
#
# Voici maintenant un labo dont on ne vous dit **pas** les défauts. `flaws="mystery"` en introduit un ensemble caché,
# choisi d'après la graine (seed) : trois défauts qui enfreignent une règle et un qui est permis. Son état et ses
# réponses ont l'air normaux tant que vous n'expérimentez pas. La graine ci-dessous donne à toute la salle le même
# serveur (votre enseignant ou enseignante peut vous en donner une autre).

# %%
mystery = httplab.Lab(flaws="mystery", seed=2)
mystery, mystery.state()["settings"]

# %% [markdown]
# Faites des expériences. Chaque cellule vérifie une promesse ; lisez le résultat avant de décider quoi que ce soit.
#
# **Méthodes sûres.** Un GET change-t-il l'état ?

# %%
mystery.repeat("GET", "/lab/items/pear", setup=[PEAR])

# %% [markdown]
# **Méthodes idempotentes.** Des PUT et des DELETE répétés laissent-ils l'état d'un seul appel ?

# %%
mystery.compare(times=3)

# %% [markdown]
# **Création.** Un POST qui crée dit-il où se trouve le nouvel élément (`Location`, §9.3.3) ?

# %%
created = mystery.send("POST", "/lab/items", json={"name": "fig"})
created.status_text, created.response.headers.get("Location")

# %% [markdown]
# **Conditions préalables.** Un PUT avec un mauvais `If-Match` est-il refusé par un 412 (§13.1.1) ?

# %%
mystery.reset()
mystery.send("PUT", "/lab/items/pear", json={"name": "pear"})
mystery.send("PUT", "/lab/items/pear", json={"name": "plum"}, headers={"If-Match": '"not-the-etag"'}).status_text

# %% [markdown]
# **Méthodes.** Une méthode que cette ressource ne prend pas en charge (405 avec `Allow`, §15.5.6), et une que
# personne ne connaît (501, §9.1) :

# %%
for method in ("POST", "BREW"):
    reply = mystery.send(method, "/lab/items/pear", json={})
    print(method, "→", reply.status_text, "| Allow:", reply.response.headers.get("Allow"))

# %% [markdown]
# **Choses absentes.** Un DELETE d'un élément qui n'a jamais existé :

# %%
mystery.send("DELETE", "/lab/items/ghost").status_text

# %% [markdown]
# ## 4. Vos constats
#
# Notez ce que ce serveur fait de travers, chaque fois avec la règle qu'il enfreint, et ce qui est seulement
# inhabituel. Les identifiants sont ceux du catalogue ; pour ce qui est seulement inhabituel, écrivez `"allowed"`
# (autorisé), le mot que le catalogue et les vérificateurs attendent :

# %%
from httplab.http.flaws import FLAWS
from httplab.i18n import translate  # flaw.title est un texte anglais du catalogue ; translate() l'affiche en français

for flaw in FLAWS.values():
    print(f"{flaw.id:24} {translate(flaw.title)}")

# %%
findings = {
    # "id-du-défaut": "RFC 9110 §x.y" pour une règle enfreinte, "allowed" pour ce qui est seulement inhabituel ; p. ex.
    # "get-counts-views": "RFC 9110 §9.2.1",
}

# %% [markdown]
# Comparez avec le catalogue : la règle de chaque défaut, citée de la RFC.

# %%
if not findings:
    print("Aucun constat noté pour l'instant : remplissez la cellule ci-dessus, puis exécutez de nouveau celle-ci.")
for flaw_id, verdict in findings.items():
    flaw = FLAWS[flaw_id]
    kind = "permis : la règle qui l'autorise est" if flaw.lawful else "enfreint"
    print(f'{flaw_id} : vous avez dit {verdict}. Le catalogue : {kind} {flaw.rule.section} : "{flaw.rule.sentence}"\n')

# %% [markdown]
# Les avez-vous tous trouvés ? Seule la graine le sait. L'[exercice d'audit](exercises/11-audit.ipynb) vous fait
# écrire l'audit sous forme de fonction et le note sur plusieurs labos mystères.

# %%
mystery.stop()

# %% [markdown]
# ## Autoévaluation

# %%
httplab.quiz.Quiz("10-audit").show()

# %% [markdown]
# ## Récapitulatif
#
# - La sémantique d'une méthode est une **promesse que le serveur tient ou rompt** : HTTP ne peut pas l'imposer.
# - **Rompue** : une observation contredit une règle — un GET qui modifie la ressource (§9.2.1), un PUT ou un DELETE
#   dont les répétitions ne laissent pas l'état d'un seul appel (§9.2.2), un MUST comme `Allow` sur un 405 (§15.5.6)
#   ou le refus d'un `If-Match` faux (§13.1.1).
# - **Inhabituel mais autorisé** : un `updated_at` apposé par le serveur (l'idempotence porte sur l'effet voulu), 204
#   pour un DELETE d'un élément absent. Dites-le, et ne les signalez pas comme des fautes.
# - Une expérience est un indice, pas une preuve : citez ce que vous avez vu et la phrase de la RFC qu'il contredit.
