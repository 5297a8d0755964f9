"""Le contrôle de service fait d'une opération FSE+ (docs/controle.md) : l'échantillon de
participants (tiré au sort avec une graine gardée, ou désigné), puis son ouverture à un
contrôleur jusqu'à une date. Chaque étape est tracée au journal des accès (type `controle`).

Les droits (qui tire, qui ouvre) sont vérifiés par l'écran avec la politique d'accès ; le domaine
vérifie les données (taille, numéros, rôle du contrôleur, dates)."""

import datetime
import random
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from parcours.core.enums import Role
from parcours.core.models import Membership
from parcours.participants.models import numero
from parcours.reporting.models import AccesControle, ControleFse, ModeControle
from parcours.reporting.periode import Periode
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer

# Au-delà, un « échantillon » est l'opération entière : l'export Ma Démarche FSE s'en charge.
TAILLE_MAX = 200
NUMERO = re.compile(r"^[Pp]?0*(\d{1,12})$")


def population(operation, p: Periode):
    """Les participations à l'opération présentes pendant la période, dans l'ordre de leur
    numéro : la population du tirage (un ordre stable rend le tirage reproductible)."""
    return (
        operation.participations.filter(date_entree__lte=p.au)
        .filter(Q(date_sortie__isnull=True) | Q(date_sortie__gte=p.du))
        .order_by("pk")
    )


def echantillon(graine: int, ids: list[int], taille: int) -> list[int]:
    """Les `taille` identifiants tirés de `ids` avec `graine` : mêmes graine et population
    ordonnée, même échantillon (générateur pseudo-aléatoire de Python, Mersenne Twister)."""
    return sorted(random.Random(graine).sample(list(ids), taille))


def _creer(operation, p, mode, graine, ids, population_totale, *, par, motif, request):
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError({"motif": "Indiquez le motif ou la référence du contrôle."})
    with transaction.atomic():
        controle = ControleFse(
            operation=operation,
            du=p.du,
            au=p.au,
            mode=mode,
            graine=graine,
            taille=len(ids),
            population=population_totale,
            motif=motif,
            par=par,
        )
        controle.full_clean()
        controle.save()
        controle.participations.set(ids)
        detail = (
            f"Tirage de {len(ids)} participant(s) sur {population_totale}, graine {graine}"
            if mode == ModeControle.TIRAGE
            else f"Désignation de {len(ids)} participant(s) sur {population_totale}"
        )
        tracer(
            TypeTrace.CONTROLE,
            request=request,
            user=par,
            plie=operation.plie_id,
            objet_type="controle_fse",
            objet_id=controle.pk,
            detail=f"{detail} — opération {operation.numero}, {p}",
        )
    return controle


def tirer(operation, p: Periode, taille, *, par, motif, graine=None, request=None) -> ControleFse:
    """Tire `taille` participations de la période au hasard ; la graine (donnée ou tirée) est
    enregistrée avec le contrôle."""
    ids = list(population(operation, p).values_list("pk", flat=True))
    if not ids:
        raise ValidationError(
            {"du": f"Aucun participant dans l'opération {operation.numero} {p} : rien à tirer."}
        )
    if taille is None or not 1 <= taille <= min(len(ids), TAILLE_MAX):
        raise ValidationError(
            {
                "taille": f"La taille de l'échantillon va de 1 à {min(len(ids), TAILLE_MAX)} "
                f"({len(ids)} participant(s) dans l'opération {p})."
            }
        )
    if graine is None:
        graine = secrets.randbits(48)
    return _creer(
        operation,
        p,
        ModeControle.TIRAGE,
        graine,
        echantillon(graine, ids, taille),
        len(ids),
        par=par,
        motif=motif,
        request=request,
    )


def lire_numeros(texte: str) -> list[int]:
    """« P000123, 45 » → [123, 45] ; un numéro illisible est cité dans l'erreur."""
    morceaux = [m for m in re.split(r"[\s,;]+", texte or "") if m]
    if not morceaux:
        raise ValidationError({"numeros": "Indiquez au moins un numéro de participant."})
    illisibles = [m for m in morceaux if not NUMERO.match(m)]
    if illisibles:
        raise ValidationError(
            {
                "numeros": "Numéro(s) illisible(s) : "
                + ", ".join(f"« {m[:20]} »" for m in illisibles[:5])
                + " (ex. P000123 ou 123)."
            }
        )
    return list(dict.fromkeys(int(NUMERO.match(m).group(1)) for m in morceaux))


def designer(operation, p: Periode, numeros, *, par, motif, request=None) -> ControleFse:
    """Le contrôle des participants nommés (numéros), s'ils sont dans l'opération pendant la
    période ; sinon, la liste de ceux qui n'y sont pas."""
    pks = lire_numeros(numeros) if isinstance(numeros, str) else list(numeros)
    if len(pks) > TAILLE_MAX:
        raise ValidationError({"numeros": f"Au plus {TAILLE_MAX} participants par contrôle."})
    pop = population(operation, p)
    trouves = dict(
        pop.filter(parcours__participant_id__in=pks).values_list("parcours__participant_id", "pk")
    )
    absents = [pk for pk in pks if pk not in trouves]
    if absents:
        raise ValidationError(
            {
                "numeros": "Hors de l'opération "
                f"{operation.numero} {p} : " + ", ".join(numero(pk) for pk in absents) + "."
            }
        )
    ids = sorted(set(pop.filter(parcours__participant_id__in=pks).values_list("pk", flat=True)))
    return _creer(
        operation,
        p,
        ModeControle.DESIGNATION,
        None,
        ids,
        pop.count(),
        par=par,
        motif=motif,
        request=request,
    )


def ouvrir(controle, controleur, expire_le: datetime.date, *, par, request=None) -> AccesControle:
    """Ouvre le contrôle à `controleur` jusqu'à `expire_le` (inclus). Le compte doit tenir le
    rôle contrôleur dans le PLIE de l'opération ; une ouverture existante est prolongée ou
    raccourcie."""
    aujourdhui = timezone.localdate()
    plie_id = controle.operation.plie_id
    if not (
        Membership.objects.actives()
        .filter(user=controleur, role=Role.CONTROLEUR, structure__plie_id=plie_id)
        .exists()
    ):
        raise ValidationError(
            {
                "controleur": f"« {controleur.get_username()} » n'a pas le rôle contrôleur dans "
                "ce PLIE : l'administrateur du PLIE lui donne cette adhésion d'abord."
            }
        )
    if expire_le is None or expire_le < aujourdhui:
        raise ValidationError(
            {"expire_le": "La date de fin de l'accès est aujourd'hui ou plus tard."}
        )
    if expire_le > aujourdhui + datetime.timedelta(days=366):
        raise ValidationError({"expire_le": "Un accès de contrôle dure un an au plus."})
    with transaction.atomic():
        acces, _ = AccesControle.objects.update_or_create(
            controle=controle,
            controleur=controleur,
            defaults={"expire_le": expire_le, "ouvert_par": par, "ouvert_le": timezone.now()},
        )
        tracer(
            TypeTrace.CONTROLE,
            request=request,
            user=par,
            plie=plie_id,
            objet_type="controle_fse",
            objet_id=controle.pk,
            detail=f"Contrôle ouvert à {controleur.get_username()} jusqu'au {expire_le:%d/%m/%Y}",
        )
    return acces


def retirer(acces: AccesControle, *, par, request=None) -> None:
    """Ferme l'accès dès maintenant (sa fin passe à la veille) ; la ligne reste, pour l'histoire."""
    hier = timezone.localdate() - datetime.timedelta(days=1)
    with transaction.atomic():
        AccesControle.objects.filter(pk=acces.pk).update(expire_le=hier)
        tracer(
            TypeTrace.CONTROLE,
            request=request,
            user=par,
            plie=acces.controle.operation.plie_id,
            objet_type="controle_fse",
            objet_id=acces.controle_id,
            detail=f"Accès de {acces.controleur.get_username()} au contrôle retiré",
        )
