# %% [markdown]
# # Exercice 4 — Empêcher une mise à jour perdue
#
# Écrivez `safe_update(lab, item_id, changes)` : lisez l'élément, appliquez `changes` (un dict de champs) et réécrivez
# l'élément complet — **sans écraser une modification qu'un autre client a faite après votre lecture**. Renvoyez
# `True` quand votre modification est stockée, et `False` quand elle ne l'est pas : quand l'élément n'existe pas,
# quand le serveur refuse l'écriture, ou quand d'autres clients ne cessent de modifier l'élément et que vous abandonnez
# après quelques essais.
#
# Pourquoi c'est important : sans condition, de deux clients qui écrivent, le second écrase le premier sans rien dire —
# une *mise à jour perdue* (RFC 9110 §13.1.1). Et une boucle qui ne se termine qu'en cas de succès risque de ne jamais
# se terminer.
#
# Le vérificateur joue l'autre client : il modifie l'élément entre votre lecture et votre écriture — une fois, puis
# avant chacune de vos écritures. Il vous demande aussi de mettre à jour un élément qui n'existe pas. Il exécute votre
# fonction sur ses propres labos, tout neufs, et examine ce qu'elle y a laissé : c'est l'état du serveur qui sert de
# corrigé. Commencez par expérimenter avec `lab` dans la cellule d'essai.
#
# <details><summary>Indice 1</summary>
#
# Chaque GET répond avec un `ETag`. Quel champ d'en-tête de requête le renvoie avec votre PUT, pour que le serveur
# puisse savoir si l'élément a changé depuis votre lecture ?
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Essayez dans la cellule d'essai : lisez l'élément, modifiez-le avec une deuxième requête, puis envoyez votre écriture
# conditionnelle. Que répond le serveur, et quelque chose a-t-il été stocké ?
#
# </details>
#
# <details><summary>Indice 3</summary>
#
# Listez les réponses que votre GET et votre PUT peuvent recevoir. Pour chacune, demandez-vous : ma modification
# est-elle stockée maintenant — et sinon, vaut-il la peine d'essayer encore ?
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
def safe_update(lab, item_id, changes, tries=5):
    for _ in range(tries):
        current = lab.send("GET", f"/lab/items/{item_id}")
        if current.status != 200:
            return False  # 404 : il n'y a pas d'élément à mettre à jour
        reply = lab.send(
            "PUT",
            f"/lab/items/{item_id}",
            json={**current.json, **changes},
            headers={"If-Match": current.response.headers["ETag"]},
        )
        if reply.status != 412:
            return reply.ok  # 2xx : stocké ; toute autre réponse (un 428, un 400...) n'a rien stocké
        # 412 : l'élément a changé depuis notre GET, et rien n'a été stocké. On le relit.
    return False  # d'autres n'ont cessé de le modifier : on abandonne, et on le dit

# %% [markdown]
# Lancez le vérificateur (il trouve votre fonction dans ce notebook) :

# %%
httplab.check("lost-update")
