# %% [markdown]
# # Exercice 1 — Exactement trois éléments
#
# Le script de préparation de votre équipe doit laisser **exactement trois éléments** dans le labo — `a`, `b` et `c` —
# et on l'exécute encore et encore. Écrivez `make_three(lab)` de sorte qu'une, deux ou dix exécutions laissent
# toujours trois éléments.
#
# Le vérificateur exécute votre fonction sur ses propres labos, tout neufs, et examine ce qu'elle y a laissé : c'est
# l'état du serveur qui sert de corrigé. Commencez par expérimenter avec `lab` dans la cellule d'essai.
#
# <details><summary>Indice 1</summary>
#
# Que fait POST quand vous l'envoyez deux fois ? Essayez dans la cellule d'essai.
#
# </details>
#
# <details><summary>Indice 2</summary>
#
# Quelle méthode envoie un état complet à une URI que *vous* choisissez ? Envoyez-la deux fois dans la cellule d'essai
# et comptez les éléments.
#
# </details>
#

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()

# %%
# Cellule d'essai : essayez des requêtes ici, par exemple lab.send("GET", "/lab/items")

# %% tags=["solution"]
def make_three(lab):
    for name in ("a", "b", "c"):
        lab.send("PUT", f"/lab/items/{name}", json={"name": name})

# %% [markdown]
# Lancez le vérificateur (il trouve votre fonction dans ce notebook) :

# %%
httplab.check("create-three")
