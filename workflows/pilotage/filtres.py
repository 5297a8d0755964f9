"""La lecture des filtres d'un tableau de bord (GET) : période (défaut : l'année en cours),
territoire, structure, référent, opération, public.

Une période inversée, ouverte ou illisible et un public inconnu donnent un message en français
et la page réaffiche ce qui a été saisi ; un identifiant hors du périmètre (ou qui n'en est pas
un) lève `HorsPerimetre` : l'écran répond 404, sans dire s'il existe ailleurs."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.acces import HorsPerimetre
from parcours.core import parametres
from parcours.reporting.indicateurs import Filtres
from parcours.reporting.indicateurs.publics import PUBLICS
from parcours.reporting.periode import periode

CHAMPS_IDS = ("territoire", "structure", "referent", "operation")
CHAMPS = ("du", "au", *CHAMPS_IDS, "public")


@dataclass
class Lecture:
    """Ce que l'utilisateur a demandé (`valeurs`, réaffichées telles quelles), et soit les
    `filtres` du calcul, soit les `erreurs` à lui dire ({champ: [message]})."""

    valeurs: dict[str, str]
    filtres: Filtres | None = None
    erreurs: dict[str, list[str]] = field(default_factory=dict)

    @property
    def requete(self) -> str:
        """Les filtres en paramètres d'URL (liens d'export)."""
        return urlencode({k: v for k, v in self.valeurs.items() if v})


def annee_en_cours() -> tuple[datetime.date, datetime.date]:
    annee = timezone.localdate().year
    return datetime.date(annee, 1, 1), datetime.date(annee, 12, 31)


def lire(get, portee, choix) -> Lecture:
    valeurs = {nom: str(get.get(nom, "")).strip()[:40] for nom in CHAMPS}
    if "du" not in get and "au" not in get:
        du, au = annee_en_cours()
        valeurs["du"], valeurs["au"] = du.isoformat(), au.isoformat()
    ids = {}
    for nom in CHAMPS_IDS:
        if valeurs[nom]:
            ids[nom] = parametres.identifiant(valeurs[nom])
            if ids[nom] is None:
                raise HorsPerimetre
    lecture = Lecture(valeurs)
    if valeurs["public"] and valeurs["public"] not in dict(PUBLICS):
        lecture.erreurs["public"] = [f"Public inconnu : « {valeurs['public']} »."]
    try:
        p = periode(valeurs["du"], valeurs["au"])
    except ValidationError as exc:
        lecture.erreurs.update(exc.message_dict)
        p = None
    # Hors périmètre : 404 même si la période est fausse (rien n'est révélé par le message).
    filtres = portee.filtres(
        p, choix, public=valeurs["public"] or None, **{k: ids.get(k) for k in CHAMPS_IDS}
    )
    if not lecture.erreurs:
        lecture.filtres = filtres
    return lecture
