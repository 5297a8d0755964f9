"""Ce que l'écran de saisie montre d'un marché pour un mois : une ligne par personne embauchée
sur le marché (avec ses heures déjà enregistrées) et le journal des heures du mois."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.heures.lignes import Personne
from parcours.clauses.models import HeuresRealisees, JournalHeures, Positionnement


@dataclass
class PersonneEmbauchee:
    """Une personne embauchée sur le marché, telle que l'écran de saisie la présente."""

    personne: Personne
    libelle: str
    date_embauche: datetime.date | None
    heures: Decimal | None = None  # celles du mois affiché, si déjà enregistrées
    siret: str = ""


def personnes_embauchees(marche, mois: datetime.date | None = None) -> list[PersonneEmbauchee]:
    """Les personnes embauchées sur un besoin du marché (une fois chacune), avec leurs heures du
    `mois` déjà enregistrées ; trois requêtes quel que soit leur nombre."""
    personnes: dict[Personne, PersonneEmbauchee] = {}
    for pos in (
        Positionnement.objects.filter(besoin__marche=marche, statut=StatutPositionnement.EMBAUCHEE)
        .select_related("participant", "candidat_externe")
        .order_by("date_embauche", "id")
    ):
        if pos.participant_id:
            personne = Personne("participant", pos.participant_id)
            nom = pos.participant
        else:
            personne = Personne("externe", pos.candidat_externe_id)
            nom = pos.candidat_externe
        if personne not in personnes:
            personnes[personne] = PersonneEmbauchee(
                personne, f"{nom} ({personne})", pos.date_embauche
            )
    if mois is not None:
        for h in HeuresRealisees.objects.filter(marche=marche, mois=mois):
            if h.participant_id:
                cle = Personne("participant", h.participant_id)
            else:
                cle = Personne("externe", h.candidat_externe_id)
            if cle in personnes:
                personnes[cle].heures = h.heures
                personnes[cle].siret = h.siret
    return sorted(personnes.values(), key=lambda p: p.libelle)


def historique_heures(marche, mois: datetime.date) -> list:
    """Le journal des heures du marché pour ce mois, le plus récent d'abord (une requête)."""
    return list(
        JournalHeures.objects.filter(ligne__marche=marche, ligne__mois=mois)
        .select_related("par", "ligne__participant", "ligne__candidat_externe")
        .order_by("-at", "-id")
    )
