# %% [markdown]
# # 03b · Facultatif : envoyer un fichier avec POST et avec PUT
#
# *Une leçon facultative : suivez-la après [03 · PUT](03-put.ipynb), ou passez-la — la leçon 04 n'en a pas besoin.*
#
# **Dans cette leçon (environ 10 minutes), vous allez :**
# - envoyer (téléverser) un fichier avec **POST** en `multipart/form-data`, le format d'un formulaire HTML d'envoi de
#   fichier, et le lire tel qu'il passe sur le réseau ;
# - envoyer les mêmes octets avec **PUT** sous un nom que *vous* choisissez ;
# - prédire, puis voir, que la différence entre les méthodes est la même pour les fichiers que pour les éléments ;
# - voir comment une ressource dit qu'elle ne prend pas en charge PATCH : **405** avec `Allow`.

# %%
import httplab

httplab.set_language("fr")

lab = httplab.start()
lab.reset()

# %% [markdown]
# ## 1. Le même fichier, de deux façons
#
# Les pages de documentation donnent souvent « envoyer un fichier » comme exemple *à la fois* pour POST et pour PUT.
# Le labo a une ressource de fichiers, `/lab/files`, qui montre la différence. D'abord, un petit « fichier » :

# %%
report = b"Rapport trimestriel\nChiffre d'affaires : en hausse\n"

# %% [markdown]
# Les deux cellules suivantes l'envoient quatre fois : deux fois avec **POST** à la collection `/lab/files`, puis deux
# fois avec **PUT** à `/lab/files/report.txt`.
#
# **Prédisez d'abord.**

# %%
guess = httplab.predict("03b-uploads-two-and-two")
guess

# %% [markdown]
# C'est parti : envoyez le fichier en **POST**, au format `multipart/form-data`, à la collection, deux fois. Le
# serveur choisit le nom de chaque nouveau fichier et l'indique dans `Location` :

# %%
for _ in range(2):
    posted = lab.send("POST", "/lab/files", files={"file": ("report.txt", report, "text/plain")})
    print(posted.status_text, posted.response.headers["Location"])

# %% [markdown]
# Envoyez en **PUT** les octets bruts à une URI que *vous* choisissez, deux fois :

# %%
for _ in range(2):
    put = lab.send("PUT", "/lab/files/report.txt", content=report, headers={"Content-Type": "text/plain"})
    print(put.status_text)
files = [f["name"] for f in lab.state()["files"]]
print(files)
guess.reveal({"files": len(files)})

# %% [markdown]
# Le PUT a créé `report.txt` une fois (`201 Created`) et l'a remplacé par les mêmes octets la seconde fois
# (`204 No Content`) : toujours un seul fichier à ce nom, à côté des deux que POST a créés. C'est la même différence
# qu'avec les éléments de la leçon 03, et elle vient des méthodes, pas de ce qui est stocké : POST demande à la
# collection de traiter un téléversement (ici : le stocker sous un nouveau nom), PUT dit « le fichier à cette URI est
# exactement ces octets ».

# %% [markdown]
# ## 2. Une requête multipart sur le réseau
#
# Voici le dernier POST sous forme de texte HTTP/1.1. Le contenu est découpé en *parties* par une chaîne de
# délimitation (nommée dans le champ d'en-tête `Content-Type`), et chaque partie a ses propres champs d'en-tête :
# `Content-Disposition` donne le nom du champ de formulaire et le nom du fichier, `Content-Type` le type de média du
# fichier.

# %%
print(posted.raw_request)

# %% [markdown]
# Un PUT n'a besoin de rien de tout cela : son contenu *est* le fichier, et son `Content-Type` est le type de média du
# fichier.

# %%
print(put.raw_request)

# %% [markdown]
# ## 3. Et PATCH ?
#
# Cette ressource de fichiers ne prend pas en charge PATCH. Certaines pages disent que PATCH n'est « pas disponible
# pour certains modules » ; HTTP le dit précisément — **405 Method Not Allowed** avec un en-tête `Allow` qui liste ce
# qui *est* pris en charge (RFC 9110 §15.5.6) :

# %%
patched = lab.send("PATCH", "/lab/files/report.txt", content=b"Chiffre d'affaires : en baisse", headers={"Content-Type": "text/plain"})
patched.status_text, patched.response.headers["Allow"]

# %% [markdown]
# `OPTIONS /lab/files/report.txt` vous dirait la même chose avant que vous essayiez.

# %% [markdown]
# ## Récapitulatif
#
# - Le même fichier envoyé deux fois en POST à une collection → deux fichiers, à des noms que le serveur a choisis
#   (`201` + `Location` à chaque fois).
# - Les mêmes octets envoyés deux fois en PUT à une même URI → un seul fichier : créé (`201`), puis remplacé (`204`).
#   PUT est idempotente pour les fichiers comme pour tout le reste.
# - `multipart/form-data` range un fichier (et des champs de formulaire) dans des parties qui ont leurs propres champs
#   d'en-tête ; PUT envoie les octets tels quels.
# - Une ressource qui ne prend pas en charge PATCH répond **405** avec `Allow`.
#
# **Suite :** [04 · PATCH](04-patch.ipynb).
