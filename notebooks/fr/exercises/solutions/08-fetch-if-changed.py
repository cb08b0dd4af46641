# %% [markdown]
# # Exercice 8 — Télécharger seulement si ça a changé
#
# Vous gardez une copie d'un élément et son `ETag`. Écrivez `fetch_if_changed(lab, item_id, etag)`, qui renvoie
# `(False, None)` quand votre copie est toujours à jour et `(True, new_data)` quand l'élément a changé — et qui laisse
# le serveur faire la comparaison.
#
# Le vérificateur exécute votre fonction sur ses propres labos, tout neufs, et examine ce qu'elle y a laissé : c'est
# l'état du serveur qui sert de corrigé. Commencez par expérimenter avec `lab` dans la cellule d'essai.
#
# <details><summary>Indice 1</summary>
#
# Un GET conditionnel : quel en-tête transporte l'ETag que vous avez déjà ?
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# `304 Not Modified` n'a pas de contenu : votre copie est à jour.
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
def fetch_if_changed(lab, item_id, etag):
    reply = lab.send("GET", f"/lab/items/{item_id}", headers={"If-None-Match": etag})
    if reply.status == 304:
        return False, None
    return True, reply.json

# %% [markdown]
# Lancez le vérificateur (il trouve votre fonction dans ce notebook) :

# %%
httplab.check("fetch-if-changed")
