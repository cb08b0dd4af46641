# %% [markdown]
# # 07 · Nouvelles tentatives, réponses perdues et `Idempotency-Key`
#
# **Dans cette leçon (environ 30 minutes), vous allez :**
# - perdre une réponse exprès et voir pourquoi le client ne peut pas savoir ce qui s'est passé ;
# - prédire ce que fait un POST renvoyé, et apprendre ce que la RFC 9110 dit des nouvelles tentatives automatiques ;
# - regarder de vraies bibliothèques (requests, urllib3, httpx, et un modèle de la règle de Go) face à la même réponse
#   perdue, et voir pourquoi vous devez vérifier ce que fait **votre** bibliothèque ;
# - voir un PUT renvoyé défaire l'écriture d'un autre client, et `If-Match` l'empêcher ;
# - renvoyer un PATCH **conditionnel** et découvrir, avec un GET, quelle écriture son `412` concernait ;
# - rendre un POST sans danger à renvoyer avec une `Idempotency-Key`.

# %%
import uuid

import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()

# %% [markdown]
# ## 1. Une réponse perdue
#
# Les réseaux tombent en panne. Parfois une requête atteint le serveur, le serveur fait le travail — et la réponse ne
# revient jamais. Le labo peut simuler exactement cela : une requête qui porte `X-Lab-Fault: drop-response` est
# appliquée, puis la connexion est fermée sans réponse. (`X-Lab-Fault` est un en-tête propre à ce labo, pour
# l'enseignement.)

# %%
try:
    lab.send("POST", "/lab/items", json={"order": "tea"}, headers={"X-Lab-Fault": "drop-response"})
except httplab.NoResponseError as error:
    print(error)

# %% [markdown]
# Du côté du client, tout ce qu'il sait, c'est « pas de réponse ». La commande est-elle passée ? Seul le serveur le
# sait :

# %%
lab.state()["items"]

# %% [markdown]
# Elle est passée. Un client qui n'a jamais vu la réponse **ne peut pas savoir** si le serveur a appliqué la requête.

# %% [markdown]
# ## 2. Renvoyer un POST perdu ?
#
# Supposons que le client renvoie simplement le POST.
#
# **Prédisez d'abord.** Combien de commandes le labo contiendra-t-il ?

# %%
guess_no_key = httplab.predict("07-lost-post-no-key")
guess_no_key

# %% [markdown]
# Maintenant, envoyez. `retry_after_lost_response` part d'un labo vide, envoie la requête avec la panne simulée, puis
# suit une politique de nouvelle tentative ; `"always"` renvoie quelle que soit la méthode :

# %%
no_key = lab.retry_after_lost_response("POST", "/lab/items", retry="always", json={"order": "tea"})
guess_no_key.reveal(no_key)

# %%
no_key

# %% [markdown]
# Renvoyer le POST a **passé la commande deux fois**.
#
# ### Ce que dit la RFC 9110 des nouvelles tentatives automatiques
#
# Les méthodes idempotentes sont mises à part parce que leurs requêtes peuvent être répétées automatiquement quand la
# connexion tombe avant que le client ait pu lire la réponse (RFC 9110 §9.2.2). Pour les autres méthodes :
#
# - un client **SHOULD NOT** (ne devrait pas) renvoyer automatiquement une requête dont la méthode n'est pas
#   idempotente, **sauf** s'il sait que la requête est idempotente dans son effet (quelle que soit sa méthode),
#   **ou** s'il peut détecter que la requête d'origine n'a jamais été appliquée ;
# - un proxy **MUST NOT** (ne doit pas) renvoyer automatiquement des requêtes non idempotentes ;
# - un client **SHOULD NOT** (ne devrait pas) renvoyer automatiquement une nouvelle tentative automatique qui a
#   échoué.
#
# La RFC note elle-même que certains clients prennent quand même le chemin le plus risqué.

# %% [markdown]
# ## 3. Ce que font de vraies bibliothèques : regardez-les
#
# La RFC laisse de la marge, alors les bibliothèques choisissent. Plutôt que de croire qui que ce soit sur parole,
# confiez la même réponse perdue à de vraies bibliothèques clientes, installées dans ce noyau :
#
# - **requests**, avec ses réglages par défaut ;
# - **urllib3**, avec son `Retry` par défaut ;
# - **httpx**, avec `HTTPTransport(retries=3)` ;
# - **`"go"`** : un modèle de la règle de rejeu de net/http de Go, écrit pour ce kit et envoyé avec httpx. Ce n'est
#   **pas Go lui-même** : il suit la règle de Go qui rejoue une requête ayant échoué sur une connexion déjà utilisée,
#   quand la méthode est GET, HEAD, OPTIONS ou TRACE, ou que la requête porte `Idempotency-Key` ou
#   `X-Idempotency-Key`.
#
# Chacune envoie d'abord un GET, pour que la requête passe par une connexion déjà utilisée (le cas que vise la règle
# de Go). La requête porte `X-Lab-Fault: drop-response; times=1; id=…` : le labo applique la première tentative et
# ferme la connexion sans réponse ; une nouvelle tentative porte le même en-tête et reçoit une réponse. Les compteurs
# de requêtes du labo disent combien de tentatives ont atteint le serveur.
#
# **Prédisez d'abord.** Combien des quatre envoient le POST perdu une seconde fois ?

# %%
guess_libraries = httplab.predict("07-libraries-lost-post")
guess_libraries

# %% [markdown]
# Maintenant, envoyez : chaque requête du tableau des méthodes, perdue une fois, avec chacune des quatre.

# %%
from httplab.experiments import compare_clients

libraries = compare_clients(lab, clients=("requests", "urllib3", "httpx", "go"))
guess_libraries.reveal(libraries)

# %%
libraries

# %% [markdown]
# Chaque case dit combien de fois le serveur a reçu la requête, puis ce que le programme a vu : un code d'état, ou
# l'exception levée par la bibliothèque. Lisez ligne par ligne :
#
# - Là où une bibliothèque n'a pas renvoyé la requête, le programme a reçu une **erreur pour une requête que le
#   serveur avait appliquée** : la commande a été passée, et on a dit au programme « échec ».
# - Les bibliothèques **ne sont pas d'accord** : urllib3 renvoie un PUT et un DELETE perdus ; la règle de Go non (PUT
#   et DELETE ne sont pas dans sa liste), mais elle rejoue bien un GET ; requests et httpx n'en renvoient aucun.
#
# D'où viennent ces règles ? Des réglages de chaque bibliothèque. Lisez-les ici, pour les versions de ce noyau :

# %%
import requests.adapters
from urllib3.util import Retry

print("requests, nouvelles tentatives par défaut :", requests.adapters.DEFAULT_RETRIES)
print("réglage par défaut d'urllib3 :", Retry.DEFAULT)
print("urllib3 renvoie une réponse perdue pour :", sorted(Retry.DEFAULT_ALLOWED_METHODS))

# %% [markdown]
# Un seul réglage change tout. urllib3 avec `allowed_methods=None` renvoie après une réponse perdue **quelle que soit
# la méthode** :

# %%
any_method = lab.retry_after_lost_response("POST", "/lab/items", client="urllib3-any-method", json={"order": "tea"})
print(any_method.received, "tentatives ;", len(any_method.final["items"]), "commandes")

# %% [markdown]
# Deux commandes : ce réglage ignore le SHOULD NOT de la RFC 9110 pour les méthodes non idempotentes. D'autres
# clients, que vous ne pouvez pas exécuter ici, diffèrent encore : avec `HTTPAdapter(max_retries=3)`, requests renvoie
# après des erreurs de lecture pour les méthodes idempotentes, bien que sa docstring dise qu'il ne réessaie jamais une
# fois que des données ont atteint le serveur ; Go rejoue aussi n'importe quelle méthode quand rien n'a été écrit ;
# des navigateurs ont renvoyé des POST après une connexion keep-alive réinitialisée.
#
# Donc : **vérifiez ce que fait votre bibliothèque**, avec votre version et vos réglages, avant de compter dessus. Et
# ne pas réessayer n'est pas une solution non plus : le programme signale une erreur pour une commande qui **a été**
# passée. La section 6 montre comment rendre la nouvelle tentative sans danger.

# %% [markdown]
# ## 4. PUT et DELETE renvoyés
#
# urllib3 renvoie un PUT perdu et un DELETE perdu. Que fait la nouvelle tentative ?

# %%
lab.retry_after_lost_response("PUT", "/lab/items/order-1", client="urllib3", json={"order": "tea"})

# %%
lab.retry_after_lost_response(
    "DELETE", "/lab/items/order-1", client="urllib3",
    setup=[("PUT", "/lab/items/order-1", {"json": {"order": "tea"}})],
)

# %% [markdown]
# Le PUT renvoyé n'a rien changé de plus. Le DELETE renvoyé a répondu **404** : la commande a disparu, comme demandé.
# Le plus probable est que la première tentative perdue l'a supprimée (ici, l'état montre que oui), mais un 404 seul
# ne dit pas qui l'a supprimée.
#
# ### Quand quelqu'un d'autre écrit entre-temps
#
# Idempotent veut dire qu'une requête ou plusieurs laissent le même état — si personne d'autre n'écrit. Laissez un
# autre client écrire entre la tentative perdue et la nouvelle tentative d'urllib3.
#
# **Prédisez d'abord.** Que contient la note à la fin ?

# %%
guess_other = httplab.predict("07-retried-put-other-write")
guess_other

# %% [markdown]
# Maintenant, envoyez. `other_write=` est la requête de l'autre client, envoyée après la tentative perdue et avant la
# nouvelle tentative :

# %%
original = ("PUT", "/lab/items/note", {"json": {"text": "original"}})
theirs = ("PUT", "/lab/items/note", {"json": {"text": "theirs"}})
overwritten = lab.retry_after_lost_response(
    "PUT", "/lab/items/note", client="urllib3", json={"text": "mine"}, setup=[original], other_write=theirs
)
guess_other.reveal(overwritten)

# %%
overwritten

# %% [markdown]
# La nouvelle tentative a défait l'écriture de l'autre client, et personne n'a été prévenu. Renvoyer même une requête
# idempotente peut faire cela. Le remède est une requête conditionnelle : envoyez `If-Match` avec l'ETag que vous avez
# lu (`if_match=True` le lit pour vous, après la préparation). La première tentative perdue s'applique toujours ;
# l'ETag de la nouvelle tentative est périmé, donc elle reçoit `412` et ne change rien :

# %%
guarded = lab.retry_after_lost_response(
    "PUT", "/lab/items/note", client="urllib3", json={"text": "mine"}, setup=[original], other_write=theirs,
    if_match=True,
)
print(guarded.client_saw, "|", guarded.final["items"][0]["data"])

# %% [markdown]
# « theirs » (le texte de l'autre client) est conservé. Mais le programme tient maintenant un `412` pour une écriture
# qui a en fait été appliquée, puis remplacée par celle de quelqu'un d'autre : un 412 ne dit pas quelle écriture a
# fait bouger l'ETag. Faites un GET de l'élément pour le savoir avant de décider quoi que ce soit (la section 5 fait
# exactement cela).

# %% [markdown]
# ## 5. Un PATCH renvoyé
#
# PATCH est « neither safe nor idempotent » (ni sûre ni idempotente, RFC 5789 §2). Un JSON Patch qui ajoute, renvoyé,
# ajoute deux fois :

# %%
lab.retry_after_lost_response(
    "PATCH", "/lab/items/cart", retry="always",
    json=[{"op": "add", "path": "/lines/-", "value": "tea"}],
    headers={"Content-Type": "application/json-patch+json"},
    setup=[("PUT", "/lab/items/cart", {"json": {"lines": []}})],
)

# %% [markdown]
# La RFC 5789 §2 dit que les clients SHOULD (devraient) rendre un PATCH **conditionnel** : envoyer `If-Match` avec
# l'ETag qu'ils ont lu. Une nouvelle tentative peut alors remarquer que l'élément a changé entre-temps. Faites-le à la
# main, avec de vraies requêtes. Lisez d'abord le panier et son ETag :

# %%
lab.reset()
lab.send("PUT", "/lab/items/cart", json={"lines": []})
read = lab.send("GET", "/lab/items/cart")
etag = read.response.headers["ETag"]
read.json, etag

# %% [markdown]
# **Prédisez d'abord.** Le PATCH conditionnel est appliqué mais sa réponse est perdue ; le client le renvoie avec le
# même `If-Match`. Que reçoit la nouvelle tentative ?

# %%
guess_patch = httplab.predict("07-conditional-patch-retry")
guess_patch

# %% [markdown]
# Maintenant, envoyez : la première tentative (réponse perdue), puis la nouvelle tentative.

# %%
append_tea = [{"op": "add", "path": "/lines/-", "value": "tea"}]
conditional = {"Content-Type": "application/json-patch+json", "If-Match": etag}
try:
    lab.send("PATCH", "/lab/items/cart", json=append_tea, headers={**conditional, "X-Lab-Fault": "drop-response"})
except httplab.NoResponseError as error:
    print("première tentative :", error)
retry = lab.send("PATCH", "/lab/items/cart", json=append_tea, headers=conditional)
guess_patch.reveal(retry)

# %%
print(retry.status_text, "—", retry.json["detail"])

# %% [markdown]
# La nouvelle tentative n'a rien changé : tea n'a pas été ajouté deux fois. Mais que dit le `412` au client ?
# Seulement que l'ETag du panier n'est plus celui qu'il a envoyé. Il ne dit **pas** quelle écriture l'a fait bouger :
# la tentative perdue du client lui-même, ou la modification d'un autre client. Le seul moyen de le savoir est de
# relire le panier :

# %%
lab.send("GET", "/lab/items/cart").json

# %% [markdown]
# Un seul `tea`, et personne d'autre n'utilise ce labo : l'ETag a bougé parce que la tentative perdue du client
# lui-même a été appliquée, et il n'y a plus rien à faire. Si le GET avait plutôt montré la modification de quelqu'un
# d'autre, le client appliquerait sa modification à cette version et l'enverrait avec le nouvel ETag.
#
# `412` est la réponse de ce labo. La RFC 9110 §13.1.1 permet aussi à un serveur capable de dire que la modification
# demandée a déjà été appliquée de répondre plutôt par un **2xx**. Après un `412`, le client doit faire un GET avant
# de décider quoi que ce soit d'autre.

# %% [markdown]
# ## 6. Rendre un POST sans danger à renvoyer : `Idempotency-Key`
#
# Un **brouillon** (draft) de l'IETF (pas une RFC, et pas une partie de HTTP lui-même) définit l'en-tête
# `Idempotency-Key` : le client envoie une clé unique avec la requête ; le serveur mémorise la clé avec la première
# réponse ; une répétition avec la même clé reçoit **la première réponse rejouée**, sans second effet.
#
# La clé doit identifier **une seule opération** : créez-la une fois (un UUID aléatoire), stockez-la avec la commande,
# et envoyez la même clé à chaque tentative. Le brouillon écrit la valeur comme une chaîne entre guillemets.

# %%
key = f'"{uuid.uuid4()}"'
key

# %% [markdown]
# **Prédisez d'abord.** Le même POST perdu, renvoyé une fois, mais les deux tentatives portent cette clé. Combien de
# commandes ?

# %%
guess_key = httplab.predict("07-lost-post-with-key")
guess_key

# %% [markdown]
# Maintenant, envoyez :

# %%
with_key = lab.retry_after_lost_response(
    "POST", "/lab/items", retry="always", idempotency_key=key, json={"order": "tea"}
)
guess_key.reveal(with_key)

# %%
with_key

# %% [markdown]
# Une seule commande, quel que soit le nombre de nouvelles tentatives. Deux autres règles du brouillon, essayées sur
# le labo avec une nouvelle clé pour une nouvelle commande :

# %%
lab.reset()
order_key = {"Idempotency-Key": f'"{uuid.uuid4()}"'}
print(lab.send("POST", "/lab/items", json={"order": "tea"}, headers=order_key).status_text)
replay = lab.send("POST", "/lab/items", json={"order": "tea"}, headers=order_key)
print(replay.status_text, "| Idempotent-Replayed:", replay.response.headers.get("Idempotent-Replayed"))
reused = lab.send("POST", "/lab/items", json={"order": "coffee"}, headers=order_key)
print(reused.status_text, "—", reused.json["detail"])

# %% [markdown]
# - la même clé avec le même contenu → la première réponse, rejouée. (Le labo marque un rejeu avec son propre en-tête
#   `Idempotent-Replayed: true` ; cet en-tête ne fait **pas** partie du brouillon.)
# - la même clé avec un **contenu différent** → `422` : une clé identifie une requête, pas la personne qui commande ;
# - une répétition alors que la première requête est **encore en cours** → `409`.
#
# Le brouillon dit aussi : un serveur qui exige une clé répond `400` sans elle ; les clés expirent au bout d'un
# certain temps ; et un client générique ne peut pas supposer qu'un serveur tient compte de cet en-tête. Des clés
# devinables comme `order-42` fuient et entrent en collision avec les commandes d'autres personnes : utilisez des clés
# aléatoires.

# %% [markdown]
# ## 7. Le labo des nouvelles tentatives (Retry Lab)
#
# Choisissez **qui réessaie** : le client du labo, selon une politique de nouvelle tentative (**jamais**,
# **idempotentes seulement**, **toujours**), ou l'une des vraies bibliothèques avec ses réglages par défaut.

# %%
from httplab.widgets import RetryLab

RetryLab(lab)

# %% [markdown]
# ## 8. Entraînez-vous
#
# - [Une commande qu'on peut renvoyer sans dommage](exercises/03-safe-order.ipynb) : passer deux fois la même
#   commande doit créer un seul élément.
# - [Un client qui réessaie avec une Idempotency-Key](exercises/09-idempotent-retry.ipynb) : une clé par commande,
#   réutilisée à chaque tentative.

# %% [markdown]
# ## Autoévaluation
#
# Répondez, appuyez sur **Vérifier**, lisez l'explication. Les questions qui vous demandent de *prédire* envoient de
# vraies requêtes à un labo qui leur est propre, et notent votre prédiction d'après ce que le serveur a réellement fait.

# %%
httplab.quiz.Quiz("07-retries").show()

# %% [markdown]
# ## Récapitulatif
#
# - Après une réponse perdue, le client **ne peut pas savoir** si le serveur a appliqué la requête.
# - RFC 9110 §9.2.2 : un client **SHOULD NOT** (ne devrait pas) renvoyer automatiquement une requête non idempotente,
#   sauf s'il sait que la requête est idempotente dans son effet ou peut détecter que l'originale n'a jamais été
#   appliquée ; un proxy **MUST NOT** (ne doit pas).
# - Les vraies bibliothèques diffèrent, et vous les avez vues : requests et httpx n'ont pas renvoyé les requêtes
#   perdues, urllib3 a renvoyé les idempotentes, la règle de Go rejoue GET, HEAD, OPTIONS, TRACE et les requêtes
#   avec `Idempotency-Key`, et un seul réglage (`allowed_methods=None`) fait renvoyer un POST par urllib3.
#   **Vérifiez ce que fait votre bibliothèque.**
# - Renvoyer même un PUT idempotent peut défaire l'écriture d'un autre client faite entre-temps ; avec `If-Match`,
#   la nouvelle tentative reçoit `412` à la place, et un GET vous dit ce qui s'est passé.
# - Un POST renvoyé peut créer un doublon. Un PUT ou un DELETE renvoyé laisse l'état que laisse une seule requête ;
#   le 404 d'un DELETE renvoyé signifie très probablement que votre première tentative l'a fait. Un PATCH renvoyé
#   peut faire son travail deux fois.
# - Un PATCH conditionnel (`If-Match`) renvoyé après une réponse perdue reçoit ici `412` (ou un 2xx d'un serveur
#   capable de dire que la modification a déjà été appliquée). Un 412 ne dit pas quelle écriture a fait bouger
#   l'ETag : **faites un GET pour le savoir**.
# - `Idempotency-Key` (un brouillon de l'IETF) rend un POST sans danger à renvoyer : une clé aléatoire par opération,
#   réutilisée à chaque tentative ; même clé → première réponse rejouée ; même clé, contenu différent → 422 ; encore
#   en cours → 409.
#
# **Suite :** [08 · Requêtes conditionnelles et mises à jour perdues](08-conditional-requests.ipynb).
