# %% [markdown]
# # Aide-mémoire : les méthodes HTTP sur une page
#
# Tout ce qui est ici se trouve aussi dans [docs/fr/aide-memoire.md](../../docs/fr/aide-memoire.md), qui
# s'imprime sur une page. Trois cellules demandent au labo de montrer un fait de l'aide-mémoire : exécutez-les avec
# **Maj+Entrée**.
#
# **Sûre** = le client ne demande aucun changement d'état (les journaux et les compteurs de visites sont permis).
# **Idempotente** = l'effet voulu sur le serveur de N requêtes identiques est le même que celui d'une seule. Ce sont
# deux promesses de la *méthode* (RFC 9110 §9.2), que le serveur tient ou rompt. Sections : RFC 9110, sauf mention
# d'une autre RFC.
#
# | Méthode | Sûre | Idemp. | Cache | Contenu envoyé | Succès | Erreurs | Source |
# |---|---|---|---|---|---|---|---|
# | GET | oui | oui | oui | pas de sens défini | 200 ; 304 conditionnel ; 206 (Range) | 404, 406, 410 | §9.3.1 |
# | HEAD | oui | oui | oui | comme GET | comme GET, sans contenu | comme GET | §9.3.2 |
# | OPTIONS | oui | oui | non | rarement utilisé | 200/204 + `Allow` | 404 | §9.3.7 |
# | TRACE | oui | oui | non | aucun permis | 200, renvoie la requête | 405 (souvent désactivée) | §9.3.8 |
# | POST | non | non | non¹ | traité selon la ressource | 201 + `Location` (créé) ; 200, 202, 204, 303 | 400, 409, 415, 422 | §9.3.3 |
# | PUT | non | oui | non | le nouvel état complet | 201 créé (MUST) ; 200/204 remplacé | 400, 409, 412, 415, 428 | §9.3.4 |
# | PATCH | non | non² | non¹ | un document de patch (type de média propre) | 200 + nouvel état ; 204 ; 201 créé | 400, 404, 409, 412, 415, 422 | RFC 5789 §2 |
# | DELETE | non | oui | non | pas de sens défini | 204 ; 200 + statut ; 202 accepté pour plus tard | 404 (déjà supprimé), 405, 409, 412 | §9.3.5 |
#
# ¹ En pratique : seulement avec une fraîcheur explicite et un `Content-Location` égal à l'URI cible, et pour un
# GET/HEAD ultérieur (§9.3.3). « Cache » veut dire qu'un cache *peut* stocker la réponse, non qu'il le fera.
#
# ² « Ni sûre ni idempotente » (RFC 5789 §2) : un proxy MUST NOT, un client générique SHOULD NOT répéter un PATCH
# de lui-même. Un patch *donné* peut être idempotent **dans son effet** : un patch de fusion qui fixe des valeurs
# (RFC 7396) donne deux fois le même état ; un JSON Patch qui ajoute à `/tags/-` (RFC 6902) ajoute à chaque fois.

# %% [markdown]
# L'idempotence porte sur l'état, pas sur les réponses : le même PUT deux fois, puis le même DELETE deux fois. Les
# réponses diffèrent ; l'état après le second appel est l'état après le premier.

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()
for method in ("PUT", "PUT", "DELETE", "DELETE"):
    content = {"json": {"name": "pear"}} if method == "PUT" else {}
    reply = lab.send(method, "/lab/items/pear", **content)
    print(f"{method:6} → {reply.status_text:16} éléments ensuite : {[item['id'] for item in lab.state()['items']]}")

# %% [markdown]
# ## Codes d'état à connaître
#
# | Code | Signification | Code | Signification |
# |---|---|---|---|
# | 201 | créé ; `Location` nomme la nouvelle ressource | 409 | conflit avec l'état actuel de la ressource |
# | 204 | fait, aucun contenu à renvoyer | 412 | condition préalable fausse ; rien n'a changé |
# | 304 | votre copie est à jour (GET/HEAD conditionnels) | 415 | type de média refusé (PATCH : voir `Accept-Patch`) |
# | 404 | rien ici (après un DELETE : le but) | 422 | bien formée, mais ne peut pas être traitée |
# | 405 | méthode connue, non prise en charge ; voir `Allow` | 428 | condition préalable exigée (RFC 6585 §3) |
# | 501 | la méthode n'est pas reconnue du tout (§9.1) | | |

# %% [markdown]
# Une méthode connue que la ressource ne prend pas en charge, puis une méthode que personne ne connaît :

# %%
lab.send("PUT", "/lab/items/apple", json={"name": "apple"})
refused = lab.send("POST", "/lab/items/apple", json={})
print(refused.status_text, "| Allow:", refused.response.headers["Allow"])
print(lab.send("BREW", "/lab/items").status_text)

# %% [markdown]
# ## Conditions préalables, dans l'ordre du §13.2.2
#
# `If-Match` (comparaison forte) → sinon `If-Unmodified-Since` → `If-None-Match` (comparaison faible) → sinon, pour
# GET/HEAD seulement, `If-Modified-Since`. `If-Match` ou `If-Unmodified-Since` faux → **412** ; `If-None-Match` faux →
# **304** sur GET/HEAD, **412** sinon ; `If-Modified-Since` faux → **304**. Les conditions ne comptent que si la
# réponse sans elles serait un 2xx ou un 412 (§13.2.1) : `DELETE` + `If-Match` sur un élément absent → 404.
# `If-None-Match: *` sur un PUT = créer seulement si rien n'existe.

# %% [markdown]
# Conditions préalables : un ETag actuel sur un GET, un ETag périmé sur un PUT, et une condition sur quelque chose
# qui n'est pas là :

# %%
etag = lab.send("GET", "/lab/items/apple").response.headers["ETag"]
checks = [
    ("GET    avec If-None-Match : l'ETag actuel", "GET", "/lab/items/apple", {"If-None-Match": etag}),
    ('PUT    avec If-Match : "stale"', "PUT", "/lab/items/apple", {"If-Match": '"stale"'}),
    ("DELETE avec If-Match, d'un élément absent", "DELETE", "/lab/items/nothing", {"If-Match": etag}),
]
for label, method, path, headers in checks:
    content = {"json": {"name": "pear"}} if method == "PUT" else {}
    print(f"{label:44} → {lab.send(method, path, headers=headers, **content).status_text}")

# %% [markdown]
# ## Les vérités essentielles
#
# 1. **L'idempotence vise l'état, pas la réponse** (§9.2.2) : PUT 201 puis 204, DELETE 204 puis 404 : idempotentes.
# 2. **Sûre décrit une méthode** (§9.2.1) : dites « état inchangé » d'une observation, « sans danger à renvoyer »
#    d'une nouvelle tentative.
# 3. **PUT demande un remplacement complet** à une URI choisie par le client ; **POST demande à la ressource de
#    traiter** (§9.3.3–4).
# 4. **La méthode PATCH n'est pas idempotente** (RFC 5789 §2) ; un patch donné peut l'être dans son effet.
# 5. **Mise à jour perdue** : sans `If-Match`, le second à écrire écrase en silence ; avec, il reçoit 412.
# 6. **Réponse perdue** : le client ne peut pas savoir si la requête a été appliquée ; ne renvoyez pas automatiquement
#    les requêtes non idempotentes (§9.2.2).
# 7. **`Idempotency-Key`** (brouillon IETF) : même clé → première réponse rejouée ; autre contenu → 422 ; en cours → 409.
# 8. Une réponse à un PUT ne porte un `ETag` que si le serveur a stocké exactement ce qui a été envoyé (§9.3.4).
