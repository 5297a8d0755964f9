"""Échéances des tâches et relances, d'après les délais du référentiel de chaque PLIE."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DateTimeField, ExpressionWrapper, F, OuterRef, Subquery, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from parcours.accompagnement.models import Parcours
from parcours.referentiel.models import Referentiel
from parcours.referentiel.validation import DELAIS

# Le délai (clé de la section `delais` du référentiel) qui s'applique à chaque nœud humain.
DELAI_DU_NOEUD = {
    "verifier_recevabilite": "recevabilite_jours",
    "completer": "complements_jours",
    "premier_entretien": "premier_entretien_jours",
}


def delais(plie_ids) -> dict[int, dict[str, int]]:
    """Les délais en vigueur par PLIE (valeurs par défaut pour ce que le référentiel ne dit pas)."""
    resultat = {}
    for referentiel in Referentiel.objects.filter(
        plie_id__in=plie_ids, date_effet__lte=timezone.localdate()
    ).order_by("plie_id", "-date_effet"):
        if referentiel.plie_id not in resultat:
            resultat[referentiel.plie_id] = {**DELAIS, **referentiel.contenu.get("delais", {})}
    return {pid: resultat.get(pid, dict(DELAIS)) for pid in plie_ids}


def annoter(queryset, plie_ids):
    """Ajoute à chaque tâche `plie_id`, `territoire_id` et `echeance` (création + délai), en SQL."""
    from workflows.flows import EntreeFlow

    parcours = Parcours.objects.filter(pk=OuterRef("process__artifact_object_id"))
    # Seul un processus qui porte un parcours en a le PLIE et le territoire (une candidature sur
    # une clause porte un positionnement : ne pas lire le parcours de même clé).
    porte_un_parcours = {
        "process__artifact_content_type": ContentType.objects.get_for_model(Parcours)
    }
    queryset = queryset.annotate(
        plie_id=Case(When(**porte_un_parcours, then=Subquery(parcours.values("plie_id")[:1]))),
        territoire_id=Case(
            When(**porte_un_parcours, then=Subquery(parcours.values("territoire_id")[:1]))
        ),
    )
    cas = []
    for plie_id, valeurs in delais(plie_ids).items():
        for noeud, cle in DELAI_DU_NOEUD.items():
            echeance = ExpressionWrapper(
                F("created") + datetime.timedelta(days=valeurs[cle]), output_field=DateTimeField()
            )
            cas.append(When(plie_id=plie_id, flow_task=getattr(EntreeFlow, noeud), then=echeance))
    # Sinon, l'échéance posée par le flux à la création de la tâche (workflows/emploi.py).
    posee = Cast(KeyTextTransform("echeance", "data"), DateTimeField())
    return queryset.annotate(echeance=Case(*cas, default=posee, output_field=DateTimeField()))
