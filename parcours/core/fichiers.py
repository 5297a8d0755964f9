"""Vérifier un fichier déposé par son contenu, pas par son nom (docs/documents.md).

Un seul contrôle pour tous les dépôts de documents (`verifier_fichier`), appelé par le champ de
formulaire `ChampFichier`, par le validateur des champs de modèle (`valider_document`) et par les
services qui reçoivent un fichier :
- l'extension doit être acceptée pour ce champ et concorder avec le type reconnu dans les
  premiers octets (paquet `filetype`) : un HTML renommé `.pdf`, un SVG renommé `.png` sont refusés ;
- pas de balisage HTML, SVG ou script dans l'en-tête (fichiers polyglottes, que le navigateur
  pourrait interpréter) ;
- une image doit se décoder (Pillow) et rester de taille raisonnable ;
- un document Word ou OpenDocument (le CV seulement) : archive intègre, sans macros, dont la
  taille décompressée est bornée (bombe de décompression) ;
- fichier non vide, taille maximale (10 Mo pour un justificatif, 5 Mo pour un CV).
Chaque refus est une ValidationError en français qui nomme le champ et le fichier.
"""

import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from PIL import Image

TAILLE_MAX_DOCUMENT = 10 * 1024 * 1024  # 10 Mo
TAILLE_MAX_CV = 5 * 1024 * 1024
# Octets lus pour reconnaître le type et chercher du balisage (les navigateurs devinent le type
# d'une ressource sur ses 1 445 premiers octets).
TAILLE_EN_TETE = 8192
BALISES_INTERDITES = (
    b"<html",
    b"<script",
    b"<svg",
    b"<!doctype html",
    b"<body",
    b"<iframe",
    b"<object",
    b"<embed",
)
# Archives bureautiques : une bombe de décompression tient en quelques kilo-octets.
TAILLE_MAX_DECOMPRESSEE = 50 * 1024 * 1024
ENTREES_MAX = 2000
TAUX_COMPRESSION_MAX = 100
TAILLE_ENTREE_LIBRE = 1024 * 1024  # en dessous, le taux de compression n'est pas regardé


@dataclass(frozen=True)
class Format:
    libelle: str
    extensions: tuple[str, ...]
    reconnu: str  # l'extension que `filetype` donne à ce contenu
    mime: str
    verifier: Callable | None = None


def _taille_mo(octets: int) -> str:
    return f"{octets / 1024 / 1024:.1f}".replace(".", ",") + " Mo"


def _nom(fichier) -> str:
    return PurePath(getattr(fichier, "name", "") or "").name


class Refus(Exception):
    """Le contenu ne convient pas : le message suit « {champ} : »."""


def _verifier_image(fichier, format: "Format", nom: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(fichier, formats=[format.libelle]) as image:
                largeur, hauteur = image.size
                if format.libelle == "JPEG":
                    # Décodage complet à 1/8 de la taille : rapide, et tout le flux est lu.
                    image.draft("RGB", (max(1, largeur // 8), max(1, hauteur // 8)))
                    image.load()
                else:
                    image.verify()  # structure et sommes de contrôle de chaque bloc
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise Refus(f"l'image « {nom} » est trop grande (trop de pixels).") from None
        except Exception:  # Pillow lève des erreurs variées sur un contenu malformé
            raise Refus(
                f"l'image « {nom} » est illisible ou endommagée (ce n'est pas un {format.libelle} "
                "valide)."
            ) from None


def _verifier_archive(fichier, format: "Format", nom: str) -> None:
    try:
        with zipfile.ZipFile(fichier) as archive:
            entrees = archive.infolist()
            if len(entrees) > ENTREES_MAX:
                raise Refus(f"« {nom} » contient trop de fichiers ({len(entrees)}).")
            if sum(e.file_size for e in entrees) > TAILLE_MAX_DECOMPRESSEE or any(
                e.file_size > TAILLE_ENTREE_LIBRE
                and e.file_size > TAUX_COMPRESSION_MAX * max(e.compress_size, 1)
                for e in entrees
            ):
                raise Refus(
                    f"« {nom} » se décompresse en un volume anormal (plus de "
                    f"{_taille_mo(TAILLE_MAX_DECOMPRESSEE)} ou compression excessive) : "
                    "il est refusé."
                )
            if any(e.flag_bits & 0x1 for e in entrees):
                raise Refus(f"« {nom} » est chiffré : il ne peut pas être vérifié.")
            noms = {e.filename for e in entrees}
            if any(n.lower().endswith("vbaproject.bin") or n.startswith("Basic/") for n in noms):
                raise Refus(f"« {nom} » contient des macros : il est refusé.")
            if format.reconnu == "docx":
                attendu = {"[Content_Types].xml", "word/document.xml"} <= noms
            else:
                attendu = "mimetype" in noms and archive.read("mimetype") == format.mime.encode()
            if not attendu:
                raise Refus(f"« {nom} » n'est pas un document {format.libelle} valide.")
            # Lecture complète (bornée par les tailles déclarées, vérifiées ci-dessus) : une
            # taille déclarée mensongère ou un contenu altéré échoue au contrôle CRC.
            for entree in entrees:
                with archive.open(entree) as contenu:
                    while contenu.read(1024 * 1024):
                        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError):
        raise Refus(f"« {nom} » est endommagé (ce n'est pas un {format.libelle} valide).") from None


PDF = Format("PDF", (".pdf",), "pdf", "application/pdf")
JPEG = Format("JPEG", (".jpg", ".jpeg"), "jpg", "image/jpeg", _verifier_image)
PNG = Format("PNG", (".png",), "png", "image/png", _verifier_image)
DOCX = Format(
    "Word",
    (".docx",),
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    _verifier_archive,
)
ODT = Format(
    "OpenDocument", (".odt",), "odt", "application/vnd.oasis.opendocument.text", _verifier_archive
)
FORMATS_DOCUMENT = (PDF, JPEG, PNG)
FORMATS_CV = (PDF, JPEG, PNG, DOCX, ODT)
# Type de contenu servi au téléchargement, d'après l'extension du nom de stockage.
TYPES_MIME = {ext: f.mime for f in FORMATS_CV for ext in f.extensions}


def libelle_formats(formats) -> str:
    libelles = [f.libelle for f in formats]
    return ", ".join(libelles[:-1]) + " ou " + libelles[-1] if len(libelles) > 1 else libelles[0]


def aide(formats=FORMATS_DOCUMENT, taille_max=TAILLE_MAX_DOCUMENT) -> str:
    return f"{libelle_formats(formats)}, {_taille_mo(taille_max)} au plus."


def _lire_en_tete(fichier) -> bytes:
    fichier.seek(0)
    en_tete = fichier.read(TAILLE_EN_TETE)
    fichier.seek(0)
    return en_tete


def verifier_fichier(
    fichier, *, champ: str, formats=FORMATS_DOCUMENT, taille_max: int = TAILLE_MAX_DOCUMENT
) -> None:
    """Lève ValidationError si `fichier` ne convient pas au champ `champ` (son libellé).

    Un fichier déjà enregistré (relu depuis le stockage) a été vérifié à son dépôt.
    """
    if not fichier:
        raise ValidationError(f"{champ} : aucun fichier reçu.", code="fichier_absent")
    if getattr(fichier, "_committed", False):
        return
    nom = _nom(fichier)
    extension = PurePath(nom).suffix.lower()
    format = next((f for f in formats if extension in f.extensions), None)
    if format is None:
        raise ValidationError(
            f"{champ} : type de fichier non accepté pour « {nom} » "
            f"({extension or 'sans extension'}) ; {libelle_formats(formats)} uniquement.",
            code="type_fichier",
        )
    taille = fichier.size
    if not taille:
        raise ValidationError(f"{champ} : le fichier « {nom} » est vide.", code="fichier_vide")
    if taille > taille_max:
        raise ValidationError(
            f"{champ} : le fichier « {nom} » dépasse la taille maximale de "
            f"{_taille_mo(taille_max)} ({_taille_mo(taille)}).",
            code="taille_fichier",
        )
    en_tete = _lire_en_tete(fichier)
    reconnu = filetype.guess(en_tete)
    if reconnu is None or reconnu.extension != format.reconnu:
        detail = f" (contenu reconnu : {reconnu.mime})" if reconnu else ""
        raise ValidationError(
            f"{champ} : le contenu de « {nom} » n'est pas un fichier {format.libelle} "
            f"valide{detail} ; {libelle_formats(formats)} uniquement.",
            code="contenu_fichier",
        )
    if format.verifier is not _verifier_archive and any(
        balise in en_tete.lower() for balise in BALISES_INTERDITES
    ):
        raise ValidationError(
            f"{champ} : « {nom} » contient du code HTML, SVG ou script : il est refusé.",
            code="contenu_actif",
        )
    if format.verifier is not None:
        try:
            format.verifier(fichier, format, nom)
        except Refus as refus:
            raise ValidationError(f"{champ} : {refus}", code="contenu_fichier") from None
        finally:
            fichier.seek(0)


def valider_document(fichier) -> None:
    """Validateur des champs de modèle `ChampDocument` : le champ donne son libellé, ses formats
    et sa taille maximale."""
    champ = getattr(fichier, "field", None)
    libelle = str(getattr(champ, "verbose_name", "") or "fichier")
    verifier_fichier(
        fichier,
        champ=libelle[:1].upper() + libelle[1:],
        formats=getattr(champ, "formats", FORMATS_DOCUMENT),
        taille_max=getattr(champ, "taille_max", TAILLE_MAX_DOCUMENT),
    )
