"""Section `portefeuille` (obligatoire) : la file active d'un référent à temps plein."""

import datetime
from dataclasses import dataclass

from parcours.referentiel.noyau import ABSENT, Verificateur, contenu_en_vigueur

CLE = "portefeuille"
OBLIGATOIRE = True


@dataclass(frozen=True)
class Portefeuille:
    plafond_par_referent: int  # à temps plein ; proratisé par l'ETP de l'adhésion


def du_contenu(contenu: dict) -> Portefeuille:
    return Portefeuille(plafond_par_referent=contenu[CLE]["plafond_par_referent"])


def de(plie, date: datetime.date | None = None) -> Portefeuille | None:
    """Le portefeuille du référentiel en vigueur, None sans référentiel."""
    contenu = contenu_en_vigueur(plie, date)
    return du_contenu(contenu) if contenu is not None else None


def par_plie(
    plie_ids, date: datetime.date | None = None, contenus=None
) -> dict[int, Portefeuille | None]:
    """Le portefeuille en vigueur de plusieurs PLIE, en une requête (None sans référentiel ;
    aucune requête si `contenus`, lus par `noyau.contenus_en_vigueur`)."""
    from django.utils import timezone

    from parcours.referentiel.models import Referentiel

    if contenus is not None:
        return {
            pid: du_contenu(contenus[pid]) if contenus.get(pid) is not None else None
            for pid in plie_ids
        }
    date = date or timezone.localdate()
    resultat = {}
    for referentiel in Referentiel.objects.filter(
        plie_id__in=plie_ids, date_effet__lte=date
    ).order_by("plie_id", "-date_effet"):
        resultat.setdefault(referentiel.plie_id, du_contenu(referentiel.contenu))
    return {pid: resultat.get(pid) for pid in plie_ids}


def valider(v: Verificateur, portefeuille) -> None:
    if v.objet(portefeuille, "portefeuille", ("plafond_par_referent",)):
        v.entier(
            portefeuille.get("plafond_par_referent", ABSENT), "portefeuille.plafond_par_referent", 1
        )
