# %% [markdown]
# # 08 · Requêtes conditionnelles et mises à jour perdues
#
# **Dans cette leçon (environ 30 minutes), vous allez :**
# - utiliser l'**ETag** d'un élément pour demander « a-t-il changé ? » avec `If-None-Match` (et obtenir
#   `304 Not Modified`) ;
# - prédire quelle écriture survit quand deux clients modifient le même élément — une **mise à jour perdue** — et
#   l'empêcher avec `If-Match` (`412`) ;
# - créer seulement si rien n'existe avec `If-None-Match: *`, et rencontrer un serveur qui *exige* une condition
#   préalable (`428`) ;
# - apprendre dans quel ordre un serveur vérifie plusieurs conditions.

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/note", json={"text": "buy milk"})
lab.send("GET", "/lab/items/note").response.headers["ETag"]

# %% [markdown]
# ## 1. Les ETags : une étiquette pour une version
#
# Une **étiquette d'entité** (ETag) nomme une version d'une représentation (RFC 9110 §8.8.3). C'est une chaîne entre
# guillemets comme `"a1b2"` ; un préfixe `W/` marque une étiquette *faible* (`W/"a1b2"`). Les étiquettes du labo sont
# fortes et changent exactement quand l'élément change.
#
# Lisez l'ETag dans la réponse à un **GET** : c'est toujours juste. Certains serveurs envoient aussi un ETag dans la
# réponse à un PUT, mais ils n'en ont le droit que si la représentation stockée est exactement ce qui a été envoyé
# (RFC 9110 §9.3.4). Ne vous fiez pas à l'ETag de la réponse à un PUT sans avoir vérifié que le serveur respecte
# cette règle.

# %%
etag = lab.send("GET", "/lab/items/note").response.headers["ETag"]
lab.send("PUT", "/lab/items/note", json={"text": "buy oat milk"})
new_etag = lab.send("GET", "/lab/items/note").response.headers["ETag"]
etag, new_etag

# %% [markdown]
# ## 2. « Seulement s'il a changé » : `If-None-Match` sur un GET
#
# Envoyez l'ETag que vous avez ; s'il correspond toujours, le serveur répond **`304 Not Modified`** sans contenu :
# votre copie est à jour, et rien n'a dû être téléchargé (RFC 9110 §13.1.2). `If-None-Match` utilise la comparaison
# *faible*, donc `W/"a1b2"` et `"a1b2"` correspondent ici.

# %%
lab.send("GET", "/lab/items/note", headers={"If-None-Match": new_etag})

# %%
lab.send("GET", "/lab/items/note", headers={"If-None-Match": etag}).status_text  # l'ancienne étiquette : voici la nouvelle version

# %% [markdown]
# ## 3. La mise à jour perdue
#
# Alice et Bob lisent tous deux une liste de courses (même ETag). Alice écrit sa version ; puis Bob écrit la sienne,
# construite sur l'ancienne version qu'il a lue. Aucun des deux n'envoie de condition.
#
# **Prédisez d'abord.** Quelle écriture survit ?

# %%
guess_blind = httplab.predict("08-lost-update-blind")
guess_blind

# %% [markdown]
# Maintenant, envoyez. `lab.lost_update()` joue l'histoire de trois façons (sans `If-Match`, avec, création seule) ;
# regardez la première maintenant :

# %%
story = lab.lost_update()
guess_blind.reveal(story)

# %%
story.without_if_match

# %% [markdown]
# Les deux écritures ont réussi, et la modification d'Alice a disparu ; personne n'a été prévenu. Que PUT soit
# idempotente n'aide pas ici : ce sont deux PUT *différents*. Idempotent ne veut pas dire « sans risque en cas
# d'accès concurrents ».
#
# Avec **`If-Match: <l'ETag que j'ai lu>`**, une écriture n'a lieu que si l'élément en est toujours à la version que
# son auteur a lue (RFC 9110 §13.1.1). `If-Match` utilise la comparaison *forte* : une étiquette faible
# ne le satisfait jamais.
#
# **Prédisez d'abord.** Alice et Bob lisent tous deux la note et envoient leur PUT avec `If-Match`. Que reçoit Bob ?

# %%
guess_if_match = httplab.predict("08-lost-update-if-match")
guess_if_match

# %% [markdown]
# Maintenant, envoyez, à la main :

# %%
lab.reset()
lab.send("PUT", "/lab/items/note", json={"text": "v1"})
seen = lab.send("GET", "/lab/items/note").response.headers["ETag"]          # Alice et Bob lisent tous deux v1
alice = lab.send("PUT", "/lab/items/note", json={"text": "Alice's v2"}, headers={"If-Match": seen})
bob = lab.send("PUT", "/lab/items/note", json={"text": "Bob's v2"}, headers={"If-Match": seen})
guess_if_match.reveal(bob)

# %%
alice.status_text, bob.status_text, lab.send("GET", "/lab/items/note").json

# %% [markdown]
# L'écriture d'Alice a changé l'ETag, donc la condition de Bob était fausse : **`412 Precondition Failed`**, rien de
# ce qu'il a envoyé n'a été stocké, et il sait qu'il doit relire. La même histoire, racontée par `lab.lost_update()` :

# %%
story.with_if_match

# %% [markdown]
# ## 4. Créer seulement si rien n'existe : `If-None-Match: *`
#
# `*` correspond à n'importe quelle représentation actuelle. Sur un PUT, `If-None-Match: *` veut dire « seulement si
# rien n'est encore là » : le premier PUT crée (201), un second reçoit 412 au lieu d'écraser.

# %%
lab.reset()
first = lab.send("PUT", "/lab/items/ticket-1", json={"seat": "12A"}, headers={"If-None-Match": "*"})
second = lab.send("PUT", "/lab/items/ticket-1", json={"seat": "14C"}, headers={"If-None-Match": "*"})
first.status_text, second.status_text, lab.send("GET", "/lab/items/ticket-1").json

# %% [markdown]
# ## 5. Un serveur qui insiste : `428 Precondition Required`
#
# Un serveur peut refuser les écritures inconditionnelles avec **428** (RFC 6585 §3). Passez le labo dans ce mode :

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
# 428 est **facultatif** : la plupart des serveurs ne l'envoient jamais, et un client ne peut pas compter dessus pour
# empêcher les mises à jour perdues (RFC 6585 §7.1). Envoyez vous-même `If-Match` chaque fois que vous écrivez ce que
# vous avez lu.

# %% [markdown]
# ## 6. L'ordre des vérifications
#
# Quand une requête porte plusieurs conditions, le serveur d'origine les évalue dans cet ordre (RFC 9110 §13.2.2) :
#
# 1. `If-Match`, s'il est présent. Condition fausse → `412`.
# 2. Sinon, `If-Unmodified-Since`, s'il est présent. Condition fausse → `412`.
# 3. `If-None-Match`, s'il est présent. Condition fausse → `304` sur GET et HEAD, `412` sur toute autre méthode.
# 4. Sinon, **pour GET et HEAD seulement**, `If-Modified-Since`, s'il est présent. Condition fausse → `304`.
#
# (Les étapes 1 et 2 ont une exception : un serveur capable de dire qu'une requête qui change l'état a déjà été
# appliquée peut répondre 2xx au lieu de 412, RFC 9110 §13.1.1. La leçon 07 l'a rencontrée.)
#
# **Prédisez d'abord.** Un GET porte deux conditions fausses : un `If-Match` périmé et un `If-None-Match` avec l'ETag
# actuel. Quel code d'état ?

# %%
guess_order = httplab.predict("08-precondition-order")
guess_order

# %% [markdown]
# Maintenant, envoyez :

# %%
lab.send("PUT", "/lab/items/note", json={"text": "v3"})
current = lab.send("GET", "/lab/items/note").response.headers["ETag"]
both = lab.send("GET", "/lab/items/note", headers={"If-Match": '"stale"', "If-None-Match": current})
guess_order.reveal(both)

# %% [markdown]
# `If-Match` vient en premier, donc la réponse est `412`, et `If-None-Match` n'est jamais atteint.
#
# Et les conditions ne comptent que si la requête réussirait sans elles : le serveur les ignore quand la réponse sans
# elles ne serait ni un 2xx ni un 412 (RFC 9110 §13.2.1). Un DELETE conditionnel d'un élément qui n'existe pas répond
# toujours 404 :

# %%
lab.send("DELETE", "/lab/items/nothing-here", headers={"If-Match": '"abc"'}).status_text

# %% [markdown]
# ## 7. Le labo des mises à jour perdues (Lost-Update Lab)

# %%
from httplab.widgets import LostUpdateLab

LostUpdateLab(lab)

# %% [markdown]
# ## 8. Entraînez-vous
#
# - [Empêcher une mise à jour perdue](exercises/04-lost-update.ipynb) : lire, modifier, réécrire avec `If-Match`.
# - [Créer seulement si rien n'existe](exercises/06-create-once.ipynb) : `If-None-Match: *`.
# - [Télécharger seulement si ça a changé](exercises/08-fetch-if-changed.ipynb) : un GET conditionnel et son `304`.
# - [Une boucle de mise à jour conditionnelle](exercises/10-update-loop.ipynb) : sur un `412`, relire et réessayer.

# %% [markdown]
# ## Autoévaluation
#
# Répondez, appuyez sur **Vérifier**, lisez l'explication. Les questions qui vous demandent de *prédire* envoient de
# vraies requêtes à un labo qui leur est propre, et notent votre prédiction d'après ce que le serveur a réellement fait.

# %%
httplab.quiz.Quiz("08-conditional-requests").show()

# %% [markdown]
# ## Récapitulatif
#
# - Un **ETag** nomme une version d'une représentation ; c'est une chaîne entre guillemets, éventuellement faible
#   (`W/"…"`). Lisez-le dans la réponse à un GET.
# - `If-None-Match: <etag>` sur un GET → **304** quand votre copie est à jour.
# - Deux clients qui écrivent sans condition → une **mise à jour perdue**, en silence. `If-Match: <etag>` → le second
#   reçoit **412** et rien n'est écrasé.
# - `If-None-Match: *` sur un PUT → créer seulement si rien n'existe (412 sinon).
# - Un serveur peut exiger des conditions préalables avec **428**, mais c'est facultatif : n'y comptez pas.
# - Ordre des vérifications (§13.2.2) : `If-Match` ; sinon `If-Unmodified-Since` ; `If-None-Match` (condition
#   fausse → 304 sur GET/HEAD, 412 sinon) ; sinon, pour GET/HEAD seulement, `If-Modified-Since`.
#
# **Suite :** [09 · Codes d'état et erreurs](09-status-codes.ipynb).
