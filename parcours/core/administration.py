"""Administrer un PLIE : ses structures, ses comptes et leurs adhésions.

Chaque service prend l'administrateur (`par`) et le PLIE administré, vérifie que l'objet touché
appartient à ce PLIE (sinon `HorsDuPLIE`, que les écrans traduisent en 404), et journalise
l'action (`TypeTrace.ADMINISTRATION` : qui, quand, quoi). Les droits d'instance (superutilisateur,
équipe, permissions globales) ne sont jamais posés ici : ils n'existent que pour l'instance.
"""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from parcours.core.enums import Role
from parcours.core.models import Membership, Structure, User
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer


class HorsDuPLIE(Exception):
    """L'objet n'appartient pas au PLIE administré (ou n'est pas administrable par lui)."""


def comptes_du_plie(plie_id: int, queryset=None):
    """Les comptes qui tiennent (ou ont tenu) une adhésion dans une structure de ce PLIE ; pas
    les comptes techniques des clés d'API (gérés avec leur clé : parcours/core/cles.py)."""
    queryset = User.objects.all() if queryset is None else queryset
    adhesions = Membership.objects.filter(user_id=OuterRef("pk"), structure__plie_id=plie_id)
    return queryset.filter(Exists(adhesions), cle_api__isnull=True)


def comptes_administrables(plie_id: int, queryset=None):
    """Les comptes dont l'administrateur du PLIE peut changer l'identité, l'activité ou le mot
    de passe : ceux de son PLIE **seulement** (aucune adhésion ailleurs) et sans droit d'instance.
    Sinon, réinitialiser le mot de passe d'un compte partagé ouvrirait l'autre PLIE."""
    ailleurs = Membership.objects.filter(user_id=OuterRef("pk")).exclude(structure__plie_id=plie_id)
    return (
        comptes_du_plie(plie_id, queryset)
        .filter(is_superuser=False, is_staff=False)
        .exclude(Exists(ailleurs))
    )


def _journal(par, plie, quoi, objet, detail=""):
    tracer(
        TypeTrace.ADMINISTRATION,
        user=par,
        plie=plie,
        objet_type=quoi,
        objet_id=objet.pk,
        detail=detail,
    )


def _verifier_structure(plie, structure):
    if structure.plie_id != plie.pk:
        raise HorsDuPLIE(f"La structure {structure.pk} n'appartient pas au PLIE {plie.code}.")


def _verifier_compte(plie, compte):
    if not comptes_administrables(plie.pk).filter(pk=compte.pk).exists():
        raise HorsDuPLIE(f"Le compte {compte.pk} n'est pas administrable par le PLIE {plie.code}.")


@transaction.atomic
def enregistrer_structure(par, plie, structure: Structure) -> Structure:
    """Crée ou modifie une structure du PLIE (formulaire déjà validé)."""
    creation = structure.pk is None
    if creation:
        structure.plie = plie
    _verifier_structure(plie, structure)
    if structure.territoire_id and structure.territoire.plie_id != plie.pk:
        raise HorsDuPLIE("Ce territoire n'appartient pas au PLIE.")
    structure.save()
    _journal(par, plie, "structure", structure, ("création" if creation else "modification"))
    return structure


@transaction.atomic
def creer_compte(par, plie, *, username, first_name, last_name, email, password, adhesion):
    """Un compte et sa première adhésion dans une structure du PLIE. `adhesion` : dict avec
    structure, role, debut, fin, etp. Le mot de passe passe par les validateurs de Django."""
    _verifier_structure(plie, adhesion["structure"])
    compte = User(username=username, first_name=first_name, last_name=last_name, email=email)
    validate_password(password, compte)
    compte.set_password(password)
    compte.save()
    Membership.objects.create(user=compte, **adhesion)
    _journal(par, plie, "compte", compte, f"création ({Role(adhesion['role']).label})")
    return compte


@transaction.atomic
def modifier_compte(par, plie, compte, *, first_name, last_name, email, is_active):
    _verifier_compte(plie, compte)
    compte.first_name, compte.last_name, compte.email = first_name, last_name, email
    compte.is_active = is_active
    compte.save(update_fields=["first_name", "last_name", "email", "is_active"])
    _journal(par, plie, "compte", compte, "modification" + ("" if is_active else " (désactivé)"))
    return compte


@transaction.atomic
def definir_mot_de_passe(par, plie, compte, password):
    _verifier_compte(plie, compte)
    validate_password(password, compte)
    compte.set_password(password)
    compte.save(update_fields=["password"])
    _journal(par, plie, "compte", compte, "nouveau mot de passe")


@transaction.atomic
def ajouter_adhesion(par, plie, compte, **adhesion) -> Membership:
    """Un rôle de plus dans une structure du PLIE, pour un compte qui y a déjà une adhésion (ou
    qu'il administre)."""
    _verifier_structure(plie, adhesion["structure"])
    if not comptes_du_plie(plie.pk).filter(pk=compte.pk).exists():
        raise HorsDuPLIE(f"Le compte {compte.pk} n'a pas d'adhésion dans le PLIE {plie.code}.")
    membership = Membership.objects.create(user=compte, **adhesion)
    role = membership.get_role_display()
    _journal(par, plie, "adhesion", membership, f"ajout ({role}) pour {compte}")
    return membership


@transaction.atomic
def terminer_adhesion(par, plie, membership, fin=None) -> Membership:
    _verifier_structure(plie, membership.structure)
    fin = fin or timezone.localdate()
    membership.fin = max(fin, membership.debut)
    membership.save(update_fields=["fin"])
    _journal(par, plie, "adhesion", membership, f"fin au {membership.fin:%d/%m/%Y}")
    return membership


def tracer_import_referentiel(par, plie, version):
    effet = version.date_effet
    effet = effet.strftime("%d/%m/%Y") if hasattr(effet, "strftime") else effet
    _journal(par, plie, "referentiel", version, f"import de la version du {effet}")


def est_verrouille(compte) -> bool:
    """Trop d'échecs de connexion récents (django-axes, docs/securite.md) depuis au moins un
    poste."""
    from axes.models import AccessAttempt
    from django.conf import settings

    return AccessAttempt.objects.filter(
        username=compte.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


@transaction.atomic
def debloquer_compte(par, plie, compte) -> int:
    """Efface les échecs de connexion du compte (tous postes) : il peut se reconnecter tout de
    suite. Possible pour tout compte du PLIE : débloquer ne donne aucun accès."""
    from axes.utils import reset

    if not comptes_du_plie(plie.pk).filter(pk=compte.pk).exists():
        raise HorsDuPLIE(f"Le compte {compte.pk} n'a pas d'adhésion dans le PLIE {plie.code}.")
    effaces = reset(username=compte.username)
    _journal(par, plie, "compte", compte, "connexion débloquée")
    return effaces
