"""L'accueil : les boîtes de tâches (« Mes tâches », « À prendre ») avec leurs filtres et leur
résumé (workflows/accueil/boites.py), le portefeuille du référent et la vue du PLIE pour le
pilotage."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.views import generic

from parcours import acces
from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut
from parcours.accompagnement.models import Parcours
from parcours.core import parametres
from parcours.core.enums import Role
from parcours.core.models import PLIE, Membership, Territoire
from parcours.core.roles import ROLES_PRESCRIPTION
from parcours.referentiel.noyau import contenus_en_vigueur
from parcours.referentiel.sections import delais as section_delais
from parcours.referentiel.sections import portefeuille as section_portefeuille
from parcours.reporting.indicateurs import file_active
from workflows import access as workflows_access
from workflows.accueil import boites
from workflows.alertes import compter_alertes
from workflows.clauses.accueil import tableaux_d_impact

# Les pages rappelées à qui ne reçoit pas de tâches : (titre du menu, prédicat du menu).
PAGES_HORS_TACHES = (
    ("Participants", "voit_le_menu_participants"),
    ("Commissions", "voit_le_menu_commissions"),
    ("Clauses sociales", "voit_le_menu_clauses"),
    ("Entreprises", "voit_le_menu_entreprises"),
)

# Une boîte montre ses premières tâches (échéance la plus proche) ; les filtres trouvent le reste.
TACHES_MAX = 50


class AccueilView(LoginRequiredMixin, generic.TemplateView):
    """Une page d'accueil par rôle : ce que l'utilisateur a à faire, puis ce qu'il pilote."""

    template_name = "workflows/accueil.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        p = acces.perimetre(user)
        context["roles"] = sorted(Role(r).label for r in p.roles)
        self.filtres = self._filtres(p)
        # Le référentiel de chaque PLIE, lu une fois : délais des deux boîtes, plafonds.
        self.contenus = contenus_en_vigueur(self.filtres["plies"])
        self.delais = section_delais.par_plie(self.filtres["plies"], contenus=self.contenus)
        context["filtres"] = self.filtres
        mes_taches = self._boite(workflows_access.mes_taches(user))
        context["resume"] = boites.resume(mes_taches)
        context["groupes"], context["nb_taches"], context["taches_en_plus"] = self._lire(
            mes_taches, "execute"
        )
        context["groupes_a_prendre"], context["nb_a_prendre"], context["a_prendre_en_plus"] = (
            self._lire(self._boite(workflows_access.taches_a_prendre(user)), "assign")
        )
        context["taches"] = [t for g in context["groupes"] for t in g.taches]
        context["a_prendre"] = [t for g in context["groupes_a_prendre"] for t in g.taches]
        if not self.filtres["types"]:
            context["pages"], context["contacts"] = self._sans_taches(p)
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
        """Filtres des boîtes de tâches : type de tâche (ceux que ses rôles reçoivent),
        territoire, échéance. Une valeur inconnue est ignorée et l'écran le dit."""
        get = self.request.GET
        types = boites.types_de_taches(p, self.request.user.is_superuser)
        plies = set(p.roles_par_plie)
        territoires = list(Territoire.objects.filter(plie_id__in=plies).select_related("plie"))
        quand = get.get("quand", "") or ("retard" if get.get("retard") == "1" else "")
        ignores = []
        type_ = get.get("type", "")
        if type_ and type_ not in dict(types):
            ignores.append("ce type de tâche ne vous est jamais adressé")
            type_ = ""
        territoire = get.get("territoire", "")
        if territoire and parametres.identifiant(territoire) not in {t.pk for t in territoires}:
            ignores.append("territoire inconnu")
            territoire = ""
        if quand and quand not in boites.QUAND:
            ignores.append("échéance inconnue")
            quand = ""
        return {
            "type": type_,
            "territoire": territoire,
            "quand": quand,
            "retard": quand == "retard",
            "actifs": bool(type_ or territoire or quand),
            "ignores": ignores,
            "types": types,
            "periodes": list(boites.QUAND.items()),
            "territoires": territoires,
            "plies": plies,
        }

    def _boite(self, queryset):
        """Une boîte annotée (dossier, échéance) et filtrée par type et territoire."""
        f = self.filtres
        queryset = boites.annoter(queryset, f["plies"], self.delais)
        if f["type"]:
            queryset = queryset.filter(flow_task=boites.tous_les_types()[f["type"]][1])
        if f["territoire"]:
            queryset = queryset.filter(territoire_id=parametres.identifiant(f["territoire"]))
        return queryset

    def _lire(self, queryset, action):
        """Les `TACHES_MAX` premières tâches, filtrées par échéance, regroupées par personne."""
        queryset = boites.filtrer_par_echeance(queryset, self.filtres["quand"])
        return boites.lire_boite(queryset, action, TACHES_MAX)

    def _sans_taches(self, p):
        """Pour un rôle qui ne reçoit pas de tâches (financeur…) : les pages qu'il peut ouvrir
        (nommées : le menu en porte les liens) et l'équipe d'animation de ses PLIE (liens de
        courriel), au lieu d'une boîte et d'un filtre vides."""
        user = self.request.user
        pages = [titre for titre, predicat in PAGES_HORS_TACHES if getattr(acces, predicat)(user)]
        contacts = (
            Membership.objects.actives()
            .filter(structure__plie_id__in=set(p.roles_par_plie), role=Role.ANIMATEUR)
            .values("user__first_name", "user__last_name", "user__email", "structure__plie__nom")
            .order_by("structure__plie__nom", "user__last_name")[:10]
        )
        return pages, list(contacts)

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
        # La file active et son plafond : définis une fois avec les indicateurs.
        charges = file_active.charges_des_referents(plie_ids)
        plafonds = section_portefeuille.par_plie(plie_ids, contenus=self.contenus)
        vues = []
        for plie in PLIE.objects.filter(pk__in=plie_ids).order_by("nom"):
            ref = plafonds.get(plie.pk)
            plafond = ref.plafond_par_referent if ref else None
            referents = []
            for c in charges:
                if c["structure__plie_id"] != plie.pk:
                    continue
                cap = file_active.plafond(plafond, c["etp"])
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
