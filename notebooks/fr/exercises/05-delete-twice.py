# %% [markdown]
# # Exercice 5 — Supprimer, puis supprimer encore
#
# Écrivez `remove(lab, item_id)`, qui supprime un élément et renvoie `True` quand l'élément n'existe plus, `False`
# sinon. Elle sera appelée deux fois pour le même élément (une nouvelle tentative) : **les deux appels doivent renvoyer
# `True`**.
#
# Le vérificateur essaie aussi un serveur qui répond `202 Accepted` : il a accepté la requête, mais la suppression
# n'a pas encore eu lieu (RFC 9110 §15.3.3). L'élément existe alors toujours.
#
# Le vérificateur exécute votre fonction sur ses propres labos, tout neufs, et examine ce qu'elle y a laissé : c'est
# l'état du serveur qui sert de corrigé. Commencez par expérimenter avec `lab` dans la cellule d'essai.
#
# <details><summary>Indice 1</summary>
#
# Que répond le second DELETE ? Essayez.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# L'idempotence porte sur l'état du serveur, pas sur la réponse : après le second DELETE, l'élément existe-t-il
# encore ?
#
# </details>
#
# <details><summary>Indice 3</summary>
#
# La RFC 9110 §9.3.5 liste ce qu'un DELETE réussi peut répondre. Lesquelles de ces réponses disent que le travail est
# *fait* ?
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
httplab.check("delete-twice")
