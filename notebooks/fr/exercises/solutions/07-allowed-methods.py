# %% [markdown]
# # Exercice 7 — Quelles méthodes sont autorisées ?
#
# Écrivez `allowed_methods(lab, path)`, qui renvoie l'**ensemble des méthodes** que la ressource à `path` prend en
# charge — découvert auprès du serveur lui-même, pas dans la documentation.
#
# Le vérificateur exécute votre fonction sur ses propres labos, tout neufs, et examine ce qu'elle y a laissé : c'est
# l'état du serveur qui sert de corrigé. Commencez par expérimenter avec `lab` dans la cellule d'essai.
#
# <details><summary>Indice 1</summary>
#
# Une méthode interroge une ressource sur ses options de communication plutôt que sur son contenu (la RFC 9110 §9.3
# les définit toutes). Laquelle ?
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Cette réponse n'a pas de contenu. Affichez ses champs d'en-tête dans la cellule d'essai : lequel liste des méthodes ?
# Sa valeur est un seul morceau de texte, et il vous faut un ensemble (un `set`).
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
def allowed_methods(lab, path):
    reply = lab.send("OPTIONS", path)
    return {method.strip() for method in reply.response.headers["Allow"].split(",")}

# %% [markdown]
# Lancez le vérificateur (il trouve votre fonction dans ce notebook) :

# %%
httplab.check("allowed-methods")
