"""Les fichiers d'une reprise déposés à l'écran, gardés entre l'aperçu et la confirmation.

Un dépôt est un dossier du serveur (`REPRISE_DEPOTS`, hors de tout ce qui est servi) nommé par
un jeton aléatoire : les fichiers de l'export, la correspondance, le rapport de l'aperçu. La
confirmation reprend **ces** fichiers, pas un nouvel envoi ; elle « prend » le dépôt par un
renommage atomique, si bien qu'un même jeton ne se confirme qu'une fois. Les fichiers sont
supprimés dès que la reprise est faite ou refusée ; seul le rapport reste, jusqu'à la purge.
"""

import datetime
import io
import json
import re
import secrets
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils import timezone

from parcours.reprise.fichier import EXTENSIONS, TAILLE_MAX_FICHIER

FICHIERS_MAX = 20
TAILLE_MAX_DEPOT = 50 * 1024 * 1024  # tous fichiers, décompressés compris
VALIDITE_APERCU = datetime.timedelta(hours=1)
CONSERVATION_RAPPORT = datetime.timedelta(days=1)
JETON = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
# Ce que les archiveurs ajoutent d'eux-mêmes : ignoré plutôt que refusé.
BRUIT_ZIP = ("__MACOSX/", ".DS_Store", "Thumbs.db")


class DepotRefuse(ValueError):
    """Les fichiers déposés ne peuvent pas servir : rien n'est gardé."""


class DepotIntrouvable(LookupError):
    """Jeton inconnu, d'un autre utilisateur ou d'un autre PLIE : les écrans répondent 404."""


class DepotPerime(LookupError):
    """L'aperçu est trop ancien pour être confirmé."""


class DepotDejaPris(LookupError):
    """Ce jeton a déjà servi (confirmation faite, en cours, ou reprise refusée)."""


def racine() -> Path:
    chemin = getattr(settings, "REPRISE_DEPOTS", None)
    return Path(chemin) if chemin else Path(tempfile.gettempdir()) / "plie-reprise"


@dataclass
class Depot:
    jeton: str
    dossier: Path
    meta: dict

    @property
    def fichiers(self) -> Path:
        return self.dossier / "fichiers"

    @property
    def plie_id(self) -> int:
        return self.meta["plie_id"]

    @property
    def depositaire_id(self) -> int:
        return self.meta["user_id"]

    @property
    def etat(self) -> str:
        return self.meta["etat"]

    @property
    def cree_le(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.meta["cree_le"])

    @property
    def perime(self) -> bool:
        return timezone.now() - self.cree_le > VALIDITE_APERCU

    def enregistrer(self, **changements):
        self.meta.update(changements)
        provisoire = self.dossier / "meta.json.tmp"
        provisoire.write_text(json.dumps(self.meta, ensure_ascii=False), encoding="utf-8")
        provisoire.replace(self.dossier / "meta.json")

    def supprimer_fichiers(self):
        for nom in ("fichiers", "en-cours"):
            shutil.rmtree(self.dossier / nom, ignore_errors=True)


def _nom_sur(nom: str) -> str:
    """Le nom d'un fichier de l'archive, sans dossier ; refus de tout chemin qui sort."""
    chemin = PurePosixPath(nom.replace("\\", "/"))
    if chemin.is_absolute() or ".." in chemin.parts or re.match(r"^[A-Za-z]:", nom):
        raise DepotRefuse(f"Archive refusée : le chemin « {nom} » sort du dossier de l'archive.")
    return chemin.name


def _lire_zip(nom_zip: str, contenu: bytes, budget: int) -> list[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise DepotRefuse(f"{nom_zip} : archive ZIP illisible.") from None
    with archive:
        membres = [
            m
            for m in archive.infolist()
            if not m.is_dir() and not any(b in m.filename for b in BRUIT_ZIP)
        ]
        if len(membres) > FICHIERS_MAX:
            raise DepotRefuse(
                f"{nom_zip} : {len(membres)} fichiers dans l'archive ({FICHIERS_MAX} au plus)."
            )
        fichiers = []
        for membre in membres:
            nom = _nom_sur(membre.filename)
            # La taille annoncée peut mentir (bombe) : on lit par morceaux et on s'arrête au
            # premier octet de trop.
            limite = min(TAILLE_MAX_FICHIER, budget)
            morceaux, lu = [], 0
            try:
                with archive.open(membre) as flux:
                    while morceau := flux.read(1024 * 1024):
                        lu += len(morceau)
                        if lu > limite:
                            raise DepotRefuse(
                                f"{nom_zip} : « {nom} » est trop volumineux une fois "
                                f"décompressé ({TAILLE_MAX_FICHIER // 1024 // 1024} Mo par "
                                f"fichier, {TAILLE_MAX_DEPOT // 1024 // 1024} Mo en tout)."
                            )
                        morceaux.append(morceau)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError):
                raise DepotRefuse(
                    f"{nom_zip} : « {nom} » illisible (archive abîmée ou chiffrée)."
                ) from None
            budget -= lu
            fichiers.append((nom, b"".join(morceaux)))
    return fichiers


def deplier(envois: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Les fichiers CSV/XLSX des envois (un ZIP est ouvert) ; refus clair sinon."""
    fichiers, budget = [], TAILLE_MAX_DEPOT
    for nom, contenu in envois:
        nom = _nom_sur(nom)
        if nom.lower().endswith(".zip"):
            deplies = _lire_zip(nom, contenu, budget)
        elif len(contenu) > TAILLE_MAX_FICHIER:
            raise DepotRefuse(
                f"« {nom} » est trop volumineux ({TAILLE_MAX_FICHIER // 1024 // 1024} Mo au plus)."
            )
        else:
            deplies = [(nom, contenu)]
        for nom_fichier, donnees in deplies:
            budget -= len(donnees)
            if budget < 0:
                raise DepotRefuse(
                    f"Dépôt trop volumineux ({TAILLE_MAX_DEPOT // 1024 // 1024} Mo au plus)."
                )
            if not nom_fichier.lower().endswith(EXTENSIONS):
                raise DepotRefuse(
                    f"« {nom_fichier} » : seuls des fichiers CSV ou XLSX (ou un ZIP qui en "
                    "contient) sont repris."
                )
            fichiers.append((nom_fichier, donnees))
    noms = [n.lower() for n, _ in fichiers]
    doubles = sorted({n for n in noms if noms.count(n) > 1})
    if doubles:
        raise DepotRefuse(f"Fichier déposé deux fois : {', '.join(doubles)}.")
    if not fichiers:
        raise DepotRefuse("Aucun fichier CSV ou XLSX déposé.")
    if len(fichiers) > FICHIERS_MAX:
        raise DepotRefuse(f"{len(fichiers)} fichiers déposés ({FICHIERS_MAX} au plus).")
    return fichiers


def purger(maintenant=None) -> None:
    """Supprime les dépôts trop anciens (fichiers et rapport)."""
    maintenant = maintenant or timezone.now()
    if not racine().is_dir():
        return
    for dossier in racine().iterdir():
        try:
            meta = json.loads((dossier / "meta.json").read_text(encoding="utf-8"))
            cree = datetime.datetime.fromisoformat(meta["cree_le"])
        except (OSError, ValueError, KeyError):
            cree = datetime.datetime.fromtimestamp(dossier.stat().st_mtime, tz=datetime.UTC)
        if maintenant - cree > CONSERVATION_RAPPORT:
            shutil.rmtree(dossier, ignore_errors=True)


def deposer(plie, user, fichiers, correspondance: str, nom_correspondance: str) -> Depot:
    """Garde les fichiers (déjà dépliés) et le texte de la correspondance sous un jeton."""
    purger()
    jeton = secrets.token_urlsafe(32)
    dossier = racine() / jeton
    (dossier / "fichiers").mkdir(parents=True, mode=0o700)
    for nom, contenu in fichiers:
        (dossier / "fichiers" / nom).write_bytes(contenu)
    (dossier / "correspondance.yaml").write_text(correspondance, encoding="utf-8")
    depot = Depot(jeton, dossier, {})
    depot.enregistrer(
        plie_id=plie.pk,
        user_id=user.pk,
        cree_le=timezone.now().isoformat(),
        etat="apercu",
        noms=sorted(n for n, _ in fichiers),
        correspondance=nom_correspondance,
    )
    return depot


def retrouver(jeton: str) -> Depot:
    """Le dépôt de ce jeton ; `DepotIntrouvable` s'il n'existe pas (ou plus). Qui peut le voir :
    `acces.voit_le_depot_de_reprise`."""
    if not JETON.match(jeton or ""):
        raise DepotIntrouvable(jeton)
    dossier = racine() / jeton
    try:
        meta = json.loads((dossier / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DepotIntrouvable(jeton) from None
    return Depot(jeton, dossier, meta)


def prendre(depot: Depot) -> Path:
    """Réserve les fichiers du dépôt pour une seule confirmation ; leur dossier."""
    if depot.etat != "apercu":
        raise DepotDejaPris(depot.jeton)
    if depot.perime:
        depot.supprimer_fichiers()
        raise DepotPerime(depot.jeton)
    en_cours = depot.dossier / "en-cours"
    try:
        # Atomique : de deux confirmations simultanées, une seule trouve encore « fichiers ».
        depot.fichiers.rename(en_cours)
    except FileNotFoundError:
        raise DepotDejaPris(depot.jeton) from None
    return en_cours
