"""Échéances des tâches et relances, d'après les délais du référentiel de chaque PLIE."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DateTimeField, ExpressionWrapper, F, OuterRef, Subquery, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Greatest

from parcours.accompagnement.models import Parcours
from parcours.referentiel.sections import delais as section_delais

# Le délai (champ de `Delais`, section `delais` du référentiel) de chaque nœud humain.
DELAI_DU_NOEUD = {
    "verifier_recevabilite": "recevabilite_jours",
    "completer": "complements_jours",
    "premier_entretien": "premier_entretien_jours",
}


def annoter(queryset, plie_ids, delais=None):
    """Ajoute à chaque tâche `plie_id`, `territoire_id` et `echeance` (création + délai), en SQL.
    `delais` : les délais par PLIE déjà lus (`section_delais.par_plie`), pour ne les lire qu'une
    fois par page."""
    from workflows.entree.flows import EntreeFlow

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
    delais = section_delais.par_plie(plie_ids) if delais is None else delais
    for plie_id, valeurs in delais.items():
        for noeud, cle in DELAI_DU_NOEUD.items():
            echeance = ExpressionWrapper(
                F("created") + datetime.timedelta(days=getattr(valeurs, cle)),
                output_field=DateTimeField(),
            )
            cas.append(When(plie_id=plie_id, flow_task=getattr(EntreeFlow, noeud), then=echeance))
    # Sinon, l'échéance posée par le flux à la création de la tâche (workflows/emploi/flows.py,
    # workflows/alertes/flows.py), jamais avant la création de la tâche (une tâche ne peut pas
    # être due avant d'exister ; `GREATEST` ignorerait une échéance absente, d'où le `When`).
    posee = Cast(KeyTextTransform("echeance", "data"), DateTimeField())
    cas.append(When(data__has_key="echeance", then=Greatest(posee, F("created"))))
    return queryset.annotate(echeance=Case(*cas, default=None, output_field=DateTimeField()))
