# %% [markdown]
# # Exercice 9 — Un client qui réessaie avec une Idempotency-Key
#
# Votre boutique envoie des commandes comme `{"product": "green tea", "quantity": 2}` sur un réseau qui perd des
# réponses. Parfois le serveur **crée la commande, puis la réponse se perd** : `lab.send` lève
# `httplab.NoResponseError`, et votre client ne peut pas savoir si la commande existe. Écrivez
# `place_order(lab, order, sleep=time.sleep)`, qui envoie la commande par POST à `/lab/items` et qui :
#
# - **réessaie** quand aucune réponse n'est venue, pour qu'une réponse perdue ne fasse pas perdre la commande ;
# - ne crée jamais la commande **deux fois**, quel que soit le nombre de réponses perdues ;
# - **attend avant chaque nouvelle tentative, un peu plus longtemps à chaque fois** — appelez `sleep(seconds)`, la
#   fonction que vous avez reçue (le vérificateur passe son propre `sleep`, qui note le délai au lieu d'attendre) ;
# - **abandonne après quelques tentatives** (disons 5) en levant une erreur qui dit que la commande existe peut-être,
#   ou peut-être pas ;
# - renvoie l'échange qui a obtenu une réponse (ce que `lab.send` a renvoyé).
#
# Pourquoi c'est important : POST n'est pas une méthode idempotente, et la RFC 9110 §9.2.2 dit qu'un client SHOULD NOT
# (ne devrait pas) renvoyer automatiquement une telle requête, à moins de savoir qu'elle est idempotente dans son effet
# ou qu'elle n'a jamais été appliquée. Le `POST /lab/items` du labo respecte le champ d'en-tête `Idempotency-Key` d'un
# brouillon de l'IETF (un brouillon, qui ne fait pas partie de HTTP lui-même). Attendre de plus en plus longtemps
# entre les tentatives (le *backoff*) laisse à un serveur en difficulté le temps de se rétablir, et un client qui
# s'arrête après quelques tentatives peut dire la vérité à son utilisateur au lieu de rester bloqué indéfiniment.
#
# Pour perdre vous-même une réponse, ajoutez le champ d'en-tête `X-Lab-Fault: drop-response` : le labo applique la
# requête, puis ferme la connexion sans répondre.
#
# Le vérificateur exécute votre fonction sur ses propres labos, tout neufs. Il perd la première réponse, puis les deux
# premières, puis toutes ; il passe aussi deux commandes distinctes qui se ressemblent exactement. Puis il compte les
# commandes que contient le labo.
#
# <details><summary>Indice 1</summary>
#
# Essayez dans la cellule d'essai : envoyez un POST avec `X-Lab-Fault: drop-response` dans un `try`, puis envoyez le
# même POST sans cet en-tête. Combien d'éléments `lab.state()["items"]` liste-t-il ? Quelle exception le premier
# a-t-il levée ?
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Le serveur ne peut reconnaître une nouvelle tentative qu'à quelque chose que partagent les tentatives d'une même
# commande. Deux commandes différentes au même contenu ne doivent *pas* le partager — et personne d'autre ne devrait
# pouvoir le deviner.
#
# </details>
#
# <details><summary>Indice 3</summary>
#
# Où, dans votre fonction, commence une nouvelle commande, et où commence une nouvelle tentative ? Chaque chose que
# vous calculez appartient à l'une des deux.
#
# </details>
#
# <details><summary>Indice 4</summary>
#
# Une boucle `for` sur un nombre fixe de tentatives ne peut pas tourner indéfiniment. Que doit-il se passer après sa
# dernière tentative ?
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
import time
import uuid


def place_order(lab, order, sleep=time.sleep, attempts=5):
    # Une clé par commande, créée avant la première tentative et renvoyée à chaque tentative. Elle est aléatoire, pour
    # qu'aucune autre commande (ni aucun autre client) ne la partage ; le brouillon l'écrit comme une chaîne entre
    # guillemets.
    key = f'"{uuid.uuid4()}"'
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            return lab.send("POST", "/lab/items", json=order, headers={"Idempotency-Key": key})
        except httplab.NoResponseError:
            if attempt == attempts:
                raise RuntimeError(
                    f"Aucune réponse après {attempts} tentatives : la commande existe peut-être, ou peut-être pas. "
                    f"Réessayez plus tard avec la même Idempotency-Key {key}."
                ) from None
            sleep(delay)
            delay *= 2  # attendre plus longtemps avant chaque nouvelle tentative

# %% [markdown]
# Lancez le vérificateur (il trouve votre fonction dans ce notebook) :

# %%
httplab.check("idempotent-retry")
