"""Le dossier d'un parcours (docs/dossier.md) : sa frise, la complétude de ses données FSE+, ses
échéances, ses alertes, la qualification de sa sortie et les autres parcours de la personne.

`construire_dossier` assemble un parcours chargé par `chargement.charger_parcours`. Les tâches
viewflow du parcours sont fournies par l'appelant (`TacheDossier`) : le domaine ne connaît pas
les flux.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut, StatutEtape
from parcours.accompagnement.models import Parcours, QuestionnaireFSE
from parcours.accompagnement.suivi import delais_de_suivi
from parcours.dossier.alertes import constats_du_parcours
from parcours.dossier.chronologie import frise
from parcours.dossier.evenements import Evenement, Rubrique, TacheDossier
from parcours.emploi.services import qualification_du_parcours
from parcours.referentiel.sections.engagement import de as regles_engagement


@dataclass(frozen=True)
class CompletudeFSE:
    """Les données FSE+ : questionnaire d'entrée, pièces d'entrée, données de sortie."""

    questionnaire_renseigne: bool
    entree_manquants: tuple[str, ...]
    pieces_manquantes: tuple[str, ...]
    sortie_attendue: bool
    sortie_saisie: bool
    sortie_echeance: datetime.date | None

    @property
    def entree_complete(self) -> bool:
        return self.questionnaire_renseigne and not self.entree_manquants

    @property
    def complete(self) -> bool:
        return (
            self.entree_complete
            and not self.pieces_manquantes
            and (self.sortie_saisie or not self.sortie_attendue)
        )


@dataclass(frozen=True)
class Echeance:
    """Une date à venir du dossier (fin de suspension, fin de période d'essai…)."""

    date: datetime.date
    libelle: str


@dataclass
class Dossier:
    parcours: Parcours
    suivi_visible: bool
    evenements: list[Evenement]
    autres_parcours: list[Parcours]
    fse: CompletudeFSE | None = None
    taches_ouvertes: list[TacheDossier] = field(default_factory=list)
    echeances: list[Echeance] = field(default_factory=list)
    alertes: list = field(default_factory=list)  # parcours.dossier.alertes.Constat
    qualification: object = None  # parcours.emploi.qualification.Qualification
    aujourdhui: datetime.date = field(default_factory=timezone.localdate)

    @property
    def participant(self):
        return self.parcours.participant

    @property
    def prescription(self):
        return getattr(self.parcours, "prescription", None)

    def rubriques(self) -> list[tuple[str, str, int]]:
        """Les rubriques présentes dans la frise, avec leur nombre d'événements."""
        comptes: dict[str, int] = {}
        for e in self.evenements:
            comptes[e.rubrique] = comptes.get(e.rubrique, 0) + 1
        return [(r.value, r.label, comptes[r.value]) for r in Rubrique if r.value in comptes]


# — Données FSE+ —


def completude_fse(parcours: Parcours, aujourdhui: datetime.date | None = None) -> CompletudeFSE:
    """Ce qui manque aux données FSE+ du parcours (questionnaire d'entrée, pièces, sortie).

    Lit le questionnaire et les pièces déjà chargés (`charger_parcours`) ; les règles du PLIE
    (pièces, délai de saisie de sortie) viennent de son référentiel en vigueur.
    """
    questionnaire = getattr(parcours, "questionnaire_fse", None)
    manquants = (questionnaire or QuestionnaireFSE(parcours=parcours)).champs_manquants()
    deposees = {p.code for p in parcours.pieces_entree.all()}
    pieces = tuple(
        p.libelle
        for p in regles_engagement(parcours.plie, aujourdhui).pieces
        if p.obligatoire and p.code not in deposees
    )
    sortie_attendue = parcours.statut == Statut.SORTI
    echeance = None
    if sortie_attendue and parcours.date_sortie:
        semaines = delais_de_suivi(parcours.plie_id, aujourdhui).fse_sortie_semaines
        echeance = parcours.date_sortie + datetime.timedelta(weeks=semaines)
    return CompletudeFSE(
        questionnaire_renseigne=questionnaire is not None,
        entree_manquants=tuple(manquants),
        pieces_manquantes=pieces if parcours.statut in STATUTS_FILE_ACTIVE else (),
        sortie_attendue=sortie_attendue,
        sortie_saisie=getattr(parcours, "donnees_sortie_fse", None) is not None,
        sortie_echeance=echeance,
    )


# — Échéances —


def echeances_du_dossier(
    parcours: Parcours, fse: CompletudeFSE, aujourdhui: datetime.date
) -> list[Echeance]:
    """Les dates à venir que le dossier porte (sources déjà chargées, aucune requête)."""

    echeances = [
        Echeance(s.fin_prevue, "Fin prévue de la suspension : la lever ou la renouveler")
        for s in parcours.suspensions.all()
        if s.en_cours
    ]
    for c in parcours.contrats.all():
        if not c.en_cours(aujourdhui):
            continue
        if c.fin_periode_essai and c.fin_periode_essai >= aujourdhui:
            echeances.append(
                Echeance(c.fin_periode_essai, f"Fin de la période d'essai — {c.employeur}")
            )
        if c.fin:
            echeances.append(
                Echeance(c.fin, f"Fin du contrat {c.get_type_display()} — {c.employeur}")
            )
    for e in parcours.etapes.all():
        if e.statut == StatutEtape.PREVUE and e.date_debut >= aujourdhui:
            echeances.append(Echeance(e.date_debut, f"Début de l'étape « {e.titre} »"))
        elif e.statut == StatutEtape.EN_COURS and e.date_fin and e.date_fin >= aujourdhui:
            echeances.append(Echeance(e.date_fin, f"Fin de l'étape « {e.titre} »"))
    if fse.sortie_attendue and not fse.sortie_saisie and fse.sortie_echeance:
        echeances.append(Echeance(fse.sortie_echeance, "Saisir les données FSE+ de sortie"))
    rqth = getattr(getattr(parcours, "prescription", None), "rqth_jusqu_au", None)
    if rqth and rqth >= aujourdhui:
        echeances.append(Echeance(rqth, "Fin de validité de la RQTH"))
    return sorted(echeances, key=lambda e: e.date)


# — Assemblage —


def autres_parcours(parcours: Parcours, visibles) -> list[Parcours]:
    """Les autres parcours de la même personne que l'utilisateur peut voir (réentrées, autres
    PLIE), du plus récent au plus ancien."""
    return list(
        visibles.filter(participant_id=parcours.participant_id)
        .exclude(pk=parcours.pk)
        .select_related("plie", "referent")
        .order_by("-date_prescription", "-id")
    )


def construire_dossier(
    parcours: Parcours,
    *,
    suivi: bool,
    visibles,
    taches: Sequence[TacheDossier] = (),
    aujourdhui: datetime.date | None = None,
) -> Dossier:
    """Le dossier d'un parcours chargé par `charger_parcours`.

    `visibles` : les parcours que l'utilisateur voit (pour l'historique des réentrées) ;
    `taches` : les tâches viewflow du parcours ; `suivi` : l'utilisateur voit le suivi.
    """
    aujourdhui = aujourdhui or timezone.localdate()
    dossier = Dossier(
        parcours=parcours,
        suivi_visible=suivi,
        evenements=frise(parcours, suivi=suivi, taches=taches),
        autres_parcours=autres_parcours(parcours, visibles),
        aujourdhui=aujourdhui,
    )
    if not suivi:
        return dossier
    dossier.fse = completude_fse(parcours, aujourdhui)
    dossier.taches_ouvertes = sorted(
        (t for t in taches if t.ouverte),
        key=lambda t: (t.echeance is None, t.echeance or t.ouverte_le, t.ouverte_le),
    )
    dossier.alertes = constats_du_parcours(parcours, aujourdhui)
    dossier.echeances = echeances_du_dossier(parcours, dossier.fse, aujourdhui)
    if parcours.contrats.all():
        dossier.qualification = qualification_du_parcours(parcours, aujourdhui)
    return dossier
