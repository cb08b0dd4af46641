# %% [markdown]
# # Exercice 11 — Auditer un serveur mystère
#
# Un labo mystère enfreint exprès certaines règles de HTTP, et fait une chose qui a seulement l'air bizarre. Écrivez
# `audit(lab)`, qui mène des expériences sur le labo qu'on lui donne et renvoie ce qu'elle a trouvé, sous forme de
# dict :
#
# - pour chaque règle que le serveur enfreint : l'id du défaut → la section de la RFC qui pose la règle, par exemple
#   `"RFC 9110 §9.2.1"` ;
# - pour chaque comportement inhabituel mais **autorisé** : l'id du défaut → `"allowed"` ;
# - rien pour ce que vous n'avez pas observé. Accuser un serveur d'un défaut qu'il n'a pas est aussi une erreur.
#
# Les ids, les titres et les règles sont dans `httplab.http.flaws.FLAWS` (la [leçon 10](../10-audit.ipynb) les
# affiche). Utilisez les expériences du kit : `lab.repeat(...)` (ses attributs `broken_promise`,
# `unusual_but_allowed` et `misleading_statuses`), `lab.send(...)`, `lab.state()`, `lab.reset()`.
#
# Le vérificateur exécute votre fonction sur quatre labos mystères dont il connaît les graines : à eux quatre, ils
# introduisent tous les défauts du catalogue. Il veut que chaque règle enfreinte soit trouvée et citée, et que chaque
# bizarrerie légitime soit déclarée autorisée (`"allowed"`).
#
# <details><summary>Indice 1</summary>
#
# Procédez promesse par promesse : sûre (un GET modifie-t-il l'état ?), idempotente (des PUT et des DELETE répétés
# laissent-ils l'état d'un seul appel ?), puis les MUST et les SHOULD sur les codes d'état et les champs d'en-tête :
# 201 + `Location`, 405 + `Allow`, 501, `If-Match`, les champs d'en-tête de HEAD, la forme d'un ETag.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Des défauts peuvent en masquer d'autres. Partez d'un état connu pour chaque sonde (`lab.reset()` ou un `setup=`), et
# sondez l'horodatage `updated_at` avec un contenu sans aucune liste.
#
# </details>

# %%
import re

import httplab
from httplab.http.flaws import FLAWS

httplab.set_language("fr")

lab = httplab.Lab(in_process=True, flaws="mystery", seed=101)
ITEM = "/lab/items/probe"

# %%
# Cellule d'essai : essayez des expériences ici, par exemple
# lab.repeat("GET", ITEM, setup=[("PUT", ITEM, {"json": {"name": "x"}})])

# %% tags=["exercise"]
# Votre code ici

# %% [markdown]
# Essayez-la sur le labo d'essai avec `audit(lab)`, puis lancez le vérificateur (il trouve votre fonction dans ce
# notebook) :

# %%
httplab.check("audit")
