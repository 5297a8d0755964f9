"""Les tableaux de bord (docs/tableaux_de_bord.md) : de l'utilisateur à ses `Filtres` de
périmètre, PLIE par PLIE.

- L'animation et la direction de la structure porteuse : tout le PLIE ;
- l'animation et la direction d'une structure non porteuse (un opérateur) : les parcours suivis
  par ses référents ;
- un référent (de parcours ou d'étape) : son propre portefeuille ;
- un financeur : les parcours des opérations FSE+ qu'il finance, en chiffres seulement (aucun
  nom, pas de filtre par référent ni par structure) ;
- les autres rôles : rien (404).
Quand un utilisateur tient plusieurs de ces rôles dans un PLIE, le plus large l'emporte. Un
filtre demandé hors du périmètre (territoire, structure, référent, opération d'un autre PLIE ou
hors de sa portée) lève `HorsPerimetre` (404 à l'écran) : jamais un élargissement."""

from dataclasses import dataclass

from parcours.acces.garde import droit
from parcours.core.enums import Role, TypeStructure
from parcours.core.models import PLIE, Membership, Structure, Territoire
from parcours.core.perimetre import actif, perimetre
from parcours.core.roles import ROLES_ANIMATION, ROLES_REFERENT
from parcours.reporting.indicateurs import Filtres

PLIE_ENTIER, STRUCTURE, REFERENT, FINANCEUR = "plie", "structure", "referent", "financeur"
ROLES_TABLEAUX_DE_BORD = frozenset({*ROLES_ANIMATION, *ROLES_REFERENT, Role.FINANCEUR})


class HorsPerimetre(Exception):
    """Un filtre demandé sort du périmètre de l'utilisateur (l'écran répond 404)."""


@dataclass(frozen=True)
class Choix:
    """Les valeurs qu'un utilisateur peut choisir dans les filtres : (id, libellé)."""

    territoires: tuple = ()
    structures: tuple = ()
    referents: tuple = ()
    operations: tuple = ()


@dataclass(frozen=True)
class PorteePilotage:
    """Ce qu'un utilisateur pilote dans un PLIE. `None` : pas de restriction sur ce critère."""

    plie: PLIE
    nature: str
    structures: frozenset[int] | None = None
    referents: frozenset[int] | None = None
    operations: frozenset[int] | None = None

    @property
    def nominatif(self) -> bool:
        """Le financeur ne lit que des agrégats : aucun nom de personne, même de référent."""
        return self.nature != FINANCEUR

    def choix(self) -> Choix:
        """Les listes des filtres, lues en quatre requêtes au plus."""
        territoires = tuple(
            Territoire.objects.filter(plie=self.plie).order_by("nom").values_list("pk", "nom")
        )
        if not self.nominatif:
            return Choix(territoires=territoires, operations=self._operations())
        if self.nature == REFERENT:
            return Choix(territoires=territoires, operations=self._operations())
        structures = Structure.objects.filter(plie=self.plie, memberships__role__in=ROLES_REFERENT)
        adhesions = Membership.objects.filter(
            structure__plie=self.plie, role__in=ROLES_REFERENT
        ).order_by("user__last_name", "user__first_name", "user_id")
        if self.structures is not None:
            structures = structures.filter(pk__in=self.structures)
            adhesions = adhesions.filter(structure_id__in=self.structures)
        referents = {}
        for pk, prenom, nom in adhesions.values_list(
            "user_id", "user__first_name", "user__last_name"
        ):
            referents.setdefault(pk, f"{prenom} {nom}".strip())
        return Choix(
            territoires=territoires,
            structures=tuple(structures.order_by("nom").distinct().values_list("pk", "nom")),
            referents=tuple(referents.items()),
            operations=self._operations(),
        )

    def _operations(self) -> tuple:
        from parcours.fse.models import OperationFse

        operations = OperationFse.objects.filter(plie=self.plie)
        if self.operations is not None:
            operations = operations.filter(pk__in=self.operations)
        return tuple(
            (pk, f"{numero} — {libelle}")
            for pk, numero, libelle in operations.order_by("numero").values_list(
                "pk", "numero", "libelle"
            )
        )

    def filtres(
        self,
        periode,
        choix: Choix,
        *,
        territoire=None,
        structure=None,
        referent=None,
        operation=None,
        public=None,
    ) -> Filtres:
        """Les `Filtres` du calcul : le périmètre, resserré par les filtres demandés, chacun
        vérifié contre `choix` (lu par `choix()`)."""

        def dans(valeur, liste):
            if valeur is not None and valeur not in {pk for pk, _ in liste}:
                raise HorsPerimetre
            return valeur

        dans(territoire, choix.territoires)
        return Filtres(
            plies=frozenset({self.plie.pk}),
            periode=periode,
            territoire=territoire,
            structures=_un(dans(structure, choix.structures)) or self.structures,
            referents=_un(dans(referent, choix.referents)) or self.referents,
            operations=_un(dans(operation, choix.operations)) or self.operations,
            public=public or None,
        )


def _un(valeur):
    return frozenset({valeur}) if valeur is not None else None


def _structures_d_animation(user) -> dict[int, list[tuple[int, str]]]:
    """{PLIE: [(structure, type)]} des adhésions d'animation ou de direction (une requête)."""
    p = perimetre(user)
    ids = set().union(*(p.structures(r) for r in ROLES_ANIMATION))
    resultat: dict[int, list] = {}
    if ids:
        for pk, plie_id, type_ in Structure.objects.filter(pk__in=ids).values_list(
            "pk", "plie_id", "type"
        ):
            resultat.setdefault(plie_id, []).append((pk, type_))
    return resultat


@droit
def voit_le_menu_pilotage(user) -> bool:
    return bool(perimetre(user).plies(ROLES_TABLEAUX_DE_BORD))


def plies_pilotes(user) -> list[PLIE]:
    """Les PLIE où l'utilisateur a un tableau de bord, par nom."""
    if not actif(user):
        return []
    plies = PLIE.objects.order_by("nom")
    if user.is_superuser:
        return list(plies)
    return list(plies.filter(pk__in=perimetre(user).plies(ROLES_TABLEAUX_DE_BORD)))


def portee_pilotage(user, plie: PLIE) -> PorteePilotage | None:
    """Ce que `user` pilote dans `plie` (le plus large de ses rôles), ou None (404)."""
    if not actif(user):
        return None
    if user.is_superuser:
        return PorteePilotage(plie, PLIE_ENTIER)
    p = perimetre(user)
    animees = _structures_d_animation(user).get(plie.pk, [])
    if any(type_ == TypeStructure.PORTEUR for _, type_ in animees):
        return PorteePilotage(plie, PLIE_ENTIER)
    if animees:
        return PorteePilotage(plie, STRUCTURE, structures=frozenset(pk for pk, _ in animees))
    if p.a_role(plie.pk, ROLES_REFERENT):
        return PorteePilotage(plie, REFERENT, referents=frozenset({user.pk}))
    if p.a_role(plie.pk, {Role.FINANCEUR}):
        from parcours.fse.models import OperationFse

        financees = OperationFse.objects.filter(
            plie=plie, financeurs__in=p.structures(Role.FINANCEUR)
        ).values_list("pk", flat=True)
        return PorteePilotage(plie, FINANCEUR, operations=frozenset(financees))
    return None
