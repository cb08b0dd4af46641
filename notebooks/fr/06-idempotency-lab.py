# %% [markdown]
# # 06 · Le labo de l'idempotence : toutes les méthodes côte à côte
#
# **Dans cette leçon (environ 30 minutes), vous allez :**
# - exécuter un scénario pour chaque méthode et voir ce que la répétition de chacune fait à l'état du serveur ;
# - classer **vous-même** les requêtes d'après ces observations, avant de voir ce que HTTP définit ;
# - comparer votre classement avec ce que les RFC 9110 et RFC 5789 définissent comme **sûr** et **idempotent** ;
# - confronter des idées reçues courantes aux faits, et juger les affirmations d'une page de documentation typique.

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()

# %% [markdown]
# ## 1. Chaque méthode, trois fois
#
# Chaque scénario part d'un labo neuf qui contient un seul élément, `/lab/items/apple` = `{"name": "apple", "tags":
# ["fruit"]}`, puis envoie la même requête trois fois, en prenant un instantané de l'état après chaque appel :
#
# | Ligne | Requête |
# |---|---|
# | GET, HEAD, OPTIONS | sur `/lab/items/apple` |
# | POST | `POST /lab/items` avec `{"name": "pear"}` |
# | PUT | `PUT /lab/items/pear` avec `{"name": "pear"}` |
# | PATCH (merge patch) | `PATCH /lab/items/apple` avec `{"colour": "red"}` en `application/merge-patch+json` |
# | PATCH (JSON Patch, ajout) | `PATCH /lab/items/apple` avec `[{"op": "add", "path": "/tags/-", "value": "x"}]` |
# | DELETE | `DELETE /lab/items/apple` |
#
# **Prédisez d'abord.** Dans combien de lignes chaque appel changera-t-il l'état à nouveau ?

# %%
guess_board = httplab.predict("06-board-kept-changing")
guess_board

# %% [markdown]
# Maintenant, envoyez tout le tableau, puis comptez les lignes dans lesquelles un appel ultérieur a laissé un autre état
# que celui laissé par le premier appel :

# %%
board = lab.compare(times=3)
guess_board.reveal(sum(not row.same_after_repeats for row in board.rows))

# %% [markdown]
# Voici les observations, ligne par ligne : le code d'état de chaque appel, et les **numéros d'état**. L'état `0` est
# l'état avant le premier appel ; chaque nouvel état reçoit le numéro suivant, et un état déjà vu garde son numéro.
# Ainsi `0 → 0 → 0 → 0` signifie qu'aucun appel n'a rien changé, `0 → 1 → 1 → 1` que le premier appel a changé
# l'état et que les autres l'ont laissé tel quel, et `0 → 1 → 2 → 3` que chaque appel l'a changé à nouveau.

# %%
from httplab.i18n import translate  # row.label est la clé anglaise de la ligne ; translate() l'affiche en français

for row in board.rows:
    numbers = " → ".join(map(str, row.state_numbers))
    statuses = ", ".join(map(str, row.statuses))
    print(f"{translate(row.label):28} codes d'état : {statuses:15} numéros d'état : {numbers}")

# %% [markdown]
# ## 2. Classez les observations
#
# Pour chaque ligne, choisissez ce que son envoi répété a fait à l'état, puis appuyez sur **Vérifier mon tri**. La
# vérification compare vos choix avec le tableau que vous venez d'exécuter — pas avec un manuel.

# %%
from httplab.widgets import EvidenceSort

EvidenceSort(board)

# %% [markdown]
# ## 3. Ce que HTTP définit
#
# Comparez maintenant vos groupes avec ce que les spécifications définissent pour chaque **méthode** (RFC 9110 §9.2,
# RFC 5789 §2) :
#
# | Méthode | Sûre | Idempotente |
# |---|---|---|
# | GET, HEAD, OPTIONS, TRACE | oui | oui |
# | PUT, DELETE | non | oui |
# | POST | non | non |
# | PATCH | non | non : « neither safe nor idempotent » (« ni sûre ni idempotente », RFC 5789 §2) |
# | PATCH avec un patch de fusion qui fixe des valeurs (la ligne du tableau exécuté) | non | la méthode : non. Cette requête : **idempotente dans son effet** |
#
# - **Sûre** (§9.2.1) : le client ne demande aucun changement d'état. Toute méthode sûre est aussi idempotente.
# - **Idempotente** (§9.2.2) : l'effet voulu sur le serveur de N requêtes identiques est celui d'une seule.
#
# Les observations concordent avec ces définitions, avec une ligne à regarder à deux fois : **PATCH (merge patch)** a
# changé l'état une fois puis n'a plus bougé, et pourtant PATCH n'est pas une méthode idempotente. Les deux sont vrais.
# Le patch de fusion `{"colour": "red"}` fixe une valeur, donc le renvoyer fixe la même valeur : cette requête-là est
# idempotente **dans son effet** (RFC 7396 §2). La méthode ne promet rien de tel : la ligne JSON Patch, un PATCH elle
# aussi, a continué de changer l'état. Et une bibliothèque cliente ou un proxy ne voit en général que la méthode ; il
# traite donc tout PATCH comme non idempotent : un proxy MUST NOT (ne doit pas), et un client générique SHOULD NOT (ne
# devrait pas), répéter un PATCH de lui-même (RFC 9110 §9.2.2).
#
# Rappelez-vous ce qu'est une observation : **un indice sur ce serveur**, pas une preuve sur la méthode. Ces définitions
# sont des promesses ; un serveur mal construit peut les rompre, et rien dans HTTP ne l'en empêche.
#
# Et voici le tableau que vous avez exécuté, avec la promesse de chaque méthode à côté de ce qui a été observé :

# %%
board

# %% [markdown]
# ## 4. Essayez vous-même
#
# Le tableau des méthodes (Method Board) exécute les mêmes scénarios en un clic : **Lancer toutes les méthodes**.
# Changez le nombre d'appels (**Répétitions**) et relancez-le.

# %%
from httplab.widgets import MethodBoard

MethodBoard(lab)

# %% [markdown]
# ## 5. Idées reçues et faits
#
# | Idée reçue | Fait |
# |---|---|
# | « Idempotent veut dire la même réponse à chaque fois. » | Cela veut dire le même **effet sur l'état du serveur**. PUT répond 201 puis 204 ; DELETE 204 puis 404. Les deux sont idempotentes. |
# | « Sûre veut dire sans aucun effet de bord. » | Sûre veut dire que le client n'a demandé **aucun changement d'état**. Les journaux et les compteurs de visites sont permis. |
# | « Sûre veut dire sécurisée. » | Sûre ne dit rien de la sécurité. |
# | « Idempotente veut dire sûre. » | Toute méthode sûre est idempotente, mais PUT et DELETE sont idempotentes et **pas** sûres. |
# | « Une requête qui n'a rien changé était sûre. » | Sûre est une propriété de la **méthode**. Un DELETE d'un élément absent ne change rien, et la méthode DELETE n'est toujours pas sûre. D'une observation, dites « état inchangé ». |
# | « POST crée, PUT met à jour. » | PUT crée aussi (à une URI que vous choisissez) ; POST peut faire tout ce que la ressource définit. |
# | « Ce PATCH s'est répété sans dommage, donc la méthode PATCH est idempotente. » | Un patch donné peut être idempotent dans son effet (un patch de fusion qui fixe des valeurs) ; la **méthode** ne l'est pas (RFC 5789 §2). |
# | « Idempotent veut dire un état identique octet pour octet. » | Il s'agit de l'effet voulu ; des horodatages et des journaux qui changent sont accessoires. |
# | « Le protocole fait respecter ces règles. » | Ce sont des promesses que les serveurs doivent tenir ; un point de terminaison `GET /delete?id=1` enfreint un MUST, et HTTP ne peut pas l'en empêcher. |
# | « Le 404 d'un second DELETE est un échec. » | La ressource a disparu, comme voulu ; le 404 n'est pas un échec du premier DELETE. |
# | « Idempotent veut dire sans risque en cas d'accès concurrents. » | Deux clients qui envoient par PUT des données différentes s'écrasent toujours l'un l'autre ; `If-Match` l'empêche (leçon 08). |
# | « Un PUT avec quelques champs ne met à jour que ceux-là. » | PUT demande un **remplacement complet** ; ne comptez pas sur la survie des champs que vous avez omis. |

# %% [markdown]
# Vérifiez la dernière ici même : un PUT avec quelques champs.

# %%
lab.reset()
lab.send("PUT", "/lab/items/apple", json={"name": "apple", "price": 3})
lab.send("PUT", "/lab/items/apple", json={"price": 4})
lab.send("GET", "/lab/items/apple").json

# %% [markdown]
# ## 6. Juger une page de documentation, avec bienveillance
#
# Beaucoup de courtes pages de documentation décrivent les méthodes à peu près ainsi ; ce kit est né de l'une
# d'elles. Les affirmations sont citées telles que les formule l'édition anglaise de ce kit : c'est une traduction
# en anglais, pas la formulation d'origine de la page, que ce dépôt ne reproduit pas. Chacune est suivie d'une
# traduction française (en italique), puis de ce qu'en disent les RFC :
#
# - **GET** : « returns 200 OK with the content » (*renvoie 200 OK avec le contenu*). *Correct mais incomplet* : un GET
#   conditionnel peut répondre 304, une requête de plage (Range) 206 ; les paramètres vont dans l'URI ; et la page ne
#   dit jamais que GET est sûre et que ses réponses peuvent être mises en cache.
# - **POST** : « several POSTs may give different results; beware of duplicates » (*plusieurs POST peuvent donner
#   des résultats différents ; attention aux doublons*). *Correct.* « Success is 200 OK » (*le succès, c'est 200
#   OK*). *Imprécis* : quand un POST crée quelque chose, le serveur SHOULD (devrait) répondre **201 Created** avec un
#   `Location` (RFC 9110 §9.3.3).
# - **PUT** : « idempotent: one PUT equals many identical PUTs » (*idempotente : un PUT équivaut à plusieurs PUT
#   identiques*). *Correct pour l'état du serveur* ; les réponses peuvent différer. « 200 (usually 201 or 204) »
#   (*200, en général 201 ou 204*). *Imprécis, pas faux* : **201 est obligatoire quand PUT crée** ; quand il
#   remplace, **200 et 204 sont tous deux corrects** (§9.3.4).
# - **PATCH** : « not idempotent » (*pas idempotente*). *Correct* (RFC 5789 §2). À ajouter : un patch donné peut être
#   idempotent dans son effet (un patch de fusion qui fixe des valeurs), mais les clients génériques et les proxys
#   traitent quand même PATCH comme non idempotente. « 200 (usually 204) » (*200, en général 204*). *Imprécis* : la
#   RFC 5789 ne préfère ni l'un ni l'autre. « Not available for some modules » (*non disponible pour certains
#   modules*). *Une limite de l'outil* ; en HTTP, une ressource annonce PATCH avec `Allow`, et ses formats de patch
#   avec `Accept-Patch`.
# - **DELETE** : « deletes the resource if it exists, 200 OK » (*supprime la ressource si elle existe, 200 OK*).
#   *Imprécis* : 204 et 200 disent « fait », 202 dit « accepté, pas encore fait » ; DELETE est idempotente, et le
#   404 d'un second DELETE n'est pas un échec du premier.
# - **Absent de la page** : les méthodes sûres, HEAD, OPTIONS, 405 + `Allow`, les requêtes conditionnelles.

# %% [markdown]
# ## 7. Entraînez-vous
#
# Deux exercices utilisent ce que vous avez classé aujourd'hui :
# [Exactement trois éléments](exercises/01-create-three.ipynb) (écrire un script de préparation qui peut
# s'exécuter encore et encore) et [Une commande qu'on peut renvoyer sans dommage](exercises/03-safe-order.ipynb).

# %% [markdown]
# ## Autoévaluation
#
# Répondez, appuyez sur **Vérifier**, lisez l'explication. Les questions qui vous demandent de *prédire* envoient de
# vraies requêtes à un labo qui leur est propre, et notent votre prédiction d'après ce que le serveur a réellement fait.

# %%
httplab.quiz.Quiz("06-idempotency-lab").show()

# %% [markdown]
# ## Récapitulatif
#
# - Sûres : GET, HEAD, OPTIONS, TRACE. Idempotentes : ces quatre-là plus PUT et DELETE. Ni l'un ni l'autre : POST et
#   PATCH.
# - Un PATCH donné peut être **idempotent dans son effet** (un patch de fusion qui fixe des valeurs) ; la méthode ne
#   l'est pas.
# - Idempotent porte sur l'**état**, pas sur les réponses ; sûre porte sur ce que le client a **demandé**, pas sur la
#   sécurité. D'une observation, dites « état inchangé » ou « changé une fois, puis resté identique », pas « sûre ».
# - Ces propriétés sont des promesses que le serveur doit tenir ; le labo vous permet de vérifier si un serveur les
#   tient.
#
# **Suite :** [07 · Nouvelles tentatives, réponses perdues et Idempotency-Key](07-retries.ipynb).
