"""La requête de la liste des participants : une ligne par personne, son dernier parcours visible,
les filtres et le tri (workflows/participants/filtres.py). La liste et son export la partagent :
l'export écrit exactement les lignes que la liste montre, dans le même ordre.

Qui voit tout un PLIE lit le marqueur « dernier parcours de la personne dans son PLIE »
(`Parcours.dernier_du_plie`, tenu par PostgreSQL) ; les autres partent de leurs parcours visibles
(`acces.parcours_visibles`) : le dernier de chaque personne (DISTINCT ON), puis la personne par
jointure ; pas de sous-requête corrélée par participant du pays (docs/PERFORMANCE.md).
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from viewflow.workflow.status import PROCESS

from parcours import acces
from parcours.accompagnement.models import Parcours
from parcours.participants.models import Participant, proximite, trigrammes_proches
from workflows.alertes.verification import processus_d_alerte
from workflows.pagination import Cle, ordre_des_cles
from workflows.participants.filtres import TOUTES_ALERTES, TRI_DEFAUT, TRIS, FiltresParticipants

COLONNES = (
    "statut",
    "date_entree",
    "participant__nom",
    "participant__prenom",
    "participant__date_naissance",
    "participant__commune_nom",
    "plie__nom",
    "referent__first_name",
    "referent__last_name",
)
# Colonnes de tri sans valeur nulle : triées sans `NULLS LAST`, l'index des derniers parcours les
# lit dans les deux sens (nom décroissant : à rebours).
JAMAIS_NULLES = {"nom_de_tri", "prenom_de_tri", "participant_id"}
# Au-delà de toute liste d'un PLIE : la borne ne retire rien, elle fixe le plan.
BARRIERE = 10**9


@dataclass
class Resultats:
    lignes: QuerySet  # des Parcours, avec `participant`, `plie`, `referent`, triés par `cles`
    approchee: bool  # la recherche exacte n'a rien trouvé : noms proches, du plus proche
    cles: list[Cle]  # le tri, pour la pagination par clé (la dernière est unique)
    # Les mêmes lignes à compter à part, quand la page se lit dans l'index sans les lire toutes
    # (`_dans_l_index`) ; sinon None : la page les compte en les lisant (`COUNT(*) OVER ()`).
    compte: QuerySet | None = None


def _recherche(
    visibles: QuerySet, filtres: FiltresParticipants, approchee: bool, plie=None
) -> QuerySet:
    """La saisie appliquée aux parcours visibles, par la clé de la personne : les numéros sans
    jointure, les noms proches par l'index de trigrammes seul (pas de parcours de la table des
    personnes) ; `plie` : le PLIE dont lire seuls les trigrammes (qui le voit tout entier)."""
    saisie = filtres.saisie
    if saisie.numeros:
        visibles = visibles.filter(participant_id__in=saisie.numeros)
    if saisie.dates:
        visibles = visibles.filter(participant__date_naissance__in=saisie.dates)
    if saisie.mots and approchee:
        visibles = visibles.filter(participant_id__in=trigrammes_proches(saisie.nom, plie))
    elif saisie.mots:
        visibles = visibles.filter(
            participant_id__in=Participant.objects.recherche(saisie.nom).values("pk")
        )
    return visibles


def _derniers_du_plie(plie_id) -> QuerySet:
    return Parcours.objects.filter(plie_id=plie_id, dernier_du_plie=True)


def _derniers(filtres: FiltresParticipants, approchee: bool, plie_entier) -> QuerySet:
    """Le dernier parcours visible de chaque personne. Qui voit tout un PLIE (pilotage) le lit
    au marqueur tenu à l'écriture (`Parcours.dernier_du_plie`, index partiel par état) : la page ne
    dépend plus du nombre de parcours du PLIE. Sinon, le dernier de ses parcours visibles
    (DISTINCT ON)."""
    if plie_entier is not None:
        # La saisie est appliquée dans la barrière (`_requete`), une seule fois.
        return _derniers_du_plie(plie_entier)
    visibles = acces.parcours_visibles(filtres.user)
    if filtres.saisie:
        visibles = _recherche(visibles, filtres, approchee)
    derniers = visibles.order_by("participant_id", "-date_prescription", "-id").distinct(
        "participant_id"
    )
    return Parcours.objects.filter(pk__in=derniers.values("pk"))


def _dans_l_index(filtres: FiltresParticipants, plie_entier) -> bool:
    """Tout un PLIE, sans saisie, par nom (le tri par défaut, croissant ou décroissant) : la page
    se lit dans l'index (PLIE, état, nom, prénom, personne) des derniers parcours, dans un sens
    ou à rebours, et s'arrête à sa dernière ligne, au lieu de lire et trier tous les dossiers du
    PLIE (docs/PERFORMANCE.md). Pas avec un filtre sur la personne (commune) : la page sonderait
    les personnes du PLIE une à une dans l'ordre du nom, puis le compte à part les relirait
    toutes ; ni avec le filtre d'alerte : le compte à part hacherait les alertes ouvertes du pays
    (24–28 ms à 100 000), là où le chemin de la barrière sonde l'alerte de chaque ligne retenue."""
    return (
        plie_entier is not None
        and not filtres.saisie
        and not filtres.commune
        and not filtres.alerte
        and filtres.tri in ("", TRI_DEFAUT)
    )


def _requete(filtres: FiltresParticipants, approchee: bool, plie_entier=None) -> QuerySet:
    return _en_page(_filtrees(filtres, approchee, plie_entier), _cles(filtres, approchee))


def _en_page(filtrees: QuerySet, cles: list[Cle]) -> QuerySet:
    """Les lignes retenues avec leurs colonnes affichées, dans l'ordre des clés."""
    qs = filtrees.select_related("participant", "plie", "referent").only(*COLONNES)
    return qs.order_by(*ordre_des_cles(cles))


def _filtrees(filtres: FiltresParticipants, approchee: bool, plie_entier) -> QuerySet:
    """Les derniers parcours retenus par les filtres, sans ordre ni colonnes choisies."""
    qs = _derniers(filtres, approchee, plie_entier)
    if filtres.statut:
        qs = qs.filter(statut=filtres.statut)
    if filtres.referent:
        qs = qs.filter(referent_id=filtres.referent)
    if filtres.structure:
        qs = qs.filter(
            Q(structure_referente_id=filtres.structure)
            | Q(structure_prescriptrice_id=filtres.structure)
        )
    if filtres.territoire:
        qs = qs.filter(territoire_id=filtres.territoire)
    if filtres.commune:
        qs = qs.filter(participant__commune_nom__icontains=filtres.commune)
    if filtres.entree_du:
        qs = qs.filter(date_entree__gte=filtres.entree_du)
    if filtres.entree_au:
        qs = qs.filter(date_entree__lte=filtres.entree_au)
    if plie_entier is not None and not _dans_l_index(filtres, plie_entier):
        # Barrière : les lignes retenues d'abord (index partiel), puis triées. Sans elle,
        # PostgreSQL croit que `LIMIT` arrête `COUNT(*) OVER ()` et parcourt les personnes du
        # pays dans l'ordre du nom (424 000 tampons, docs/PERFORMANCE.md) ; une sous-requête
        # bornée (`LIMIT`) n'est pas remontée dans la requête de la page. La saisie n'est que
        # dans la barrière : ses sous-requêtes (trigrammes) ne sont pas calculées deux fois.
        # Les trigrammes du seul PLIE (index PLIE, trigramme, personne), pas ceux du pays.
        retenues = _recherche(qs, filtres, approchee, plie_entier) if filtres.saisie else qs
        qs = qs.filter(pk__in=retenues.order_by().values("pk")[:BARRIERE])
    if filtres.alerte:
        # Après la barrière, pour qui voit tout un PLIE : dedans, PostgreSQL hachait les alertes
        # ouvertes de tout le pays (66 000 sur la grande base, 14 ms) ; ici, une sonde d'index
        # par ligne retenue du PLIE (docs/PERFORMANCE.md, banc au repos du 7 décembre).
        qs = _avec_alerte(qs, filtres)
    return qs


def _avec_alerte(qs: QuerySet, filtres: FiltresParticipants) -> QuerySet:
    """Les parcours qui ont une alerte ouverte (du type choisi, ou de tout type)."""
    ouvertes = processus_d_alerte().filter(status=PROCESS.NEW, artifact_object_id=OuterRef("pk"))
    if filtres.alerte != TOUTES_ALERTES:
        ouvertes = ouvertes.filter(data__type=filtres.alerte)
    return qs.filter(Exists(ouvertes))


def _cles(filtres: FiltresParticipants, approchee: bool) -> list[Cle]:
    """Le tri de la liste, la personne en dernier (une ligne par personne : clé unique)."""
    if approchee and not filtres.tri:
        # Du plus proche au moins proche, puis par nom.
        return [
            Cle(proximite(filtres.saisie.nom), descendant=True),
            *(Cle(F(c)) for c in TRIS[TRI_DEFAUT]),
            Cle(F("participant_id")),
        ]
    descendant = filtres.descendant
    champs = TRIS[filtres.tri or TRI_DEFAUT]
    return [
        *(Cle(F(c), descendant, jamais_nulle=c in JAMAIS_NULLES) for c in champs),
        Cle(F("participant_id"), descendant, jamais_nulle=True),
    ]


def resultats(filtres: FiltresParticipants) -> Resultats:
    """Les lignes de la liste ; si des mots du nom ne trouvent personne exactement, les noms
    proches (une requête de plus : `exists`)."""
    plie_entier = acces.plie_entier_visible(filtres.user)
    filtrees, cles = _filtrees(filtres, False, plie_entier), _cles(filtres, False)
    lignes = _en_page(filtrees, cles)
    if filtres.saisie.mots and not lignes.exists():
        proches = _cles(filtres, True)
        return Resultats(_en_page(_filtrees(filtres, True, plie_entier), proches), True, proches)
    # Les mêmes lignes retenues, comptées à part (le queryset n'est pas modifié par la page).
    compte = filtrees if _dans_l_index(filtres, plie_entier) else None
    return Resultats(lignes, False, cles, compte)
