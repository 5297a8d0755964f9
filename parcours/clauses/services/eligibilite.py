"""L'éligibilité à la clause : la situation de la personne (participant : sa prescription ;
candidat externe : ses cases) évaluée selon la section `clauses` du référentiel en vigueur, le
résultat expliqué gardé sur la candidature."""

import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from parcours.accompagnement.models import Parcours
from parcours.accompagnement.services import personne_pour_eligibilite
from parcours.clauses.models import Positionnement
from parcours.core.errors import DonneesTransitionInvalides
from parcours.emploi.enums import TYPES_IAE
from parcours.referentiel.sections import clauses as section_clauses
from parcours.referentiel.sections.eligibilite import PersonneInvalide


def _iso(d):
    return d.isoformat() if d else None


def _salarie_iae(participant, plie_id, date) -> bool:
    """Un contrat IAE en cours à `date` dans un parcours de ce PLIE (si l'emploi est installé)."""
    try:
        Contrat = apps.get_model("emploi", "Contrat")
    except LookupError:
        return False
    return Contrat.objects.filter(
        Q(fin__isnull=True) | Q(fin__gte=date),
        parcours__participant=participant,
        parcours__plie_id=plie_id,
        type__in=TYPES_IAE,
        debut__lte=date,
    ).exists()


def personne_pour_clause(positionnement: Positionnement, date: datetime.date) -> dict:
    """La situation de la personne au format du moteur (docs/eligibilite.md) + `salarie_iae`."""
    plie_id = positionnement.besoin.marche.plie_id
    if positionnement.participant_id:
        participant = positionnement.participant
        parcours = (
            Parcours.objects.filter(participant=participant, plie_id=plie_id)
            .exclude(prescription__isnull=True)
            .select_related("prescription", "participant")
            .order_by("-date_prescription", "-id")
            .first()
        )
        if parcours is None:
            raise DonneesTransitionInvalides(
                "Ce participant n'a pas de prescription dans ce PLIE : sa situation est inconnue."
            )
        personne = personne_pour_eligibilite(parcours.prescription, date)
        personne["via_clause"] = True
        personne["salarie_iae"] = _salarie_iae(participant, plie_id, date)
        return personne
    externe = positionnement.candidat_externe
    statuts = [{"code": code} for code in ("rsa", "qpv", "rqth") if getattr(externe, code)]
    return {
        "date": date.isoformat(),
        "date_naissance": externe.date_naissance.isoformat(),
        "commune_insee": externe.commune_insee or None,
        # DELD déclaré : 12 mois sans emploi révolus à la date de l'évaluation.
        "sans_emploi_depuis": _iso(date - relativedelta(months=12)) if externe.deld else None,
        "statuts": statuts,
        "freins": [],
        "niveau_qualification": externe.niveau_qualification,
        "bac": None,
        "rqth_jusqu_au": _iso(externe.rqth_jusqu_au),
        "suivi_mission_locale": False,
        "suivi_cap_emploi": False,
        "via_clause": True,
        "salarie_iae": externe.salarie_iae,
    }


def evaluer_eligibilite_clause(positionnement: Positionnement, date=None) -> dict:
    """Évalue la personne selon la section `clauses` du référentiel en vigueur et garde le
    résultat expliqué sur la candidature (JSON du moteur : `eligible`, `criteres`)."""
    date = date or timezone.localdate()
    plie = positionnement.besoin.marche.plie
    public = section_clauses.de(plie, date)
    if public is None:
        resultat = _non_evaluable(
            "referentiel",
            f"Le référentiel en vigueur du {plie.nom} ne définit pas le public éligible aux "
            "clauses (section « clauses ») : éligibilité à apprécier par le facilitateur.",
        )
    else:
        try:
            resultat = public.evaluer(personne_pour_clause(positionnement, date)).as_json()
        except PersonneInvalide as exc:
            resultat = _non_evaluable(exc.champ, f"Situation incomplète : {exc.message}")
        except DonneesTransitionInvalides as exc:
            resultat = _non_evaluable("situation", str(exc))
    positionnement.eligibilite = resultat
    positionnement.eligibilite_evaluee_le = timezone.now()
    Positionnement.objects.filter(pk=positionnement.pk).update(
        eligibilite=resultat, eligibilite_evaluee_le=positionnement.eligibilite_evaluee_le
    )
    return resultat


def _non_evaluable(code, explication) -> dict:
    return {
        "eligible": False,
        "criteres": [{"code": code, "satisfait": False, "explication": explication}],
    }
