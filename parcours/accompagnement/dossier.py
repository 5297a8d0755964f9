"""Le dossier d'un parcours : tout ce qui lui est arrivé, sur une seule frise, et ce qui reste à
faire (docs/dossier.md).

`charger_parcours` lit le parcours et chacune de ses sources (transitions, décisions, étapes,
entretiens, contrats, documents…) en un nombre de requêtes constant, quelle que soit la longueur
de l'historique ; `construire_dossier` en fait la frise chronologique, la complétude des données
FSE+ et la liste des échéances. Les tâches viewflow du parcours sont fournies par l'appelant
(`TacheDossier`) : le domaine ne connaît pas les flux.

Qui voit quoi : la politique d'accès (`acces.voit_le_suivi`). Un prescripteur voit sa
prescription et son issue, pas le suivi (entretiens, étapes, documents, données FSE+).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut
from parcours.accompagnement.models import (
    ChangementReferent,
    Delegation,
    Entretien,
    Etape,
    Parcours,
    PieceEntree,
    PreuveEtape,
    QuestionnaireFSE,
    Suspension,
    TransitionParcours,
)
from parcours.accompagnement.models.engagement import Signataire
from parcours.core.documents import TypeDocument, lien_document

# Transitions dont le motif concerne l'entrée (recevabilité, commission) : le prescripteur le lit.
TRANSITIONS_ENTREE = frozenset(
    {
        "demander_complements",
        "completer",
        "declarer_recevable",
        "declarer_irrecevable",
        "annuler",
        "inscrire_en_commission",
        "admettre",
        "ajourner",
        "refuser",
    }
)
EVENEMENTS_PAR_PAGE = 50


class Rubrique(models.TextChoices):
    PRESCRIPTION = "prescription", "Prescription"
    ETAT = "etat", "Changement d'état"
    COMMISSION = "commission", "Commission"
    ENGAGEMENT = "engagement", "Engagement"
    ETAPE = "etape", "Étape"
    ENTRETIEN = "entretien", "Entretien"
    SUSPENSION = "suspension", "Suspension"
    REFERENT = "referent", "Référent"
    EMPLOI = "emploi", "Emploi"
    SORTIE = "sortie", "Sortie"
    DOCUMENT = "document", "Document"
    COURRIEL = "courriel", "Courriel"
    TACHE = "tache", "Tâche"


# Rubriques que voit celui qui ne suit pas le parcours (le prescripteur) : l'entrée et son issue.
RUBRIQUES_ENTREE = (Rubrique.PRESCRIPTION, Rubrique.ETAT, Rubrique.COMMISSION)


@dataclass(frozen=True)
class Evenement:
    """Une ligne de la frise. `jour_seul` : l'heure n'est pas connue (étape, contrat…)."""

    le: datetime.datetime
    rubrique: str
    titre: str
    detail: str = ""
    par: str = ""
    de: str = ""
    vers: str = ""
    lien: str = ""
    lien_libelle: str = ""
    jour_seul: bool = False

    @property
    def rubrique_libelle(self) -> str:
        return Rubrique(self.rubrique).label


@dataclass(frozen=True)
class TacheDossier:
    """Une tâche viewflow du parcours, telle que le dossier l'affiche (fournie par `workflows`)."""

    titre: str
    ouverte_le: datetime.datetime
    fermee_le: datetime.datetime | None
    ouverte: bool
    etat: str
    responsable: str = ""
    echeance: datetime.datetime | None = None
    url: str = ""
    alerte: str = ""  # code du type d'alerte, pour une tâche d'alerte
    fermeture: str = ""  # pourquoi elle a été fermée (« levée automatiquement : … »)


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


# — Lecture : une requête par source —


def _sources_suivi():
    return [
        Prefetch("prescription__statuts"),
        Prefetch(
            "decisions_commission",
            queryset=_decisions().select_related("referent", "structure"),
        ),
        Prefetch(
            "inscriptions_commission",
            queryset=_inscriptions().select_related("session", "inscrite_par"),
        ),
        Prefetch("pieces_entree", queryset=PieceEntree.objects.select_related("deposee_par")),
        Prefetch("courriels"),
        Prefetch(
            "etapes",
            queryset=Etape.objects.select_related("created_by", "updated_by").prefetch_related(
                Prefetch("preuves", queryset=PreuveEtape.objects.select_related("deposee_par"))
            ),
        ),
        Prefetch("entretiens", queryset=Entretien.objects.select_related("auteur")),
        Prefetch("suspensions", queryset=Suspension.objects.select_related("par", "levee_par")),
        Prefetch(
            "changements_referent",
            queryset=ChangementReferent.objects.select_related(
                "ancien", "nouveau", "nouvelle_structure", "par"
            ),
        ),
        Prefetch("contrats", queryset=_contrats().select_related("created_by")),
        Prefetch("propositions_sortie", queryset=_propositions().select_related("proposee_par")),
    ]


def _decisions():
    from parcours.commissions.models import Decision

    return Decision.objects.select_related("session", "par")


def _inscriptions():
    from parcours.commissions.models import InscriptionSession

    return InscriptionSession.objects.all()


def _contrats():
    from parcours.emploi.models import Contrat

    return Contrat.objects.all()


def _propositions():
    from parcours.emploi.models import PropositionSortie

    return PropositionSortie.objects.all()


def charger_parcours(queryset, pk: int, *, suivi: bool = True) -> Parcours:
    """Le parcours `pk` de `queryset` (déjà limité par la politique d'accès) avec toutes les
    sources de sa frise. Sans `suivi` (prescripteur) : la prescription et les décisions seulement.
    Lève Parcours.DoesNotExist hors du queryset."""
    relations = [
        "participant",
        "plie",
        "territoire",
        "referent",
        "structure_referente",
        "structure_prescriptrice",
        "prescripteur",
        "prescription",
        "prescription__derogation_par",
        "prescription__notice_remise_par",
    ]
    transitions = Prefetch("transitions", queryset=TransitionParcours.objects.select_related("par"))
    if not suivi:
        return (
            queryset.select_related(*relations)
            .prefetch_related(transitions, Prefetch("decisions_commission", queryset=_decisions()))
            .get(pk=pk)
        )
    relations += [
        "contrat_engagement",
        "contrat_engagement__genere_par",
        "contrat_engagement__copie_deposee_par",
        "questionnaire_fse",
        "questionnaire_fse__renseigne_par",
        "donnees_sortie_fse",
        "donnees_sortie_fse__saisie_par",
    ]
    parcours = (
        queryset.select_related(*relations)
        .prefetch_related(transitions, *_sources_suivi())
        .get(pk=pk)
    )
    parcours.interims = _interims(parcours)
    return parcours


def _interims(parcours: Parcours) -> list[Delegation]:
    """Les intérims des référents successifs du parcours pendant sa durée (une requête).

    Les droits d'intérim sont retirés à la levée : on retrouve l'intérim par son titulaire."""
    referents = {parcours.referent_id} | {
        r for c in parcours.changements_referent.all() for r in (c.ancien_id, c.nouveau_id)
    }
    referents.discard(None)
    fin = parcours.date_sortie or timezone.localdate()
    return list(
        Delegation.objects.filter(
            plie_id=parcours.plie_id,
            titulaire_id__in=referents,
            debut__lte=fin,
            fin__gte=parcours.date_prescription,
        ).select_related("titulaire", "suppleant", "par", "levee_par")
    )


# — La frise —


def _moment(jour: datetime.date) -> datetime.datetime:
    """Un jour sans heure, placé en début de journée (heure de Paris) pour le tri."""
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time.min))


def _nom(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _lien(type_document: TypeDocument, objet, fichier) -> str:
    """L'adresse de téléchargement (politique d'accès, trace), jamais celle du stockage."""
    return lien_document(type_document, objet.pk) if fichier else ""


def _evenements_entree(parcours: Parcours, suivi: bool) -> Iterable[Evenement]:
    prescription = getattr(parcours, "prescription", None)
    yield Evenement(
        le=parcours.created_at,
        rubrique=Rubrique.PRESCRIPTION,
        titre="Prescription"
        + (
            " (venue de sa propre initiative)"
            if prescription and prescription.auto_prescription
            else ""
        ),
        detail=prescription.motif if prescription else "",
        par=_nom(parcours.prescripteur)
        + (f" ({parcours.structure_prescriptrice})" if parcours.structure_prescriptrice else ""),
        vers=Statut.PRESCRIT.label,
    )
    if prescription is not None and prescription.derogation_le:
        yield Evenement(
            le=prescription.derogation_le,
            rubrique=Rubrique.PRESCRIPTION,
            titre="Dérogation aux critères d'éligibilité",
            detail=prescription.derogation_motif,
            par=_nom(prescription.derogation_par),
        )
    for t in parcours.transitions.all():
        motif_visible = suivi or t.transition in TRANSITIONS_ENTREE
        yield Evenement(
            le=t.at,
            rubrique=Rubrique.ETAT,
            titre=t.libelle,
            detail=t.motif if motif_visible else "",
            par=_nom(t.par),
            de=t.get_source_display(),
            vers=t.get_target_display(),
        )
    for d in parcours.decisions_commission.all():
        detail = d.motif
        if suivi and d.referent_id:
            detail = f"Référent désigné : {_nom(d.referent)} ({d.structure})" + (
                f" — {d.motif}" if d.motif else ""
            )
        yield Evenement(
            le=d.le,
            rubrique=Rubrique.COMMISSION,
            titre=f"Décision de la commission du {timezone.localtime(d.session.date):%d/%m/%Y} : "
            f"{d.get_type_display().lower()}",
            detail=detail,
            par=_nom(d.par),
        )


def _evenements_suivi(parcours: Parcours) -> Iterable[Evenement]:
    for i in parcours.inscriptions_commission.all():
        yield Evenement(
            le=i.inscrite_le,
            rubrique=Rubrique.COMMISSION,
            titre=f"Inscrit à l'ordre du jour de la commission du "
            f"{timezone.localtime(i.session.date):%d/%m/%Y} ({i.get_objet_display().lower()})",
            par=_nom(i.inscrite_par),
        )
    yield from _evenements_engagement(parcours)
    for p in parcours.pieces_entree.all():
        yield Evenement(
            le=p.le,
            rubrique=Rubrique.DOCUMENT,
            titre=f"Pièce d'entrée déposée : {p.libelle}",
            par=_nom(p.deposee_par),
            lien=_lien(TypeDocument.PIECE_ENTREE, p, p.fichier),
            lien_libelle="Ouvrir",
        )
    for c in parcours.courriels.all():
        yield Evenement(
            le=c.envoye_le,
            rubrique=Rubrique.COURRIEL,
            titre=f"Courriel : {c.sujet}",
            detail=f"À {', '.join(c.destinataires)}"
            + (f" — non envoyé : {c.erreur}" if c.erreur else ""),
        )
    for e in parcours.etapes.all():
        yield from _evenements_etape(e)
    for e in parcours.entretiens.all():
        yield Evenement(
            le=e.date,
            rubrique=Rubrique.ENTRETIEN,
            titre=f"{e.get_canal_display()}"
            + (f" — {e.get_presence_display().lower()}" if e.absent else ""),
            detail=e.motif_absence if e.absent else e.note,
            par=_nom(e.auteur),
            lien=_lien(TypeDocument.EMARGEMENT_ENTRETIEN, e, e.emargement),
            lien_libelle="Émargement" if e.emargement else "",
        )
    for s in parcours.suspensions.all():
        yield Evenement(
            le=_moment(s.debut),
            jour_seul=True,
            rubrique=Rubrique.SUSPENSION,
            titre=f"Suspension ({s.get_motif_display().lower()}) jusqu'au {s.fin_prevue:%d/%m/%Y}"
            + (f", renouvelée {s.renouvellements} fois" if s.renouvellements else ""),
            detail=s.precision,
            par=_nom(s.par),
        )
        if s.levee_le:
            yield Evenement(
                le=_moment(s.levee_le),
                jour_seul=True,
                rubrique=Rubrique.SUSPENSION,
                titre="Fin de la suspension",
                detail=s.motif_levee,
                par=_nom(s.levee_par),
            )
    for c in parcours.changements_referent.all():
        yield Evenement(
            le=c.at,
            rubrique=Rubrique.REFERENT,
            titre="Changement de référent" + (" (portefeuille)" if c.en_masse else ""),
            detail=c.motif,
            par=_nom(c.par),
            de=_nom(c.ancien),
            vers=f"{_nom(c.nouveau)} ({c.nouvelle_structure})",
        )
    for d in getattr(parcours, "interims", ()):
        yield Evenement(
            le=d.at,
            rubrique=Rubrique.REFERENT,
            titre=f"Intérim : {_nom(d.suppleant)} remplace {_nom(d.titulaire)} du "
            f"{d.debut:%d/%m/%Y} au {d.fin:%d/%m/%Y}",
            detail=d.motif,
            par=_nom(d.par),
        )
        if d.levee_le:
            yield Evenement(
                le=d.levee_le,
                rubrique=Rubrique.REFERENT,
                titre=f"Fin de l'intérim de {_nom(d.suppleant)}",
                par=_nom(d.levee_par),
            )
    for c in parcours.contrats.all():
        yield Evenement(
            le=_moment(c.debut),
            jour_seul=True,
            rubrique=Rubrique.EMPLOI,
            titre=f"Contrat : {c}",
            detail=f"{c.heures_hebdo} h/semaine".replace(".", ",") if c.heures_hebdo else "",
            par=_nom(c.created_by),
            lien=_lien(TypeDocument.JUSTIFICATIF_CONTRAT, c, c.justificatif),
            lien_libelle="Justificatif" if c.justificatif else "",
        )
        if c.fin and c.fin <= timezone.localdate():
            yield Evenement(
                le=_moment(c.fin),
                jour_seul=True,
                rubrique=Rubrique.EMPLOI,
                titre=f"Fin du contrat {c.get_type_display()} — {c.employeur}",
                detail=c.motif_fin,
            )
    for p in parcours.propositions_sortie.all():
        yield Evenement(
            le=p.proposee_le,
            rubrique=Rubrique.SORTIE,
            titre=f"Sortie proposée : {p.get_type_sortie_display()} au {p.date_sortie:%d/%m/%Y} "
            f"({p.get_statut_display().lower()})",
            detail=p.motif_refus or p.commentaire,
            par=_nom(p.proposee_par),
            lien=_lien(TypeDocument.JUSTIFICATIF_SORTIE, p, p.justificatif),
            lien_libelle="Justificatif" if p.justificatif else "",
        )
    donnees = getattr(parcours, "donnees_sortie_fse", None)
    if donnees is not None:
        yield Evenement(
            le=donnees.saisie_le,
            rubrique=Rubrique.SORTIE,
            titre=f"Données FSE+ de sortie : {donnees.get_situation_display()}",
            par=_nom(donnees.saisie_par),
        )


def _evenements_engagement(parcours: Parcours) -> Iterable[Evenement]:
    contrat = getattr(parcours, "contrat_engagement", None)
    if contrat is not None:
        if contrat.genere_le:
            yield Evenement(
                le=contrat.genere_le,
                rubrique=Rubrique.ENGAGEMENT,
                titre="Contrat d'engagement généré",
                par=_nom(contrat.genere_par),
                lien=_lien(TypeDocument.CONTRAT_ENGAGEMENT, contrat, contrat.fichier),
                lien_libelle="PDF",
            )
        for signataire in contrat.signataires:
            date = contrat.date_signature(signataire)
            if date:
                yield Evenement(
                    le=_moment(date),
                    jour_seul=True,
                    rubrique=Rubrique.ENGAGEMENT,
                    titre=f"Contrat d'engagement signé par {Signataire(signataire).label}",
                )
        if contrat.copie_deposee_le:
            yield Evenement(
                le=contrat.copie_deposee_le,
                rubrique=Rubrique.DOCUMENT,
                titre="Copie signée du contrat d'engagement déposée",
                par=_nom(contrat.copie_deposee_par),
                lien=_lien(TypeDocument.CONTRAT_SIGNE, contrat, contrat.copie_signee),
                lien_libelle="Ouvrir",
            )
    questionnaire = getattr(parcours, "questionnaire_fse", None)
    if questionnaire is not None:
        manquants = questionnaire.champs_manquants()
        yield Evenement(
            le=questionnaire.updated_at,
            rubrique=Rubrique.ENGAGEMENT,
            titre="Questionnaire FSE+ d'entrée "
            + ("complet" if not manquants else f"renseigné ({len(manquants)} réponses manquantes)"),
            par=_nom(questionnaire.renseigne_par),
        )


def _evenements_etape(e: Etape) -> Iterable[Evenement]:
    periode = f"du {e.date_debut:%d/%m/%Y}" + (f" au {e.date_fin:%d/%m/%Y}" if e.date_fin else "")
    yield Evenement(
        le=_moment(e.date_debut),
        jour_seul=True,
        rubrique=Rubrique.ETAPE,
        titre=f"Étape : {e.titre} ({e.get_statut_display().lower()})",
        detail=" — ".join(
            x
            for x in (e.type_libelle if e.intitule else "", periode, e.prestataire, e.commentaire)
            if x
        ),
        par=_nom(e.created_by),
    )
    for preuve in e.preuves.all():
        yield Evenement(
            le=preuve.deposee_le,
            rubrique=Rubrique.DOCUMENT,
            titre=f"Preuve de l'étape « {e.titre} » : {preuve.libelle}",
            par=_nom(preuve.deposee_par),
            lien=_lien(TypeDocument.PREUVE_ETAPE, preuve, preuve.fichier),
            lien_libelle="Ouvrir",
        )


def _evenements_taches(taches: Sequence[TacheDossier]) -> Iterable[Evenement]:
    for t in taches:
        yield Evenement(
            le=t.ouverte_le,
            rubrique=Rubrique.TACHE,
            titre=f"Tâche ouverte : {t.titre}",
            par=t.responsable,
        )
        if t.fermee_le:
            yield Evenement(
                le=t.fermee_le,
                rubrique=Rubrique.TACHE,
                titre=f"Tâche {t.etat.lower()} : {t.titre}",
                detail=t.fermeture,
                par=t.responsable,
            )


def frise(parcours: Parcours, *, suivi: bool, taches: Sequence[TacheDossier] = ()) -> list:
    """Tous les événements du parcours, du plus ancien au plus récent."""
    evenements = list(_evenements_entree(parcours, suivi))
    if suivi:
        evenements += _evenements_suivi(parcours)
        evenements += _evenements_taches(taches)
    # Tri stable : à moment égal, l'ordre des sources (la prescription avant sa transition).
    return sorted(evenements, key=lambda e: e.le)


# — Données FSE+ —


def completude_fse(parcours: Parcours, aujourdhui: datetime.date | None = None) -> CompletudeFSE:
    """Ce qui manque aux données FSE+ du parcours (questionnaire d'entrée, pièces, sortie).

    Lit le questionnaire et les pièces déjà chargés (`charger_parcours`) ; les règles du PLIE
    (pièces, délai de saisie de sortie) viennent de son référentiel en vigueur.
    """
    from parcours.accompagnement.engagement import regles_engagement
    from parcours.accompagnement.suivi import delais_de_suivi

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
    from parcours.accompagnement.enums import StatutEtape

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
    from parcours.dossier.alertes import constats_du_parcours

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
        from parcours.emploi.services import qualification_du_parcours

        dossier.qualification = qualification_du_parcours(parcours, aujourdhui)
    return dossier
