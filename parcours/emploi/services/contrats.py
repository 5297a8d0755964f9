"""Les contrats du participant, par ce que font les gens : enregistrer, modifier, terminer un
contrat (docs/emploi.md).

Chaque service prend l'acteur (`par`), vérifie ses droits par `par.has_perm(...)` (la politique
d'accès répond), et ne change rien quand il refuse : `ContratInvalide` (message français, par champ
quand il y a lieu) ou `ContratNonAutorise` (403). Après chaque changement, le signal
`contrats_modifies` prévient la couche `workflows` (suivi dans l'emploi, minuteur de la sortie
prévisionnelle) : le domaine n'importe pas les flux."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.fichiers import verifier_fichier
from parcours.core.validators import DateBornee
from parcours.emploi.enums import TypeContrat
from parcours.emploi.models import Contrat

# Enregistrer un contrat : le référent du parcours, l'animation, et le ou la CRE (mise en relation
# réussie) — les mêmes rôles que la transition `entrer_en_emploi`.
# États où l'on enregistre un contrat : pendant l'accompagnement et le suivi dans l'emploi, et
# tant que la sortie n'est pas décidée (un contrat peut arriver pendant la proposition).
STATUTS_CONTRAT = (
    Statut.EN_ACCOMPAGNEMENT,
    Statut.SUSPENDU,
    Statut.EN_EMPLOI,
    Statut.SORTIE_PROPOSEE,
)
CHAMPS = (
    "type",
    "employeur",
    "entreprise",
    "client",
    "debut",
    "fin",
    "heures_hebdo",
    "heures",
    "periode_essai_jours",
    "temps_partiel_choisi",
)

# Envoyé après tout changement des contrats d'un parcours (dans la transaction) :
# `parcours`, `contrat`, `par`, `action` ("enregistre", "modifie", "termine").
contrats_modifies = Signal()


class ContratInvalide(ValidationError):
    """Données de contrat refusées ; `message_dict` par champ quand un champ est en cause."""

    def __str__(self):
        return " ; ".join(self.messages)


class ContratNonAutorise(PermissionDenied):
    pass


# — Contrôles —


def _exiger_droit(par, parcours) -> None:
    if not par.has_perm("accompagnement.suivre_emploi", parcours):
        raise ContratNonAutorise(
            "Vous ne pouvez pas enregistrer de contrat pour ce parcours : c'est le rôle de son "
            "référent, de l'équipe d'animation ou du chargé de relations entreprises."
        )


def _exiger_etat(parcours) -> None:
    if parcours.statut not in STATUTS_CONTRAT:
        raise ContratInvalide(
            f"Le parcours est à l'état « {parcours.get_statut_display()} » : on n'y enregistre "
            "de contrat que pendant l'accompagnement, le suivi dans l'emploi ou une sortie "
            "proposée."
        )


def _decimal(valeur, champ, libelle):
    if valeur in (None, ""):
        return None
    try:
        return Decimal(str(valeur).replace(",", "."))
    except InvalidOperation:
        raise ContratInvalide({champ: f"{libelle} : un nombre est attendu."}) from None


def _date(valeur, champ, libelle):
    if valeur in (None, ""):
        return None
    if isinstance(valeur, datetime.datetime):
        jour = valeur.date()
    elif isinstance(valeur, datetime.date):
        jour = valeur
    else:
        try:
            jour = datetime.date.fromisoformat(str(valeur))
        except ValueError:
            raise ContratInvalide(
                {champ: f"{libelle} : une date JJ/MM/AAAA est attendue."}
            ) from None
    # Hors de 1900–2100, les échéances (« 6 mois après la fin ») sortent du calendrier.
    try:
        DateBornee(champ=libelle)(jour)
    except ValidationError as exc:
        raise ContratInvalide({champ: exc.messages[0]}) from None
    return jour


def _nettoyer(donnees: dict) -> dict:
    """Convertit et vérifie les données d'un contrat ; toutes les erreurs d'un coup."""
    inconnus = set(donnees) - set(CHAMPS)
    if inconnus:
        raise ContratInvalide(f"Champs de contrat inconnus : {', '.join(sorted(inconnus))}.")
    d = dict(donnees)
    erreurs = {}
    if d.get("type") not in TypeContrat.values:
        erreurs["type"] = f"Type de contrat inconnu : « {d.get('type') or ''} »."
    d["entreprise"] = d.get("entreprise")
    d["employeur"] = (d.get("employeur") or "").strip()
    if not d["employeur"] and d["entreprise"] is not None:
        d["employeur"] = d["entreprise"].raison_sociale  # l'entreprise du réseau (CRE)
    if not d["employeur"]:
        erreurs["employeur"] = "Indiquez l'employeur (ou l'agence d'intérim)."
    d["client"] = (d.get("client") or "").strip()
    try:
        d["debut"] = _date(d.get("debut"), "debut", "Début")
        d["fin"] = _date(d.get("fin"), "fin", "Fin")
        d["heures_hebdo"] = _decimal(d.get("heures_hebdo"), "heures_hebdo", "Heures par semaine")
        d["heures"] = _decimal(d.get("heures"), "heures", "Heures réalisées")
    except ContratInvalide as exc:
        erreurs.update(exc.message_dict)
        raise ContratInvalide(erreurs) from None
    if d["debut"] is None:
        erreurs["debut"] = "Indiquez la date de début du contrat."
    elif d["fin"] is not None and d["fin"] < d["debut"]:
        erreurs["fin"] = (
            f"La fin ({d['fin']:%d/%m/%Y}) précède le début ({d['debut']:%d/%m/%Y}) du contrat."
        )
    if d["heures_hebdo"] is not None and not (0 < d["heures_hebdo"] <= 48):
        erreurs["heures_hebdo"] = "Heures par semaine : entre 0 et 48 (durée maximale légale)."
    if d["heures"] is not None and d["heures"] < 0:
        erreurs["heures"] = "Les heures réalisées ne peuvent pas être négatives."
    essai = d.get("periode_essai_jours")
    if essai in ("", None):
        d["periode_essai_jours"] = None
    else:
        try:
            d["periode_essai_jours"] = int(essai)
        except (TypeError, ValueError):
            erreurs["periode_essai_jours"] = "Période d'essai : un nombre de jours est attendu."
        else:
            if not 0 < d["periode_essai_jours"] <= 366:
                erreurs["periode_essai_jours"] = "Période d'essai : entre 1 et 366 jours."
    d["temps_partiel_choisi"] = bool(d.get("temps_partiel_choisi"))
    if erreurs:
        raise ContratInvalide(erreurs)
    return d


def _fin_periode_essai(debut, jours):
    return debut + datetime.timedelta(days=jours - 1) if (debut and jours) else None


def _verifier_chevauchement(parcours, donnees, exclure=None) -> None:
    """Deux contrats chez le même employeur ne se chevauchent pas (aussi tenu par la base)."""
    fin = donnees["fin"] or datetime.date.max
    autres = parcours.contrats.filter(
        employeur__iexact=donnees["employeur"], debut__lte=fin
    ).filter(Q(fin__isnull=True) | Q(fin__gte=donnees["debut"]))
    if exclure is not None:
        autres = autres.exclude(pk=exclure.pk)
    autre = autres.order_by("debut").first()
    if autre is not None:
        raise ContratInvalide(
            {
                "debut": f"Ce contrat chevauche un contrat déjà enregistré chez {autre.employeur} "
                f"({autre}) : terminez ou corrigez celui-ci d'abord."
            }
        )


def _verifier_entreprise(parcours, entreprise) -> None:
    if entreprise is not None and entreprise.plie_id != parcours.plie_id:
        raise ContratInvalide(
            {"entreprise": f"L'entreprise {entreprise} relève d'un autre PLIE que ce parcours."}
        )


def _verifier_justificatif(justificatif) -> None:
    if justificatif:
        try:
            verifier_fichier(justificatif, champ="Justificatif du contrat")
        except ValidationError as exc:
            raise ContratInvalide({"justificatif": exc.messages}) from None


def _verrouiller(parcours) -> Parcours:
    return (
        Parcours.objects.select_for_update(of=("self",))
        .select_related("participant", "plie")
        .get(pk=parcours.pk)
    )


def _enregistrer(contrat) -> Contrat:
    try:
        with transaction.atomic():
            contrat.save()
    except IntegrityError as exc:  # filet : l'exclusion en base, si deux saisies se croisent
        if "contrat_sans_chevauchement" in str(exc):
            raise ContratInvalide(
                {"debut": "Ce contrat chevauche un autre contrat chez le même employeur."}
            ) from None
        raise
    return contrat


# — Services —


def enregistrer_contrat(parcours, *, par, justificatif=None, **donnees) -> Contrat:
    """Enregistre un contrat (ou une mission) du participant.

    `donnees` : `type` (TypeContrat), `employeur`, `debut`, et facultatifs `entreprise` (une
    `entreprises.Entreprise` du PLIE ; sa raison sociale sert d'employeur s'il est vide), `fin`,
    `client`, `heures_hebdo`, `heures` (réalisées), `periode_essai_jours`,
    `temps_partiel_choisi`.
    Le premier contrat d'un parcours en accompagnement (ou suspendu) le fait entrer en emploi
    (transition `entrer_en_emploi`, au nom de `par`).
    """
    d = _nettoyer(donnees)
    _verifier_justificatif(justificatif)
    with transaction.atomic():
        parcours = _verrouiller(parcours)
        _exiger_droit(par, parcours)
        _exiger_etat(parcours)
        _verifier_entreprise(parcours, d["entreprise"])
        _verifier_chevauchement(parcours, d)
        contrat = Contrat(
            parcours=parcours,
            created_by=par,
            fin_periode_essai=_fin_periode_essai(d["debut"], d["periode_essai_jours"]),
            **d,
        )
        if justificatif:
            contrat.justificatif = justificatif
        _enregistrer(contrat)
        if parcours.statut in (Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU):
            parcours.entrer_en_emploi(par=par, motif=f"Contrat : {contrat}")
            parcours.save()
        contrats_modifies.send(
            sender=Contrat, parcours=parcours, contrat=contrat, par=par, action="enregistre"
        )
    return contrat


def _relire(contrat, version) -> Contrat:
    contrat = Contrat.objects.select_for_update().get(pk=contrat.pk)
    if version is not None and int(version) != contrat.version:
        qui = contrat.updated_by or contrat.created_by
        raise ContratInvalide(
            f"Ce contrat vient d'être modifié par {qui} "
            f"(le {timezone.localtime(contrat.updated_at):%d/%m/%Y à %H:%M}) : rechargez la page "
            "pour voir sa version actuelle avant de le modifier."
        )
    return contrat


def modifier_contrat(contrat, *, par, version=None, justificatif=None, **donnees) -> Contrat:
    """Corrige un contrat. `version` : celle lue par l'appelant ; si le contrat a changé depuis,
    rien n'est écrit (`ContratInvalide` l'explique)."""
    with transaction.atomic():
        parcours = _verrouiller(contrat.parcours)
        _exiger_droit(par, parcours)
        _exiger_etat(parcours)
        contrat = _relire(contrat, version)
        actuelles = {champ: getattr(contrat, champ) for champ in CHAMPS}
        d = _nettoyer({**actuelles, **donnees})
        _verifier_justificatif(justificatif)
        _verifier_entreprise(parcours, d["entreprise"])
        _verifier_chevauchement(parcours, d, exclure=contrat)
        for champ, valeur in d.items():
            setattr(contrat, champ, valeur)
        contrat.fin_periode_essai = _fin_periode_essai(d["debut"], d["periode_essai_jours"])
        if justificatif:
            contrat.justificatif = justificatif
        contrat.updated_by = par
        contrat.version += 1
        _enregistrer(contrat)
        contrats_modifies.send(
            sender=Contrat, parcours=parcours, contrat=contrat, par=par, action="modifie"
        )
    return contrat


def terminer_contrat(contrat, *, par, fin, motif="", version=None, rompre=False) -> Contrat:
    """Le contrat s'arrête le `fin` (fin de mission, rupture, démission…), avec son motif.

    `rompre` : la personne n'a plus d'emploi, le parcours revient en accompagnement (transition
    `rompre_emploi`, motif obligatoire) — refusé si un autre contrat court encore."""
    fin = _date(fin, "fin", "Fin")
    if fin is None:
        raise ContratInvalide({"fin": "Indiquez la date de fin du contrat."})
    with transaction.atomic():
        parcours = _verrouiller(contrat.parcours)
        _exiger_droit(par, parcours)
        _exiger_etat(parcours)
        contrat = _relire(contrat, version)
        if fin < contrat.debut:
            raise ContratInvalide(
                {
                    "fin": f"La fin ({fin:%d/%m/%Y}) précède le début "
                    f"({contrat.debut:%d/%m/%Y}) du contrat."
                }
            )
        contrat.fin = fin
        contrat.motif_fin = (motif or "").strip()
        contrat.updated_by = par
        contrat.version += 1
        _enregistrer(contrat)
        if rompre:
            _rompre_emploi(parcours, contrat, par)
        contrats_modifies.send(
            sender=Contrat, parcours=parcours, contrat=contrat, par=par, action="termine"
        )
    return contrat


def _rompre_emploi(parcours, contrat, par) -> None:
    if parcours.statut != Statut.EN_EMPLOI:
        raise ContratInvalide(
            f"Le parcours est à l'état « {parcours.get_statut_display()} » : il n'y a pas "
            "d'emploi à rompre."
        )
    if not contrat.motif_fin:
        raise ContratInvalide({"motif": "Indiquez le motif de la rupture."})
    autre = (
        parcours.contrats.exclude(pk=contrat.pk)
        .filter(Q(fin__isnull=True) | Q(fin__gt=contrat.fin), debut__lte=timezone.localdate())
        .first()
    )
    if autre is not None:
        raise ContratInvalide(
            f"Un autre contrat court encore ({autre}) : le parcours reste en emploi."
        )
    parcours.rompre_emploi(par=par, motif=f"{contrat} : {contrat.motif_fin}")
    parcours.save()
