"""Les documents sur un stockage S3 compatible (plusieurs serveurs d'application, une base).

`PLIE_STOCKAGE=s3` (docs/deploiement.md) : le stockage par défaut devient un seau S3 (AWS,
MinIO, Garage, Scaleway, OVH…) réglé par les variables `AWS_*`. Mêmes noms aléatoires et même
contrôle de contenu qu'en local (docs/documents.md) ; aucune adresse du seau n'est jamais donnée :
la vue de téléchargement lit l'objet par le stockage et le renvoie elle-même. Ce module est lu
par les réglages : il n'importe ni Django ORM ni boto3 (la classe est dans `s3.py`).
"""

import importlib.util
import os

from django.core.exceptions import ImproperlyConfigured

OBLIGATOIRES = ("AWS_STORAGE_BUCKET_NAME",)
# Variable d'environnement → option de storages.backends.s3.S3Storage. Les clés d'accès
# (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) restent dans l'environnement, où django-storages et
# boto3 les lisent (ou un rôle de la machine) : jamais dans les réglages.
FACULTATIVES = {
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_LOCATION": "location",
    "AWS_S3_ADDRESSING_STYLE": "addressing_style",
}


def stockage_s3(envoi_par_le_serveur_web: bool) -> dict:
    """L'entrée `STORAGES["default"]` ; refuse une configuration incomplète ou incohérente."""
    if not all(importlib.util.find_spec(paquet) for paquet in ("storages", "boto3")):
        raise ImproperlyConfigured(
            "PLIE_STOCKAGE=s3 exige django-storages et boto3 : pip install '.[s3]'."
        )
    manquantes = [nom for nom in OBLIGATOIRES if not os.environ.get(nom)]
    if manquantes:
        raise ImproperlyConfigured(f"PLIE_STOCKAGE=s3 exige {', '.join(manquantes)}.")
    if envoi_par_le_serveur_web:
        # X-Accel-Redirect et X-Sendfile désignent un fichier du disque du serveur web.
        raise ImproperlyConfigured(
            "PLIE_STOCKAGE=s3 ne se combine ni avec PLIE_DOCUMENTS_X_ACCEL ni avec "
            "PLIE_DOCUMENTS_X_SENDFILE : les documents sont lus dans le seau par l'application."
        )
    options = {
        "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
        # Objets privés (ACL du seau), jamais d'écrasement silencieux d'un document.
        "default_acl": None,
        "file_overwrite": False,
    }
    options |= {opt: os.environ[var] for var, opt in FACULTATIVES.items() if os.environ.get(var)}
    return {"BACKEND": "config.stockage.s3.StockageDocumentsS3", "OPTIONS": options}
