# %% [markdown]
# # Exercice 11 — Auditer un serveur mystère
#
# Un labo mystère enfreint exprès certaines règles de HTTP, et fait une chose qui a seulement l'air bizarre. Écrivez
# `audit(lab)`, qui mène des expériences sur le labo qu'on lui donne et renvoie ce qu'elle a trouvé, sous forme de
# dict :
#
# - pour chaque règle que le serveur enfreint : l'id du défaut → la section de la RFC qui pose la règle, par exemple
#   `"RFC 9110 §9.2.1"` ;
# - pour chaque comportement inhabituel mais **autorisé** : l'id du défaut → `"allowed"` ;
# - rien pour ce que vous n'avez pas observé. Accuser un serveur d'un défaut qu'il n'a pas est aussi une erreur.
#
# Les ids, les titres et les règles sont dans `httplab.http.flaws.FLAWS` (la [leçon 10](../10-audit.ipynb) les
# affiche). Utilisez les expériences du kit : `lab.repeat(...)` (ses attributs `broken_promise`,
# `unusual_but_allowed` et `misleading_statuses`), `lab.send(...)`, `lab.state()`, `lab.reset()`.
#
# Le vérificateur exécute votre fonction sur quatre labos mystères dont il connaît les graines : à eux quatre, ils
# introduisent tous les défauts du catalogue. Il veut que chaque règle enfreinte soit trouvée et citée, et que chaque
# bizarrerie légitime soit déclarée autorisée (`"allowed"`).
#
# <details><summary>Indice 1</summary>
#
# Procédez promesse par promesse : sûre (un GET modifie-t-il l'état ?), idempotente (des PUT et des DELETE répétés
# laissent-ils l'état d'un seul appel ?), puis les MUST et les SHOULD sur les codes d'état et les champs d'en-tête :
# 201 + `Location`, 405 + `Allow`, 501, `If-Match`, les champs d'en-tête de HEAD, la forme d'un ETag.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Des défauts peuvent en masquer d'autres. Partez d'un état connu pour chaque sonde (`lab.reset()` ou un `setup=`), et
# sondez l'horodatage `updated_at` avec un contenu sans aucune liste.
#
# </details>

# %%
import re

import httplab
from httplab.http.flaws import FLAWS

httplab.set_language("fr")

lab = httplab.Lab(in_process=True, flaws="mystery", seed=101)
ITEM = "/lab/items/probe"

# %%
# Cellule d'essai : essayez des expériences ici, par exemple
# lab.repeat("GET", ITEM, setup=[("PUT", ITEM, {"json": {"name": "x"}})])

# %% tags=["solution"]
def audit(lab):
    found = {}

    def put(body, **headers):
        return lab.send("PUT", ITEM, json=body, headers=headers)

    # Sûre : un GET ne doit pas modifier la ressource (§9.2.1).
    if lab.repeat("GET", ITEM, setup=[("PUT", ITEM, {"json": {"name": "pear"}})]).broken_promise:
        found["get-counts-views"] = "RFC 9110 §9.2.1"
    # PUT : 201 quand il crée (§9.3.4), et l'état d'un seul appel après des répétitions (§9.2.2).
    run = lab.repeat("PUT", "/lab/items/new", times=2, json={"name": "pear", "tags": ["ripe"]})
    if run.observation.changed_by_call[0] and run.statuses[0] != 201:
        found["put-create-200"] = "RFC 9110 §9.3.4"
    if run.broken_promise:
        found["put-appends"] = "RFC 9110 §9.2.2"
    if lab.repeat("PUT", ITEM, json={"name": "pear"}).unusual_but_allowed:
        found["put-stamps-updated-at"] = "allowed"
    # PUT remplace : un champ omis ne doit pas survivre (§9.3.4).
    lab.reset()
    put({"name": "pear", "color": "green"})
    put({"name": "pear"})
    if "color" in lab.state()["items"][0]["data"]:
        found["put-merges"] = "RFC 9110 §9.3.4"
    # DELETE : un 5xx alors que le travail est fait induit en erreur (§15.6.1) ; un 2xx quand il n'y a rien est
    # autorisé.
    if lab.repeat("DELETE", ITEM, setup=[("PUT", ITEM, {"json": {"name": "pear"}})]).misleading_statuses:
        found["delete-500"] = "RFC 9110 §15.6.1"
    if lab.repeat("DELETE", "/lab/items/never-there", times=2).unusual_but_allowed:
        found["delete-missing-204"] = "allowed"
    # Un POST qui crée : 201 + Location (§9.3.3).
    if "Location" not in lab.send("POST", "/lab/items", json={"name": "pear"}).response.headers:
        found["post-no-location"] = "RFC 9110 §9.3.3"
    # Un If-Match qui ne correspond pas doit empêcher l'écriture (§13.1.1).
    if put({"name": "plum"}, **{"If-Match": '"not-the-etag"'}).ok:
        found["if-match-ignored"] = "RFC 9110 §13.1.1"
    # Un 405 porte Allow (§15.5.6) ; une méthode inconnue reçoit 501 (§9.1).
    refused = lab.send("POST", ITEM, json={})
    if refused.status == 405 and "Allow" not in refused.response.headers:
        found["405-without-allow"] = "RFC 9110 §15.5.6"
    if lab.send("BREW", "/lab/items").status != 501:
        found["unknown-method-200"] = "RFC 9110 §9.1"
    # HEAD envoie les champs d'en-tête de GET (§9.3.2) ; un ETag est une chaîne entre guillemets (§8.8.3) ;
    # If-Match utilise la comparaison forte.
    lab.reset()
    put({"name": "pear"})
    get, head = lab.send("GET", ITEM).response.headers, lab.send("HEAD", ITEM).response.headers
    if ("ETag" in get) != ("ETag" in head) or get.get("Content-Type") != head.get("Content-Type"):
        found["head-differs"] = "RFC 9110 §9.3.2"
    tag = get.get("ETag") or ""
    if not re.fullmatch(r'(W/)?"[^"]*"', tag):
        found["etag-unquoted"] = "RFC 9110 §8.8.3"
    if tag.startswith("W/") and put({"name": "plum"}, **{"If-Match": tag}).ok:
        found["weak-etag-if-match"] = "RFC 9110 §13.1.1"
    return found

# %% [markdown]
# Essayez-la sur le labo d'essai avec `audit(lab)`, puis lancez le vérificateur (il trouve votre fonction dans ce
# notebook) :

# %%
httplab.check("audit")
