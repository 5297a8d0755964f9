"""Ce que partagent les services de l'engagement : l'état où il se prépare, le jour de
l'admission, la vérification des droits et de l'état, l'enregistrement d'un fichier, la lecture
d'une date."""

import datetime
import functools

from django.db import transaction
from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut
from parcours.accompagnement.models import Parcours
from parcours.core.errors import TransitionInterdite, TransitionNonAutorisee

# L'engagement se prépare une fois le parcours admis ; il reste consultable et ses pièces
# complétables tant que le parcours est dans la file active.
STATUTS_ENGAGEMENT = STATUTS_FILE_ACTIVE


def date_admission(parcours: Parcours) -> datetime.date:
    """Le jour de la décision d'admission (journal des transitions), à défaut la prescription."""
    admission = parcours.transitions.filter(transition="admettre").order_by("-at", "-id").first()
    if admission is None:
        return parcours.date_prescription
    return timezone.localdate(admission.at)


def ecrit_en_dernier(service):
    """Pour un service qui vérifie tout avant d'écrire, l'écriture étant sa dernière opération :
    sa transaction s'il est appelé hors de toute transaction, sinon celle de l'appelant sans
    point de sauvegarde (deux requêtes de moins ; ses refus n'ont rien écrit, l'appelant qui les
    attrape continue sa transaction, comme pour les transitions : parcours/core/fsm.py)."""

    @functools.wraps(service)
    def dans_une_transaction(*args, **kwargs):
        if transaction.get_connection().in_atomic_block:
            return service(*args, **kwargs)
        with transaction.atomic():
            return service(*args, **kwargs)

    return dans_une_transaction


def verifier_droits_et_etat(parcours: Parcours, par, action: str) -> Statut:
    """Droits de l'acteur puis état du parcours (relu et verrouillé : appeler en transaction)."""
    if not par.has_perm("accompagnement.suivre_parcours", parcours):
        raise TransitionNonAutorisee(
            f"Vous n'avez pas le droit de {action} : seuls le référent du parcours et l'équipe "
            "d'animation du PLIE le peuvent."
        )
    statut = Statut(
        Parcours.objects.select_for_update().values_list("statut", flat=True).get(pk=parcours.pk)
    )
    if statut not in STATUTS_ENGAGEMENT:
        raise TransitionInterdite(
            f"Impossible de {action} : le parcours est à l'état « {statut.label} » "
            "(l'engagement se prépare une fois le parcours admis)."
        )
    return statut


def remplacer_fichier(champ, nom: str, contenu) -> None:
    """Enregistre `contenu` dans le champ fichier ; l'ancien fichier est effacé après validation
    de la transaction (rien n'est perdu si elle échoue)."""
    ancien = champ.name
    champ.save(nom, contenu, save=False)
    if ancien and ancien != champ.name:
        stockage = champ.storage
        transaction.on_commit(lambda: stockage.delete(ancien))


def en_date(valeur) -> datetime.date | None:
    if valeur in (None, ""):
        return None
    if isinstance(valeur, datetime.datetime):
        return timezone.localdate(valeur) if timezone.is_aware(valeur) else valeur.date()
    if isinstance(valeur, datetime.date):
        return valeur
    if isinstance(valeur, str):
        return datetime.date.fromisoformat(valeur)
    raise ValueError(valeur)


def du_groupe(groupe: str) -> str:
    """« le participant » → « du participant » ; « l'équipe d'animation » → « de l'équipe… »."""
    if groupe.startswith("le "):
        return "du " + groupe[3:]
    return "de " + groupe
