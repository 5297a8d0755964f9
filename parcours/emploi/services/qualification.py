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


def contrat_evalue(c) -> ContratEvalue:
    """Un contrat enregistré (`Contrat`) tel que le moteur le voit, champ pour champ comme un
    contrat du fichier JSON de la commande `evaluer_sortie`."""
    return ContratEvalue(
        type=c.type,
        employeur=c.employeur,
        debut=c.debut,
        fin=c.fin,
        heures_hebdo=c.heures_hebdo,
        heures=c.heures,
        client=c.client or None,
    )


def situation_du_parcours(parcours, date=None, contrats=None) -> Situation:
    """Les contrats du parcours au format du moteur : la seule lecture des contrats en base,
    pour la page des contrats, le minuteur de sortie, la proposition de sortie, le dossier et
    les passes par lot.

    **Tous** les contrats enregistrés y sont, comme dans le fichier de la commande
    `evaluer_sortie` : c'est le moteur qui dit ce qui est atteint à la date et ce qui le sera
    (un CDD saisi la veille de son début donne une date prévisionnelle). L'accord pour un temps
    partiel est porté par chaque contrat (`temps_partiel_choisi`) : il vaut pour la situation dès
    qu'un contrat le porte."""
    date = date or timezone.localdate()
    contrats = list(parcours.contrats.all() if contrats is None else contrats)
    return Situation(
        date=date,
        age=age_a(parcours.participant.date_naissance, date),
        accord_temps_partiel=any(c.temps_partiel_choisi for c in contrats),
        contrats=tuple(
            contrat_evalue(c) for c in sorted(contrats, key=lambda c: (c.debut, c.pk or 0))
        ),
    )


def _sans_referentiel(exc: AucunReferentiel) -> Qualification:
    return Qualification(
        qualifie=False,
        categorie=None,
        regle=None,
        atteint_le=None,
        previsionnel_le=None,
        validation_commission_requise=False,
        explication=str(exc),
    )


def qualification_du_parcours(parcours, date=None) -> Qualification:
    """Ce que le moteur de sortie conclut des contrats du parcours à `date` (aujourd'hui) :
    qualifié ou non, la règle, atteint le / prévisionnel le, et l'explication en français."""
    date = date or timezone.localdate()
    try:
        regles = regles_de_sortie(parcours.plie, date)
    except AucunReferentiel as exc:
        return _sans_referentiel(exc)
    return evaluer_sortie(regles, situation_du_parcours(parcours, date))


# Parcours lus par lot par `qualifications_par_lot` (deux requêtes par lot : parcours et
# personnes, puis leurs contrats).
LOT = 2000


def qualifications_par_lot(parcours, date=None, lot=LOT):
    """La qualification de chaque parcours du queryset à `date` (aujourd'hui), pour une passe
    sur beaucoup de parcours : rend des couples (parcours, Qualification). Les contrats sont
    chargés par lot (aucune requête par parcours), les règles lues une fois par PLIE."""
    date = date or timezone.localdate()
    regles = {}
    lignes = (
        parcours.select_related("participant", "plie")
        .prefetch_related("contrats")
        .order_by("pk")
        .iterator(chunk_size=lot)
    )
    for p in lignes:
        if p.plie_id not in regles:
            try:
                regles[p.plie_id] = regles_de_sortie(p.plie, date)
            except AucunReferentiel as exc:
                regles[p.plie_id] = _sans_referentiel(exc)
        r = regles[p.plie_id]
        if isinstance(r, Qualification):
            yield p, r
        else:
            yield p, evaluer_sortie(r, situation_du_parcours(p, date, p.contrats.all()))


def libelle_categorie(qualification: Qualification) -> str:
    """Le libellé français de la catégorie de sortie retenue par le moteur (vide sans règle)."""
    if not qualification.categorie:
        return ""
    try:
        return CategorieQualification(qualification.categorie).label
    except ValueError:
        return qualification.categorie
