"""La frise d'un dossier (docs/dossier.md) : tout ce qui est arrivé au parcours, du plus ancien au
plus récent, lu dans les sources déjà chargées (`chargement.charger_parcours`), sans requête.

Qui voit quoi : la politique d'accès (`acces.voit_le_suivi`) le dit à l'appelant. Un prescripteur
voit sa prescription et son issue, pas le suivi (entretiens, étapes, documents, données FSE+).
"""

import datetime
from collections.abc import Iterable, Sequence

from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Etape, Parcours
from parcours.accompagnement.models.engagement import Signataire
from parcours.core.documents import TypeDocument, lien_document
from parcours.dossier.evenements import TRANSITIONS_ENTREE, Evenement, Rubrique, TacheDossier


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


def _date_de_prescription(parcours: Parcours) -> tuple[datetime.datetime, bool]:
    """Le moment de la prescription et s'il n'est connu qu'au jour : la date de prescription du
    dossier, à l'heure de sa saisie quand elle a été saisie ce jour-là (une prescription reprise
    plus tard, ou datée dans le passé, se place à sa date, avant ce qui l'a suivie)."""
    if (
        parcours.created_at
        and timezone.localdate(parcours.created_at) == parcours.date_prescription
    ):
        return parcours.created_at, False
    return _moment(parcours.date_prescription), True


def _evenements_entree(parcours: Parcours, suivi: bool) -> Iterable[Evenement]:
    prescription = getattr(parcours, "prescription", None)
    le, jour_seul = _date_de_prescription(parcours)
    yield Evenement(
        le=le,
        jour_seul=jour_seul,
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
