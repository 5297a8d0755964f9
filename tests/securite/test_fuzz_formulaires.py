"""Données hostiles dans chaque formulaire de l'application : jamais d'erreur 500.

Les adresses viennent de la liste des URL (`get_resolver()` de `config.urls`, sans /admin/) ;
leurs identifiants sont pris dans la démo (`charger_demo`, `demo_flux`, `demo_suivi`), parmi les
objets que le compte voit. Pour chaque compte de démonstration de l'Agenais et chaque adresse :
GET, puis pour chaque formulaire de la page (lu dans le HTML, champs cachés et boutons compris),
des soumissions hostiles (tests/securite/fuzz.py : saut de ligne et NUL, formule de tableur,
100 000 caractères, mois `0000-01`, dates en l'an 1 et 9998, identifiants « abc », nombres
négatifs ou démesurés, `<script>`) ; les pages de liste reçoivent aussi des filtres hostiles.

La démo est chargée une fois pour le module (transaction annulée à la fin ; échantillons des
contrôles FSE+ réduits, voir sonde.py) ; chaque requête est annulée à son tour (point de
sauvegarde) : la démo reste la même d'une requête à l'autre. Les pages de gestion et de détail
des processus viewflow ne sont pas visées ici (voir ACTIONS_VIEWFLOW_EXCLUES).
"""

from urllib.parse import urlencode

import pytest
from django.db.models import Case, When
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from viewflow.workflow.status import STATUS

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Etape, Parcours, ParticipationFse
from parcours.clauses.models import Lot
from parcours.commissions.models import InscriptionSession
from parcours.core.models import PLIE, CleApi, Membership, Structure, User
from parcours.emploi.models import Contrat
from parcours.reprise.models import TravailReprise
from tests.securite.sonde import Sonde, demo_du_fuzz, page_html, pdf_deja_mis_en_page
from workflows import access as flux
from workflows.extractions.catalogue import EXTRACTIONS

COMPTES = [
    "animateur",
    "referent",
    "prescripteur",
    "facilitateur",
    "cre",
    "commission",
    "admin",
    "direction",
]
# Objets essayés par adresse et par compte (leurs formulaires changent avec leur état) ; un
# formulaire déjà vu sur la même adresse n'est pas assailli de nouveau.
PAR_ADRESSE = 2
STATUTS_PREFERES = [Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU, Statut.EN_EMPLOI, Statut.ADMIS]
# Filtres en query string essayés sur chaque page sans identifiant.
PARAMETRES_HOSTILES = [
    {
        "mois": "0000-01",
        "debut": "0000-01",
        "fin": "9999-99",
        "annee": "abc",
        "page": "abc",
        "plie": "<script>",
        "territoire": "abc",
        "q": "\x00",
        "statut": "abc",
        "type": "abc",
        "donneur_ordre": "abc",
        "operation": "abc",
        "marche": "abc",
        "rubrique": "abc",
        "periode": "abc",
    },
    {
        "mois": "2026-1\x00",
        "debut": "abc",
        "annee": "99999999999999999999",
        "page": "-1",
        "plie": "²",
        "territoire": "²",
        "q": "x" * 100_000,
        "donneur_ordre": "99999999999999999999",
        "operation": "²",
        "marche": "-1",
        "mes_besoins": "1",
        "retard": "1",
    },
]
# Pages de viewflow que ce test ne vise pas : les actions de gestion des processus (annuler,
# défaire, relancer), réservées aux superutilisateurs (tests/workflows/test_urls_taches.py).
ACTIONS_VIEWFLOW_EXCLUES = {"cancel", "undo", "revive"}
# Prendre et rendre une tâche : un POST sans champ, qui redirige vers la page de la tâche.
ACTIONS_SANS_FORMULAIRE = {"assign", "unassign"}
# URL dont l'argument n'est pas un objet : ses valeurs possibles.
ARGUMENTS_FIXES = {
    "participants:export": [{"format": "csv"}, {"format": "xlsx"}],
    # Chaque écran d'extraction (ses filtres sont un formulaire) ; un fichier de chaque format.
    "extractions:extraction": [{"nom": nom} for nom in EXTRACTIONS],
    "extractions:export": [{"nom": "etapes", "format": "csv"}, {"nom": "offres", "format": "xlsx"}],
    # Un dépôt de reprise n'existe que le temps d'un aperçu : un jeton inconnu, ou illisible.
    **{
        f"administration:{nom}": [
            {"plie": "agenais", "jeton": "inconnu"},
            {"plie": "agenais", "jeton": "x" * 300},
        ]
        for nom in ("reprise_depot", "reprise_confirmer", "reprise_rapport")
    },
}


def _visibles_par_parcours(modele):
    return lambda user: modele.objects.filter(parcours__in=acces.parcours_visibles(user))


# Pour chaque URL à identifiants : les objets que l'utilisateur voit, et leurs arguments.
def _dossier_controle(controle):
    return {"pk": controle.pk, "ppk": controle.participations.order_by("pk").first().pk}


OBJETS = {
    "participants:detail": (acces.participants_visibles, lambda o: {"pk": o.pk}),
    "fse:operation": (acces.operations_fse_visibles, lambda o: {"pk": o.pk}),
    "fse:operation_modifier": (acces.operations_fse_visibles, lambda o: {"pk": o.pk}),
    "fse:export": (acces.operations_fse_visibles, lambda o: {"pk": o.pk}),
    "fse:coordonnees": (_visibles_par_parcours(ParticipationFse), lambda o: {"pk": o.pk}),
    "fse:questionnaire": (_visibles_par_parcours(ParticipationFse), lambda o: {"pk": o.pk}),
    "fse:controle_creer": (acces.operations_fse_nominatives, lambda o: {"pk": o.pk}),
    "fse:controle": (acces.controles_visibles, lambda o: {"pk": o.pk}),
    "fse:controle_ouvrir": (acces.controles_visibles, lambda o: {"pk": o.pk}),
    "fse:controle_zip": (acces.controles_visibles, lambda o: {"pk": o.pk}),
    "fse:controle_dossier": (acces.controles_visibles, _dossier_controle),
    "fse:controle_dossier_zip": (acces.controles_visibles, _dossier_controle),
    "fse:controle_retirer": (
        acces.controles_visibles,
        lambda o: {"pk": o.pk, "apk": o.acces.order_by("pk").first().pk},
    ),
    "participants:dossier": (acces.parcours_visibles, lambda o: {"pk": o.pk}),
    "commissions:detail": (acces.sessions_visibles, lambda o: {"pk": o.pk}),
    "commissions:cloturer": (acces.sessions_visibles, lambda o: {"pk": o.pk}),
    "commissions:annuler": (acces.sessions_visibles, lambda o: {"pk": o.pk}),
    "commissions:retirer": (
        lambda user: InscriptionSession.objects.filter(session__in=acces.sessions_visibles(user)),
        lambda o: {"pk": o.session_id, "parcours": o.parcours_id},
    ),
    "clauses:besoin": (acces.besoins_visibles, lambda o: {"pk": o.pk}),
    "clauses:besoin_diffuser": (acces.besoins_visibles, lambda o: {"pk": o.pk}),
    "clauses:besoin_clore": (acces.besoins_visibles, lambda o: {"pk": o.pk}),
    "clauses:besoin_proposer": (acces.besoins_visibles, lambda o: {"pk": o.pk}),
    "clauses:candidature": (acces.positionnements_visibles, lambda o: {"pk": o.pk}),
    "clauses:donneur_ordre": (acces.donneurs_ordre_visibles, lambda o: {"pk": o.pk}),
    "clauses:donneur_ordre_modifier": (acces.donneurs_ordre_visibles, lambda o: {"pk": o.pk}),
    "clauses:operation": (acces.operations_visibles, lambda o: {"pk": o.pk}),
    "clauses:operation_modifier": (acces.operations_visibles, lambda o: {"pk": o.pk}),
    "clauses:marche": (acces.marches_visibles, lambda o: {"pk": o.pk}),
    "clauses:marche_modifier": (acces.marches_visibles, lambda o: {"pk": o.pk}),
    "clauses:lot_creer": (acces.marches_visibles, lambda o: {"marche_pk": o.pk}),
    "clauses:lot_modifier": (
        lambda user: Lot.objects.filter(marche__in=acces.marches_visibles(user)),
        lambda o: {"pk": o.pk},
    ),
    "clauses:heures_saisie": (acces.marches_visibles, lambda o: {"pk": o.pk}),
    "clauses:impact": (acces.donneurs_ordre_visibles, lambda o: {"pk": o.pk}),
    "clauses:impact_xlsx": (acces.donneurs_ordre_visibles, lambda o: {"pk": o.pk}),
    "clauses:impact_pdf": (acces.donneurs_ordre_visibles, lambda o: {"pk": o.pk}),
    "entreprises:detail": (acces.entreprises_visibles, lambda o: {"pk": o.pk}),
    "entreprises:modifier": (acces.entreprises_visibles, lambda o: {"pk": o.pk}),
    "entreprises:offre": (acces.offres_visibles, lambda o: {"pk": o.pk}),
    "entreprises:candidats": (acces.offres_visibles, lambda o: {"pk": o.pk}),
    "entreprises:mise": (acces.mises_en_relation_visibles, lambda o: {"pk": o.pk}),
    "entreprises:evenement": (acces.evenements_visibles, lambda o: {"pk": o.pk}),
    "suivi:etapes": (acces.parcours_visibles, lambda o: {"pk": o.pk}),
    "suivi:etape": (
        _visibles_par_parcours(Etape),
        lambda o: {"pk": o.parcours_id, "etape_pk": o.pk},
    ),
    "suivi:entretiens": (acces.parcours_visibles, lambda o: {"pk": o.pk}),
    "suivi:entretien_nouveau": (acces.parcours_visibles, lambda o: {"pk": o.pk}),
    "suivi:suspension": (acces.parcours_visibles, lambda o: {"pk": o.pk}),
    "suivi:referent": (acces.parcours_visibles, lambda o: {"pk": o.pk}),
    "suivi:lever_delegation": (acces.delegations_visibles, lambda o: {"pk": o.pk}),
    "emploi:contrats": (acces.parcours_visibles, lambda o: {"parcours_pk": o.pk}),
    "emploi:contrat": (
        _visibles_par_parcours(Contrat),
        lambda o: {"parcours_pk": o.parcours_id, "pk": o.pk},
    ),
    "emploi:proposer_sortie": (acces.parcours_visibles, lambda o: {"parcours_pk": o.pk}),
    "emploi:donnees_sortie": (acces.parcours_visibles, lambda o: {"parcours_pk": o.pk}),
    "participants:droit_acces": (
        acces.participants_visibles,
        lambda o: {"pk": o.pk, "format": "json"},
    ),
    "documents:telecharger": (
        acces.parcours_visibles,
        lambda o: {"type_document": "cv", "pk": o.prescription.pk},
    ),
}


def _plies_administres(user):
    return PLIE.objects.filter(pk__in=acces.plies_administres(user))


def _adhesions_administrees(user):
    return Membership.objects.filter(
        structure__plie_id__in=acces.plies_administres(user)
    ).select_related("structure__plie")


for _nom in (
    "plie",
    "structures",
    "structure_creer",
    "comptes",
    "compte_creer",
    "referentiel",
    "reprise",
):
    OBJETS[f"administration:{_nom}"] = (_plies_administres, lambda o: {"plie": o.code})
for _nom in ("referentiel_confirmer",):
    OBJETS[f"administration:{_nom}"] = (_plies_administres, lambda o: {"plie": o.code})
OBJETS["administration:structure"] = (
    lambda user: Structure.objects.filter(plie_id__in=acces.plies_administres(user)),
    lambda o: {"plie": o.plie.code, "pk": o.pk},
)
for _nom in ("compte", "mot_de_passe", "debloquer", "adhesion_creer"):
    OBJETS[f"administration:{_nom}"] = (
        _adhesions_administrees,
        lambda o: {"plie": o.structure.plie.code, "pk": o.user_id},
    )
for _nom in ("cles", "cle_creer"):
    OBJETS[f"administration:{_nom}"] = (_plies_administres, lambda o: {"plie": o.code})
# Les reprises en tâche de fond des PLIE administrés (la démo n'en a pas : liste vide).
for _nom in ("reprise_travail", "reprise_travail_rapport"):
    OBJETS[f"administration:{_nom}"] = (
        lambda user: TravailReprise.objects.filter(plie_id__in=acces.plies_administres(user)),
        lambda o: {"plie": o.plie.code, "pk": o.pk},
    )
for _nom in ("cle", "cle_revoquer"):
    OBJETS[f"administration:{_nom}"] = (
        lambda user: CleApi.objects.filter(structure__plie_id__in=acces.plies_administres(user)),
        lambda o: {"plie": o.structure.plie.code, "pk": o.pk},
    )


# Les tableaux de bord (docs/tableaux_de_bord.md) : les PLIE pilotés, un indicateur par format.
def _plies_pilotes(user):
    return PLIE.objects.filter(pk__in=[p.pk for p in acces.plies_pilotes(user)])


OBJETS["pilotage:tableau"] = (_plies_pilotes, lambda o: {"plie": o.pk})
OBJETS["pilotage:export"] = (
    _plies_pilotes,
    lambda o: {"plie": o.pk, "code": "entrees_par_mois", "format": "xlsx"},
)
# L'API des partenaires (docs/api.md), par la session : les mêmes objets que les écrans.
OBJETS["api:prescription"] = (acces.parcours_visibles, lambda o: {"pk": o.pk})
OBJETS["api:participant"] = (acces.participants_visibles, lambda o: {"pk": o.pk})
for _nom in ("parcours", "etapes", "entretiens", "contrats"):
    OBJETS[f"api:{_nom}"] = (acces.parcours_visibles, lambda o: {"pk": o.pk})
OBJETS["administration:adhesion_terminer"] = (
    _adhesions_administrees,
    lambda o: {"plie": o.structure.plie.code, "pk": o.pk},
)


def _processus_du_flux(flow_class):
    return lambda user: flux.processus_visibles(user).filter(flow_class=flow_class)


def _ajouter_processus():
    from config.site import site

    for viewset in site.viewsets:
        flow_class = getattr(viewset, "_flow_class", None)
        if flow_class is not None:
            OBJETS[f"{viewset.app_name}:process_detail"] = (
                _processus_du_flux(flow_class),
                lambda o: {"process_pk": o.pk},
            )


_ajouter_processus()


def adresses():
    """(nom, motif, arguments attendus) de chaque URL hors /admin/."""

    def parcourir(resolver, prefixe, espace):
        for motif in resolver.url_patterns:
            if isinstance(motif, URLResolver):
                sous_espace = f"{espace}{motif.namespace}:" if motif.namespace else espace
                yield from parcourir(motif, prefixe + str(motif.pattern), sous_espace)
            elif isinstance(motif, URLPattern) and motif.name:
                yield espace + motif.name, prefixe + str(motif.pattern), motif.pattern.converters

    return [
        (nom, motif, set(convertisseurs))
        for nom, motif, convertisseurs in parcourir(get_resolver(), "", "")
        if not motif.startswith("admin/")
    ]


def noeud_viewflow(nom):
    """`entree:verifier_recevabilite:execute` → (flux, nœud, action) ; None sinon."""
    from config.site import site

    morceaux = nom.split(":")
    if len(morceaux) != 3:
        return None
    for viewset in site.viewsets:
        flow_class = getattr(viewset, "_flow_class", None)  # FlowAppViewset
        if flow_class is not None and viewset.app_name == morceaux[0]:
            noeud = getattr(flow_class, morceaux[1], None)
            return (flow_class, noeud, morceaux[2]) if noeud is not None else None
    return None


class Arguments:
    """Les jeux d'arguments essayés pour chaque adresse et un compte ; les objets et les tâches
    visibles sont lus une fois par compte (pas une requête d'accès par adresse)."""

    def __init__(self, user):
        self.user = user
        self.objets = {}
        self.taches = list(
            flux.taches_visibles(user)
            .order_by("-pk")
            .values("pk", "process_id", "flow_task", "owner_id", "status")
        )

    def _objets(self, visibles):
        if visibles not in self.objets:
            qs = visibles(self.user)
            if qs.model is Parcours:
                # Les dossiers dont les écrans portent le plus de formulaires d'abord.
                rang = Case(
                    *(When(statut=statut, then=i) for i, statut in enumerate(STATUTS_PREFERES)),
                    default=len(STATUTS_PREFERES),
                )
                qs = qs.order_by(rang, "-pk")
            else:
                qs = qs.order_by("-pk")
            self.objets[visibles] = list(qs[:PAR_ADRESSE])
        return self.objets[visibles]

    def __call__(self, nom, convertisseurs):
        """[{}] sans argument ; [] : aucun objet de la démo pour ce compte."""
        if not convertisseurs:
            return [{}]
        if nom in ARGUMENTS_FIXES:
            return ARGUMENTS_FIXES[nom]
        if nom in OBJETS:
            visibles, args = OBJETS[nom]
            return [args(o) for o in self._objets(visibles)]
        trouve = noeud_viewflow(nom)
        if trouve is None:
            raise AssertionError(f"URL à identifiants sans objets de démo dans le test : {nom}")
        _, noeud, action = trouve
        a_moi = action in ("execute", "unassign")
        for t in self.taches:
            if t["flow_task"] != noeud:
                continue
            if a_moi and (t["owner_id"], t["status"]) != (self.user.pk, STATUS.ASSIGNED):
                continue
            if action == "assign" and t["status"] != STATUS.NEW:
                continue
            # Une tâche par nœud : ses pages ne changent pas d'un dossier à l'autre.
            return [{"process_pk": t["process_id"], "task_pk": t["pk"]}]
        return []


demo = demo_du_fuzz()


def prendre_une_tache_par_noeud(user):
    """Les tâches de la file du compte : une par nœud lui est assignée, pour que ses écrans
    d'exécution soient essayés aussi."""
    vus = set()
    for tache in flux.taches_a_prendre(user).order_by("pk"):
        if tache.flow_task in vus:
            continue
        vus.add(tache.flow_task)
        with tache.flow_task.flow_class.lock(tache.process_id):
            tache.refresh_from_db()
            tache.flow_task.activation_class(tache).assign(user)


def utilisateur(compte):
    return User.objects.get(username=f"{compte}.agenais")


# Les comptes sont répartis sur deux modules (celui-ci et test_fuzz_formulaires_suite.py) :
# pytest-xdist distribue par fichier, les deux moitiés tournent sur les deux cœurs.
PREMIERS_COMPTES = COMPTES[:4]


@pytest.mark.parametrize("compte", PREMIERS_COMPTES)
def test_aucune_donnee_hostile_ne_provoque_d_erreur_500(demo, db, compte):
    assaillir_le_compte(compte)


def assaillir_le_compte(compte):
    with pdf_deja_mis_en_page([utilisateur(c) for c in COMPTES]):
        _assaillir_le_compte(compte, utilisateur(compte))


def _assaillir_le_compte(compte, user):
    prendre_une_tache_par_noeud(user)
    sonde = Sonde(user)
    arguments = Arguments(user)
    couvertes = set()
    for nom, _, convertisseurs in adresses():
        trouve = noeud_viewflow(nom)
        if trouve is not None and trouve[2] in ACTIONS_VIEWFLOW_EXCLUES:
            continue
        if nom == "logout":
            continue
        for kwargs in arguments(nom, convertisseurs):
            url = reverse(nom, kwargs=kwargs)
            if trouve is not None and trouve[2] in ACTIONS_SANS_FORMULAIRE:
                sonde.envoyer("post", url)
                reponse = None
            else:
                reponse = sonde.assaillir(url, nom)
            statut = getattr(reponse, "status_code", None)
            if not kwargs and statut == 200:  # les filtres d'une page que le compte voit
                for parametres in PARAMETRES_HOSTILES:
                    sonde.envoyer("get", url + "?" + urlencode(parametres))
            couvertes.add(nom)
            # Un fichier ou du JSON (export, archive, API) n'a pas de formulaire : le second
            # objet de l'adresse (choisi pour ses formulaires, voir PAR_ADRESSE) n'apporte rien.
            if nom in OBJETS and statut == 200 and not page_html(reponse):
                break
    print(
        f"\n{compte} : {len(couvertes)} adresses, {sonde.compte['formulaires']} formulaires "
        f"sur {len(sonde.adresses_postees)} adresses, {sonde.compte['get']} GET, "
        f"{sonde.compte['post']} POST, {sonde.compte['doublons']} doublons évités"
    )
    assert not sonde.erreurs, "\n".join(sonde.erreurs)
    # Le test a bien trouvé des pages et des formulaires à assaillir pour ce compte.
    # Un membre de commission ne reçoit aucune tâche : son accueil n'a pas de filtre de boîte.
    minimum = 2 if compte == "commission" else 3
    assert len(couvertes) > 50 and sonde.compte["formulaires"] >= minimum


def test_identifiants_d_adresse_hors_des_cles(demo, db):
    """Un identifiant dans l'adresse (`<int:pk>`) que la base ne peut pas contenir, ou nul :
    chaque adresse de l'application, et une par action pour les nœuds viewflow (même vue)."""
    sonde = Sonde(utilisateur("animateur"))
    actions_vues = set()
    for nom, _, convertisseurs in adresses():
        trouve = noeud_viewflow(nom)
        if not convertisseurs or (trouve is not None and trouve[2] in actions_vues):
            continue
        if trouve is not None:
            actions_vues.add(trouve[2])
        for valeur in (10**20, 0):
            url = reverse(nom, kwargs=dict.fromkeys(convertisseurs, valeur))
            sonde.envoyer("get", url)
            sonde.envoyer("post", url)
    print(sorted(sonde.adresses_postees))
    assert not sonde.erreurs, "\n".join(sonde.erreurs)
    assert sonde.compte["get"] > 80
