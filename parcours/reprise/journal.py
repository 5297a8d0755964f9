"""Les lignes de journal « repris » d'un parcours : l'histoire que l'autre outil connaît, à ses
dates d'origine, écrite au nom du compte de la reprise (qui = l'import)."""

import datetime

from django.utils import timezone

from parcours.accompagnement.enums import Statut, TypeSortie
from parcours.accompagnement.models import TransitionParcours
from parcours.core.models import User

TRANSITION = "repris"


def compte_de_reprise(source: str, libelle: str) -> User:
    """Le compte au nom duquel la reprise écrit : inactif, sans mot de passe ni adhésion."""
    compte, cree = User.objects.get_or_create(
        username=f"reprise-{source}"[:150],
        defaults={"first_name": "Reprise", "last_name": libelle[:150], "is_active": False},
    )
    if cree:
        compte.set_unusable_password()
        compte.save(update_fields=["password"])
    return compte


def _le(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def ligne_reprise(parcours_id, par, date, source, cible, motif, transition=TRANSITION):
    """Une ligne de journal reprise d'un parcours déjà écrit, à sa date d'origine."""
    return TransitionParcours(
        parcours_id=parcours_id,
        transition=transition,
        par=par,
        at=_le(date),
        source=source,
        target=cible,
        motif=motif,
    )


def lignes_reprises(parcours, v, par, libelle) -> list[TransitionParcours]:
    """Prescription, entrée, puis l'état repris ; chacune à sa date d'origine."""
    origine = f"Repris de {libelle} (parcours {v['source_id']})"
    statut = v["statut"]

    def ligne(source, cible, date, quoi):
        return TransitionParcours(
            parcours=parcours,
            transition=TRANSITION,
            par=par,
            at=_le(date),
            source=source,
            target=cible,
            motif=f"{origine} : {quoi}",
        )

    lignes = [ligne(Statut.PRESCRIT, Statut.PRESCRIT, v["date_prescription"], "prescription")]
    dernier, date = Statut.PRESCRIT, v["date_prescription"]
    if v["date_entree"]:
        lignes.append(
            ligne(
                Statut.PRESCRIT,
                Statut.EN_ACCOMPAGNEMENT,
                v["date_entree"],
                "entrée en accompagnement",
            )
        )
        dernier, date = Statut.EN_ACCOMPAGNEMENT, v["date_entree"]
    if statut != dernier:
        quoi = f"état « {Statut(statut).label} »"
        if v["date_sortie"]:
            date = v["date_sortie"]
            quoi += f", sortie : {TypeSortie(v['type_sortie']).label}"
        lignes.append(ligne(dernier, statut, date, quoi))
    return lignes


def ligne_de_mise_a_jour(parcours, avant, apres, par, libelle, source_id):
    return TransitionParcours(
        parcours=parcours,
        transition=TRANSITION,
        par=par,
        source=avant,
        target=apres,
        motif=f"Repris de {libelle} (parcours {source_id}) : état mis à jour par une relance",
    )
