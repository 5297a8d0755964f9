"""Les boîtes de tâches de l'accueil (« Mes tâches », « À prendre ») : ce que chaque tâche est,
regroupée par personne, triée par échéance, et le résumé « en retard / aujourd'hui / cette
semaine ».

- `types_de_taches(perimetre)` : les types de tâche qu'un rôle peut recevoir (le filtre « type ») ;
- `lire_boite(queryset, …)` : les premières tâches d'une boîte, en une requête : chaque ligne
  porte son dossier, son échéance (workflows.echeances), le nombre de tâches et l'échéance la
  plus proche de sa personne (fonctions de fenêtre), d'où les groupes ;
- `resume(queryset)` : les comptes par échéance d'une boîte, en une requête.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, Min, OuterRef, Q, Subquery, When, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from parcours.accompagnement.models import Parcours
from parcours.clauses.models import Positionnement
from workflows import echeances
from workflows.actions_taches import titre_de_la_tache
from workflows.alertes import dossier_du_processus

# Les échéances que l'on peut filtrer (paramètre `quand`), et le résumé en haut des boîtes.
QUAND = {
    "retard": "En retard",
    "aujourdhui": "Aujourd'hui",
    "semaine": "Cette semaine",
}


def _selon_l_objet(parcours, champ_parcours, champ_candidature):
    """La valeur à afficher selon l'objet que porte le processus : un parcours, ou une
    candidature sur une clause (workflows.clauses.flows) — jamais un parcours pris au hasard d'une
    clé identique."""
    cas = [
        When(
            process__artifact_content_type=ContentType.objects.get_for_model(Parcours),
            then=Subquery(parcours.values(champ_parcours)[:1]),
        )
    ]
    if champ_candidature is not None:
        candidature = Positionnement.objects.filter(pk=OuterRef("process__artifact_object_id"))
        valeur = (
            F("besoin__marche__plie__nom")
            if champ_candidature == "plie"
            else Coalesce(
                f"participant__{champ_candidature}", f"candidat_externe__{champ_candidature}"
            )
        )
        cas.append(
            When(
                process__artifact_content_type=ContentType.objects.get_for_model(Positionnement),
                then=Subquery(candidature.annotate(valeur=valeur).values("valeur")[:1]),
            )
        )
    return Case(*cas, default=None)


@functools.cache  # les flux sont fixés au démarrage : une seule lecture des nœuds
def tous_les_types():
    """Les tâches humaines de tous les flux : clé `<Flux>.<nœud>` -> (titre, nœud). Les nœuds
    automatiques n'arrivent jamais dans une boîte."""
    from viewflow.workflow.flow import View

    from workflows.alertes import AlerteFlow
    from workflows.clauses.flows import CandidatureFlow
    from workflows.emploi.flows import SortieFlow, SuiviContratFlow
    from workflows.entree.flows import EntreeFlow
    from workflows.suivi import SuiviAbsenceFlow, SuspensionFlow

    flux = (
        EntreeFlow,
        SuiviAbsenceFlow,
        SuspensionFlow,
        SuiviContratFlow,
        SortieFlow,
        AlerteFlow,
        CandidatureFlow,
    )
    types = {}
    for classe in flux:
        for noeud in classe.instance.nodes():
            if isinstance(noeud, View):
                titre = f"{classe.process_title} — {noeud.task_title}"
                types[f"{classe.__name__}.{noeud.name}"] = (titre, noeud)
    return types


def roles_du_noeud(noeud) -> frozenset:
    """Les rôles qui peuvent recevoir les tâches d'un nœud : ceux de son droit du domaine
    (`workflows.nodes.View.Droit`, `workflows.access`)."""
    return frozenset(getattr(noeud.droit, "roles", ()))


def types_de_taches(perimetre, superutilisateur=False) -> list[tuple[str, str]]:
    """Les types de tâche (clé, titre) que les rôles actifs de l'utilisateur peuvent recevoir :
    le financeur n'en a aucun, le référent les siens, jamais les 17 de tous les flux."""
    return [
        (cle, titre)
        for cle, (titre, noeud) in tous_les_types().items()
        if superutilisateur or roles_du_noeud(noeud) & perimetre.roles
    ]


def filtrer_par_echeance(queryset, quand: str, maintenant=None):
    """Les tâches dont l'échéance (annotée) tombe dans la période `quand` de `QUAND` :
    en retard (passée), aujourd'hui (pas encore passée), cette semaine (d'ici dimanche soir)."""
    maintenant = maintenant or timezone.now()
    demain, lundi = _bornes(maintenant)
    if quand == "retard":
        return queryset.filter(echeance__lt=maintenant)
    if quand == "aujourdhui":
        return queryset.filter(echeance__gte=maintenant, echeance__lt=demain)
    if quand == "semaine":
        return queryset.filter(echeance__gte=maintenant, echeance__lt=lundi)
    return queryset


def _bornes(maintenant):
    """Demain 0 h et lundi prochain 0 h, à l'heure locale."""
    jour = timezone.localtime(maintenant).date()
    minuit = lambda j: timezone.make_aware(datetime.datetime.combine(j, datetime.time()))  # noqa: E731
    return (
        minuit(jour + datetime.timedelta(days=1)),
        minuit(jour + datetime.timedelta(days=7 - jour.weekday())),
    )


def annoter(queryset, plie_ids, delais):
    """Le dossier et l'échéance de chaque tâche (sous-requêtes, pas de N+1)."""
    parcours = Parcours.objects.filter(pk=OuterRef("process__artifact_object_id"))
    return echeances.annoter(queryset, plie_ids, delais).annotate(
        dossier_id=dossier_du_processus(),
        participant_id=_selon_l_objet(parcours, "participant_id", None),
        participant_nom=_selon_l_objet(parcours, "participant__nom", "nom"),
        participant_prenom=_selon_l_objet(parcours, "participant__prenom", "prenom"),
        plie_nom=_selon_l_objet(parcours, "plie__nom", "plie"),
        donnees_processus=F("process__data"),
    )


def resume(queryset, maintenant=None) -> dict[str, int]:
    """Le nombre de tâches de la boîte (annotée) en retard, dues aujourd'hui et cette semaine :
    une requête (comptes conditionnels)."""
    maintenant = maintenant or timezone.now()
    demain, lundi = _bornes(maintenant)
    a_venir = Q(echeance__gte=maintenant)
    return queryset.order_by().aggregate(
        retard=Count("id", filter=Q(echeance__lt=maintenant)),
        aujourdhui=Count("id", filter=a_venir & Q(echeance__lt=demain)),
        semaine=Count("id", filter=a_venir & Q(echeance__lt=lundi)),
    )


@dataclass
class Groupe:
    """Les tâches d'une personne (d'un même dossier) dans une boîte."""

    cle: tuple  # (type de contenu, clé) de l'objet des processus : le dossier
    dossier_id: int | None
    nom: str
    prenom: str
    plie_nom: str
    total: int  # toutes ses tâches dans la boîte, même au-delà des premières lues
    taches: list = field(default_factory=list)

    @property
    def en_retard(self) -> int:
        return sum(1 for t in self.taches if t.en_retard)


def lire_boite(queryset, action: str, maximum: int, maintenant=None):
    """Les `maximum` premières tâches d'une boîte (annotée, filtrée), regroupées par personne :
    les groupes par échéance la plus proche, les tâches de chaque groupe par échéance. Une
    requête : les comptes et l'échéance la plus proche de chaque personne sont des fonctions de
    fenêtre sur la boîte ; une ligne de plus lue dit s'il y en a d'autres (pas de `COUNT`).
    Rend (groupes, nombre de tâches lues, en_plus)."""
    maintenant = maintenant or timezone.now()
    personne = [F("process__artifact_content_type_id"), F("process__artifact_object_id")]
    queryset = queryset.annotate(
        objet_type=personne[0],
        objet_id=personne[1],
        premiere_echeance=Window(Min("echeance"), partition_by=personne),
        taches_de_la_personne=Window(Count("id"), partition_by=personne),
    )
    ordre = (
        F("premiere_echeance").asc(nulls_last=True),
        "process__artifact_content_type_id",
        "process__artifact_object_id",
        F("echeance").asc(nulls_last=True),
        "created",
        "id",
    )
    taches = list(queryset.order_by(*ordre)[: maximum + 1])
    en_plus = len(taches) > maximum
    taches = taches[:maximum]
    groupes: list[Groupe] = []
    for tache in taches:
        tache.url = tache.flow_task.reverse(action, args=[tache.process_id, tache.pk])
        tache.en_retard = tache.echeance is not None and tache.echeance < maintenant
        tache.titre = titre_de_la_tache(tache, tache.donnees_processus or {})
        cle = (tache.objet_type, tache.objet_id)
        if not groupes or groupes[-1].cle != cle:
            groupe = Groupe(
                cle,
                tache.dossier_id,
                tache.participant_nom or "",
                tache.participant_prenom or "",
                tache.plie_nom or "",
                tache.taches_de_la_personne,
            )
            groupes.append(groupe)
        groupes[-1].taches.append(tache)
    return groupes, len(taches), en_plus
