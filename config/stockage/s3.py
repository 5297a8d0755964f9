"""Le stockage S3 des documents (chargé seulement avec PLIE_STOCKAGE=s3)."""

from storages.backends.s3 import S3Storage

from parcours.core.documents import SansAdressePublique


class StockageDocumentsS3(SansAdressePublique, S3Storage):
    """Les documents dans un seau S3 compatible, sans adresse publique."""
