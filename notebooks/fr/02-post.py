# %% [markdown]
# # 02 · POST : créer, traiter — et les doublons
#
# **Dans cette leçon (environ 20 minutes), vous allez :**
# - créer des éléments avec **POST** et lire `201 Created` et son en-tête `Location` ;
# - prédire, puis voir, ce que le même POST envoyé trois fois fait à l'état du serveur ;
# - voir pourquoi POST n'est ni sûre ni idempotente — et à quoi sert vraiment POST.

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()

# %% [markdown]
# ## 1. POST demande à la ressource de traiter ce que vous envoyez
#
# POST envoie un contenu à une ressource et lui demande de **traiter ce contenu selon ses propres règles**
# (RFC 9110 §9.3.3). Ce que « traiter » veut dire dépend de la ressource : ajouter à une liste, créer une nouvelle
# ressource à une URI que le *serveur* choisit, passer une commande, lancer une recherche, envoyer un courriel…
#
# La collection `/lab/items` du labo traite un POST en créant un nouvel élément :

# %%
first = lab.send("POST", "/lab/items", json={"name": "apple"})
first

# %% [markdown]
# Quand un POST crée une ressource, le serveur **devrait** répondre **`201 Created`** avec un en-tête **`Location`**
# qui nomme la nouvelle ressource (RFC 9110 §9.3.3, §15.3.2). C'est ce que fait le labo, et c'est le *serveur* qui a
# choisi l'identifiant :

# %%
first.response.headers["Location"]

# %%
lab.send("GET", first.response.headers["Location"]).json

# %% [markdown]
# Certaines documentations disent « POST réussit avec 200 OK ». Pour un POST qui crée, c'est imprécis : un tel POST
# devrait répondre `201 Created` + `Location`, pour que le client apprenne ce qui a été créé et où. D'autres réponses
# conviennent à d'autres issues : `200 OK` quand la réponse porte le résultat du traitement, `204 No Content` quand il
# n'y a rien à renvoyer, `303 See Other` pour envoyer le client vers une page de résultat. `202 Accepted` dit que la
# requête a été *acceptée* pour être traitée plus tard — pas que c'est fait.

# %% [markdown]
# ## 2. Le même POST, encore et encore
#
# Et si la même requête, identique, est envoyée trois fois — un double clic, un script lancé deux fois, une nouvelle
# tentative ?
#
# **Prédisez d'abord.**

# %%
guess = httplab.predict("02-post-three")
guess

# %% [markdown]
# Maintenant, envoyez. `lab.repeat` vide le labo, envoie la requête trois fois, et prend un instantané de l'état avant
# le premier appel et après chaque appel :

# %%
result = lab.repeat("POST", "/lab/items", times=3, json={"name": "apple"})
guess.reveal(result)

# %%
result

# %% [markdown]
# Trois pommes, chacune à sa propre URI :

# %%
[exchange.response.headers["Location"] for exchange in result.exchanges]

# %% [markdown]
# Chaque POST a été traité pour lui-même, donc chacun a créé quelque chose de nouveau. Rien dans ces requêtes ne
# permet au serveur de distinguer un second POST voulu d'une répétition accidentelle.
#
# - POST n'est **pas idempotente** (RFC 9110 §9.2.2) : l'envoyer trois fois n'a pas forcément le même effet que
#   l'envoyer une fois.
# - POST n'est **pas sûre** (§9.2.1) : le client demande que quelque chose se produise.
#
# C'est pourquoi les navigateurs demandent confirmation avant de soumettre à nouveau un formulaire. RFC 9110 §9.2.2
# dit qu'un client **ne devrait pas** renvoyer *automatiquement* une requête dont la méthode n'est pas idempotente,
# sauf s'il sait que la requête est idempotente dans son effet ou s'il peut savoir que la première tentative n'a
# jamais été appliquée. Les vraies bibliothèques HTTP diffèrent dans ce qu'elles font réellement : vérifiez donc ce
# que fait la vôtre. La leçon 07 montre ce qui tourne mal quand un POST est renvoyé, et comment un en-tête
# `Idempotency-Key` (un brouillon de l'IETF, qui ne fait pas encore partie de HTTP) permet à un serveur de reconnaître
# une répétition.

# %% [markdown]
# ## 3. POST ne sert pas qu'à créer
#
# « POST crée, PUT met à jour » est une règle empirique répandue, et elle est fausse dans les deux sens :
#
# - POST peut faire *tout* ce que la ressource définit — `/post` de httpbin se contente de renvoyer en écho ce qu'il a
#   reçu et ne crée rien. (Une API de recherche peut aussi recevoir ses critères de recherche dans un POST.)

# %%
echo = lab.send("POST", "/post", json={"question": "qu'ai-je envoyé ?"})
echo.status_text, echo.json["json"]

# %% [markdown]
# Ce POST n'a rien changé, et pourtant POST n'est toujours pas une méthode sûre : « sûre » est une propriété de la
# méthode, et un POST demande à la ressource de traiter le contenu à sa façon, quelle qu'elle soit.
#
# - Et PUT peut créer, à une URI que le *client* choisit (leçon suivante).

# %% [markdown]
# ## 4. Ce que fait un POST refusé
#
# Le labo attend des objets JSON. Que se passe-t-il quand il reçoit autre chose ?
#
# **Prédisez d'abord.**

# %%
guess_refused = httplab.predict("02-post-refused")
guess_refused

# %% [markdown]
# Maintenant, envoyez, et lisez les messages `detail` — chacun dit ce qui n'allait pas et ce qu'il faut faire :

# %%
for content, content_type in [
    ('{"name": "pear"', "application/json"),
    ("name=pear", "text/plain"),
    ("[1, 2]", "application/json"),
]:
    reply = lab.send("POST", "/lab/items", content=content, headers={"Content-Type": content_type})
    print(reply.status_text, "—", reply.json["detail"])
guess_refused.reveal(lab)

# %% [markdown]
# Le labo vérifie le contenu avant de créer quoi que ce soit ; chaque refus a donc laissé l'état tel qu'il était.

# %% [markdown]
# ## 5. Explorez
#
# Utilisez l'explorateur de répétitions (Repeat Explorer) : envoyez 10 fois le même corps en POST et regardez l'état
# grandir à chaque appel. Puis envoyez 10 POST à `/post` (httpbin) : qu'arrive-t-il à l'état du labo ?

# %%
from httplab.widgets import RepeatExplorer

RepeatExplorer(lab)

# %% [markdown]
# **Exercice :** [1 · Exactement trois éléments](exercises/01-create-three.ipynb) demande un script de préparation qui
# laisse exactement trois éléments, quel que soit le nombre de fois où il s'exécute. Cette leçon montre pourquoi des
# POST répétés ne peuvent pas y arriver à eux seuls ; la leçon 03 vous donne l'outil.

# %% [markdown]
# ## Autoévaluation
#
# Répondez, appuyez sur **Vérifier**, lisez l'explication. Les questions qui vous demandent de *prédire* envoient de
# vraies requêtes à un labo qui leur est propre, et notent votre prédiction d'après ce que le serveur a réellement fait.

# %%
httplab.quiz.Quiz("02-post").show()

# %% [markdown]
# ## Récapitulatif
#
# - POST demande à la ressource cible de **traiter** le contenu selon ses propres règles.
# - Quand un POST crée une ressource, le serveur **devrait** répondre **`201 Created`** avec un en-tête **`Location`**
#   qui nomme l'URI qu'il a choisie (§9.3.3). « 200 pour une création » est imprécis ; `202` veut dire accepté, pas
#   fait.
# - Le même POST envoyé deux fois est traité deux fois : des **doublons**. POST n'est ni sûre ni idempotente ; un
#   client ne devrait donc pas renvoyer un POST automatiquement (ce que font les vraies bibliothèques varie : vérifiez
#   la vôtre).
# - Un POST que le serveur refuse (400, 415, 422 ici) n'a rien créé dans ce labo.
# - « POST crée, PUT met à jour » est un mythe : POST peut faire tout ce que la ressource définit, et PUT peut créer.
#
# **Suite :** [03 · PUT](03-put.ipynb).
