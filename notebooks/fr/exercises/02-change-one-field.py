# %% [markdown]
# # Exercice 2 — Modifier un seul champ
#
# Un élément ressemble à `{"name": "apple", "price": 3, "tags": ["fruit", "red"]}`. Écrivez
# `rename(lab, item_id, new_name)`, qui modifie **seulement son nom** — `price` et `tags` doivent survivre.
#
# Le vérificateur exécute votre fonction sur ses propres labos, tout neufs, et examine ce qu'elle y a laissé : c'est
# l'état du serveur qui sert de corrigé. Commencez par expérimenter avec `lab` dans la cellule d'essai.
#
# <details><summary>Indice 1</summary>
#
# PUT remplace l'élément entier : que deviennent les champs que vous omettez ?
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# PATCH transporte un document de patch qui a son propre type de média (RFC 5789). Interrogez l'élément avec OPTIONS :
# son champ d'en-tête `Accept-Patch` liste les formats que le labo accepte. Lequel ne contient que les membres à
# modifier ?
#
# </details>
#

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()

# %%
# Cellule d'essai : essayez des requêtes ici, par exemple lab.send("GET", "/lab/items")

# %% tags=["exercise"]
# Votre code ici

# %% [markdown]
# Lancez le vérificateur (il trouve votre fonction dans ce notebook) :

# %%
httplab.check("change-one-field")
