# %% [markdown]
# # Exercice 10 — Une boucle de mise à jour conditionnelle
#
# Un élément de la boutique ressemble à `{"name": "tea", "price": 4, "stock": 10}`, et plusieurs clients modifient
# son stock en même temps. Écrivez `add_stock(lab, item_id, amount)`, qui ajoute `amount` au `stock` de l'élément
# **sans perdre la modification de qui que ce soit** :
#
# - lisez l'élément, ajoutez `amount` au stock que vous avez lu, et réécrivez l'élément complet ;
# - si un autre client a modifié l'élément entre-temps, votre écriture ne doit pas écraser sa modification — relisez
#   et réessayez ;
# - **abandonnez après quelques essais** (disons 5) ;
# - renvoyez `True` seulement quand votre augmentation est stockée, et `False` quand elle ne l'est pas : après avoir
#   abandonné, quand l'élément n'existe pas, ou quand le serveur refuse votre écriture.
#
# Pourquoi c'est important : « lire, modifier, réécrire », c'est ainsi que la plupart des clients mettent les choses à
# jour. Sans condition, l'écriture d'un client efface celle de l'autre sans rien dire — une *mise à jour perdue*
# (RFC 9110 §13.1.1). Un serveur peut même exiger une condition et refuser les écritures qui n'en ont pas
# (`428 Precondition Required`, RFC 6585 §3). Et une boucle qui ne se termine qu'en cas de succès risque de ne jamais
# se terminer.
#
# Le vérificateur joue les autres clients : il ajoute 5 au stock entre votre lecture et votre écriture — une fois, deux
# fois, et avant chacune de vos écritures. Il demande aussi un élément qui n'existe pas, et exécute votre fonction sur
# un labo qui exige une condition préalable. Après chaque exécution, il lit le stock : chaque augmentation annoncée
# doit s'y trouver.
#
# <details><summary>Indice 1</summary>
#
# Chaque GET répond avec un `ETag`. Quel champ d'en-tête de requête fait que votre écriture n'a lieu que si l'élément a
# toujours la version que vous avez lue ? (L'exercice 4 et la [leçon 08](../08-conditional-requests.ipynb) l'ont
# utilisé.)
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Quand cette condition échoue, rien n'est stocké. Avant votre essai suivant, de quoi avez-vous besoin : seulement du
# nouvel ETag, ou de l'élément tel qu'il est maintenant ?
#
# </details>
#
# <details><summary>Indice 3</summary>
#
# Listez les réponses que votre GET et votre écriture peuvent recevoir — essayez-les dans la cellule d'essai, aussi
# après `lab.settings(require_precondition=True)`. Pour chacune, demandez-vous : mon augmentation est-elle stockée
# maintenant ?
#
# </details>
#

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/tea", json={"name": "tea", "price": 4, "stock": 10})

# %%
# Cellule d'essai : essayez des requêtes ici, par exemple lab.send("GET", "/lab/items/tea")

# %% tags=["solution"]
def add_stock(lab, item_id, amount, tries=5):
    for _ in range(tries):
        current = lab.send("GET", f"/lab/items/{item_id}")
        if current.status != 200:
            return False  # 404 : il n'y a pas d'élément, donc pas de stock auquel ajouter
        item = current.json
        reply = lab.send(
            "PUT",
            f"/lab/items/{item_id}",
            json={**item, "stock": item["stock"] + amount},
            headers={"If-Match": current.response.headers["ETag"]},
        )
        if reply.status != 412:
            return reply.ok  # 2xx : stocké ; un 428 ou toute autre réponse n'a rien stocké
        # 412 : quelqu'un a modifié l'élément depuis notre GET (un 412 ne dit pas qui). On le relit, et on ajoute au
        # nouveau stock.
    return False  # d'autres ont toujours écrit avant nous : on abandonne, et on le dit

# %% [markdown]
# Lancez le vérificateur (il trouve votre fonction dans ce notebook) :

# %%
httplab.check("update-loop")
