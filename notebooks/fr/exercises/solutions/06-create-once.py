# %% [markdown]
# # Exercice 6 — Créer seulement si rien n'existe
#
# Écrivez `create_once(lab, item_id, data)`, qui crée l'élément à `/lab/items/<item_id>` **seulement s'il n'y a encore
# rien à cette URI** : renvoyez `True` si elle a créé l'élément et `False` s'il en existait déjà un — et ne l'écrasez
# jamais.
#
# Le vérificateur exécute votre fonction sur ses propres labos, tout neufs, et examine ce qu'elle y a laissé : c'est
# l'état du serveur qui sert de corrigé. Commencez par expérimenter avec `lab` dans la cellule d'essai.
#
# <details><summary>Indice 1</summary>
#
# Un simple PUT crée *ou remplace*. HTTP a des champs d'en-tête qui rendent une requête conditionnelle à ce que le
# serveur détient maintenant (RFC 9110 §13.1). Lequel peut demander « seulement s'il n'y a encore rien ici » ?
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Essayez deux fois dans la cellule d'essai. Quand la condition n'est pas remplie, le serveur ne change rien : avec
# quel code d'état répond-il, et que doit alors renvoyer votre fonction ?
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

# %% tags=["solution"]
def create_once(lab, item_id, data):
    reply = lab.send("PUT", f"/lab/items/{item_id}", json=data, headers={"If-None-Match": "*"})
    return reply.status == 201

# %% [markdown]
# Lancez le vérificateur (il trouve votre fonction dans ce notebook) :

# %%
httplab.check("create-once")
