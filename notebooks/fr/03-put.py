# %% [markdown]
# # 03 · PUT : remplacer tout l'état — et l'idempotence, observée
#
# **Dans cette leçon (environ 20 minutes), vous allez :**
# - créer un élément avec **PUT** à une URI que *vous* choisissez, puis le remplacer ;
# - lire les codes d'état qu'exige la RFC 9110 : **201** à la création, **200 ou 204** au remplacement ;
# - voir que PUT demande à remplacer **tout l'état** — ne comptez pas sur les champs que vous omettez ;
# - prédire, puis observer, ce que fait la répétition d'un PUT — et ce que **idempotente** veut vraiment dire.
#
# L'envoi de fichiers avec POST et PUT a sa propre leçon, facultative : [03b · Envoi de fichiers](03b-uploads.ipynb).

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()

# %% [markdown]
# ## 1. PUT : « faites que la ressource à cette URI ressemble à ceci »
#
# PUT envoie le **nouvel état complet** de la ressource cible (RFC 9110 §9.3.4). C'est le client qui choisit l'URI.
# S'il n'y a encore rien à cette URI, PUT crée la ressource :

# %%
created = lab.send("PUT", "/lab/items/pear", json={"name": "pear", "price": 2})
created.status_text, created.response.headers["Location"]

# %% [markdown]
# S'il y a déjà quelque chose, PUT le remplace :

# %%
replaced = lab.send("PUT", "/lab/items/pear", json={"name": "pear", "price": 3})
replaced.status_text

# %% [markdown]
# Les codes ne sont pas une affaire de goût. RFC 9110 §9.3.4 : quand un PUT **crée** une ressource, le serveur
# **DOIT** (MUST) répondre `201 Created` ; quand il en **remplace** une, il **DOIT** (MUST) répondre `200 OK` ou
# `204 No Content` — les deux sont corrects. Le labo répond `204 No Content` lors d'un remplacement.
#
# Une page qui dit « PUT réussit avec 200 (généralement 201 ou 204) » est imprécise plutôt que fausse : 200 est une
# réponse correcte à un remplacement, mais une création doit recevoir 201.

# %% [markdown]
# ## 2. PUT remplace *tout*
#
# Un PUT ne veut pas dire « mettez à jour ces champs ». Ce que vous envoyez est censé être le nouvel état **complet**.
# Envoyez seulement un prix :

# %%
lab.send("PUT", "/lab/items/pear", json={"price": 4})
lab.send("GET", "/lab/items/pear").json

# %% [markdown]
# Dans ce labo, le nom a disparu. RFC 9110 §9.3.4 dit qu'un serveur **devrait** rendre l'état stocké cohérent avec ce
# que le PUT a envoyé ; de vrais serveurs peuvent tout de même compléter avec des valeurs par défaut ou conserver des
# champs qu'ils gèrent eux-mêmes (un identifiant, une date de création). Ce qu'aucun client ne devrait faire, c'est
# compter sur la survie d'un champ omis.
#
# Pour changer un champ et garder les autres, soit vous envoyez en PUT l'élément complet avec ce champ modifié, soit
# vous utilisez une méthode faite pour les mises à jour partielles : PATCH (leçon suivante). C'est vers elle que
# renvoie RFC 9110 §14.5 pour les changements partiels.

# %% [markdown]
# ## 3. Envoyer le même PUT encore et encore
#
# Voici le cœur du sujet. La cellule suivante vide le labo et envoie un même PUT trois fois, avec un instantané de
# l'état avant le premier appel et après chaque appel.
#
# **Prédisez d'abord** — deux questions sur la même exécution : les codes d'état, et les éléments qui restent à la
# fin.

# %%
guess_statuses = httplab.predict("03-put-three-statuses")
guess_statuses

# %%
guess_items = httplab.predict("03-put-three-items")
guess_items

# %% [markdown]
# Maintenant, envoyez :

# %%
put_result = lab.repeat("PUT", "/lab/items/pear", times=3, json={"name": "pear", "price": 2})
guess_statuses.reveal(put_result)

# %%
guess_items.reveal(put_result)

# %%
put_result

# %% [markdown]
# Regardez deux choses :
#
# - les **réponses diffèrent** : `201 Created` la première fois, `204 No Content` ensuite ;
# - l'**état est le même** après chaque appel : une poire, au prix de 2.
#
# C'est ce que veut dire **idempotente** (RFC 9110 §9.2.2) : l'*effet voulu sur le serveur* quand on envoie une
# requête plusieurs fois est le même que l'effet d'un seul envoi. Cela porte sur l'**état**, pas sur la réponse.

# %%
put_result.statuses, put_result.same_after_repeats

# %% [markdown]
# Comparez avec POST, côte à côte. La courbe de POST grimpe ; PUT change l'état une fois, puis sa courbe reste plate :

# %%
lab.compare(
    [
        ("POST", "/lab/items", {"json": {"name": "pear"}}),
        ("PUT", "/lab/items/pear", {"json": {"name": "pear"}}),
    ],
    times=3,
)

# %% [markdown]
# Pourquoi PUT est-elle idempotente et POST non ? Pas parce que l'une « met à jour » et l'autre « crée » — PUT peut
# créer, elle aussi. PUT dit *« l'état à cette URI est exactement ceci »* : le dire deux fois ne change rien de plus.
# POST dit *« traitez ceci »*, et une ressource peut traiter deux fois le même contenu.
#
# Trois autres choses que « idempotente » ne veut **pas** dire :
#
# - **Pas « sûre ».** PUT change l'état (ce n'est pas une méthode sûre), mais renvoyer le même PUT ne change rien de
#   plus.
# - **Pas « tout identique, octet pour octet ».** Un serveur peut journaliser chaque appel ou mettre à jour une heure
#   de « dernière visite » ; ce qui compte, c'est l'état que le client a demandé.
# - **Pas « sans danger en cas d'accès concurrents ».** Si un autre client modifie la poire entre vos deux PUT, votre
#   second PUT écrase sa modification. L'idempotence parle de requêtes *identiques* qui se suivent ; se protéger des
#   autres clients qui écrivent demande une condition préalable comme `If-Match` (leçon 08).

# %% [markdown]
# ## 4. Explorez
#
# Dans l'explorateur de répétitions (Repeat Explorer), envoyez dix fois en PUT `{"name": "plum"}` à
# `/lab/items/plum`. Puis changez le corps entre deux exécutions : quel est l'état maintenant ? Et si vous omettez
# `"name"` ?

# %%
from httplab.widgets import RepeatExplorer

RepeatExplorer(lab)

# %% [markdown]
# **Exercice :** [1 · Exactement trois éléments](exercises/01-create-three.ipynb) — un script de préparation qui laisse
# exactement trois éléments, quel que soit le nombre de fois où il s'exécute. Vous avez maintenant l'outil.

# %% [markdown]
# ## Autoévaluation
#
# Répondez, appuyez sur **Vérifier**, lisez l'explication. Les questions qui vous demandent de *prédire* envoient de
# vraies requêtes à un labo qui leur est propre, et notent votre prédiction d'après ce que le serveur a réellement fait.

# %%
httplab.quiz.Quiz("03-put").show()

# %% [markdown]
# ## Récapitulatif
#
# - PUT envoie le **nouvel état complet** d'une ressource, à une URI que le **client** choisit.
# - Création → **201 Created** (MUST) ; remplacement → **200 OK ou 204 No Content** (MUST).
# - PUT demande un remplacement, pas une fusion : ne comptez jamais sur la survie des champs omis dans un PUT.
# - PUT est une méthode **idempotente** : N PUT identiques laissent l'état que laisse un seul PUT, même si les réponses
#   diffèrent (201, puis 204). L'idempotence porte sur l'état, pas sur les réponses. PUT n'est pas sûre, et
#   l'idempotence ne vous protège pas des écritures des autres clients.
#
# **Facultatif :** [03b · Envoi de fichiers : POST ou PUT](03b-uploads.ipynb). **Suite :** [04 · PATCH](04-patch.ipynb).
