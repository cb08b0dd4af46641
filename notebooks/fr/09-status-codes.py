# %% [markdown]
# # 09 · Codes d'état et erreurs
#
# **Dans cette leçon (environ 25 minutes), vous allez :**
# - provoquer les codes d'erreur que vous avez rencontrés — 400, 404, 405, 409, 412, 413, 415, 422, 501 — et lire ce
#   que chacun veut dire ;
# - demander la même erreur en deux langues, et voir ce que la négociation de contenu change et ce qu'elle ne change
#   pas ;
# - distinguer « la méthode n'est pas permise ici » (405) de « la méthode est inconnue » (501) ;
# - prédire ce que reçoit un `If-None-Match` faux sur un PUT (ce n'est pas `304`) ;
# - décider, pour chaque code, ce qui le corrige : modifier la requête, attendre, relire la ressource — ou rien ;
# - utiliser le point de terminaison `/status` de httpbin pour voir le code de votre choix.

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "tags": []})

JSON_PATCH = {"Content-Type": "application/json-patch+json"}

# %% [markdown]
# ## 1. Tour d'horizon des codes d'erreur
#
# Chaque requête ci-dessous est fausse d'une façon bien précise. Le labo répond par un document de **détails du
# problème** (`application/problem+json`, RFC 9457) dont le `detail` dit ce qui n'allait pas et quoi faire :

# %%
tour = [
    ("400 — contenu mal formé", "POST", "/lab/items", {"content": '{"name": "pear",}', "headers": {"Content-Type": "application/json"}}),
    ("404 — rien à cette adresse", "GET", "/lab/items/banana", {}),
    ("405 — méthode connue, non prise en charge ici", "DELETE", "/lab/items", {}),
    ("409 — le patch contredit l'état actuel", "PATCH", "/lab/items/apple", {"json": [{"op": "remove", "path": "/colour"}], "headers": JSON_PATCH}),
    ("412 — condition préalable fausse", "PUT", "/lab/items/apple", {"json": {"name": "apple"}, "headers": {"If-Match": '"not-the-etag"'}}),
    ("415 — type de média non pris en charge", "POST", "/lab/items", {"content": "name=pear", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
    ("422 — bien formé, mais pas un élément", "POST", "/lab/items", {"json": ["pear"]}),
    ("501 — méthode non reconnue", "BREW", "/lab/items", {}),
]
for label, method, path, request in tour:
    reply = lab.send(method, path, **request)
    print(f"{label}\n   {method} {path} → {reply.status_text}\n   {reply.json['detail']}\n")

# %% [markdown]
# Aucune n'a rien changé :

# %%
lab.state()["items"]

# %% [markdown]
# ## 2. Négociation de contenu : la même erreur en deux langues
#
# Un document de détails du problème est une **représentation** de l'erreur, et une représentation peut exister en
# plusieurs langues. Le client dit quelles langues il préfère avec `Accept-Language` (RFC 9110 §12.5.4) ; le serveur
# choisit — c'est la **négociation proactive** (§12.1) — et nomme la langue choisie avec `Content-Language` (§8.5).
# Le labo négocie la langue de son `detail`. Envoyez deux fois la même mauvaise requête, en demandant une fois du
# français et une fois de l'anglais :

# %%
answers = {}
for language in ("fr", "en"):
    reply = lab.send("GET", "/lab/items/banana", headers={"Accept-Language": language})
    answers[language] = reply
    headers = reply.response.headers
    print(f"Accept-Language: {language} → {reply.status_text}")
    print(f"   Content-Language: {headers.get('Content-Language')}   Vary: {headers.get('Vary')}")
    print(f"   title:  {reply.json['title']}\n   detail: {reply.json['detail']}\n")

# La même erreur les deux fois : le même code d'état et le même title.
assert answers["fr"].status == answers["en"].status == 404
assert answers["fr"].json["title"] == answers["en"].json["title"]
# Content-Language, quand il est envoyé, nomme la langue demandée.
for language, reply in answers.items():
    assert reply.response.headers.get("Content-Language") in (language, None)

# %% [markdown]
# - Le **code d'état est le même**, 404 les deux fois, et l'état aussi : il n'y a toujours rien à
#   `/lab/items/banana`. C'est une seule erreur ; seule sa **représentation** diffère. Le `detail` arrive dans la
#   langue demandée, et `Content-Language` dit de quelle langue il s'agit.
# - `title` reste `Not Found`, la phrase de raison, dans les deux cas. Pour un problème de type `about:blank`, le
#   `title` SHOULD (devrait) être la phrase de raison du code d'état (RFC 9457 §4.2.1) ; cette RFC permet à un serveur
#   de la traduire, et ce labo la garde telle qu'elle figure sur la ligne d'état.
# - `Vary: Accept-Language` dit aux caches que la réponse dépend de l'`Accept-Language` de la requête : un cache ne
#   doit pas réutiliser la réponse en français pour une requête qui demande de l'anglais sans vérifier d'abord auprès
#   du serveur (§12.5.5). Il dit aussi au client que d'autres valeurs peuvent obtenir une autre représentation. (Ces
#   réponses d'erreur disent aussi `Cache-Control: no-store` : aucun cache ne les garde.)
# - `Accept-Language` est une préférence, pas un ordre : un serveur peut répondre dans une langue que vous n'avez pas
#   demandée (§12.1). Lisez `Content-Language` pour savoir laquelle vous avez reçue.

# %% [markdown]
# ## 3. 405 ou 501 ?
#
# - **405 Method Not Allowed** : le serveur connaît la méthode, mais *cette ressource* ne la prend pas en charge. La
#   réponse **doit** porter un en-tête `Allow` qui liste ce qu'elle prend en charge (RFC 9110 §15.5.6).
# - **501 Not Implemented** : le serveur ne reconnaît pas du tout la méthode (RFC 9110 §9.1, §15.6.2).

# %%
for method in ("PUT", "BREW"):
    reply = lab.send(method, "/lab/items", json={})
    print(method, "→", reply.status_text, "| Allow:", reply.response.headers.get("Allow"))

# %% [markdown]
# Est-il utile de réessayer après un 501 ? Envoyez BREW trois fois :

# %%
lab.repeat("BREW", "/lab/items", times=3, reset=False).statuses

# %% [markdown]
# Jamais : le serveur n'implémente pas la méthode, et redemander n'y change rien.

# %% [markdown]
# ## 4. 304 ou 412 ? Un `If-None-Match` faux
#
# Dans la leçon 08, un GET dont le `If-None-Match` nommait l'ETag actuel a reçu `304 Not Modified`. Vérifiez-le encore
# une fois :

# %%
etag = lab.send("GET", "/lab/items/apple").response.headers["ETag"]
lab.send("GET", "/lab/items/apple", headers={"If-None-Match": etag}).status_text

# %% [markdown]
# **Prédisez d'abord.** Le même `If-None-Match` sur un PUT : quel code d'état ?

# %%
guess_put = httplab.predict("09-if-none-match-put")
guess_put

# %% [markdown]
# Maintenant, envoyez :

# %%
put = lab.send("PUT", "/lab/items/apple", json={"name": "apple"}, headers={"If-None-Match": etag})
guess_put.reveal(put)

# %% [markdown]
# Un `If-None-Match` faux donne `304` sur GET et HEAD (« votre copie est à jour ») et `412` sur toute autre méthode
# (« la condition que vous avez posée a échoué ; rien n'a été fait ») (RFC 9110 §13.1.2).

# %% [markdown]
# ## 5. Trop grand
#
# Le labo accepte au plus 1 Mio de contenu par requête. Au-delà, c'est **413 Content Too Large** :

# %%
big = lab.send("POST", "/lab/items", content="x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"})
big.status_text

# %% [markdown]
# ## 6. Qu'est-ce qui corrige l'erreur ?
#
# Une règle empirique répandue dit « 4xx : corrigez votre requête ; 5xx : le serveur a échoué, réessayez plus tard ».
# C'est un début, et elle se trompe assez souvent pour que cela compte (RFC 9110 §15.5, §15.6 ; 428 et 429 viennent
# de la RFC 6585 §3, §4) :
#
# | Code | Ce qu'il dit | Ce qui le corrige |
# |---|---|---|
# | 400, 413, 415, 422 | la requête elle-même est fausse | modifier la requête |
# | 404 | rien à cette URI | vérifier l'URI ; après un DELETE, c'est le but |
# | 405 | la ressource ne prend pas en charge la méthode | utiliser une méthode listée dans `Allow` |
# | 428 | le serveur veut une condition préalable | ajouter `If-Match` (lire l'ETag avec un GET) |
# | **408** Request Timeout | le serveur a cessé d'attendre la suite de la requête | **la renvoyer** ; rien à modifier |
# | **409** Conflict | la requête entre en conflit avec l'état actuel de la ressource | **relire** la ressource, puis décider |
# | **412** Precondition Failed | la ressource a changé depuis que vous l'avez lue | **relire** (GET), refaire votre modification, envoyer le nouvel ETag |
# | **429** Too Many Requests | vous avez envoyé trop de requêtes | **attendre** (respecter `Retry-After` quand il est envoyé), puis renvoyer |
# | 500 | le serveur a échoué | peut-être plus tard ; la requête a pu être appliquée, en partie ou en totalité |
# | **501** Not Implemented | le serveur ne reconnaît pas la méthode | **rien** : réessayer n'aide jamais |
# | 502, 503 | une passerelle a reçu une mauvaise réponse ; le serveur est indisponible pour l'instant | attendre et réessayer peut aider (`Retry-After` sur 503) |
# | **504** Gateway Timeout | une passerelle n'a pas reçu de réponse à temps | réessayer avec prudence : le serveur derrière elle **a pu appliquer** la requête |
#
# Un 504 ressemble à la réponse perdue de la leçon 07 : la passerelle a cessé d'attendre, mais le serveur derrière
# elle a pu faire le travail. Renvoyer un POST après un 504 peut créer un doublon.
#
# Et les codes 2xx ne veulent pas tous dire « fait » : `200`, `201` et `204` disent que la requête a réussi, mais
# **`202 Accepted`** dit seulement que la requête a été acceptée pour traitement. Ce n'est pas encore fait, et cela
# peut encore échouer.

# %% [markdown]
# ## 7. Le code de votre choix : le `/status` de httpbin
#
# httpbin répond à `/status/<code>` avec ce code. Essayez-en quelques-uns ; `describe_status` explique chacun :

# %%
for code in (200, 201, 202, 204, 301, 304, 400, 401, 403, 404, 410, 418, 429, 500, 501, 503, 504):
    reply = lab.send("GET", f"/status/{code}")
    print(f"{reply.status_text:32} {httplab.describe_status(reply.status)}")

# %% [markdown]
# ## 8. Explorez
#
# Dans le bac à sable (Playground) ci-dessous, choisissez `GET`, tapez le chemin `/status/200:3,503:1`, et appuyez
# plusieurs fois sur **Envoyer** : httpbin tire un code au hasard avec ces poids (trois 200 pour un 503). Lesquelles de
# ces réponses un client renverrait-il, et pourquoi est-ce sans danger ici ?

# %%
from httplab.widgets import Playground

Playground(lab)

# %% [markdown]
# ## 9. Entraînez-vous
#
# Exercice : [Quelles méthodes sont autorisées ?](exercises/07-allowed-methods.ipynb) Demandez au serveur, pas à la
# documentation.

# %% [markdown]
# ## Autoévaluation
#
# Répondez, appuyez sur **Vérifier**, lisez l'explication. Les questions qui vous demandent de *prédire* envoient de
# vraies requêtes à un labo qui leur est propre, et notent votre prédiction d'après ce que le serveur a réellement fait.

# %%
httplab.quiz.Quiz("09-status-codes").show()

# %% [markdown]
# ## Récapitulatif
#
# | Code | Signification |
# |---|---|
# | 202 | accepté pour traitement — pas encore fait |
# | 304 | un `If-None-Match` faux sur GET ou HEAD : votre copie est à jour |
# | 400 | la requête est mal formée (JSON invalide, valeur d'en-tête invalide) |
# | 404 | rien à cette URI — après un DELETE, c'est le but |
# | 405 | cette ressource ne prend pas en charge la méthode ; voir `Allow` |
# | 408 | le serveur a cessé d'attendre la requête : renvoyez-la |
# | 409 | conflit avec l'état actuel de la ressource : relisez-la |
# | 412 | une condition préalable était fausse ; rien n'a changé : relisez la ressource |
# | 413 | le contenu est trop grand |
# | 415 | le type de média n'est pas accepté ici (PATCH liste aussi `Accept-Patch`) |
# | 422 | bien formée, mais le serveur ne peut pas traiter ce qu'elle dit |
# | 428 | le serveur exige une condition préalable |
# | 429 | trop de requêtes : attendez, puis renvoyez |
# | 501 | la méthode n'est pas reconnue du tout : réessayer n'aide jamais |
# | 504 | une passerelle a dépassé son délai : la requête a pu être appliquée quand même |
#
# La même erreur peut exister en plusieurs langues : `Accept-Language` demande, `Content-Language` nomme la langue
# envoyée, `Vary: Accept-Language` prévient les caches. Le code d'état et l'état restent les mêmes.
#
# Ensuite, la leçon 10 rassemble tout : vous y auditez un serveur qui enfreint certaines de ces règles. Les exercices
# sont dans `exercises/`, et chaque leçon se termine par un quiz d'autoévaluation.
