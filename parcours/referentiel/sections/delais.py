"""Section facultative `delais` : au-delà de ces délais (en jours), une tâche d'entrée est en
retard et relancée (docs/referentiel.md). Absente, ou pour une clé absente : les valeurs par
défaut ci-dessous."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from parcours.referentiel.noyau import Verificateur, contenu_en_vigueur

CLE = "delais"
OBLIGATOIRE = False
DEFAUTS = {
    "recevabilite_jours": 10,  # prescription en attente de la décision de recevabilité
    "complements_jours": 15,  # prescription incomplète en attente des compléments
    "premier_entretien_jours": 15,  # contrat d'engagement non signé après l'admission
}


@dataclass(frozen=True)
class Delais:
    recevabilite_jours: int
    complements_jours: int
    premier_entretien_jours: int


def du_contenu(contenu: dict | None) -> Delais:
    return Delais(**{**DEFAUTS, **((contenu or {}).get(CLE) or {})})


def de(plie, date: datetime.date | None = None) -> Delais:
    """Les délais en vigueur (aujourd'hui par défaut) ; les valeurs par défaut sans référentiel."""
    return du_contenu(contenu_en_vigueur(plie, date))


def par_plie(plie_ids, date: datetime.date | None = None, contenus=None) -> dict[int, Delais]:
    """Les délais en vigueur de plusieurs PLIE, en une requête (aucune si `contenus`, les
    contenus déjà lus par `noyau.contenus_en_vigueur`)."""
    from parcours.referentiel.models import Referentiel

    if contenus is not None:
        return {pid: du_contenu(contenus.get(pid)) for pid in plie_ids}
    date = date or timezone.localdate()
    resultat = {}
    for referentiel in Referentiel.objects.filter(
        plie_id__in=plie_ids, date_effet__lte=date
    ).order_by("plie_id", "-date_effet"):
        resultat.setdefault(referentiel.plie_id, du_contenu(referentiel.contenu))
    return {pid: resultat.get(pid, du_contenu(None)) for pid in plie_ids}


def valider(v: Verificateur, section) -> None:
    if v.objet(section, "delais", (), tuple(DEFAUTS)):
        for cle, valeur in section.items():
            if cle in DEFAUTS:
                v.entier(valeur, f"delais.{cle}", minimum=1)
