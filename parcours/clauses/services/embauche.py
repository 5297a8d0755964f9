"""Après l'embauche : le parcours du participant, où son référent inscrit l'embauche (contrat et
étape emploi) — le facilitateur, lui, ne modifie pas le parcours."""

from django.db import transaction
from django.utils import timezone

from parcours.accompagnement.enums import StatutEtape
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.suivi import ajouter_etape
from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.models import Positionnement
from parcours.core.errors import TransitionInterdite
from parcours.emploi.services import enregistrer_contrat


def parcours_du_positionnement(positionnement) -> Parcours | None:
    """Le parcours ouvert du participant dans le PLIE du besoin (None pour un externe)."""
    if not positionnement.participant_id:
        return None
    return (
        Parcours.objects.ouverts()
        .filter(
            participant_id=positionnement.participant_id,
            plie_id=positionnement.besoin.marche.plie_id,
        )
        .first()
    )


@transaction.atomic
def inscrire_embauche_au_parcours(
    positionnement, *, par, type_etape: str, intitule="", periode_essai_jours=None
):
    """Le référent du participant inscrit l'embauche : un contrat (parcours.emploi) et une
    étape emploi de son parcours (parcours.accompagnement.suivi), au nom du référent — le
    facilitateur, lui, ne modifie pas le parcours. Le contrat est relié à la candidature
    (`Positionnement.contrat`) : sa période d'essai dit si l'embauche est confirmée.
    Rend (contrat, étape)."""
    positionnement = Positionnement.objects.select_for_update().get(pk=positionnement.pk)
    if positionnement.statut != StatutPositionnement.EMBAUCHEE:
        raise TransitionInterdite("Seule une candidature embauchée s'inscrit au parcours.")
    if positionnement.inscrite_au_parcours_le is not None:
        raise TransitionInterdite("Cette embauche est déjà inscrite au parcours.")
    parcours = parcours_du_positionnement(positionnement)
    if parcours is None:
        raise TransitionInterdite("Cette personne n'a pas de parcours en cours dans ce PLIE.")
    besoin = positionnement.besoin
    contrat = enregistrer_contrat(
        parcours,
        par=par,
        type=positionnement.type_contrat,
        employeur=positionnement.employeur,
        debut=positionnement.date_embauche,
        fin=positionnement.date_fin_contrat,
        heures_hebdo=positionnement.heures_hebdo,
        periode_essai_jours=periode_essai_jours,
    )
    etape = ajouter_etape(
        parcours,
        par,
        type_code=type_etape,
        date_debut=positionnement.date_embauche,
        date_fin=positionnement.date_fin_contrat,
        # Commencée : « en cours » (ses preuves, dont le contrat de travail, seront à joindre).
        statut=(
            StatutEtape.EN_COURS
            if positionnement.date_embauche <= timezone.localdate()
            else StatutEtape.PREVUE
        ),
        intitule=intitule or f"Clause sociale : {besoin.poste} ({besoin.marche.numero})",
        prestataire=positionnement.employeur,
    )
    positionnement.inscrite_au_parcours_le = timezone.now()
    positionnement.inscrite_au_parcours_par = par
    positionnement.contrat = contrat
    Positionnement.objects.filter(pk=positionnement.pk).update(
        inscrite_au_parcours_le=positionnement.inscrite_au_parcours_le,
        inscrite_au_parcours_par=par,
        contrat=contrat,
    )
    return contrat, etape
