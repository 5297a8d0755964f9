"""L'aperçu d'un import de référentiel, montré avant de confirmer (écran d'administration du
PLIE) : ce que l'import changera."""

import datetime
from dataclasses import dataclass

from parcours.referentiel.models import Referentiel
from parcours.referentiel.validation import ENTETE


@dataclass(frozen=True)
class Apercu:
    libelle: str
    date_effet: datetime.date | str  # telle que dans le fichier
    remplace: bool  # une version de même date d'effet existe et sera remplacée
    territoires: int
    communes: int
    sections: tuple[str, ...]  # les clés du fichier hors en-tête, dans l'ordre du fichier


def apercu_import(plie, contenu: dict) -> Apercu:
    """`contenu` : un fichier validé (`services.valider_texte`), pas encore importé."""
    version = contenu["version"]
    date_effet = version["date_effet"]
    territoires = contenu.get("territoires") or []
    return Apercu(
        libelle=version.get("libelle", ""),
        date_effet=date_effet,
        remplace=Referentiel.objects.filter(plie=plie, date_effet=date_effet).exists(),
        territoires=len(territoires),
        communes=sum(len(t.get("communes") or []) for t in territoires),
        sections=tuple(cle for cle in contenu if cle not in ENTETE),
    )
