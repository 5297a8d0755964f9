"""L'accueil : les boîtes de tâches (« Mes tâches », « À prendre ») avec leurs filtres, le
portefeuille du référent et la vue du PLIE pour le pilotage."""

import functools

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut
from parcours.accompagnement.models import Parcours
from parcours.core import parametres
from parcours.core.enums import Role
from parcours.core.models import PLIE, Membership, Territoire
from parcours.core.roles import ROLES_PRESCRIPTION
from parcours.referentiel.sections import delais as section_delais
from parcours.referentiel.sections import portefeuille as section_portefeuille
from workflows import access as workflows_access
from workflows import echeances
from workflows.alertes import compter_alertes, dossier_du_processus
from workflows.clauses.accueil import tableaux_d_impact

# Une boîte montre ses premières tâches (échéance la plus proche) ; les filtres trouvent le reste.
TACHES_MAX = 50


def _selon_l_objet(parcours, champ_parcours, champ_candidature):
    """La valeur à afficher selon l'objet que porte le processus : un parcours, ou une
    candidature sur une clause (workflows.clauses.flows) — jamais un parcours pris au hasard d'une
    clé identique."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Case, When
    from django.db.models.functions import Coalesce

    from parcours.clauses.models import Positionnement

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
def _types_de_taches():
    """Les tâches humaines de tous les flux (filtre « type » des boîtes) : clé
    `<Flux>.<nœud>` -> (titre, nœud). Les nœuds automatiques n'arrivent jamais dans une boîte."""
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


class AccueilView(LoginRequiredMixin, generic.TemplateView):
    """Une page d'accueil par rôle : ce que l'utilisateur a à faire, puis ce qu'il pilote."""

    template_name = "workflows/accueil.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        p = acces.perimetre(user)
        context["roles"] = sorted(Role(r).label for r in p.roles)
        self.filtres = self._filtres(p)
        # Les délais des PLIE, lus une fois pour les deux boîtes.
        self.delais = section_delais.par_plie(self.filtres["plies"])
        context["filtres"] = self.filtres
        context["taches"], context["taches_en_plus"] = self._taches(
            workflows_access.mes_taches(user), "execute"
        )
        context["a_prendre"], context["a_prendre_en_plus"] = self._taches(
            workflows_access.taches_a_prendre(user), "assign"
        )
        context["taches_max"] = TACHES_MAX
        context["peut_prescrire"] = bool(p.plies(ROLES_PRESCRIPTION))
        context["alertes"] = compter_alertes(user)
        context["impacts"] = tableaux_d_impact(user)  # donneur d'ordre : son tableau d'impact
        if p.roles & acces.ROLES_REFERENT:
            context["portefeuille"] = self._portefeuille(user)
        plies = p.plies(acces.ROLES_PILOTAGE)
        if plies:
            context["plies"] = self._vue_plie(plies)
        return context

    def _filtres(self, p):
        """Filtres des boîtes de tâches : type de tâche, territoire, en retard."""
        get = self.request.GET
        types = [(cle, titre) for cle, (titre, _noeud) in _types_de_taches().items()]
        plies = set(p.roles_par_plie)
        territoires = list(Territoire.objects.filter(plie_id__in=plies).select_related("plie"))
        return {
            "type": get.get("type") if get.get("type") in dict(types) else "",
            "territoire": get.get("territoire", ""),
            "retard": get.get("retard") == "1",
            "types": types,
            "territoires": territoires,
            "plies": plies,
        }

    def _taches(self, queryset, action):
        """Les `TACHES_MAX` premières tâches avec le dossier qu'elles portent et leur échéance
        (sous-requêtes, pas de N+1), filtrées ; et s'il y en a d'autres (une ligne de plus lue,
        pas de `COUNT` sur toute la file)."""
        f = self.filtres
        parcours = Parcours.objects.filter(pk=OuterRef("process__artifact_object_id"))
        queryset = echeances.annoter(queryset, f["plies"], self.delais).annotate(
            dossier_id=dossier_du_processus(),
            participant_id=_selon_l_objet(parcours, "participant_id", None),
            participant_nom=_selon_l_objet(parcours, "participant__nom", "nom"),
            participant_prenom=_selon_l_objet(parcours, "participant__prenom", "prenom"),
            plie_nom=_selon_l_objet(parcours, "plie__nom", "plie"),
        )
        if f["type"]:
            queryset = queryset.filter(flow_task=_types_de_taches()[f["type"]][1])
        if (territoire := parametres.identifiant(f["territoire"])) is not None:
            queryset = queryset.filter(territoire_id=territoire)
        if f["retard"]:
            queryset = queryset.filter(echeance__lt=timezone.now())
        ordre = (F("echeance").asc(nulls_last=True), "created")
        taches = list(queryset.order_by(*ordre)[: TACHES_MAX + 1])
        en_plus = len(taches) > TACHES_MAX
        taches = taches[:TACHES_MAX]
        maintenant = timezone.now()
        for tache in taches:
            tache.url = tache.flow_task.reverse(action, args=[tache.process_id, tache.pk])
            tache.en_retard = tache.echeance is not None and tache.echeance < maintenant
        return taches, en_plus

    def _portefeuille(self, user):
        comptes = (
            acces.parcours_visibles(user)
            .filter(referent=user)
            .values("statut")
            .annotate(n=Count("id"))
        )
        par_statut = {c["statut"]: c["n"] for c in comptes}
        return {
            "file_active": sum(par_statut.get(s, 0) for s in STATUTS_FILE_ACTIVE),
            "par_statut": [
                (Statut(s).label, s, par_statut[s]) for s in Statut.values if s in par_statut
            ],
        }

    def _vue_plie(self, plie_ids):
        comptes = (
            Parcours.objects.filter(plie_id__in=plie_ids)
            .values("plie_id", "statut")
            .annotate(n=Count("id"))
        )
        par_plie: dict[int, dict[str, int]] = {}
        for c in comptes:
            par_plie.setdefault(c["plie_id"], {})[c["statut"]] = c["n"]
        charges = (
            Membership.objects.actives()
            .filter(structure__plie_id__in=plie_ids, role=Role.REFERENT)
            .values(
                "structure__plie_id",
                "user_id",
                "user__first_name",
                "user__last_name",
                "structure__nom",
                "etp",
            )
            .annotate(
                file_active=Count(
                    "user__parcours_suivis",
                    filter=Q(
                        user__parcours_suivis__statut__in=STATUTS_FILE_ACTIVE,
                        user__parcours_suivis__plie_id__in=plie_ids,
                    ),
                    distinct=True,
                )
            )
            .order_by("user__last_name")
        )
        plafonds = section_portefeuille.par_plie(plie_ids)
        vues = []
        for plie in PLIE.objects.filter(pk__in=plie_ids).order_by("nom"):
            ref = plafonds.get(plie.pk)
            plafond = ref.plafond_par_referent if ref else None
            referents = []
            for c in charges:
                if c["structure__plie_id"] != plie.pk:
                    continue
                cap = round(plafond * float(c["etp"])) if plafond else None
                referents.append(
                    {**c, "plafond": cap, "depasse": cap is not None and c["file_active"] > cap}
                )
            comptes_plie = par_plie.get(plie.pk, {})
            vues.append(
                {
                    "plie": plie,
                    "plafond": plafond,
                    "par_statut": [
                        (label, code, comptes_plie.get(code, 0)) for code, label in Statut.choices
                    ],
                    "total": sum(comptes_plie.values()),
                    "referents": referents,
                }
            )
        return vues
