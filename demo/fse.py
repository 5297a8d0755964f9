"""Les opérations FSE+ de la démonstration (docs/fse.md) : dans chaque PLIE, l'accompagnement de
chacun des deux opérateurs (financé par le Département) et une action financée (mises en
situation de travail) ; les parcours y sont rattachés par le vrai service. Quelques fiches
restent sans adresse : le contrôle préalable de l'export a de quoi montrer."""

import datetime
import random

from django.utils import timezone

from demo.donnees import NOMS_STRUCTURES
from parcours.accompagnement.models import Etape
from parcours.accompagnement.participations import rattacher_aux_operations
from parcours.core.models import Structure
from parcours.fse.enums import TypeOperation
from parcours.fse.models import OperationFse
from parcours.participants.models import Participant

RUES = ["rue de la République", "avenue Jean-Jaurès", "rue Victor-Hugo", "place du Marché"]


def _structure(plie, cle):
    nom = NOMS_STRUCTURES[cle].format(plie=plie.code.replace("-", " ").title())
    return Structure.objects.get(plie=plie, nom=nom)


def charger_operations_fse(plie) -> list[OperationFse]:
    """Idempotent : les opérations sont retrouvées par leur numéro."""
    debut = datetime.date(timezone.localdate().year - 2, 1, 1)
    prefixe = f"2024{plie.pk:02d}"
    financeur = _structure(plie, "financeur")
    declarees = [
        (
            "001",
            "Accompagnement renforcé vers l'emploi",
            TypeOperation.ACCOMPAGNEMENT,
            "operateur-1",
        ),
        ("002", "Accompagnement des publics éloignés", TypeOperation.ACCOMPAGNEMENT, "operateur-2"),
        ("003", "Mises en situation de travail", TypeOperation.ACTION, "operateur-2"),
    ]
    operations = []
    for suffixe, libelle, type_operation, cle in declarees:
        op, _ = OperationFse.objects.get_or_create(
            plie=plie,
            numero=prefixe + suffixe,
            defaults={
                "libelle": libelle,
                "type": type_operation,
                "structure_porteuse": _structure(plie, cle),
                "debut": debut,
            },
        )
        op.financeurs.add(financeur)
        operations.append(op)
    rattacher_aux_operations(plie.pk)
    _adresses(plie)
    return operations


def nommer_les_actions_financees(plie) -> int:
    """Les immersions (mises en situation de travail) de la démo appartiennent à l'action
    financée du PLIE : son porteur en liste les participants (après `demo_suivi`)."""
    action = OperationFse.objects.filter(plie=plie, type=TypeOperation.ACTION).first()
    if action is None:
        return 0
    return (
        Etape.objects.filter(parcours__plie=plie, type_code="immersion-pmsmp")
        .filter(operation__isnull=True)
        .update(operation=action)
    )


def _adresses(plie) -> None:
    """Une adresse pour chacun, sauf le dernier entré dans chaque opération d'accompagnement :
    le contrôle préalable de l'export a de quoi montrer."""
    rng = random.Random(f"demo-fse-{plie.code}")
    sans_adresse = set()
    for op in OperationFse.objects.filter(plie=plie, type=TypeOperation.ACCOMPAGNEMENT):
        derniere = op.participations.order_by("-date_entree", "-pk").first()
        if derniere is not None:
            sans_adresse.add(derniere.parcours.participant_id)
    participants = list(
        Participant.objects.filter(parcours__plie=plie, adresse="")
        .exclude(pk__in=sans_adresse)
        .distinct()
        .order_by("pk")
    )
    for p in participants:
        p.adresse = f"{rng.randint(1, 120)} {rng.choice(RUES)}"
    Participant.objects.bulk_update(participants, ["adresse"])
