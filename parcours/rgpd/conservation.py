"""Appliquer les durées de conservation du référentiel (section `conservation`, docs/rgpd.md).

Chaque jour (`manage.py appliquer_conservation`) :
1. les documents des parcours clos dont la conservation a pris fin sont supprimés ;
2. les personnes dont tous les parcours sont clos et dont l'identité a atteint son terme dans
   chaque PLIE où elles ont eu un parcours sont anonymisées (parcours/rgpd/anonymisation.py) ;
3. les traces du journal plus anciennes que `PLIE_TRACES_CONSERVATION_JOURS` sont purgées.

La date de clôture d'un parcours clos est celle de sa dernière transition (son passage à l'état
clos) ; sans journal (données reprises), sa date de sortie, à défaut sa date de prescription.
`lister` ne modifie rien ; `appliquer` agit, une transaction par parcours (documents) et par
personne (anonymisation) : une erreur n'annule que la sienne. Les deux sont idempotents.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_CLOS
from parcours.accompagnement.models import Parcours
from parcours.participants.models import Participant
from parcours.referentiel.sections.conservation import ReglesConservation
from parcours.referentiel.sections.conservation import de as regles_du_plie
from parcours.rgpd.anonymisation import anonymiser
from parcours.rgpd.documents import (
    Document,
    documents_des_parcours,
    filtre_a_des_documents,
    supprimer_document,
)
from parcours.tracabilite.services import purger_traces


@dataclass(frozen=True)
class ParcoursEchu:
    """Un parcours clos dont les documents ont dépassé leur durée de conservation."""

    pk: int
    plie_id: int
    fin: datetime.date
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class PersonneEchue:
    """Une personne dont l'identité a dépassé sa durée de conservation."""

    participant_id: int
    parcours: tuple[int, ...]
    fin: datetime.date
    documents: int = 0  # documents supprimés avec l'identité, en plus de ceux déjà échus

    @property
    def numero(self) -> str:
        return f"P{self.participant_id:06d}"


@dataclass
class Bilan:
    aujourdhui: datetime.date
    parcours: list[ParcoursEchu] = field(default_factory=list)
    personnes: list[PersonneEchue] = field(default_factory=list)
    traces: int | None = None  # traces du journal à purger (None : non concernées, --plie)
    erreurs: list[str] = field(default_factory=list)

    @property
    def nombre_documents(self) -> int:
        return sum(len(p.documents) for p in self.parcours)


class _Regles:
    """Les règles de chaque PLIE, lues une fois (référentiel en vigueur à la date du jour)."""

    def __init__(self, aujourdhui):
        self.aujourdhui = aujourdhui
        self._cache: dict[int, ReglesConservation] = {}

    def __getitem__(self, plie_id: int) -> ReglesConservation:
        if plie_id not in self._cache:
            self._cache[plie_id] = regles_du_plie(plie_id, self.aujourdhui)
        return self._cache[plie_id]


def _clos(queryset):
    """Les parcours clos avec leur date de clôture (une requête)."""
    lignes = (
        queryset.filter(statut__in=STATUTS_CLOS)
        .annotate(derniere_transition=Max("transitions__at"))
        .values(
            "pk",
            "plie_id",
            "participant_id",
            "date_sortie",
            "date_prescription",
            "derniere_transition",
        )
    )
    for ligne in lignes:
        if ligne["derniere_transition"] is not None:
            cloture = timezone.localtime(ligne["derniere_transition"]).date()
        else:
            cloture = ligne["date_sortie"] or ligne["date_prescription"]
        yield ligne, cloture


def parcours_echus(aujourdhui, regles, plie=None) -> list[ParcoursEchu]:
    """Les parcours clos qui ont encore des documents passé leur terme."""
    candidats = Parcours.objects.filter(filtre_a_des_documents())
    if plie is not None:
        candidats = candidats.filter(plie=plie)
    echus = {
        ligne["pk"]: (ligne["plie_id"], fin)
        for ligne, cloture in _clos(candidats)
        if (fin := regles[ligne["plie_id"]].fin_documents(cloture)) < aujourdhui
    }
    par_parcours = defaultdict(list)
    for document in documents_des_parcours(echus):
        par_parcours[document.parcours_id].append(document)
    return [
        ParcoursEchu(pk, plie_id, fin, tuple(par_parcours[pk]))
        for pk, (plie_id, fin) in sorted(echus.items())
        if par_parcours[pk]
    ]


def personnes_echues(aujourdhui, regles, plie=None) -> list[PersonneEchue]:
    """Les personnes non anonymisées, sans parcours ouvert, dont l'identité a passé son terme
    dans chacun de leurs parcours (le plus tardif l'emporte)."""
    ouverts = Parcours.objects.exclude(statut__in=STATUTS_CLOS).filter(
        participant_id=OuterRef("pk")
    )
    personnes = Participant.objects.filter(anonymise_le__isnull=True).exclude(Exists(ouverts))
    if plie is not None:
        personnes = personnes.filter(parcours__plie=plie)
    termes: dict[int, datetime.date] = {}
    parcours: dict[int, list[int]] = defaultdict(list)
    for ligne, cloture in _clos(Parcours.objects.filter(participant__in=personnes)):
        personne = ligne["participant_id"]
        fin = regles[ligne["plie_id"]].fin_identite(cloture)
        termes[personne] = max(fin, termes.get(personne, fin))
        parcours[personne].append(ligne["pk"])
    return [
        PersonneEchue(personne, tuple(sorted(parcours[personne])), fin)
        for personne, fin in sorted(termes.items())
        if fin < aujourdhui
    ]


def lister(aujourdhui: datetime.date | None = None, plie=None) -> Bilan:
    """Ce qui a atteint son terme, sans rien modifier."""
    aujourdhui = aujourdhui or timezone.localdate()
    regles = _Regles(aujourdhui)
    bilan = Bilan(aujourdhui)
    bilan.parcours = parcours_echus(aujourdhui, regles, plie)
    echus = {(d.source, d.objet.pk) for p in bilan.parcours for d in p.documents}
    bilan.personnes = [
        PersonneEchue(
            p.participant_id,
            p.parcours,
            p.fin,
            sum((d.source, d.objet.pk) not in echus for d in documents_des_parcours(p.parcours)),
        )
        for p in personnes_echues(aujourdhui, regles, plie)
    ]
    if plie is None:
        bilan.traces = purger_traces(dry_run=True)
    return bilan


def appliquer(plie=None) -> Bilan:
    """Supprime, anonymise et purge ce que `lister` trouve aujourd'hui."""
    bilan = lister(plie=plie)
    for echu in bilan.parcours:
        try:
            with transaction.atomic():
                for document in echu.documents:
                    supprimer_document(document, motif=f"conservation échue le {echu.fin:%d/%m/%Y}")
        except Exception as exc:  # une erreur n'annule que ce parcours ; signalée à la fin
            bilan.erreurs.append(f"parcours {echu.pk} : {exc}")
    for personne in bilan.personnes:
        try:
            anonymiser(personne.participant_id, fin=personne.fin)
        except Exception as exc:
            bilan.erreurs.append(f"{personne.numero} : {exc}")
    if plie is None:
        bilan.traces = purger_traces()
    return bilan
