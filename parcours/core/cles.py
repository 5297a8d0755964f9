"""Les clés d'API des partenaires (docs/api.md) : créer, révoquer, reconnaître un jeton, noter
son usage, journaliser chaque écriture faite avec elle.

Une clé agit par un compte technique qui lui est propre : sans mot de passe utilisable, il tient
le rôle de la clé dans sa structure (une adhésion qui finit à l'expiration de la clé). La
politique d'accès le traite donc comme n'importe quel compte de la structure : mêmes listes,
mêmes 404 hors du périmètre, sans code à part pour l'API. Révoquer la clé désactive ce compte et
termine son adhésion.

Le jeton montré une seule fois s'écrit `plie_<préfixe>_<secret>` : le préfixe (public, affiché
dans l'administration) retrouve la clé par un index ; seule l'empreinte SHA-256 du jeton entier
est gardée, comparée en temps constant.
"""

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from parcours.core.enums import DroitCle, Role
from parcours.core.models import CleApi, EcritureApi, Membership, User
from parcours.core.validators import sur_une_ligne
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer

# Les rôles qu'une clé peut tenir : ceux des partenaires, jamais un rôle qui voit tout le PLIE
# (animation, direction, administration) ni un rôle de personne (référent, commission).
ROLES_CLE = (Role.PRESCRIPTEUR, Role.CRE, Role.FACILITATEUR, Role.DONNEUR_ORDRE)
DUREE_MAX = datetime.timedelta(days=2 * 366)
# La dernière utilisation est réécrite au plus une fois par minute (une écriture par appel
# sinon).
RAFRAICHISSEMENT_UTILISATION = datetime.timedelta(minutes=1)
ENTETE_JETON = "plie_"


class CleInvalide(ValueError):
    """Une demande de création refusée ; `champ` nomme le champ en cause."""

    def __init__(self, champ: str, message: str):
        self.champ = champ
        super().__init__(message)


class CleRefusee(Exception):
    """Le jeton présenté n'ouvre rien (inconnu, révoqué, expiré) ; le message le dit."""


def empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


def _verifier(par, plie, structure, role, droits, nom, expire_le) -> None:
    if not par.has_perm("core.administrer", plie):
        raise CleInvalide("structure", "Vous n'administrez pas ce PLIE.")
    if structure is None or structure.plie_id != plie.pk:
        raise CleInvalide("structure", "Choisissez une structure de ce PLIE.")
    if role not in ROLES_CLE:
        raise CleInvalide("role", "Une clé tient le rôle d'un partenaire : " + _roles_cle() + ".")
    if not droits or set(droits) - set(DroitCle.values):
        raise CleInvalide("droits", "Choisissez au moins un droit parmi ceux proposés.")
    if not sur_une_ligne(nom or "").strip():
        raise CleInvalide("nom", "Donnez un nom à la clé (le partenaire, l'outil).")
    aujourdhui = timezone.localdate()
    if expire_le is None or expire_le <= aujourdhui or expire_le > aujourdhui + DUREE_MAX:
        raise CleInvalide("expire_le", "La date d'expiration est à venir, dans deux ans au plus.")


def _roles_cle() -> str:
    return ", ".join(str(Role(r).label).lower() for r in ROLES_CLE)


@transaction.atomic
def creer_cle(*, par, plie, structure, role, droits, nom, expire_le) -> tuple[CleApi, str]:
    """Crée la clé et son compte technique ; rend la clé et le jeton, à montrer une seule fois
    (il n'est gardé nulle part)."""
    _verifier(par, plie, structure, role, droits, nom, expire_le)
    prefixe = secrets.token_hex(4)
    while CleApi.objects.filter(prefixe=prefixe).exists():  # 2^32 préfixes : rarissime
        prefixe = secrets.token_hex(4)
    jeton = f"{ENTETE_JETON}{prefixe}_{secrets.token_urlsafe(32)}"
    nom = sur_une_ligne(nom).strip()[:100]
    compte = User(
        username=f"api-{prefixe}",
        first_name="Clé d'API",
        last_name=nom[:150],
    )
    compte.set_unusable_password()
    compte.save()
    Membership.objects.create(
        user=compte,
        structure=structure,
        role=role,
        debut=timezone.localdate(),
        fin=expire_le,
        etp=0,
    )
    cle = CleApi.objects.create(
        structure=structure,
        role=role,
        droits=sorted(set(droits)),
        nom=nom,
        prefixe=prefixe,
        empreinte=empreinte(jeton),
        compte=compte,
        expire_le=expire_le,
        creee_par=par,
    )
    tracer(
        TypeTrace.ADMINISTRATION,
        user=par,
        plie=plie,
        objet_type="cle_api",
        objet_id=cle.pk,
        detail=f"Clé d'API créée : {cle} — {structure} — {Role(role).label}",
    )
    return cle, jeton


@transaction.atomic
def revoquer_cle(cle: CleApi, *, par) -> None:
    """La clé n'ouvre plus rien, tout de suite : révoquée, son compte désactivé, son adhésion
    terminée. Idempotent."""
    cle = CleApi.objects.select_for_update().select_related("structure__plie").get(pk=cle.pk)
    if not par.has_perm("core.administrer", cle.structure.plie):
        raise CleInvalide("cle", "Vous n'administrez pas ce PLIE.")
    if cle.revoquee_le is not None:
        return
    cle.revoquee_le = timezone.now()
    cle.revoquee_par = par
    cle.save(update_fields=["revoquee_le", "revoquee_par"])
    User.objects.filter(pk=cle.compte_id).update(is_active=False)
    aujourdhui = timezone.localdate()
    for adhesion in Membership.objects.filter(user_id=cle.compte_id, fin__isnull=False):
        adhesion.fin = max(adhesion.debut, min(adhesion.fin, aujourdhui))
        adhesion.save(update_fields=["fin"])
    tracer(
        TypeTrace.ADMINISTRATION,
        user=par,
        plie=cle.structure.plie,
        objet_type="cle_api",
        objet_id=cle.pk,
        detail=f"Clé d'API révoquée : {cle}",
    )


def cle_du_jeton(jeton: str) -> CleApi:
    """La clé active de ce jeton, avec son compte ; `CleRefusee` sinon."""
    jeton = (jeton or "").strip()
    morceaux = jeton.split("_")
    if len(jeton) > 200 or len(morceaux) < 3 or f"{morceaux[0]}_" != ENTETE_JETON:
        raise CleRefusee("Clé d'API illisible : « plie_… » attendu.")
    cle = (
        CleApi.objects.select_related("compte", "structure__plie")
        .filter(prefixe=morceaux[1])
        .first()
    )
    if cle is None or not hmac.compare_digest(cle.empreinte, empreinte(jeton)):
        raise CleRefusee("Clé d'API inconnue.")
    if cle.revoquee_le is not None:
        raise CleRefusee("Clé d'API révoquée par l'administrateur du PLIE.")
    if cle.expire_le < timezone.localdate():
        raise CleRefusee(f"Clé d'API expirée le {cle.expire_le:%d/%m/%Y}.")
    return cle


def noter_utilisation(cle: CleApi) -> None:
    """La dernière utilisation, affichée à l'administrateur : une mise à jour au plus par
    minute, sans lecture."""
    maintenant = timezone.now()
    if cle.derniere_utilisation and maintenant - cle.derniere_utilisation < (
        RAFRAICHISSEMENT_UTILISATION
    ):
        return
    CleApi.objects.filter(pk=cle.pk).update(derniere_utilisation=maintenant)
    cle.derniere_utilisation = maintenant


def journaliser_ecriture(
    *,
    user,
    cle: CleApi | None,
    plie,
    action: str,
    objet=None,
    cle_idempotence: str = "",
    empreinte_requete: str = "",
    statut_reponse: int | None = None,
    detail: str = "",
) -> EcritureApi:
    """Une écriture par l'API : qui (la clé, ou le compte connecté), quoi, sur quel objet."""
    return EcritureApi.objects.create(
        cle=cle,
        user=user,
        plie_id=getattr(plie, "pk", plie),
        action=action[:50],
        objet_type=objet._meta.model_name if objet is not None else "",
        objet_id=str(objet.pk) if objet is not None else "",
        cle_idempotence=cle_idempotence[:100],
        empreinte_requete=empreinte_requete,
        statut_reponse=statut_reponse,
        detail=sur_une_ligne(detail)[:500],
    )


def completer_ecriture(ecriture: EcritureApi, *, objet=None, detail: str = "") -> None:
    """L'objet écrit et le détail, une fois l'écriture faite (dans la même transaction)."""
    ecriture.objet_type = objet._meta.model_name if objet is not None else ""
    ecriture.objet_id = str(objet.pk) if objet is not None else ""
    ecriture.detail = sur_une_ligne(detail)[:500]
    ecriture.save(update_fields=["objet_type", "objet_id", "detail"])


def ecriture_deja_faite(user, cle_idempotence: str) -> EcritureApi | None:
    """L'écriture déjà faite par ce compte avec cette clé d'idempotence, s'il y en a une."""
    if not cle_idempotence:
        return None
    return EcritureApi.objects.filter(user=user, cle_idempotence=cle_idempotence).first()
