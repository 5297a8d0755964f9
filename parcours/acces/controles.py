"""Les contrôles de service fait (docs/controle.md).

- Qui peut exporter le fichier Ma Démarche FSE d'une opération (pilotage du PLIE, porteur :
  `peut_exporter_fse`) tire l'échantillon, lit les dossiers, télécharge les ZIP et ouvre le
  contrôle à un contrôleur.
- Un contrôleur lit les contrôles qui lui sont ouverts, tant que l'accès court (date de fin
  incluse) et qu'il tient le rôle contrôleur dans le PLIE de l'opération ; il y lit les seuls
  dossiers tirés, sans rien modifier. Rien d'autre : son rôle n'entre dans aucun ensemble de
  `parcours.core.roles` qui ouvre un dossier, une liste ou une tâche.
Hors de là : 404."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from parcours.acces.fse import _filtre_nominatif, peut_exporter_fse
from parcours.acces.garde import droit, liste
from parcours.core.perimetre import perimetre
from parcours.core.roles import ROLES_CONTROLE


def _ouverts_au_controleur(user) -> Q:
    from parcours.reporting.models import AccesControle

    plies = perimetre(user).plies(ROLES_CONTROLE)
    if not plies:
        return Q(pk__in=[])
    ouverts = AccesControle.objects.filter(
        controle=OuterRef("pk"), controleur=user, expire_le__gte=timezone.localdate()
    )
    return Q(Exists(ouverts), operation__plie_id__in=plies)


@liste("reporting.ControleFse")
def controles_visibles(user, queryset):
    """Les contrôles des opérations dont on voit les participants (pilotage, porteur), et ceux
    ouverts au contrôleur."""
    from parcours.fse.models import OperationFse

    nominatives = OperationFse.objects.filter(_filtre_nominatif(user)).values("pk")
    return queryset.filter(Q(operation__in=nominatives) | _ouverts_au_controleur(user))


@droit
def voit_les_controles(user) -> bool:
    """Le menu « FSE+ » du contrôleur mène à ses contrôles (les autres passent par l'opération)."""
    return bool(perimetre(user).roles & ROLES_CONTROLE)


@droit
def peut_conduire_le_controle(user, controle) -> bool:
    """Tirer, ouvrir à un contrôleur, lire et télécharger : le droit de l'export FSE."""
    return peut_exporter_fse(user, controle.operation)


@droit
def peut_tirer_un_controle(user, operation) -> bool:
    return peut_exporter_fse(user, operation)


def participations_controlees(user, controle):
    """Les dossiers du contrôle que `user` lit : tout l'échantillon s'il voit le contrôle,
    rien sinon."""
    if not controles_visibles(user).filter(pk=controle.pk).exists():
        return controle.participations.none()
    return controle.participations.all()
