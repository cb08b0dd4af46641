# %% [markdown]
# # 04 · PATCH : pas une méthode idempotente, même si certains patchs se répètent sans dommage
#
# **Dans cette leçon (environ 25 minutes), vous allez :**
# - modifier une partie d'un élément avec **PATCH**, dans deux formats de patch : **JSON Merge Patch** et
#   **JSON Patch** ;
# - prédire, puis voir, ce que fait la répétition de chacun : l'un se répète sans dommage, l'autre non ;
# - comprendre pourquoi la *méthode* PATCH n'est « ni sûre ni idempotente » alors que certains patchs sont idempotents
#   dans leur effet ;
# - voir qu'un patch s'applique en tout ou rien, et comment un serveur indique les formats de patch qu'il accepte.

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "price": 3, "tags": ["fruit"]})

# %% [markdown]
# ## 1. PATCH envoie des *instructions*, pas un nouvel état
#
# PATCH demande au serveur d'appliquer un **document de patch** — un ensemble de modifications — à la ressource
# (RFC 5789 §2). Le patch a son propre type de média, qui dit comment le lire. Le labo en accepte deux :
#
# | Type de média | Format | Exemple |
# |---|---|---|
# | `application/merge-patch+json` | JSON Merge Patch, RFC 7396 | `{"price": 4}` — les membres à fixer (`null` en retire un) |
# | `application/json-patch+json` | JSON Patch, RFC 6902 | `[{"op": "add", "path": "/tags/-", "value": "red"}]` — une liste d'opérations |

# %%
MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}

patched = lab.send("PATCH", "/lab/items/apple", json={"price": 4}, headers=MERGE)
patched.status_text, patched.json

# %% [markdown]
# Seul le prix a changé ; le nom et les `tags` ont survécu. Un PATCH réussi peut répondre avec n'importe quel code
# 2xx : généralement `200 OK` avec la nouvelle représentation (comme ici) ou `204 No Content`. La RFC 5789 ne
# privilégie ni l'un ni l'autre.

# %% [markdown]
# ## 2. Un patch de fusion (merge patch), répété
#
# La cellule suivante remet la pomme à `{"name": "apple", "price": 3, "tags": ["fruit"]}`, puis envoie trois fois le
# patch de fusion `{"price": 5}`, avec un instantané après chaque appel.
#
# **Prédisez d'abord.**

# %%
guess_merge = httplab.predict("04-patch-merge-three")
guess_merge

# %%
APPLE = [("PUT", "/lab/items/apple", {"json": {"name": "apple", "price": 3, "tags": ["fruit"]}})]

merged = lab.repeat("PATCH", "/lab/items/apple", times=3, json={"price": 5}, headers=MERGE, setup=APPLE)
guess_merge.reveal(merged)

# %%
merged

# %% [markdown]
# « Mettre le prix à 5 » trois fois de suite laisse le même état qu'une seule fois : **ce patch-ci** est idempotent
# *dans son effet*.

# %% [markdown]
# ## 3. Un JSON Patch qui ajoute en fin de liste, répété
#
# En JSON Patch, le chemin `/tags/-` désigne « après le dernier élément du tableau `tags` » (RFC 6902 §4.1) : y
# ajouter, c'est ajouter à la fin. La cellule suivante remet encore la pomme en place et envoie ce patch trois fois.
#
# **Prédisez d'abord.**

# %%
guess_append = httplab.predict("04-patch-append-three")
guess_append

# %%
append = [{"op": "add", "path": "/tags/-", "value": "red"}]
appended = lab.repeat("PATCH", "/lab/items/apple", times=3, json=append, headers=JSON_PATCH, setup=APPLE)
guess_append.reveal(appended)

# %%
appended

# %%
lab.send("GET", "/lab/items/apple").json["tags"]

# %% [markdown]
# Chaque appel a ajouté un `"red"` de plus : **ce patch-ci** fait quelque chose de nouveau à chaque fois. Un patch qui
# retire `/tags/0` aussi — chaque appel retire ce qui est en première position *à ce moment-là*.

# %% [markdown]
# ## 4. Alors : PATCH est-elle idempotente ?
#
# **Non.** La RFC 5789 §2 le dit clairement : PATCH n'est « ni sûre ni idempotente » (« neither safe nor
# idempotent »). Une page qui dit « PATCH n'est pas idempotente » a raison.
#
# Comment cela s'accorde-t-il avec le patch de fusion que vous venez de voir ? L'idempotence est une propriété de la
# **méthode**, parce que la méthode est généralement tout ce sur quoi se fondent un client, une bibliothèque HTTP ou un
# proxy : ils ne lisent pas un document de patch pour décider s'il est sans danger de l'envoyer deux fois. La
# RFC 9110 §9.2.2 s'applique donc à tout PATCH : un proxy **ne doit pas** en répéter un automatiquement, et un client
# générique **ne devrait pas** le faire, sauf s'il sait que cette requête précise est idempotente dans son effet ou
# que la première tentative n'a jamais été appliquée.
#
# Un patch *particulier* peut tout de même être idempotent **dans son effet**, comme le patch de fusion qui fixe un
# prix. C'est utile à savoir pour *votre* requête — et cela ne fait pas de PATCH une méthode idempotente.
#
# La RFC 5789 §2 ajoute un conseil : un client dont le patch n'a de sens qu'à partir d'un point de départ connu (un
# ajout en fin de liste, « retirer le premier tag ») **devrait** l'envoyer sous forme de requête *conditionnelle*, avec
# `If-Match` et le dernier ETag qu'il a vu, pour que le patch échoue si l'élément a changé entre-temps. La leçon 07
# montre, avec une vraie requête, ce qui se passe quand un tel PATCH conditionnel est renvoyé après la perte de sa
# réponse : vous verrez ce que répond ce labo, pourquoi un serveur pourrait répondre autrement, et pourquoi le client
# doit relire l'élément pour savoir où il en est.

# %% [markdown]
# ## 5. Tout ou rien
#
# Un patch s'applique comme un tout (RFC 5789 §2 ; RFC 6902 §5) : si une opération échoue, **rien** ne change.
# L'opération `test` de JSON Patch rend cela utile. Supposons que vous ayez lu la pomme quand son prix était 2, et que
# vous vouliez le passer à 10 seulement si le prix est toujours 2. Placez un `test` devant le `replace` — le prix est
# de 3 maintenant, donc le test échoue :

# %%
before = lab.send("GET", "/lab/items/apple").json
guarded = [
    {"op": "test", "path": "/price", "value": 2},
    {"op": "replace", "path": "/price", "value": 10},
]
failed = lab.send("PATCH", "/lab/items/apple", json=guarded, headers=JSON_PATCH)
print(failed.status_text, "—", failed.json["detail"])
print("inchangé :", lab.send("GET", "/lab/items/apple").json == before)

# %% [markdown]
# `409 Conflict` dit que le patch ne peut pas être appliqué à l'élément *tel qu'il est maintenant* (RFC 5789 §2.2). Un
# patch mal formé reçoit `400 Bad Request`, et un patch qui laisserait l'élément sous une forme que le serveur
# n'accepte pas reçoit `422 Unprocessable Content`.

# %% [markdown]
# ## 6. Quels formats de patch ? Demandez au serveur
#
# Certaines documentations disent que PATCH « n'est pas disponible pour certains modules ». HTTP a une façon précise de
# le dire : une ressource qui ne prend pas en charge PATCH répond **405 avec un en-tête `Allow`** ; une ressource qui
# le prend en charge liste les formats qu'elle accepte dans **`Accept-Patch`** (RFC 5789 §3.1) — dans sa réponse à
# OPTIONS, et aussi dans une réponse `415 Unsupported Media Type` quand vous envoyez un format qu'elle ne connaît pas
# (§2.2) :

# %%
wrong_type = lab.send("PATCH", "/lab/items/apple", json={"price": 1})  # application/json tout court
print(wrong_type.status_text)
print("Accept-Patch:", wrong_type.response.headers["Accept-Patch"])
collection = lab.send("PATCH", "/lab/items", json={}, headers=MERGE)
print("collection :", collection.status_text, "— Allow:", collection.response.headers["Allow"])

# %% [markdown]
# ## 7. Explorez
#
# Dans le bac à sable, choisissez la **Méthode** `PATCH`, réglez **Type de contenu** sur *JSON Patch
# (application/json-patch+json)* et envoyez des opérations `remove`, `move` et `copy` à `/lab/items/apple` — par
# exemple `[{"op": "copy", "from": "/name", "path": "/nickname"}]`. Envoyez chacune deux fois. Lesquelles laissent
# l'élément tel qu'un seul appel l'avait laissé, et lesquelles continuent de le modifier ? Quel code d'état reçoit un
# second `remove` du même membre, et pourquoi ?

# %%
from httplab.widgets import Playground

Playground(lab)

# %% [markdown]
# **Exercice :** [2 · Modifier un seul champ](exercises/02-change-one-field.ipynb) — renommez un élément sans perdre
# ses autres champs.

# %% [markdown]
# ## Autoévaluation
#
# Répondez, appuyez sur **Vérifier**, lisez l'explication. Les questions qui vous demandent de *prédire* envoient de
# vraies requêtes à un labo qui leur est propre, et notent votre prédiction d'après ce que le serveur a réellement fait.

# %%
httplab.quiz.Quiz("04-patch").show()

# %% [markdown]
# ## Récapitulatif
#
# - PATCH envoie un **document de patch** dans un type de média qui lui est propre : patch de fusion (RFC 7396) ou
#   JSON Patch (RFC 6902).
# - PATCH n'est **ni sûre ni idempotente** (RFC 5789 §2). Les proxys ne doivent pas, et les clients génériques ne
#   devraient pas, répéter un PATCH de leur propre chef.
# - Un patch *particulier* peut être idempotent **dans son effet** : un patch de fusion qui fixe des valeurs se répète
#   sans dommage ; un JSON Patch qui ajoute en fin de liste (`/tags/-`) ou retire `/tags/0` fait quelque chose de
#   nouveau à chaque fois. Cela ne rend jamais la méthode idempotente.
# - Un patch s'applique **en tout ou rien** ; un `test` qui échoue ne change rien (409 ici).
# - Succès : n'importe quel 2xx, généralement `200` avec la nouvelle représentation, ou `204`. Format inconnu : `415` +
#   `Accept-Patch` ; pas de PATCH du tout : `405` + `Allow`.
# - Un patch qui a besoin d'un point de départ connu devrait être conditionnel (`If-Match`) ; la leçon 07 en renvoie
#   un pour de vrai.
#
# **Suite :** [05 · DELETE](05-delete.ipynb).
