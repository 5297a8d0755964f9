"""Le chargement d'un dossier (docs/dossier.md) : le parcours et chacune des sources de sa frise
(transitions, décisions, étapes, entretiens, contrats, documents…), une requête par source, en
un nombre de requêtes constant quelle que soit la longueur de l'historique."""

from django.db.models import Prefetch
from django.utils import timezone

from parcours.accompagnement.models import (
    ChangementReferent,
    Delegation,
    Entretien,
    Etape,
    Parcours,
    PieceEntree,
    PreuveEtape,
    QuestionnaireFSE,
    Suspension,
    TransitionParcours,
)
from parcours.commissions.models import Decision, InscriptionSession
from parcours.emploi.models import Contrat, PropositionSortie


def _sources_suivi():
    return [
        Prefetch("prescription__statuts"),
        Prefetch(
            "decisions_commission",
            queryset=_decisions().select_related("referent", "structure"),
        ),
        Prefetch(
            "inscriptions_commission",
            queryset=InscriptionSession.objects.select_related("session", "inscrite_par"),
        ),
        Prefetch("pieces_entree", queryset=PieceEntree.objects.select_related("deposee_par")),
        Prefetch("courriels"),
        Prefetch(
            "etapes",
            queryset=Etape.objects.select_related("created_by", "updated_by").prefetch_related(
                Prefetch("preuves", queryset=PreuveEtape.objects.select_related("deposee_par"))
            ),
        ),
        Prefetch("entretiens", queryset=Entretien.objects.select_related("auteur")),
        # Un questionnaire FSE+ par participation : `parcours.questionnaire_fse` lit le dernier.
        Prefetch(
            "questionnaires_fse",
            queryset=QuestionnaireFSE.objects.select_related("renseigne_par").order_by("pk"),
        ),
        Prefetch("suspensions", queryset=Suspension.objects.select_related("par", "levee_par")),
        Prefetch(
            "changements_referent",
            queryset=ChangementReferent.objects.select_related(
                "ancien", "nouveau", "nouvelle_structure", "par"
            ),
        ),
        Prefetch("contrats", queryset=Contrat.objects.select_related("created_by")),
        Prefetch(
            "propositions_sortie", queryset=PropositionSortie.objects.select_related("proposee_par")
        ),
    ]


def _decisions():
    return Decision.objects.select_related("session", "par")


def charger_parcours(queryset, pk: int, *, suivi: bool = True) -> Parcours:
    """Le parcours `pk` de `queryset` (déjà limité par la politique d'accès) avec toutes les
    sources de sa frise. Sans `suivi` (prescripteur) : la prescription et les décisions seulement.
    Lève Parcours.DoesNotExist hors du queryset."""
    relations = [
        "participant",
        "plie",
        "territoire",
        "referent",
        "structure_referente",
        "structure_prescriptrice",
        "prescripteur",
        "prescription",
        "prescription__derogation_par",
        "prescription__notice_remise_par",
    ]
    transitions = Prefetch("transitions", queryset=TransitionParcours.objects.select_related("par"))
    if not suivi:
        return (
            queryset.select_related(*relations)
            .prefetch_related(transitions, Prefetch("decisions_commission", queryset=_decisions()))
            .get(pk=pk)
        )
    relations += [
        "contrat_engagement",
        "contrat_engagement__genere_par",
        "contrat_engagement__copie_deposee_par",
        "donnees_sortie_fse",
        "donnees_sortie_fse__saisie_par",
    ]
    parcours = (
        queryset.select_related(*relations)
        .prefetch_related(transitions, *_sources_suivi())
        .get(pk=pk)
    )
    parcours.interims = _interims(parcours)
    return parcours


def _interims(parcours: Parcours) -> list[Delegation]:
    """Les intérims des référents successifs du parcours pendant sa durée (une requête).

    Les droits d'intérim sont retirés à la levée : on retrouve l'intérim par son titulaire."""
    referents = {parcours.referent_id} | {
        r for c in parcours.changements_referent.all() for r in (c.ancien_id, c.nouveau_id)
    }
    referents.discard(None)
    fin = parcours.date_sortie or timezone.localdate()
    return list(
        Delegation.objects.filter(
            plie_id=parcours.plie_id,
            titulaire_id__in=referents,
            debut__lte=fin,
            fin__gte=parcours.date_prescription,
        ).select_related("titulaire", "suppleant", "par", "levee_par")
    )
