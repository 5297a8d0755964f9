"""Échéances des tâches et relances, d'après les délais du référentiel de chaque PLIE."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Greatest

from parcours.accompagnement.models import Parcours
from parcours.referentiel.sections import delais as section_delais

# Le délai (champ de `Delais`, section `delais` du référentiel) de chaque nœud humain.
DELAI_DU_NOEUD = {
    "verifier_recevabilite": "recevabilite_jours",
    "completer": "complements_jours",
    "premier_entretien": "premier_entretien_jours",
}


class Selon(Expression):
    """`CASE sujet WHEN valeur THEN résultat … END` : le sujet écrit (et calculé) une seule fois,
    là où `Case(When(sujet=valeur…))` le recopie dans chaque branche — le PLIE de la tâche est
    une sous-requête, recopiée pour chaque (PLIE, nœud) et résolue autant de fois par l'ORM."""

    def __init__(self, sujet, cas, output_field):
        super().__init__(output_field=output_field)
        self.sujet, self.cas = sujet, list(cas)  # cas : [(valeur, résultat)]

    def get_source_expressions(self):
        return [self.sujet, *(e for paire in self.cas for e in paire)]

    def set_source_expressions(self, exprs):
        self.sujet, *reste = exprs
        self.cas = list(zip(reste[::2], reste[1::2], strict=True))

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.sujet)
        morceaux, params = [f"CASE {sql}"], list(params)
        for valeur, resultat in self.cas:
            sql_v, params_v = compiler.compile(valeur)
            sql_r, params_r = compiler.compile(resultat)
            morceaux.append(f"WHEN {sql_v} THEN {sql_r}")
            params.extend([*params_v, *params_r])
        return " ".join([*morceaux, "END"]), params


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
    delais = section_delais.par_plie(plie_ids) if delais is None else delais
    # Le délai du référentiel : selon le PLIE de la tâche, puis selon son nœud (NULL hors des
    # PLIE lus et des nœuds à délai).
    noeud_champ = queryset.model._meta.get_field("flow_task")
    par_plie = [
        (
            Value(plie_id, output_field=IntegerField()),
            Selon(
                F("flow_task"),
                [
                    (
                        Value(noeud_champ.get_prep_value(getattr(EntreeFlow, noeud)), CharField()),
                        ExpressionWrapper(
                            F("created") + datetime.timedelta(days=getattr(valeurs, cle)),
                            output_field=DateTimeField(),
                        ),
                    )
                    for noeud, cle in DELAI_DU_NOEUD.items()
                ],
                output_field=DateTimeField(),
            ),
        )
        for plie_id, valeurs in delais.items()
    ]
    # Sinon, l'échéance posée par le flux à la création de la tâche (workflows/emploi/flows.py,
    # workflows/alertes/flows.py), jamais avant la création de la tâche (une tâche ne peut pas
    # être due avant d'exister ; `GREATEST` ignorerait une échéance absente, d'où le `When`).
    posee = Cast(KeyTextTransform("echeance", "data"), DateTimeField())
    echeance = Case(
        When(data__has_key="echeance", then=Greatest(posee, F("created"))),
        default=None,
        output_field=DateTimeField(),
    )
    if par_plie:
        du_referentiel = Selon(F("plie_id"), par_plie, DateTimeField())
        echeance = Coalesce(du_referentiel, echeance, output_field=DateTimeField())
    return queryset.annotate(echeance=echeance)
