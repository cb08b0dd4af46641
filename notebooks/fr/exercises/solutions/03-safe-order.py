# %% [markdown]
# # Exercice 3 — Une commande qu'on peut renvoyer sans dommage
#
# Les commandes ressemblent à `{"order_id": "A-1001", "product": "tea", "quantity": 2}` ; c'est votre boutique qui a
# choisi l'`order_id`. Le réseau n'est pas fiable : parfois une réponse se perd, et votre boutique passe de nouveau la
# même commande. Écrivez `place_order(lab, order)` de sorte que **passer deux fois la même commande crée un seul
# élément**, alors que des commandes différentes créent toujours des éléments différents.
#
# Pourquoi c'est important : un client qui n'a jamais vu la réponse ne peut pas savoir si le serveur a appliqué la
# requête (RFC 9110 §9.2.2). Si renvoyer la commande peut en créer une deuxième, chaque nouvelle tentative risque une
# commande en double.
#
# Le vérificateur exécute votre fonction sur ses propres labos, tout neufs, et examine ce qu'elle y a laissé : c'est
# l'état du serveur qui sert de corrigé. Commencez par expérimenter avec `lab` dans la cellule d'essai.
#
# <details><summary>Indice 1</summary>
#
# Une nouvelle tentative, c'est exactement la même requête, envoyée de nouveau. Essayez dans la cellule d'essai :
# envoyez deux fois une commande, puis regardez `lab.state()["items"]`. Comment le serveur pourrait-il savoir que la
# deuxième requête n'est pas une nouvelle commande ?
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# La commande porte déjà un identifiant choisi par votre boutique. Quelle méthode envoie un état complet à une URI que
# choisit le *client* — et que contient le serveur quand elle a été envoyée deux fois ?
#
# </details>
#
# <details><summary>Indice 3</summary>
#
# Si vous préférez POST : le labo respecte un champ d'en-tête `Idempotency-Key` (un brouillon de l'IETF, qui ne fait
# pas partie de HTTP lui-même). Demandez-vous quand la clé est créée, où elle est conservée pour que la nouvelle
# tentative puisse la renvoyer, et ce qui tourne mal si quelqu'un d'autre pouvait la deviner.
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
def place_order(lab, order):
    # La commande a son propre identifiant, donc sa propre URI : un deuxième PUT identique laisse le même état.
    lab.send("PUT", f"/lab/items/{order['order_id']}", json=order)

# %% [markdown]
# Lancez le vérificateur (il trouve votre fonction dans ce notebook) :

# %%
httplab.check("safe-order")
