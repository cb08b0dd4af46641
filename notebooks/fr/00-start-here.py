# %% [markdown]
# # 00 · Commencez ici : requêtes, réponses et codes d'état
#
# **Dans cette leçon (environ 20 minutes), vous allez :**
# - démarrer un vrai serveur HTTP dans le noyau de ce notebook — le *labo* ;
# - envoyer une requête et lire les trois parties de sa réponse : le **code d'état**, les **champs d'en-tête** et le
#   **contenu** ;
# - lire un échange complet sous forme de texte HTTP/1.1, tel qu'il circule entre le client et le serveur ;
# - prédire ce que fera une requête avant de l'envoyer — chaque leçon fonctionne ainsi ;
# - essayer le **bac à sable** (Playground), où vous choisissez une méthode, envoyez la requête et voyez ce qui
#   revient.
#
# Exécutez chaque cellule avec **Maj+Entrée** (Shift+Enter).

# %% [markdown]
# ## 1. Démarrer le labo
#
# `httplab.start()` démarre un petit serveur web sur l'ordinateur qui exécute le noyau de ce notebook : votre
# ordinateur portable, ou le serveur d'un Jupyter hébergé. Il écoute à l'adresse `127.0.0.1`, qui veut dire « cet
# ordinateur » : seuls les programmes qui tournent sur ce même ordinateur peuvent l'atteindre — pas les autres
# machines du réseau. Sur un serveur Jupyter partagé, les programmes d'autres personnes tournent aussi sur cet
# ordinateur ; le labo vérifie donc aussi *qui* se connecte : il ne répond qu'aux programmes de l'utilisateur qui l'a
# démarré, et toute autre personne reçoit `403 Forbidden` (sous Linux, où le labo peut le savoir ; `lab` indique si
# cette vérification est active). Il offre deux choses à la même adresse :
#
# - à `/` — **httpbin**, un serveur qui vous *renvoie en écho* chaque requête, pour que vous voyiez ce que vous avez
#   envoyé ;
# - à `/lab` — un serveur qui **garde un état** : une collection d'*éléments* que vous pouvez créer, modifier et
#   supprimer.
#
# Exécuter la cellule une nouvelle fois est sans danger : elle vous rend le labo qui tourne déjà.
#
# La première ligne après `import httplab` fait parler le kit en français : widgets, verdicts, prédictions et quiz.

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab

# %% [markdown]
# ## 2. Votre première requête
#
# Une requête nomme une **méthode** (ce que vous demandez de faire) et une **cible** (la ressource à laquelle vous le
# demandez). `GET /get` demande à la ressource `/get` de httpbin une représentation d'elle-même.

# %%
exchange = lab.send("GET", "/get")
exchange

# %% [markdown]
# `exchange` enregistre tout : la requête partie et la réponse revenue.
# La réponse commence par un **code d'état** — trois chiffres — et une courte phrase de raison :

# %%
exchange.status, exchange.status_text

# %% [markdown]
# Le premier chiffre donne la classe de la réponse (RFC 9110 §15) :
#
# | Classe | Signification | Exemples que vous rencontrerez |
# |---|---|---|
# | 2xx | succès : la requête a été reçue, comprise et acceptée | `200 OK`, `201 Created`, `204 No Content` |
# | 3xx | une action supplémentaire est nécessaire : aller ailleurs, ou utiliser la copie que vous avez | `303 See Other`, `304 Not Modified` |
# | 4xx | erreur du client : la requête n'a pas été exécutée, pour une raison qui tient au client | `400 Bad Request`, `404 Not Found`, `405 Method Not Allowed`, `412 Precondition Failed` |
# | 5xx | erreur du serveur : le serveur a échoué, ou ne peut pas faire ce qui était demandé | `500 Internal Server Error`, `501 Not Implemented` |
#
# Deux mises en garde pour les leçons suivantes. Un 4xx ne se corrige pas toujours en modifiant la requête : certains
# vous demandent d'attendre (`429 Too Many Requests`) ou de relire l'état actuel (`409 Conflict`,
# `412 Precondition Failed`). Et un 5xx ne prouve pas que rien ne s'est passé : une passerelle peut répondre
# `504 Gateway Timeout` alors que le serveur situé derrière elle a fait le travail. `202 Accepted` est un succès d'un
# autre genre : il veut dire « accepté, sera fait plus tard », pas « fait ».
#
# `httplab.describe_status` explique n'importe quel code en une ligne :

# %%
for code in (200, 201, 202, 204, 404, 405):
    print(httplab.describe_status(code))

# %% [markdown]
# ## 3. Champs d'en-tête et contenu
#
# Après le code d'état viennent les **champs d'en-tête** — des paires `Nom: valeur` qui donnent des informations
# *sur* le message — puis le **contenu** (souvent appelé le corps). La réponse de httpbin est du JSON, que l'échange a
# déjà analysé pour vous :

# %%
exchange.response.headers["Content-Type"]

# %%
exchange.json["headers"]

# %% [markdown]
# Regardez bien : httpbin a renvoyé en écho les champs d'en-tête que **votre** requête portait, comme `Host` et
# `User-Agent`. Les noms de champ ne tiennent pas compte de la casse : `content-type` et `Content-Type` désignent le
# même champ.

# %% [markdown]
# ## 4. Sur le réseau
#
# HTTP/1.1 est un texte que vous pouvez lire. Voici l'échange écrit sous cette forme : d'abord la ligne de requête ou
# la ligne d'état, puis les champs d'en-tête, puis une ligne vide, puis le contenu.

# %%
print(exchange.raw_request)
print("-" * 60)
print(exchange.raw_response)

# %% [markdown]
# Qu'est-ce que c'est, exactement ? Votre labo communique par un socket, et httplab montre le début de chaque
# message (la ligne de départ et les champs d'en-tête) tel qu'il a traversé ce socket. Un labo démarré avec
# `in_process=True` n'a pas de socket du tout : sa vue « sur le réseau » est reconstruite à partir de la requête et de
# la réponse enregistrées ; elle montre donc ce qui *aurait* été envoyé. Dans les deux cas, un contenu long ou binaire
# est raccourci dans cette vue ; le contenu complet reste dans l'enregistrement (`exchange.response.body`).

# %% [markdown]
# ## 5. Un serveur qui garde un état
#
# httpbin oublie tout : il ne fait que renvoyer en écho. Le labo, à `/lab`, se souvient. Nous partons d'un labo vide,
# pour que les numéros d'éléments ci-dessous correspondent aux vôtres :

# %%
lab.reset()

# %% [markdown]
# **Prédisez d'abord.** Chaque leçon vous demande de vous engager sur une prédiction avant qu'une démonstration
# s'exécute. Choisissez une réponse et appuyez sur **Verrouiller ma prédiction** ; exécutez ensuite la cellule suivante.
# Se tromper n'est pas grave — c'est de la surprise que naît l'apprentissage.

# %%
guess = httplab.predict("00-start-here-echo-or-keep")
guess

# %% [markdown]
# Maintenant, envoyez : le même objet JSON, une fois à `/post` de httpbin, une fois à la collection `/lab/items` du
# labo.

# %%
echoed = lab.send("POST", "/post", json={"name": "apple"})
created = lab.send("POST", "/lab/items", json={"name": "apple"})
guess.reveal(lab)

# %% [markdown]
# httpbin a répondu `200 OK` et renvoyé en écho ce qu'il a reçu ; le labo a créé un élément :

# %%
echoed.status_text, created.status_text

# %% [markdown]
# `201 Created` dit qu'une nouvelle ressource existe désormais, et l'en-tête `Location` dit où :

# %%
created.response.headers["Location"]

# %% [markdown]
# `lab.state()` montre ce que le serveur contient. Toutes les leçons suivantes s'en servent pour observer ce que les
# requêtes *font* :

# %%
lab.state()["items"]

# %% [markdown]
# ## 6. Le bac à sable (Playground)
#
# Choisissez une méthode, tapez un chemin, ajoutez un corps si vous le souhaitez, et appuyez sur **Envoyer**.
# Essayez ceci :
#
# 1. `GET /lab/items` — la liste des éléments ;
# 2. `POST /lab/items` : réglez **Type de contenu** sur *JSON (application/json)* et tapez `{"name": "pear"}` dans
#    **Corps** ; envoyez. Puis videz le corps, remettez le type de contenu sur *aucun*, et envoyez de nouveau
#    `GET /lab/items` ;
# 3. `GET /lab/items/1`, puis `DELETE /lab/items/1`, puis `GET /lab/items/1` encore une fois ;
# 4. `GET /status/418` — httpbin répond avec le code que vous demandez, quel qu'il soit.
#
# Le bac à sable montre aussi chaque requête sous forme de code Python et de commande `curl` à copier.

# %%
from httplab.widgets import Playground

Playground(lab)

# %% [markdown]
# ## Autoévaluation
#
# Répondez, appuyez sur **Vérifier**, lisez l'explication. Les questions qui vous demandent de *prédire* envoient de
# vraies requêtes à un labo qui leur est propre, et notent votre prédiction d'après ce que le serveur a réellement fait.

# %%
httplab.quiz.Quiz("00-start-here").show()

# %% [markdown]
# ## Récapitulatif
#
# - Une **requête** a une méthode, une cible, des champs d'en-tête et parfois un contenu ; une **réponse** a un code
#   d'état, des champs d'en-tête et le plus souvent un contenu.
# - Le premier chiffre du code d'état donne la classe de la réponse : 2xx succès, 3xx action supplémentaire, 4xx erreur
#   du client, 5xx erreur du serveur. Un 4xx peut vous demander d'attendre ou de relire plutôt que de modifier ; un 5xx
#   ne prouve pas que rien ne s'est passé.
# - httpbin (à `/`) renvoie les requêtes en écho ; le labo (à `/lab`) garde un état, et `lab.state()` le montre. La
#   même méthode peut faire des choses différentes sur des ressources différentes.
# - Chaque échange est enregistré : `lab.history` les liste, et `raw_request` / `raw_response` le montrent sous forme
#   de texte HTTP/1.1 (le début du message tel qu'il a traversé le socket ; reconstruit quand le labo tourne dans le
#   processus du noyau).
# - Le labo écoute sur `127.0.0.1` : seuls les programmes de cet ordinateur peuvent l'atteindre, et sous Linux il ne
#   répond qu'aux programmes de l'utilisateur qui l'a démarré (`lab` indique si cette vérification est active).
#
# **Suite :** [01 · GET, HEAD, OPTIONS et méthodes sûres](01-safe-methods.ipynb). À partir de la leçon 01, chaque leçon
# renvoie à un exercice du dossier `exercises`, où vous écrivez vous-même les requêtes.
