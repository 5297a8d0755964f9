"""La suspension (veille) du parcours : suspendre pour la durée du référentiel
(`suivi.suspension_mois`), renouveler, lever ; chaque geste annonce son signal.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from parcours.accompagnement.enums import MotifSuspension
from parcours.accompagnement.models import (
    Parcours,
    RenouvellementSuspension,
    Suspension,
)
from parcours.accompagnement.suivi.commun import ajouter_mois, lever_si_erreurs, peut_suivre
from parcours.accompagnement.suivi.signaux import (
    suspension_commencee,
    suspension_levee,
    suspension_renouvelee,
)
from parcours.core.errors import (
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.referentiel.sections.suivi import de as delais_de_suivi


def suspension_en_cours(parcours: Parcours) -> Suspension | None:
    return parcours.suspensions.en_cours().first()


@transaction.atomic
def suspendre_parcours(
    parcours: Parcours,
    par,
    *,
    motif: str,
    precision: str = "",
    debut: datetime.date | None = None,
    fin_prevue: datetime.date | None = None,
) -> Suspension:
    """Met le parcours en veille (transition `suspendre`) pour la durée du référentiel
    (`suivi.suspension_mois`, 3 mois par défaut) sauf fin prévue donnée."""
    parcours = Parcours.objects.select_for_update().get(pk=parcours.pk)
    aujourd_hui = timezone.localdate()
    debut = debut or aujourd_hui
    erreurs = {}
    if motif not in MotifSuspension.values:
        erreurs["motif"] = f"Motif de suspension inconnu : « {motif} »."
    precision = (precision or "").strip()
    if motif == MotifSuspension.AUTRE and not precision:
        erreurs["precision"] = "Précisez le motif de la suspension."
    if debut > aujourd_hui:
        erreurs["debut"] = "Une suspension commence au plus tard aujourd'hui."
    if fin_prevue is None:
        fin_prevue = ajouter_mois(debut, delais_de_suivi(parcours.plie_id).suspension_mois)
    elif fin_prevue < debut:
        erreurs["fin_prevue"] = f"La fin prévue ne peut pas précéder le début ({debut:%d/%m/%Y})."
    lever_si_erreurs(erreurs)
    libelle = MotifSuspension(motif).label
    parcours.suspendre(par=par, motif=f"{libelle}" + (f" : {precision}" if precision else ""))
    parcours.save()
    suspension = Suspension.objects.create(
        parcours=parcours,
        motif=motif,
        precision=precision,
        debut=debut,
        fin_prevue=fin_prevue,
        par=par,
    )
    suspension_commencee.send(sender=Suspension, suspension=suspension, par=par)
    return suspension


def _suspension_a_modifier(parcours: Parcours, par, action: str) -> Suspension:
    if not peut_suivre(par, parcours):
        raise TransitionNonAutorisee(
            f"Vous n'avez pas le droit de {action} : seuls le référent du parcours et l'équipe "
            "d'animation du PLIE le peuvent."
        )
    suspension = parcours.suspensions.select_for_update().filter(levee_le__isnull=True).first()
    if suspension is None:
        raise TransitionInterdite(f"Impossible de {action} : le parcours n'est pas suspendu.")
    return suspension


@transaction.atomic
def renouveler_suspension(
    parcours: Parcours, par, *, motif: str = "", fin_prevue: datetime.date | None = None
) -> Suspension:
    """Repousse la fin prévue (de la durée du référentiel, ou jusqu'à `fin_prevue`) ; journalisé."""
    suspension = _suspension_a_modifier(parcours, par, "renouveler la suspension")
    ancienne = suspension.fin_prevue
    if fin_prevue is None:
        fin_prevue = ajouter_mois(ancienne, delais_de_suivi(parcours.plie_id).suspension_mois)
    if fin_prevue <= ancienne:
        lever_si_erreurs(
            {
                "fin_prevue": "La nouvelle fin prévue doit être postérieure à l'actuelle "
                f"({ancienne:%d/%m/%Y})."
            }
        )
    suspension.fin_prevue = fin_prevue
    suspension.renouvellements = F("renouvellements") + 1
    suspension.save(update_fields=["fin_prevue", "renouvellements"])
    RenouvellementSuspension.objects.create(
        suspension=suspension,
        ancienne_fin=ancienne,
        nouvelle_fin=fin_prevue,
        par=par,
        motif=(motif or "").strip(),
    )
    suspension.refresh_from_db()
    suspension_renouvelee.send(sender=Suspension, suspension=suspension, par=par)
    return suspension


@transaction.atomic
def lever_suspension(
    parcours: Parcours, par, *, motif: str = "", le: datetime.date | None = None
) -> Parcours:
    """Reprend l'accompagnement (transition `reprendre`) et clôt la suspension en cours."""
    parcours = Parcours.objects.select_for_update().get(pk=parcours.pk)
    le = le or timezone.localdate()
    suspension = parcours.suspensions.select_for_update().filter(levee_le__isnull=True).first()
    if suspension is not None and le < suspension.debut:
        lever_si_erreurs(
            {"le": f"La levée ne peut pas précéder le début ({suspension.debut:%d/%m/%Y})."}
        )
    if le > timezone.localdate():
        lever_si_erreurs({"le": "La levée ne peut pas être datée dans le futur."})
    motif = (motif or "").strip()
    parcours.reprendre(par=par, motif=motif)
    parcours.save()
    if suspension is not None:
        suspension.levee_le = le
        suspension.levee_par = par
        suspension.motif_levee = motif
        suspension.save(update_fields=["levee_le", "levee_par", "motif_levee"])
        suspension_levee.send(sender=Suspension, suspension=suspension, par=par)
    return parcours
