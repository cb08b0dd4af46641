# %% [markdown]
# # 01 · GET, HEAD, OPTIONS et méthodes sûres
#
# **Dans cette leçon (environ 20 minutes), vous allez :**
# - lire une ressource avec **GET**, ne demander que ses champs d'en-tête avec **HEAD**, et demander ce qu'elle prend
#   en charge avec **OPTIONS** ;
# - apprendre ce que **sûre** veut dire en HTTP — et ce que cela ne veut pas dire ;
# - prédire, puis observer, ce que la répétition d'un GET fait à l'état du serveur.

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "colour": "red"})

# %% [markdown]
# ## 1. GET : « envoyez-moi la représentation actuelle »
#
# GET demande une représentation de la ressource cible (RFC 9110 §9.3.1). Les éventuels paramètres ont leur place
# dans l'URI (la chaîne de requête, après `?`). Un contenu dans une requête GET **n'a pas de sens défini en général** :
# les serveurs peuvent l'ignorer, et certains rejettent la requête.

# %%
got = lab.send("GET", "/lab/items/apple")
got.status_text, got.json

# %% [markdown]
# La réponse porte un **ETag**, une étiquette pour cette version précise de l'élément. La leçon 08 le met à profit.

# %%
got.response.headers["ETag"]

# %% [markdown]
# Un GET sur quelque chose qui n'existe pas reçoit `404 Not Found` :

# %%
lab.send("GET", "/lab/items/banana")

# %% [markdown]
# ## 2. HEAD : la même réponse, sans le contenu
#
# Une requête HEAD demande ce qu'obtiendrait un GET, moins le contenu (RFC 9110 §9.3.2). Le serveur répond avec le
# même code d'état, et il **devrait** envoyer les mêmes champs d'en-tête qu'un GET recevrait ; il **peut** omettre les
# champs dont il n'apprend la valeur qu'en produisant le contenu.
#
# `Content-Length` peut en faire partie : RFC 9110 §8.6 permet à un serveur de l'omettre dans une réponse à HEAD. Si
# le serveur en envoie un, ce doit être la longueur qu'aurait le contenu d'un GET — pas un `0` qui voudrait dire
# « cette réponse à HEAD n'a pas de contenu ».

# %%
head = lab.send("HEAD", "/lab/items/apple")
print(head.status_text)
print("GET  Content-Length:", got.response.headers.get("Content-Length", "(non envoyé)"))
print("HEAD Content-Length:", head.response.headers.get("Content-Length", "(non envoyé)"))
print("Contenu de HEAD :", head.response.body)

# %% [markdown]
# Ce labo envoie la même longueur pour les deux. HEAD est pratique pour vérifier si quelque chose existe, ou s'il a
# changé (comparez l'ETag), sans le télécharger.

# %% [markdown]
# ## 3. OPTIONS : « que puis-je faire ici ? »
#
# OPTIONS interroge une ressource sur ses options de communication (RFC 9110 §9.3.7). Le labo répond avec un en-tête
# `Allow` qui liste les méthodes que cette ressource prend en charge, et `Accept-Patch` qui liste les formats de patch
# qu'elle comprend (RFC 5789 §3.1) :

# %%
options = lab.send("OPTIONS", "/lab/items/apple")
options.status_text, options.response.headers["Allow"], options.response.headers["Accept-Patch"]

# %% [markdown]
# **Prédisez d'abord.** POST ne figure pas dans cette liste. Que répondra l'élément à un POST ?

# %%
guess_post = httplab.predict("01-post-to-an-item")
guess_post

# %%
refused = lab.send("POST", "/lab/items/apple", json={})
guess_post.reveal(refused)

# %% [markdown]
# Le `405` arrive avec le même en-tête `Allow`, pour que le client apprenne ce qu'il *peut* faire :

# %%
refused.status_text, refused.response.headers["Allow"]

# %% [markdown]
# OPTIONS ne sert pas qu'à lire `Allow`. Son usage le plus connu aujourd'hui est la **requête de pré-vérification
# CORS** (preflight) : avant qu'un script d'un site web envoie, par exemple, un PUT à un autre site, le navigateur
# envoie d'abord une requête OPTIONS qui nomme la méthode voulue, et les champs `Access-Control-Allow-…` du serveur
# disent si le navigateur peut continuer. (CORS est défini par le standard Fetch du WHATWG, pas par la RFC 9110.)
# httpbin répond aux requêtes de pré-vérification ; en voici une, envoyée à la main :

# %%
preflight = lab.send(
    "OPTIONS",
    "/anything",
    headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "PUT"},
)
preflight.status_text, preflight.response.headers["Access-Control-Allow-Methods"]

# %% [markdown]
# ## 4. Les méthodes sûres
#
# GET, HEAD, OPTIONS et TRACE sont des méthodes **sûres** : le client ne demande **aucun changement d'état** sur le
# serveur (RFC 9110 §9.2.1). « Sûre » est une propriété de la *méthode*, définie par la RFC.
#
# **TRACE** demande au serveur de renvoyer en écho la requête qu'il a reçue, pour le débogage (§9.3.8). Elle aussi est
# sûre, mais beaucoup de serveurs la désactivent, car un écho peut révéler des champs d'en-tête comme les cookies.
# C'est le cas du labo :

# %%
trace = lab.send("TRACE", "/lab/items/apple")
trace.status_text, trace.response.headers["Allow"]

# %% [markdown]
# Une méthode sûre laisse-t-elle l'état intact sur *ce* serveur-ci ? Vérifions avec le labo.
#
# **Prédisez d'abord.**

# %%
guess = httplab.predict("01-safe-get-three")
guess

# %% [markdown]
# Maintenant, envoyez : trois GET sur l'élément, avec un instantané de l'état avant le premier appel et après chaque
# appel (`reset=False` conserve notre élément `apple`) :

# %%
result = lab.repeat("GET", "/lab/items/apple", times=3, reset=False)
guess.reveal(result)

# %%
result

# %% [markdown]
# L'état est resté le même. Notez ce que dit le résultat : « état inchangé » est une **observation** sur ce serveur,
# pas une preuve. Que GET soit sûre, c'est la définition de la méthode ; un serveur la respecte ou l'enfreint, et rien
# dans le protocole ne peut l'y obliger.
#
# ### Ce que « sûre » ne veut pas dire
#
# - **Pas « aucun effet de bord ».** Un serveur peut journaliser les requêtes, compter les visites ou facturer la
#   bande passante d'un GET ; ce qui compte, c'est que le client n'a pas *demandé* de changement (§9.2.1). Le labo
#   compte lui aussi les requêtes par méthode — regardez :

# %%
lab.state()["requests"]

# %% [markdown]
# Ces compteurs ont changé, mais les **éléments**, non. Les compteurs et les journaux ne font pas partie de l'état sur
# lequel portait la demande du client.
#
# - **Pas « sécurisée ».** Sûre ne dit rien du chiffrement, de l'authentification ni de qui peut lire les données.
# - **Pas imposée.** Un serveur *pourrait* supprimer quelque chose en recevant `GET /delete?id=1`. RFC 9110 §9.2.1
#   dit que lorsqu'une ressource effectuerait une action non sûre, son propriétaire **DOIT** (MUST) désactiver ou
#   interdire cette action quand on l'atteint avec une méthode sûre — la règle engage celui qui construit le serveur ;
#   HTTP lui-même ne peut pas arrêter un serveur mal construit.
#
# Comme les méthodes sûres ne demandent aucun changement, les robots d'indexation et les mécanismes de préchargement
# peuvent les envoyer sans crainte de causer du tort. Les réponses à GET et à HEAD sont aussi **cacheables** : un cache
# *peut* les stocker — cela ne veut pas dire que chaque réponse est stockée.

# %% [markdown]
# ## 5. À vous
#
# Dans le bac à sable, envoyez `HEAD /get` et `GET /get` et comparez les champs d'en-tête des réponses (l'onglet
# *En-têtes reçus*). Puis envoyez `OPTIONS /lab/items` : quelles méthodes la *collection* autorise-t-elle, et
# lesquelles d'entre elles l'élément `/lab/items/apple` n'autorise-t-il pas ?

# %%
from httplab.widgets import Playground

Playground(lab)

# %% [markdown]
# **Exercice :** [7 · Quelles méthodes sont autorisées ?](exercises/07-allowed-methods.ipynb) — interrogez des
# ressources avec OPTIONS et lisez `Allow`.

# %% [markdown]
# ## Autoévaluation
#
# Répondez, appuyez sur **Vérifier**, lisez l'explication. Les questions qui vous demandent de *prédire* envoient de
# vraies requêtes à un labo qui leur est propre, et notent votre prédiction d'après ce que le serveur a réellement fait.

# %%
httplab.quiz.Quiz("01-safe-methods").show()

# %% [markdown]
# ## Récapitulatif
#
# - **GET** demande la représentation actuelle ; les paramètres vont dans l'URI ; un contenu dans un GET n'a pas de
#   sens défini en général.
# - **HEAD** répond avec le même code d'état que GET et normalement les mêmes champs d'en-tête (un *devrait*), sans
#   contenu. `Content-Length` peut être absent ; s'il est présent, c'est la longueur qu'enverrait un GET, pas 0.
# - **OPTIONS** demande ce qu'une ressource prend en charge (`Allow`, `Accept-Patch`) ; les navigateurs s'en servent
#   aussi pour les requêtes de pré-vérification CORS. Une méthode que la ressource ne prend pas en charge reçoit
#   **405** avec `Allow`.
# - **Sûre** (GET, HEAD, OPTIONS, TRACE) = le client ne demande aucun changement d'état. C'est une propriété de la
#   méthode. Journaliser et compter sont permis ; sûre ≠ sécurisée ; c'est au serveur de la respecter — le protocole
#   ne peut pas l'imposer.
# - Une observation dit « état inchangé » ; elle va dans le sens de la définition mais ne peut pas la prouver.
# - Toute méthode sûre est aussi idempotente (la leçon 03 explique ce que cela veut dire).
#
# **Suite :** [02 · POST](02-post.ipynb).
