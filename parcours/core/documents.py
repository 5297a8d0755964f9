"""Les documents conservés (CV, contrats, preuves, émargements, justificatifs, procès-verbaux) :
leur type, leur nom de stockage et leur adresse (docs/documents.md).

- Aucun document n'a d'adresse sous `MEDIA_URL` : le stockage refuse de donner une URL
  (`StockageDocuments.url`) et chaque champ document (`ChampDocument`) renvoie l'adresse de la vue
  de téléchargement (`documents:telecharger`), qui applique la politique d'accès et trace.
- Le nom de stockage est aléatoire : `<type>/<année>/<uuid4>.<extension>`, sans nom de personne
  ni identifiant séquentiel ; les anciens noms enregistrés restent valables.
"""

import re
import uuid
from pathlib import PurePath

from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from parcours.core.fichiers import (
    FORMATS_CV,
    FORMATS_DOCUMENT,
    TAILLE_MAX_CV,
    TAILLE_MAX_DOCUMENT,
    valider_document,
)


class TypeDocument(models.TextChoices):
    CV = "cv", "CV"
    CONTRAT_ENGAGEMENT = "contrat-engagement", "Contrat d'engagement"
    CONTRAT_SIGNE = "contrat-signe", "Copie signée du contrat d'engagement"
    PIECE_ENTREE = "piece-entree", "Pièce d'entrée"
    PREUVE_ETAPE = "preuve-etape", "Preuve d'étape"
    EMARGEMENT_ENTRETIEN = "emargement-entretien", "Émargement d'entretien"
    JUSTIFICATIF_CONTRAT = "justificatif-contrat", "Justificatif de contrat"
    JUSTIFICATIF_SORTIE = "justificatif-sortie", "Justificatif de sortie"
    EMARGEMENT_EVENEMENT = "emargement-evenement", "Émargement d'événement"
    PROCES_VERBAL = "proces-verbal", "Procès-verbal de commission"


# Les formats et la taille acceptés au dépôt : le CV accepte aussi Word et OpenDocument.
FORMATS_PAR_TYPE = {TypeDocument.CV: (FORMATS_CV, TAILLE_MAX_CV)}

_EXTENSION = re.compile(r"^\.[a-z0-9]{1,5}$")


def nom_aleatoire(type_document: str, filename: str) -> str:
    """`<type>/<année>/<uuid4>.<extension>` : rien de devinable ni de personnel dans le nom."""
    extension = PurePath(filename or "").suffix.lower()
    if not _EXTENSION.match(extension):
        extension = ""
    return f"{type_document}/{timezone.localdate():%Y}/{uuid.uuid4().hex}{extension}"


@deconstructible
class NomAleatoire:
    """`upload_to` des champs documents (sérialisable dans les migrations)."""

    def __init__(self, type_document: str):
        self.type_document = str(type_document)

    def __call__(self, instance, filename):
        return nom_aleatoire(self.type_document, filename)

    def __eq__(self, other):
        return isinstance(other, NomAleatoire) and other.type_document == self.type_document


def lien_document(type_document: str, pk) -> str:
    """L'adresse de téléchargement d'un document (la seule : docs/documents.md)."""
    return reverse("documents:telecharger", args=[str(type_document), pk])


class FichierDocument(FieldFile):
    @property
    def url(self):
        # L'adresse de la vue de téléchargement, jamais celle du stockage : l'admin et tout
        # gabarit qui lirait `.url` passent eux aussi par la politique d'accès.
        self._require_file()
        return lien_document(self.field.type_document, self.instance.pk)


class ChampDocument(models.FileField):
    """Un champ fichier qui tient un document : nom aléatoire, contenu vérifié au dépôt
    (`parcours/core/fichiers.py`), adresse = vue de téléchargement."""

    attr_class = FichierDocument
    default_validators = [valider_document]

    def __init__(self, verbose_name=None, name=None, *, type_document=None, **kwargs):
        self.type_document = TypeDocument(type_document) if type_document else None
        if self.type_document:
            self.formats, self.taille_max = FORMATS_PAR_TYPE.get(
                self.type_document, (FORMATS_DOCUMENT, TAILLE_MAX_DOCUMENT)
            )
            kwargs.setdefault("upload_to", NomAleatoire(self.type_document))
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["type_document"] = str(self.type_document)
        return name, path, args, kwargs


class SansAdressePublique:
    """Un stockage de documents ne donne jamais d'adresse : ni chemin sous `MEDIA_URL`, ni URL
    (signée ou non) d'un stockage distant."""

    def url(self, name, *args, **kwargs):
        raise ValueError(
            "Les documents n'ont pas d'adresse publique : utiliser la vue de téléchargement "
            "(parcours.core.documents.lien_document)."
        )


class StockageDocuments(SansAdressePublique, FileSystemStorage):
    """Le stockage des documents par défaut : sur disque (`MEDIA_ROOT`), sans adresse publique.
    Plusieurs serveurs d'application : `config/stockage.py` (S3 compatible)."""
