"""Écrire et purger le journal des accès. Une trace ne doit jamais empêcher l'action qu'elle
décrit d'aboutir : elle est écrite dans la transaction courante (annulée avec elle) et ses
champs texte sont tronqués à leur taille."""

import datetime

from django.conf import settings
from django.utils import timezone

from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace


def _tronque(texte, taille: int) -> str:
    texte = "" if texte is None else str(texte)
    # Les caractères de contrôle n'ont rien à faire dans un journal relu à l'écran ou exporté.
    texte = "".join(c if c.isprintable() else " " for c in texte)
    return texte[:taille]


def _ip(request) -> str | None:
    # REMOTE_ADDR seulement : derrière un mandataire, celui-ci la fixe (docs/rgpd.md). Un
    # X-Forwarded-For fourni par le client ne doit pas pouvoir falsifier le journal.
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def tracer(
    type: TypeTrace,
    *,
    request=None,
    user=None,
    identifiant: str = "",
    plie=None,
    participant_id: int | None = None,
    objet_type: str = "",
    objet_id="",
    detail: str = "",
) -> Trace:
    """Écrit une trace. `user` par défaut : l'utilisateur connecté de `request`."""
    if user is None and request is not None and getattr(request.user, "is_authenticated", False):
        user = request.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return Trace.objects.create(
        type=type,
        user=user,
        identifiant=_tronque(identifiant or (user.get_username() if user else ""), 150),
        plie_id=getattr(plie, "pk", plie),
        participant_id=participant_id,
        objet_type=_tronque(objet_type, 50),
        objet_id=_tronque(objet_id, 50),
        chemin=_tronque(request.get_full_path() if request is not None else "", 500),
        ip=_ip(request),
        detail=_tronque(detail, 500),
    )


def duree_de_conservation() -> datetime.timedelta:
    return datetime.timedelta(days=settings.PLIE_TRACES_CONSERVATION_JOURS)


def purger_traces(maintenant=None, dry_run: bool = False) -> int:
    """Supprime les traces plus anciennes que la durée de conservation ; renvoie leur nombre."""
    limite = (maintenant or timezone.now()) - duree_de_conservation()
    anciennes = Trace.objects.filter(at__lt=limite)
    if dry_run:
        return anciennes.count()
    supprimees, _ = anciennes.delete()
    return supprimees
