# %% [markdown]
# # 05 · DELETE : 204, puis 404 — et idempotente malgré tout
#
# **Dans cette leçon (environ 20 minutes), vous allez :**
# - supprimer un élément avec **DELETE** et lire ses codes d'état (`204`, `200` ou `202`) ;
# - prédire ce que le même DELETE répond la deuxième fois, et voir pourquoi son `404 Not Found` n'est pas un échec ;
# - perdre la réponse d'un DELETE, le renvoyer, et dire ce que le `404` de la nouvelle tentative vous apprend et ce
#   qu'il ne vous apprend pas ;
# - relier tout cela à l'idempotence : même état, réponses différentes.

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()
for name in ("apple", "pear", "plum"):
    lab.send("PUT", f"/lab/items/{name}", json={"name": name})
[item["id"] for item in lab.state()["items"]]

# %% [markdown]
# ## 1. DELETE demande au serveur de supprimer la ressource cible
#
# Plus exactement, DELETE demande au serveur d'origine de supprimer l'association entre la ressource cible et sa
# fonctionnalité actuelle (RFC 9110 §9.3.5). Un DELETE réussi répond avec l'un de ces codes :
#
# - `204 No Content` : c'est fait, rien de plus à dire (la réponse du labo) ;
# - `200 OK` : c'est fait, et voici un message à ce sujet ;
# - `202 Accepted` : **accepté, pas encore fait**. Le serveur agira plus tard, et l'action peut encore échouer.
#   Un `202` ne promet pas que la ressource a disparu.

# %% [markdown]
# ## 2. Le même DELETE, deux fois
#
# **Prédisez d'abord.** Que répond chacun de deux DELETE identiques de la poire ?

# %%
guess_twice = httplab.predict("05-delete-twice")
guess_twice

# %% [markdown]
# Maintenant, envoyez : `reset=False` conserve les trois éléments, donc les deux DELETE vont au labo que vous venez de
# remplir.

# %%
twice = lab.repeat("DELETE", "/lab/items/pear", times=2, reset=False)
guess_twice.reveal(twice)

# %%
twice

# %% [markdown]
# Le second DELETE a répondu `404 Not Found`. A-t-il échoué ? Posez une meilleure question : **que vouliez-vous ?**
# Vous vouliez que la poire disparaisse. A-t-elle disparu ?

# %%
"pear" in [item["id"] for item in lab.state()["items"]]

# %% [markdown]
# Le but est atteint. Le second `404` n'est pas un échec, et il n'annule pas le succès du premier appel.
#
# Relisez le graphique ci-dessus : le premier appel a changé l'état (une marche), le second l'a laissé tel que le
# premier l'avait laissé (plat). Les réponses diffèrent (`204`, puis `404`) ; l'état après deux DELETE est l'état
# après un seul. C'est ce que veut dire **idempotente** (RFC 9110 §9.2.2) : cela porte sur l'effet sur l'état du
# serveur, pas sur la réponse.

# %% [markdown]
# ## 3. Une réponse perdue, et un DELETE renvoyé
#
# Les réseaux tombent en panne. Il arrive que le serveur supprime l'élément et que la réponse n'atteigne jamais le
# client. Le labo peut faire exactement cela, exprès (la leçon 07 étudie les réponses perdues en détail). Ici, un
# client dont le DELETE n'a pas reçu de réponse l'envoie une fois de plus.
#
# **Prédisez d'abord.** Que voit ce client ?

# %%
guess_retry = httplab.predict("05-delete-lost-retry")
guess_retry

# %% [markdown]
# Maintenant, envoyez. Le labo repart de zéro, crée la prune (`setup`), perd la réponse du premier DELETE, et
# réessaie :

# %%
lost = lab.retry_after_lost_response(
    "DELETE", "/lab/items/plum", retry="idempotent-only",
    setup=[("PUT", "/lab/items/plum", {"json": {"name": "plum"}})],
)
guess_retry.reveal(lost)

# %%
lost

# %% [markdown]
# Vous voyez l'état, donc vous savez que la première tentative a fait le travail. Un client dans la vraie vie ne voit
# que le `404`. Que devrait-il en conclure ? **Très probablement, sa première tentative l'a fait** — mais un `404` ne
# dit pas *qui* a supprimé l'élément. Regardez : un autre client, Bob, supprime d'abord le kiwi ; puis votre DELETE
# arrive.

# %%
lab.reset()
lab.send("PUT", "/lab/items/kiwi", json={"name": "kiwi"})
bob = lab.send("DELETE", "/lab/items/kiwi")    # la requête de Bob
mine = lab.send("DELETE", "/lab/items/kiwi")   # la vôtre
bob.status_text, mine.status_text

# %% [markdown]
# Votre `404` ressemble exactement au `404` d'une nouvelle tentative après votre propre DELETE dont la réponse s'est
# perdue. Dans les deux cas, l'élément a disparu, ce qui est bien ce que vous avez demandé. Si votre programme doit
# savoir qui l'a supprimé, le `404` ne peut pas le lui dire.
#
# DELETE est une méthode idempotente : un DELETE est donc **sans danger à renvoyer**. Le répéter laisse l'état que
# laisse un seul DELETE (tant que personne d'autre n'écrit dans l'élément entre-temps ; la leçon 07 y revient). DELETE
# n'est **pas sûre** pour autant : les méthodes sûres ne demandent aucun changement d'état (RFC 9110 §9.2.1), et un
# DELETE en demande un. « Sûre » est une propriété de la méthode : le DELETE ci-dessus, qui n'a rien trouvé, n'a rien
# changé, et DELETE n'est toujours pas une méthode sûre.

# %% [markdown]
# ## 4. Là où une courte page de documentation manque de précision
#
# Certaines documentations disent « DELETE supprime la ressource si elle existe, 200 OK ». C'est **imprécis** :
#
# - `204` et `200` disent tous deux « c'est fait » ; `202` dit « accepté, pas encore fait » ;
# - cela oublie le second appel : DELETE est idempotente, et le `404` d'un second DELETE n'est pas un échec du premier.

# %% [markdown]
# ## 5. Toutes les ressources ne peuvent pas être supprimées
#
# La collection `/lab/items` ne prend pas en charge DELETE. Le serveur le dit à la manière de HTTP :
# `405 Method Not Allowed`, avec un en-tête `Allow` qui liste ce que la ressource prend en charge (RFC 9110 §15.5.6).

# %%
refused = lab.send("DELETE", "/lab/items")
refused.status_text, refused.response.headers["Allow"]

# %% [markdown]
# ## 6. Entraînez-vous
#
# Exercice : [Supprimer, puis supprimer encore](exercises/05-delete-twice.ipynb). Écrivez une fonction `remove` qu'une
# nouvelle tentative peut appeler deux fois, et qui signale un succès les deux fois.

# %% [markdown]
# ## Autoévaluation
#
# Répondez, appuyez sur **Vérifier**, lisez l'explication. Les questions qui vous demandent de *prédire* envoient de
# vraies requêtes à un labo qui leur est propre, et notent votre prédiction d'après ce que le serveur a réellement fait.

# %%
httplab.quiz.Quiz("05-delete").show()

# %% [markdown]
# ## Récapitulatif
#
# - DELETE demande au serveur de supprimer la ressource cible : `204` ou `200` quand c'est fait, `202` quand c'est
#   seulement **accepté**.
# - Un second DELETE répond généralement **404**. Le but (plus de ressource) est tout de même atteint : ce `404` n'est
#   pas un échec.
# - Un DELETE renvoyé qui se termine par un `404` : **très probablement**, votre première tentative l'a fait — mais un
#   `404` ne dit pas qui a supprimé l'élément.
# - DELETE est **idempotente** (même état après N appels qu'après un seul), donc un DELETE est sans danger à renvoyer ;
#   la méthode n'est **pas sûre**.
# - Une ressource qui ne prend pas en charge DELETE répond **405** avec `Allow`.
#
# **Suite :** [06 · Le labo de l'idempotence](06-idempotency-lab.ipynb).
