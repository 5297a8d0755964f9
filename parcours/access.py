"""La politique d'accès : qui voit quels parcours et participants, qui peut agir sur eux.

Une seule source de vérité. Les listes, fiches, recherches, exports et tâches filtrent par
`parcours_visibles` / `participants_visibles` ; les contrôles objet (`user.has_perm(..., obj)`,
`peut_voir`, `peut_effectuer`) reposent sur le même prédicat. Un dossier hors périmètre répond
404 : son existence n'est pas révélée.

Périmètre dérivé des adhésions actives (Membership) :
- animateur, direction, admin : tout le PLIE ;
- membre de commission : les dossiers inscrits à l'ordre du jour d'une session non clôturée où il
  siège (membre ou président) — voir `filtre_dossiers_de_mes_sessions` et docs/commissions.md ;
- référent (et référent d'étape) : sa file active, dans les PLIE où il est référent ;
- prescripteur : les prescriptions de sa structure ;
- CRE : les parcours de son PLIE en emploi (suivi dans l'emploi : `STATUTS_SUIVI_EMPLOI`,
  docs/emploi.md), et les parcours ouverts proposés sur une offre de
  son PLIE (`filtre_dossiers_mis_en_relation`, docs/entreprises.md) ;
- facilitateur, financeur, donneur d'ordre : rien par défaut ;
et, pour tous, les droits explicites accordés par django-guardian (intérim, partage de dossier).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from parcours.accompagnement.models import (
    Parcours,
    ParcoursGroupObjectPermission,
    ParcoursUserObjectPermission,
)
from parcours.core.enums import Role
from parcours.core.models import Membership, Structure

ROLES_PILOTAGE = frozenset({Role.ANIMATEUR, Role.DIRECTION, Role.ADMIN})
ROLES_REFERENT = frozenset({Role.REFERENT, Role.REFERENT_ETAPE})
# Le ou la CRE suit dans l'emploi les personnes de son PLIE (docs/emploi.md) : il n'y a pas de
# CRE par parcours, les tâches de suivi sont une file partagée par les CRE du PLIE.
STATUTS_SUIVI_EMPLOI = ("en_emploi",)


@dataclass(frozen=True)
class Perimetre:
    """Les adhésions actives d'un utilisateur, résumées : (PLIE, rôle) et (structure, rôle)."""

    roles_par_plie: dict[int, frozenset[str]] = field(default_factory=dict)
    structures_par_role: dict[str, frozenset[int]] = field(default_factory=dict)

    def plies(self, roles) -> set[int]:
        return {plie for plie, tenus in self.roles_par_plie.items() if tenus & set(roles)}

    def structures(self, role) -> frozenset[int]:
        return self.structures_par_role.get(role, frozenset())

    def a_role(self, plie_id: int, roles) -> bool:
        return bool(self.roles_par_plie.get(plie_id, frozenset()) & set(roles))

    @property
    def roles(self) -> set[str]:
        return set().union(*self.roles_par_plie.values()) if self.roles_par_plie else set()


def perimetre(user) -> Perimetre:
    """Calculé une fois par requête (mis en cache sur l'objet utilisateur)."""
    if not getattr(user, "is_authenticated", False):
        return Perimetre()
    cache = getattr(user, "_perimetre_plie", None)
    if cache is not None:
        return cache
    roles_par_plie: dict[int, set[str]] = {}
    structures_par_role: dict[str, set[int]] = {}
    for role, structure_id, plie_id in (
        Membership.objects.actives()
        .filter(user=user)
        .values_list("role", "structure_id", "structure__plie_id")
    ):
        roles_par_plie.setdefault(plie_id, set()).add(role)
        structures_par_role.setdefault(role, set()).add(structure_id)
    resultat = Perimetre(
        {plie: frozenset(r) for plie, r in roles_par_plie.items()},
        {role: frozenset(s) for role, s in structures_par_role.items()},
    )
    user._perimetre_plie = resultat
    return resultat


def _droits_explicites(user, codename: str) -> Q:
    par_utilisateur = ParcoursUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=codename, content_object_id=OuterRef("pk")
    )
    par_groupe = ParcoursGroupObjectPermission.objects.filter(
        group__user=user.pk, permission__codename=codename, content_object_id=OuterRef("pk")
    )
    return Q(Exists(par_utilisateur)) | Q(Exists(par_groupe))


def filtre_parcours_visibles(user) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    p = perimetre(user)
    condition = Q(plie_id__in=p.plies(ROLES_PILOTAGE))
    condition |= filtre_dossiers_de_mes_sessions(user)
    condition |= Q(referent_id=user.pk, plie_id__in=p.plies(ROLES_REFERENT))
    condition |= Q(structure_prescriptrice_id__in=p.structures(Role.PRESCRIPTEUR))
    condition |= Q(plie_id__in=p.plies({Role.CRE}), statut__in=STATUTS_SUIVI_EMPLOI)
    condition |= filtre_dossiers_mis_en_relation(user)
    return condition | _droits_explicites(user, "view_parcours")


def parcours_visibles(user, queryset=None):
    queryset = Parcours.objects.all() if queryset is None else queryset
    return queryset.filter(filtre_parcours_visibles(user))


def participants_visibles(user, queryset=None):
    from parcours.participants.models import Participant

    queryset = Participant.objects.all() if queryset is None else queryset
    if getattr(user, "is_superuser", False) and user.is_active:
        return queryset
    visibles = parcours_visibles(user).filter(participant_id=OuterRef("pk"))
    return queryset.filter(Exists(visibles))


def peut_voir(user, obj) -> bool:
    """Contrôle objet : le même prédicat que les listes, appliqué à un seul dossier."""
    from parcours.participants.models import Participant

    if isinstance(obj, Parcours):
        return parcours_visibles(user).filter(pk=obj.pk).exists()
    if isinstance(obj, Participant):
        return participants_visibles(user).filter(pk=obj.pk).exists()
    return False


def peut_effectuer(user, parcours: Parcours, roles) -> bool:
    """L'utilisateur tient l'un des `roles` pour ce parcours précis, et le voit."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    p = perimetre(user)
    roles = set(roles)
    if p.a_role(parcours.plie_id, roles & ROLES_PILOTAGE):
        return True
    if Role.COMMISSION in roles and siege_pour_le_dossier(user, parcours):
        return True
    if p.a_role(parcours.plie_id, roles & ROLES_REFERENT) and (
        parcours.referent_id == user.pk or user.has_perm("accompagnement.change_parcours", parcours)
    ):
        return True
    if Role.PRESCRIPTEUR in roles and parcours.structure_prescriptrice_id in p.structures(
        Role.PRESCRIPTEUR
    ):
        return True
    if Role.CRE in roles and p.a_role(parcours.plie_id, {Role.CRE}):
        return user.has_perm("accompagnement.view_parcours", parcours)
    return False


def structure_de_referent(user, plie_id: int) -> Structure | None:
    """La structure où `user` est référent actif dans ce PLIE (la première, s'il en a plusieurs)."""
    membership = (
        Membership.objects.actives()
        .filter(user=user, role__in=ROLES_REFERENT, structure__plie_id=plie_id)
        .select_related("structure")
        .order_by("structure__nom")
        .first()
    )
    return membership.structure if membership else None


# — Commissions : qui gère les sessions, qui y siège, ce que voient ceux qui y siègent —

# Planifier, composer les sessions, en envoyer l'ordre du jour : l'équipe d'animation, la direction.
ROLES_GESTION_SESSIONS = frozenset({Role.ANIMATEUR, Role.DIRECTION})
# Peut être nommé membre ou président d'une session (il lui faut l'une de ces adhésions actives).
ROLES_SIEGE = frozenset({Role.COMMISSION, Role.ANIMATEUR, Role.DIRECTION})


def peut_gerer_les_sessions(user, plie_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or perimetre(user).a_role(plie_id, ROLES_GESTION_SESSIONS)


def peut_sieger(user, plie_id: int) -> bool:
    """Tient une adhésion active qui permet de siéger en commission dans ce PLIE."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perimetre(user).a_role(plie_id, ROLES_SIEGE)


def siege_a_la_session(user, session) -> bool:
    """Président ou membre de cette session, et toujours en fonction dans son PLIE."""
    if not peut_sieger(user, session.plie_id):
        return False
    return session.president_id == user.pk or session.membres.filter(pk=user.pk).exists()


def sessions_visibles(user, queryset=None):
    """Les séances qu'un utilisateur voit : celles des PLIE dont il gère les séances, et celles où
    il siège tant qu'il peut siéger dans leur PLIE — le même prédicat que
    `peut_gerer_les_sessions` ou `siege_a_la_session`, en une requête."""
    from parcours.commissions.models import SessionCommission

    queryset = SessionCommission.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    p = perimetre(user)
    comme_membre = SessionCommission.membres.through.objects.filter(user_id=user.pk).values(
        "sessioncommission_id"
    )
    siege = (Q(president_id=user.pk) | Q(pk__in=comme_membre)) & Q(plie_id__in=p.plies(ROLES_SIEGE))
    return queryset.filter(Q(plie_id__in=p.plies(ROLES_GESTION_SESSIONS)) | siege)


def peut_decider_en_session(user, session) -> bool:
    """Enregistrer une décision : un membre ou le président de la session, ou l'animation."""
    return peut_gerer_les_sessions(user, session.plie_id) or siege_a_la_session(user, session)


def _sessions_ouvertes_ou_siege(user, plies):
    from parcours.commissions.models import SessionCommission

    comme_membre = SessionCommission.membres.through.objects.filter(user_id=user.pk).values(
        "sessioncommission_id"
    )
    return (
        SessionCommission.objects.ouvertes()
        .filter(plie_id__in=plies)
        .filter(Q(president_id=user.pk) | Q(pk__in=comme_membre))
        .values("pk")
    )


def filtre_dossiers_de_mes_sessions(user) -> Q:
    """Les parcours inscrits à l'ordre du jour d'une session non clôturée où `user` siège
    (membre ou président), dans les PLIE où il est membre de commission. Une seule sous-requête
    `Exists` ; à la clôture de la session, ses dossiers sortent de ce périmètre."""
    from parcours.commissions.models import InscriptionSession

    plies = perimetre(user).plies({Role.COMMISSION})
    if not plies:
        return Q(pk__in=[])
    inscrits = InscriptionSession.objects.filter(
        parcours_id=OuterRef("pk"), session_id__in=_sessions_ouvertes_ou_siege(user, plies)
    )
    return Q(Exists(inscrits))


def siege_pour_le_dossier(user, parcours: Parcours) -> bool:
    """Le même prédicat que `filtre_dossiers_de_mes_sessions`, pour un seul dossier."""
    from parcours.commissions.models import InscriptionSession

    if not perimetre(user).a_role(parcours.plie_id, {Role.COMMISSION}):
        return False
    return InscriptionSession.objects.filter(
        parcours_id=parcours.pk,
        session_id__in=_sessions_ouvertes_ou_siege(user, {parcours.plie_id}),
    ).exists()


# — Relations entreprises (CRE) : entreprises, offres, mises en relation, événements —

# Le réseau d'entreprises d'un PLIE : le CRE, l'animation, la direction ; le facilitateur aussi
# (guichet unique des entreprises attributaires de clauses).
ROLES_ENTREPRISES = frozenset(
    {Role.CRE, Role.ANIMATEUR, Role.DIRECTION, Role.FACILITATEUR, Role.ADMIN}
)


def _actif(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def entreprises_visibles(user, queryset=None):
    """Les entreprises des PLIE où l'utilisateur tient un rôle de `ROLES_ENTREPRISES`."""
    from parcours.entreprises.models import Entreprise

    queryset = Entreprise.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(plie_id__in=perimetre(user).plies(ROLES_ENTREPRISES))


def peut_gerer_entreprises(user, plie_id: int) -> bool:
    """Créer ou modifier une entreprise du PLIE, y noter un contact : le même prédicat."""
    if not _actif(user):
        return False
    return user.is_superuser or perimetre(user).a_role(plie_id, ROLES_ENTREPRISES)


# — Portefeuilles : changement de référent, intérim (docs/accompagnement.md) —

# Réaffecter des dossiers (un seul ou tout un portefeuille), organiser un intérim.
ROLES_GESTION_PORTEFEUILLES = frozenset({Role.ANIMATEUR, Role.DIRECTION})


def peut_gerer_portefeuilles(user, plie_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or perimetre(user).a_role(plie_id, ROLES_GESTION_PORTEFEUILLES)


def delegations_visibles(user, queryset=None):
    """Les intérims des PLIE dont l'utilisateur gère les portefeuilles, et ceux où il est
    titulaire ou suppléant."""
    from parcours.accompagnement.models import Delegation

    queryset = Delegation.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    plies = perimetre(user).plies(ROLES_GESTION_PORTEFEUILLES)
    return queryset.filter(Q(plie_id__in=plies) | Q(titulaire=user) | Q(suppleant=user))


# — Clauses sociales d'insertion : marchés, besoins, candidatures (docs/clauses.md) —

# Gèrent les clauses (marchés, besoins, candidatures, vérification d'éligibilité, positionnement) :
# le facilitateur du PLIE (002:L547 : guichet unique des entreprises).
ROLES_FACILITATION = frozenset({Role.FACILITATEUR, Role.ADMIN})
# Lisent tout ce qui concerne les clauses de leur PLIE, sans agir : l'animation, la direction.
ROLES_LECTURE_CLAUSES = ROLES_FACILITATION | {Role.ANIMATEUR, Role.DIRECTION}
# Proposent des candidats sur les besoins ouverts (opportunités diffusées : 001:L4343).
ROLES_PROPOSITION = frozenset({Role.REFERENT, Role.PRESCRIPTEUR})


def peut_faciliter(user, plie_id: int) -> bool:
    """Créer ou modifier donneurs d'ordre, opérations, marchés, besoins ; vérifier l'éligibilité,
    positionner, enregistrer la décision de l'entreprise et l'embauche, saisir des heures."""
    if not _actif(user):
        return False
    return user.is_superuser or perimetre(user).a_role(plie_id, ROLES_FACILITATION)


def _plies_clauses(user) -> set[int]:
    return perimetre(user).plies(ROLES_LECTURE_CLAUSES)


def voit_les_clauses(user) -> bool:
    """Ouvre les listes de donneurs d'ordre, opérations et marchés (filtrées ensuite) : le
    facilitateur, l'animation, la direction, un compte de donneur d'ordre."""
    if not _actif(user):
        return False
    roles = perimetre(user).roles
    return user.is_superuser or bool(roles & (ROLES_LECTURE_CLAUSES | {Role.DONNEUR_ORDRE}))


def voit_les_besoins(user) -> bool:
    """Ouvre les besoins (opportunités) et les candidatures (filtrées ensuite) : facilitateur,
    animation, direction, référents et prescripteurs."""
    if not _actif(user):
        return False
    roles = perimetre(user).roles
    return user.is_superuser or bool(
        roles & (ROLES_LECTURE_CLAUSES | ROLES_PROPOSITION | ROLES_REFERENT)
    )


def operations_du_donneur_ordre(user, queryset=None):
    """Les opérations des donneurs d'ordre rattachés à une structure où l'utilisateur tient le
    rôle `donneur_ordre` : ce qu'un compte de donneur d'ordre lit (bilans d'heures)."""
    from parcours.clauses.models import Operation

    queryset = Operation.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    structures = perimetre(user).structures(Role.DONNEUR_ORDRE)
    return queryset.filter(donneur_ordre__structure_id__in=structures)


def _filtre_operations(user, prefixe="") -> Q:
    """Q sur une opération (ou un objet qui y mène par `prefixe`) : PLIE de lecture des clauses,
    ou opération d'un donneur d'ordre rattaché à la structure de l'utilisateur."""
    p = perimetre(user)
    return Q(**{f"{prefixe}donneur_ordre__plie_id__in": _plies_clauses(user)}) | Q(
        **{f"{prefixe}donneur_ordre__structure_id__in": p.structures(Role.DONNEUR_ORDRE)}
    )


def operations_visibles(user, queryset=None):
    """Les opérations qu'on lit (fiches, bilans d'heures par opération) : celles des PLIE où l'on
    gère ou pilote les clauses, et pour un donneur d'ordre, les siennes seulement."""
    from parcours.clauses.models import Operation

    queryset = Operation.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(_filtre_operations(user))


def donneurs_ordre_visibles(user, queryset=None):
    """Les donneurs d'ordre des PLIE où l'on gère ou pilote les clauses ; un compte de donneur
    d'ordre voit le sien."""
    from parcours.clauses.models import DonneurOrdre

    queryset = DonneurOrdre.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(
        Q(plie_id__in=_plies_clauses(user))
        | Q(structure_id__in=perimetre(user).structures(Role.DONNEUR_ORDRE))
    )


def marches_visibles(user, queryset=None):
    """Les marchés des PLIE où l'on gère ou pilote les clauses ; pour un donneur d'ordre, ceux de
    ses opérations (sans leurs besoins ni leurs candidats : `besoins_visibles`)."""
    from parcours.clauses.models import Marche

    queryset = Marche.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(_filtre_operations(user, "operation__"))


def besoins_visibles(user, queryset=None):
    """Les besoins (postes à pourvoir) : tous ceux du PLIE pour le facilitateur et le pilotage ;
    pour les référents et prescripteurs du PLIE, les besoins ouverts (opportunités) et ceux où
    ils ont proposé quelqu'un."""
    from parcours.clauses.enums import StatutBesoin
    from parcours.clauses.models import Besoin, Positionnement

    queryset = Besoin.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    p = perimetre(user)
    proposants = p.plies(ROLES_PROPOSITION)
    mes_propositions = Positionnement.objects.filter(
        besoin_id=OuterRef("pk"), propose_par_id=user.pk
    )
    return queryset.filter(
        Q(marche__plie_id__in=_plies_clauses(user))
        | Q(marche__plie_id__in=proposants, statut=StatutBesoin.OUVERT)
        | (Q(marche__plie_id__in=proposants) & Q(Exists(mes_propositions)))
    )


def positionnements_visibles(user, queryset=None):
    """Les candidatures : toutes celles du PLIE pour le facilitateur et le pilotage ; pour un
    référent, celles de ses participants (sa file active) ; pour un prescripteur, celles que sa
    structure a proposées ; pour chacun, celles qu'il a proposées."""
    from parcours.clauses.models import Positionnement

    queryset = Positionnement.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    p = perimetre(user)
    proposants = p.plies(ROLES_PROPOSITION)
    suivis = Parcours.objects.filter(
        participant_id=OuterRef("participant_id"),
        plie_id=OuterRef("besoin__marche__plie_id"),
        referent_id=user.pk,
        plie_id__in=p.plies(ROLES_REFERENT),
    )
    return queryset.filter(
        Q(besoin__marche__plie_id__in=_plies_clauses(user))
        | Q(besoin__marche__plie_id__in=proposants, propose_par_id=user.pk)
        | Q(
            besoin__marche__plie_id__in=proposants,
            structure_proposante_id__in=p.structures(Role.PRESCRIPTEUR),
        )
        | Q(Exists(suivis))
    )


def candidats_externes_visibles(user, queryset=None):
    """Les candidats externes : tous ceux du PLIE pour le facilitateur et le pilotage ; ceux qu'on
    a enregistrés ou que sa structure prescriptrice a proposés, pour les autres."""
    from parcours.clauses.models import CandidatExterne

    queryset = CandidatExterne.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    p = perimetre(user)
    proposants = p.plies(ROLES_PROPOSITION)
    return queryset.filter(
        Q(plie_id__in=_plies_clauses(user))
        | Q(plie_id__in=proposants, created_by_id=user.pk)
        | Q(plie_id__in=proposants, structure_id__in=p.structures(Role.PRESCRIPTEUR))
    )


def peut_proposer(user, plie_id: int) -> bool:
    """Proposer une candidature sur un besoin du PLIE : référent (ses participants), prescripteur
    (ses personnes), facilitateur (candidats externes reçus directement)."""
    if not _actif(user):
        return False
    return user.is_superuser or perimetre(user).a_role(
        plie_id, ROLES_PROPOSITION | ROLES_FACILITATION
    )


def participants_proposables(user, plie_id: int, queryset=None):
    """Les participants qu'un utilisateur peut proposer sur une clause de ce PLIE : ceux de sa
    file active (référent) ou qu'il a prescrits (prescripteur), avec un parcours ouvert dans ce
    PLIE. Le facilitateur ne propose pas de participant : leur référent le fait."""
    from parcours.participants.models import Participant

    queryset = Participant.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    p = perimetre(user)
    condition = Q(pk__in=[])
    if p.a_role(plie_id, ROLES_REFERENT):
        condition |= Q(referent_id=user.pk)
    if p.a_role(plie_id, {Role.PRESCRIPTEUR}):
        condition |= Q(structure_prescriptrice_id__in=p.structures(Role.PRESCRIPTEUR))
    ouverts = Parcours.objects.ouverts().filter(
        condition, plie_id=plie_id, participant_id=OuterRef("pk")
    )
    return queryset.filter(Exists(ouverts))


# — Commission de sortie —


def peut_inscrire_en_commission(user, parcours) -> bool:
    """Inscrire un dossier à l'ordre du jour : l'animation et la direction du PLIE ; et, pour une
    sortie qu'il vient de proposer, le référent du parcours (le dossier va à la prochaine
    commission de sortie sans attendre l'animation : docs/emploi.md)."""
    if peut_gerer_les_sessions(user, parcours.plie_id):
        return True
    return parcours.statut == "sortie_proposee" and peut_effectuer(user, parcours, ROLES_REFERENT)


# Les écrans de l'emploi et de la sortie (contrats, qualification, proposition, données FSE+) :
# ceux qui suivent ou décident le parcours ; pas le prescripteur (docs/emploi.md).
ROLES_EMPLOI = frozenset(
    {
        Role.REFERENT,
        Role.REFERENT_ETAPE,
        Role.ANIMATEUR,
        Role.DIRECTION,
        Role.ADMIN,
        Role.CRE,
        Role.COMMISSION,
    }
)


def peut_voir_emploi(user, parcours) -> bool:
    return peut_effectuer(user, parcours, ROLES_EMPLOI)


# Les offres d'emploi et les événements : le CRE, l'animation, la direction du PLIE les gèrent ;
# les référents du PLIE voient les offres diffusées (et les événements, où ils orientent).
ROLES_OFFRES = frozenset({Role.CRE, Role.ANIMATEUR, Role.DIRECTION, Role.ADMIN})


def peut_gerer_offres(user, plie_id: int) -> bool:
    if not _actif(user):
        return False
    return user.is_superuser or perimetre(user).a_role(plie_id, ROLES_OFFRES)


def offres_visibles(user, queryset=None):
    """Toutes les offres des PLIE gérés (ROLES_OFFRES) ; pour un référent, celles de son PLIE
    qui ont été diffusées (au moins une trace de diffusion)."""
    from parcours.entreprises.models import DiffusionOffre, OffreEmploi

    queryset = OffreEmploi.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    p = perimetre(user)
    diffusee = Exists(DiffusionOffre.objects.filter(offre_id=OuterRef("pk")))
    return queryset.filter(
        Q(plie_id__in=p.plies(ROLES_OFFRES)) | (Q(plie_id__in=p.plies(ROLES_REFERENT)) & diffusee)
    )


def peut_voir_offre(user, offre) -> bool:
    return offres_visibles(user).filter(pk=offre.pk).exists()


def mises_en_relation_visibles(user, queryset=None):
    """Le CRE du PLIE de l'offre ; le référent (ou son intérimaire) qui voit le parcours."""
    from parcours.entreprises.models import MiseEnRelation

    queryset = MiseEnRelation.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    p = perimetre(user)
    comme_referent = Q(offre__plie_id__in=p.plies(ROLES_REFERENT)) & Q(
        parcours_id__in=parcours_visibles(user).values("pk")
    )
    return queryset.filter(Q(offre__plie_id__in=p.plies({Role.CRE, Role.ADMIN})) | comme_referent)


def peut_suivre_mise_en_relation(user, mise) -> bool:
    """Faire avancer une mise en relation (entretien, réponse, embauche) : le même prédicat."""
    if mise.pk is None:
        return False
    return mises_en_relation_visibles(user).filter(pk=mise.pk).exists()


def peut_proposer_candidat(user, offre, parcours) -> bool:
    """Proposer une personne sur une offre ouverte : le CRE du PLIE ou un référent qui voit
    l'offre ; dans les deux cas, la personne doit lui être visible (données personnelles)."""
    if not _actif(user) or parcours.plie_id != offre.plie_id:
        return False
    p = perimetre(user)
    if not (user.is_superuser or p.a_role(offre.plie_id, {Role.CRE, *ROLES_REFERENT})):
        return False
    return peut_voir_offre(user, offre) and peut_voir(user, parcours)


def filtre_dossiers_mis_en_relation(user) -> Q:
    """Pour le CRE : les parcours ouverts proposés sur une offre de son PLIE (« les personnes
    positionnées avec lui »)."""
    from parcours.accompagnement.enums import STATUTS_CLOS
    from parcours.entreprises.models import MiseEnRelation

    plies = perimetre(user).plies({Role.CRE})
    if not plies:
        return Q(pk__in=[])
    positionnes = MiseEnRelation.objects.filter(
        parcours_id=OuterRef("pk"), offre__plie_id__in=plies
    )
    return Q(Exists(positionnes)) & ~Q(statut__in=[s.value for s in STATUTS_CLOS])


def evenements_visibles(user, queryset=None):
    from parcours.entreprises.models import Evenement

    queryset = Evenement.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(plie_id__in=perimetre(user).plies(ROLES_OFFRES | ROLES_REFERENT))


# — Dossier du parcours : qui en voit le suivi (docs/dossier.md) —

# Le suivi (entretiens, étapes, documents, données FSE+, tâches, alertes) : ceux qui accompagnent
# le parcours ou le pilotent, les membres de commission qui l'examinent, le CRE qui suit l'emploi.
# Le prescripteur voit sa prescription et son issue (DOMAIN §1), pas le suivi.
ROLES_SUIVI_DOSSIER = frozenset({*ROLES_PILOTAGE, *ROLES_REFERENT, Role.COMMISSION, Role.CRE})


def voit_le_suivi(user, parcours: Parcours) -> bool:
    """Le dossier complet d'un parcours visible ; sinon, l'entrée et son issue seulement."""
    return peut_effectuer(user, parcours, ROLES_SUIVI_DOSSIER)


# — Menu de gauche : les applications que l'utilisateur peut utiliser (config/menu.py) —
# Le menu ne fait que masquer : chaque page applique de toute façon la politique d'accès (404).

# Ceux dont le périmètre par défaut contient des dossiers (financeur, donneur d'ordre,
# facilitateur : rien par défaut, voir l'en-tête de ce module).
ROLES_MENU_PARTICIPANTS = frozenset(
    {*ROLES_PILOTAGE, *ROLES_REFERENT, Role.PRESCRIPTEUR, Role.COMMISSION, Role.CRE}
)


def _voit_avec_roles(user, roles) -> bool:
    if not _actif(user):
        return False
    return user.is_superuser or bool(perimetre(user).plies(roles))


def voit_le_menu_accueil(user) -> bool:
    return _actif(user)


def voit_le_menu_participants(user) -> bool:
    return _voit_avec_roles(user, ROLES_MENU_PARTICIPANTS)


def voit_le_menu_commissions(user) -> bool:
    """Les séances qu'il gère ou où il peut siéger (`sessions_visibles`)."""
    return _voit_avec_roles(user, ROLES_GESTION_SESSIONS | ROLES_SIEGE)


def voit_le_menu_clauses(user) -> bool:
    return voit_les_clauses(user) or voit_les_besoins(user)


def voit_le_menu_entreprises(user) -> bool:
    """Le réseau d'entreprises (`ROLES_ENTREPRISES`) ; les référents, pour les offres diffusées."""
    return _voit_avec_roles(user, ROLES_ENTREPRISES | ROLES_REFERENT)


def voit_le_menu_portefeuilles(user) -> bool:
    """La page des portefeuilles : l'animation et la direction (`peut_gerer_portefeuilles`)."""
    return _voit_avec_roles(user, ROLES_GESTION_PORTEFEUILLES)


# — Administration du PLIE (docs/architecture.md : l'admin Django est réservé à l'instance) —

# Structures, comptes, adhésions, référentiel d'un PLIE : son administrateur, jamais au-delà.
ROLES_ADMINISTRATION = frozenset({Role.ADMIN})


def plies_administres(user) -> set[int]:
    if not _actif(user):
        return set()
    if user.is_superuser:
        from parcours.core.models import PLIE

        return set(PLIE.objects.values_list("pk", flat=True))
    return perimetre(user).plies(ROLES_ADMINISTRATION)


def peut_administrer(user, plie_id: int) -> bool:
    if not _actif(user):
        return False
    return user.is_superuser or perimetre(user).a_role(plie_id, ROLES_ADMINISTRATION)


def voit_le_menu_administration(user) -> bool:
    return _actif(user) and (user.is_superuser or bool(plies_administres(user)))


# — Journal des accès et droits des personnes (RGPD, docs/rgpd.md) —

# Le journal d'un PLIE et l'export « droit d'accès » : l'administrateur et la direction du PLIE,
# qui répondent des traitements (le journal nomme les collègues : pas l'équipe d'animation).
ROLES_JOURNAL = frozenset({Role.ADMIN, Role.DIRECTION})
# Traces de compte (connexion, refus…) : sans PLIE, on les rattache aux adhésions de leur auteur.
TYPES_TRACE_COMPTE = ("connexion", "echec_connexion", "verrouillage", "deconnexion", "refus")


def voit_le_journal(user) -> bool:
    return _voit_avec_roles(user, ROLES_JOURNAL)


def traces_visibles(user, queryset=None):
    """Toutes les traces des PLIE où l'on tient un rôle de `ROLES_JOURNAL`, plus les traces de
    compte (sans PLIE) des utilisateurs qui y ont une adhésion active, ou dont l'identifiant
    saisi est le leur (échec de connexion d'un compte inconnu du serveur : aucun PLIE)."""
    from parcours.tracabilite.models import Trace

    queryset = Trace.objects.all() if queryset is None else queryset
    if not _actif(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    plies = perimetre(user).plies(ROLES_JOURNAL)
    if not plies:
        return queryset.none()
    membres = Membership.objects.actives().filter(structure__plie_id__in=plies)
    de_compte = Q(plie__isnull=True, type__in=TYPES_TRACE_COMPTE) & (
        Q(user_id__in=membres.values("user_id"))
        | Q(user__isnull=True, identifiant__in=membres.values("user__username"))
    )
    return queryset.filter(Q(plie_id__in=plies) | de_compte)


def voit_les_consultations(user, parcours: Parcours) -> bool:
    """« Qui a consulté ce dossier » : le référent du parcours (ou son intérimaire) et le
    pilotage du PLIE."""
    return peut_effectuer(user, parcours, ROLES_PILOTAGE | ROLES_REFERENT)


def peut_exporter_droit_acces(user, plie_id: int) -> bool:
    """Répondre à une demande de droit d'accès : exporter tout ce que le PLIE détient sur une
    personne (les mêmes que le journal : l'export en contient les consultations)."""
    if not _actif(user):
        return False
    return user.is_superuser or perimetre(user).a_role(plie_id, ROLES_JOURNAL)
