"""Ce que le moteur de sortie (`parcours.emploi.qualification`) conclut des contrats d'un
parcours enregistrés en base : la situation du parcours au format du moteur, sa qualification à
une date, le libellé de la catégorie retenue (docs/emploi.md)."""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from parcours.emploi.enums import CategorieQualification
from parcours.emploi.qualification import (
    AucunReferentiel,
    ContratEvalue,
    Qualification,
    Situation,
    evaluer_sortie,
    regles_de_sortie,
)


def age_a(date_naissance, date) -> int | None:
    return relativedelta(date, date_naissance).years if date_naissance else None


def situation_du_parcours(parcours, date=None, contrats=None) -> Situation:
    """Les contrats du parcours au format du moteur. L'accord pour un temps partiel est porté
    par chaque contrat (`temps_partiel_choisi`) : il vaut pour la situation dès qu'un contrat
    connu à la date le porte."""
    date = date or timezone.localdate()
    contrats = list(parcours.contrats.all() if contrats is None else contrats)
    connus = [c for c in contrats if c.debut <= date]
    return Situation(
        date=date,
        age=age_a(parcours.participant.date_naissance, date),
        accord_temps_partiel=any(c.temps_partiel_choisi for c in connus),
        contrats=tuple(
            ContratEvalue(
                type=c.type,
                employeur=c.employeur,
                debut=c.debut,
                fin=c.fin,
                heures_hebdo=c.heures_hebdo,
                heures=c.heures,
                client=c.client or None,
            )
            for c in sorted(connus, key=lambda c: (c.debut, c.pk or 0))
        ),
    )


def qualification_du_parcours(parcours, date=None) -> Qualification:
    """Ce que le moteur de sortie conclut des contrats du parcours à `date` (aujourd'hui) :
    qualifié ou non, la règle, atteint le / prévisionnel le, et l'explication en français."""
    date = date or timezone.localdate()
    try:
        regles = regles_de_sortie(parcours.plie, date)
    except AucunReferentiel as exc:
        return Qualification(
            qualifie=False,
            categorie=None,
            regle=None,
            atteint_le=None,
            previsionnel_le=None,
            validation_commission_requise=False,
            explication=str(exc),
        )
    return evaluer_sortie(regles, situation_du_parcours(parcours, date))


def libelle_categorie(qualification: Qualification) -> str:
    """Le libellé français de la catégorie de sortie retenue par le moteur (vide sans règle)."""
    if not qualification.categorie:
        return ""
    try:
        return CategorieQualification(qualification.categorie).label
    except ValueError:
        return qualification.categorie
