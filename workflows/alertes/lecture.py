"""Les tâches vues depuis le dossier et l'accueil : les tâches viewflow d'un parcours (tous flux),
avec leur échéance et leur adresse, et le compte des alertes ouvertes.
"""

import json

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper
from django.db.models.fields.json import KeyTextTransform
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from parcours import acces
from parcours.accompagnement.models import Parcours
from parcours.dossier.alertes import TypeAlerte
from parcours.dossier.evenements import TacheDossier
from workflows import access as workflows_access
from workflows import echeances
from workflows.actions_taches import titre_de_la_tache
from workflows.alertes.flows import AlerteFlow, echeance_de, nom_de, type_parcours

ETATS_TACHE = {
    STATUS.NEW: "à prendre",
    STATUS.ASSIGNED: "assignée",
    STATUS.STARTED: "en cours",
    STATUS.DONE: "terminée",
    STATUS.CANCELED: "annulée",
    STATUS.ERROR: "en erreur",
}


def taches_du_parcours(parcours: Parcours, user) -> list[TacheDossier]:
    """Les tâches viewflow d'un parcours (tous flux), avec leur échéance et, pour celles que
    l'utilisateur peut faire ou prendre, leur adresse. Une requête (plus les délais du PLIE)."""
    qs = (
        Task.objects.filter(
            process__artifact_content_type=type_parcours(),
            process__artifact_object_id=parcours.pk,
            flow_task_type="HUMAN",
        )
        .select_related("process", "owner")
        .order_by("created", "id")
    )
    qs = echeances.annoter(qs, [parcours.plie_id]).annotate(
        # Intérim : le suppléant exécute les tâches du titulaire (workflows.access).
        en_interim=ExpressionWrapper(
            workflows_access.filtre_taches_en_interim(user), output_field=BooleanField()
        )
    )
    resultat = []
    for t in qs:
        ouverte = t.status in (STATUS.NEW, STATUS.ASSIGNED)
        data = t.process.data if t.process.flow_class is AlerteFlow else {}
        # Le titre des boîtes (« Entretien mensuel dû — dernier le 12/10 ») : une seule source.
        titre = titre_de_la_tache(t, t.process.data)
        url = ""
        if ouverte and t.status == STATUS.ASSIGNED and (t.owner_id == user.pk or t.en_interim):
            url = t.flow_task.reverse("execute", args=[t.process_id, t.pk])
        elif ouverte and t.status == STATUS.NEW and t.flow_task.can_assign(user, t):
            url = t.flow_task.reverse("assign", args=[t.process_id, t.pk])
        fermeture = ""
        if data.get("levee"):
            fermeture = data["levee"]["raison"]
        elif data.get("traitement"):
            fermeture = f"traitée : {data['traitement']['commentaire']}"
        resultat.append(
            TacheDossier(
                titre=titre,
                ouverte_le=t.created,
                fermee_le=t.finished,
                ouverte=ouverte,
                etat=ETATS_TACHE.get(t.status, t.status),
                responsable=nom_de(t.owner),
                echeance=t.echeance or echeance_de(t.data),
                url=url,
                alerte=data.get("type", ""),
                fermeture=fermeture,
            )
        )
    return resultat


def dossier_du_processus():
    """Expression : le parcours porté par le processus d'une tâche (None pour un autre objet)."""
    from django.db.models import Case, F, IntegerField, When

    return Case(
        When(process__artifact_content_type=type_parcours(), then=F("process__artifact_object_id")),
        default=None,
        output_field=IntegerField(),
    )


# Les alertes ouvertes d'un PLIE se comptent jusqu'à cette borne par type (« plus de 100 ») :
# un compte exact grandirait avec le PLIE (issue 11, docs/PERFORMANCE.md).
BORNE_ALERTES_PLIE = 100


def _comptes_bornes_du_plie() -> str:
    """SQL : pour chaque type d'alerte (tableau en paramètre), le nombre d'alertes ouvertes des
    PLIE (tableau), compté jusqu'à `BORNE_ALERTES_PLIE + 1`. Chaque sous-requête lit l'index
    partiel (PLIE, type) des alertes ouvertes (workflows/migrations/0005 : le PLIE recopié sur
    l'alerte par déclencheur) : seules les alertes du PLIE, et elle s'arrête à la borne. Écrite
    une fois (pas sept requêtes de l'ORM à compiler à chaque page) ; paramètres : flux, type de
    contenu, PLIE, borne, types."""
    return COMPTES_BORNES.format(process=Process._meta.db_table)


COMPTES_BORNES = (
    "(SELECT coalesce(json_object_agg(t.type_alerte, ("
    "SELECT count(*) FROM (SELECT 1 FROM {process} p"
    " WHERE p.flow_class = %s AND p.status = 'NEW' AND p.artifact_content_type_id = %s"
    " AND ((p.data ->> 'plie')::bigint) = ANY(%s) AND (p.data ->> 'type') = t.type_alerte"
    " LIMIT %s) s)), '{{}}')"
    " FROM unnest(%s::text[]) AS t(type_alerte))"
)
AGREGER = "(SELECT coalesce(json_object_agg(m.type_alerte, m.n), '{{}}') FROM ({}) m)"


def compter_alertes(user) -> dict:
    """Les alertes ouvertes, par type : celles de l'utilisateur et, pour l'animation, celles
    des PLIE qu'il pilote, comptées jusqu'à `BORNE_ALERTES_PLIE` (au-delà : « plus de … »).
    Une requête : ses alertes groupées par type (index de ses tâches, dossier sondé par ligne
    comme « Mes tâches »), et pour le pilotage un compte borné par type en sous-requête."""
    miennes_qs = (
        Task.objects.filter(
            workflows_access.dossier_visible_par_ligne(user),
            flow_task=AlerteFlow.traiter,
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
            owner=user,
        )
        .annotate(type_alerte=KeyTextTransform("type", "process__data"))
        .values("type_alerte")
        .annotate(n=Count("id"))
        .order_by()
    )
    plies = sorted(acces.perimetre(user).plies(acces.ROLES_PILOTAGE))
    sql, params = miennes_qs.query.sql_with_params()
    # Des requêtes compilées par Django ou écrites ici (valeurs en paramètres), réunies en une.
    colonnes = [AGREGER.format(sql)]
    params = list(params)
    if plies:
        colonnes.append(_comptes_bornes_du_plie())
        flux = Process._meta.get_field("flow_class").get_prep_value(AlerteFlow)
        params += [flux, type_parcours().pk, plies, BORNE_ALERTES_PLIE + 1, TypeAlerte.values]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(colonnes), params)
        miennes, *du_plie = cursor.fetchone()
    miennes = json.loads(miennes) if isinstance(miennes, str) else miennes
    toutes = du_plie[0] if du_plie else {}
    toutes = json.loads(toutes) if isinstance(toutes, str) else toutes

    def par_type(comptes):
        return [(t.label, comptes[t.value]) for t in TypeAlerte if comptes.get(t.value)]

    return {"miennes": par_type(miennes), "plie": par_type(toutes), "borne": BORNE_ALERTES_PLIE}
