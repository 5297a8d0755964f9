"""Le suivi du parcours : étapes et preuves, entretiens, suspensions, changement de référent et
intérim (docs/accompagnement.md).

Chaque service d'écriture prend l'acteur (`par`) et vérifie ses droits par la politique d'accès
(`parcours/acces/`) : le référent du parcours (ou son suppléant pendant un intérim), le
référent d'étape, l'équipe d'animation du PLIE ; les changements de référent et les intérims
relèvent de l'animation et de la direction du PLIE. Les erreurs de saisie lèvent une
`ValidationError` dont chaque message, en français, est rangé sous le nom du champ ; rien n'est
enregistré (transactions).

Les règles propres au PLIE viennent de son référentiel en vigueur : le catalogue des étapes
(section `etapes`) et les délais du suivi (section `suivi`, `delais_de_suivi`).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone

from parcours.accompagnement.enums import (
    STATUTS_ETAPE_A_JUSTIFIER,
    STATUTS_FILE_ACTIVE,
    CanalContact,
    MotifSuspension,
    Presence,
    Statut,
    StatutEtape,
)
from parcours.accompagnement.models import (
    ChangementReferent,
    Delegation,
    Entretien,
    Etape,
    JournalDelegation,
    JournalEtape,
    Parcours,
    ParcoursUserObjectPermission,
    PreuveEtape,
    RenouvellementSuspension,
    Suspension,
)
from parcours.core.enums import Role
from parcours.core.errors import (
    ConflitTransition,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.core.fichiers import verifier_fichier
from parcours.core.models import PLIE
from parcours.core.perimetre import structure_de_referent
from parcours.referentiel.sections.etapes import Catalogue, PreuveAttendue, TypeEtape
from parcours.referentiel.sections.etapes import de as catalogue_etapes
from parcours.referentiel.sections.suivi import de as delais_de_suivi

# Le suivi (étapes, entretiens) se tient tant que le dossier est dans la file active.
STATUTS_SUIVI = STATUTS_FILE_ACTIVE
# Droits django-guardian accordés au suppléant d'un intérim, sur chaque dossier couvert.
DROITS_INTERIM = ("view_parcours", "change_parcours")

# Envoyé (dans la transaction) quand une absence injustifiée est enregistrée : les flux
# (workflows/suivi.py) y créent les relances du référent. Arguments : entretien, par.
absence_injustifiee = Signal()
# Envoyé quand une suspension commence, est renouvelée ou levée. Arguments : suspension, par.
suspension_commencee = Signal()
suspension_levee = Signal()
suspension_renouvelee = Signal()
# Envoyé après un changement de référent (un dossier ou un portefeuille). Arguments :
# changements (liste de ChangementReferent), par.
referent_change = Signal()


class EtapeModifiee(ConflitTransition):
    message = (
        "Cette étape vient d'être modifiée par une autre personne : rechargez la page pour voir "
        "ses valeurs actuelles avant de la modifier."
    )


def ajouter_mois(jour: datetime.date, mois: int) -> datetime.date:
    """Durée en mois calendaires (31 janvier + 1 mois = 28 ou 29 février)."""
    return jour + relativedelta(months=mois)


# — Droits —


def peut_suivre(user, parcours: Parcours) -> bool:
    """Tenir le suivi du dossier : son référent (ou suppléant), référent d'étape, animation."""
    return user.has_perm("accompagnement.suivre_parcours", parcours)


def _verifier(
    parcours: Parcours,
    par,
    action: str,
    statuts=STATUTS_SUIVI,
    permission="accompagnement.suivre_parcours",
) -> Statut:
    """Droits de l'acteur puis état du parcours (relu et verrouillé : appeler en transaction)."""
    if not par.has_perm(permission, parcours):
        avec_cre = permission == "accompagnement.suivre_emploi"
        qui = "le référent du parcours" + (", le ou la CRE" if avec_cre else "")
        raise TransitionNonAutorisee(
            f"Vous n'avez pas le droit de {action} : seuls {qui} et l'équipe "
            "d'animation du PLIE le peuvent."
        )
    statut = Statut(
        Parcours.objects.select_for_update().values_list("statut", flat=True).get(pk=parcours.pk)
    )
    if statut not in statuts:
        raise TransitionInterdite(
            f"Impossible de {action} : le parcours est à l'état « {statut.label} »."
        )
    return statut


def _erreurs(erreurs: dict) -> None:
    if erreurs:
        raise ValidationError({k: [v] if isinstance(v, str) else v for k, v in erreurs.items()})


# — Étapes —


CHAMPS_ETAPE = ("intitule", "prestataire", "date_debut", "date_fin", "statut", "commentaire")


def _verifier_etape(etape: Etape, aujourd_hui: datetime.date) -> None:
    erreurs = {}
    if etape.statut not in StatutEtape.values:
        erreurs["statut"] = f"Statut d'étape inconnu : « {etape.statut} »."
    if etape.date_debut is None:
        erreurs["date_debut"] = "La date de début est obligatoire."
    elif etape.date_fin is not None and etape.date_fin < etape.date_debut:
        erreurs["date_fin"] = (
            f"La date de fin ne peut pas précéder la date de début ({etape.date_debut:%d/%m/%Y})."
        )
    if etape.statut == StatutEtape.REALISEE:
        if etape.date_fin is None:
            erreurs["date_fin"] = "Une étape réalisée a une date de fin."
        elif etape.date_fin > aujourd_hui:
            erreurs["date_fin"] = "Une étape réalisée ne peut pas se terminer dans le futur."
    if (
        etape.statut in STATUTS_ETAPE_A_JUSTIFIER
        and etape.date_debut
        and etape.date_debut > aujourd_hui
    ):
        erreurs["statut"] = (
            f"Une étape qui commence le {etape.date_debut:%d/%m/%Y} est encore « prévue »."
        )
    for champ, longueur in (("intitule", 200), ("prestataire", 200)):
        if len(getattr(etape, champ) or "") > longueur:
            erreurs[champ] = f"{longueur} caractères au plus."
    _erreurs(erreurs)


def _appliquer_type(etape: Etape, type_etape: TypeEtape) -> None:
    etape.type_code = type_etape.code
    etape.type_libelle = type_etape.libelle
    etape.categorie = type_etape.categorie
    etape.compte = type_etape.compte
    etape.emploi_ou_formation = type_etape.emploi_ou_formation


def _type_du_catalogue(parcours: Parcours, code: str) -> TypeEtape:
    catalogue = catalogue_etapes(parcours.plie_id)
    type_etape = catalogue.type(code)
    if type_etape is None:
        if not catalogue.types:
            message = "Le référentiel de ce PLIE n'a pas de catalogue d'étapes."
        else:
            message = f"« {code} » n'est pas un type d'étape du catalogue de ce PLIE."
        raise ValidationError({"type_code": [message]})
    return type_etape


@transaction.atomic
def ajouter_etape(
    parcours: Parcours,
    par,
    *,
    type_code: str,
    date_debut: datetime.date,
    date_fin: datetime.date | None = None,
    statut: str = StatutEtape.PREVUE,
    intitule: str = "",
    prestataire: str = "",
    commentaire: str = "",
) -> Etape:
    """Ajoute au parcours une étape d'un type du catalogue du PLIE."""
    _verifier(parcours, par, "ajouter une étape")
    etape = Etape(
        parcours=parcours,
        date_debut=date_debut,
        date_fin=date_fin,
        statut=statut,
        intitule=(intitule or "").strip(),
        prestataire=(prestataire or "").strip(),
        commentaire=(commentaire or "").strip(),
        created_by=par,
    )
    _appliquer_type(etape, _type_du_catalogue(parcours, type_code))
    _verifier_etape(etape, timezone.localdate())
    etape.save()
    JournalEtape.objects.create(etape=etape, par=par, statut_apres=etape.statut)
    return etape


@transaction.atomic
def modifier_etape(etape: Etape, par, *, version: int, type_code: str | None = None, **valeurs):
    """Modifie une étape lue à la `version` donnée ; refusée (EtapeModifiee) si quelqu'un l'a
    modifiée depuis. `valeurs` : parmi intitule, prestataire, date_debut, date_fin, statut,
    commentaire."""
    inconnus = set(valeurs) - set(CHAMPS_ETAPE)
    if inconnus:
        raise ValueError(f"Champs d'étape inconnus : {', '.join(sorted(inconnus))}")
    parcours = etape.parcours
    _verifier(parcours, par, "modifier une étape")
    actuelle = Etape.objects.select_for_update().get(pk=etape.pk)
    if actuelle.version != version:
        raise EtapeModifiee()
    avant = {champ: getattr(actuelle, champ) for champ in (*CHAMPS_ETAPE, "type_code")}
    for champ, valeur in valeurs.items():
        if isinstance(valeur, str):
            valeur = valeur.strip()
        setattr(actuelle, champ, valeur)
    if type_code is not None and type_code != actuelle.type_code:
        _appliquer_type(actuelle, _type_du_catalogue(parcours, type_code))
    _verifier_etape(actuelle, timezone.localdate())
    changements = {
        champ: [_en_json(ancienne), _en_json(getattr(actuelle, champ))]
        for champ, ancienne in avant.items()
        if getattr(actuelle, champ) != ancienne
    }
    if not changements:
        return actuelle
    actuelle.updated_by = par
    actuelle.version = F("version") + 1
    actuelle.save()
    actuelle.refresh_from_db()
    JournalEtape.objects.create(
        etape=actuelle,
        par=par,
        statut_avant=avant["statut"],
        statut_apres=actuelle.statut,
        changements=changements,
    )
    return actuelle


def _en_json(valeur):
    return valeur.isoformat() if isinstance(valeur, datetime.date) else valeur


@transaction.atomic
def deposer_preuve(etape: Etape, par, *, type_preuve: str, fichier) -> PreuveEtape:
    """Dépose un justificatif d'un type listé pour ce type d'étape (PDF, JPEG ou PNG, 10 Mo)."""
    _verifier(etape.parcours, par, "déposer une preuve d'étape")
    type_etape = catalogue_etapes(etape.parcours.plie_id).type(etape.type_code)
    attendue = type_etape.preuve(type_preuve) if type_etape else None
    if attendue is None:
        connues = ", ".join(p.libelle for p in type_etape.preuves) if type_etape else "aucune"
        raise ValidationError(
            {
                "type_preuve": [
                    f"« {type_preuve} » n'est pas une preuve prévue pour « {etape.type_libelle} » "
                    f"(preuves : {connues})."
                ]
            }
        )
    try:
        verifier_fichier(fichier, champ=f"Preuve « {attendue.libelle} »")
    except ValidationError as exc:
        raise ValidationError({"fichier": exc.messages}) from exc
    preuve = PreuveEtape(
        etape=etape, type_preuve=attendue.code, libelle=attendue.libelle, deposee_par=par
    )
    preuve.fichier.save(fichier.name, fichier, save=False)
    preuve.save()
    return preuve


def preuves_manquantes(etape: Etape, catalogue: Catalogue | None = None) -> list[PreuveAttendue]:
    """Ce qui manque pour justifier l'étape ; [] si elle est justifiée ou pas encore engagée.

    Pour un type « une » (l'une des preuves listées suffit), la liste des preuves possibles tant
    qu'aucune n'est déposée. Utilise `etape.preuves.all()` (préchargeable) ; `catalogue` évite de
    relire le référentiel pour chaque étape d'une liste.
    """
    if etape.statut not in STATUTS_ETAPE_A_JUSTIFIER:
        return []
    catalogue = catalogue or catalogue_etapes(etape.parcours.plie_id)
    type_etape = catalogue.type(etape.type_code)
    if type_etape is None:
        return []
    deposees = {p.type_preuve for p in etape.preuves.all()}
    if type_etape.preuves_exigees == "une":
        if deposees & {p.code for p in type_etape.preuves}:
            return []
        return list(type_etape.preuves)
    return [p for p in type_etape.preuves if p.code not in deposees]


def message_preuves_manquantes(etape: Etape, catalogue: Catalogue | None = None) -> str:
    """« Preuve manquante : attestation, compte rendu ou courriel » ; "" si rien ne manque."""
    manquantes = preuves_manquantes(etape, catalogue)
    if not manquantes:
        return ""
    catalogue = catalogue or catalogue_etapes(etape.parcours.plie_id)
    type_etape = catalogue.type(etape.type_code)
    libelles = [p.libelle for p in manquantes]
    if type_etape.preuves_exigees == "une" and len(libelles) > 1:
        return "Preuve manquante : " + ", ".join(libelles[:-1]) + " ou " + libelles[-1]
    return ("Preuves manquantes : " if len(libelles) > 1 else "Preuve manquante : ") + ", ".join(
        libelles
    )


# — Entretiens et contacts —


@transaction.atomic
def enregistrer_entretien(
    parcours: Parcours,
    par,
    *,
    date: datetime.datetime,
    canal: str,
    note: str = "",
    presence: str = Presence.PRESENT,
    motif_absence: str = "",
    emargement=None,
) -> Entretien:
    """Enregistre un entretien ou un contact (ou un rendez-vous manqué).

    Une absence injustifiée déclenche les relances du référentiel (signal `absence_injustifiee`,
    flux workflows/suivi.py) dans la même transaction.
    """
    _verifier(parcours, par, "enregistrer un entretien")
    return _creer_entretien(
        parcours,
        par,
        date=date,
        canal=canal,
        note=note,
        presence=presence,
        motif_absence=motif_absence,
        emargement=emargement,
    )


# Le ou la CRE suit la personne dans l'emploi (docs/emploi.md) : ses appels et visites sont des
# contacts du dossier (chronologie, alerte « sans contact »), mais il ne tient pas le reste du
# suivi (étapes, suspensions, émargements) : le droit est ouvert à ce seul service.


@transaction.atomic
def enregistrer_contact_emploi(
    parcours: Parcours, par, *, date: datetime.datetime, canal: str, note: str
) -> Entretien:
    """Enregistre un contact tenu avec la personne pendant le suivi dans l'emploi (appel ou
    visite du CRE, contact mensuel du référent) : un `Entretien` où elle était présente, dont
    l'auteur est `par`."""
    _verifier(parcours, par, "enregistrer un contact", permission="accompagnement.suivre_emploi")
    return _creer_entretien(parcours, par, date=date, canal=canal, note=note)


def _creer_entretien(
    parcours: Parcours,
    par,
    *,
    date: datetime.datetime,
    canal: str,
    note: str = "",
    presence: str = Presence.PRESENT,
    motif_absence: str = "",
    emargement=None,
) -> Entretien:
    """Contrôle et enregistre l'entretien (droits déjà vérifiés, en transaction)."""
    erreurs = {}
    if canal not in CanalContact.values:
        erreurs["canal"] = f"Canal de contact inconnu : « {canal} »."
    if presence not in Presence.values:
        erreurs["presence"] = f"Présence inconnue : « {presence} »."
    if date is None:
        erreurs["date"] = "La date de l'entretien est obligatoire."
    elif date > timezone.now() + datetime.timedelta(minutes=5):
        erreurs["date"] = "Un entretien ne s'enregistre qu'une fois tenu : la date est future."
    motif_absence = (motif_absence or "").strip()
    if presence == Presence.ABSENT_JUSTIFIE and not motif_absence:
        erreurs["motif_absence"] = "Indiquez le motif de l'absence justifiée."
    if presence == Presence.PRESENT and motif_absence:
        erreurs["motif_absence"] = "Pas de motif d'absence pour une personne présente."
    if emargement:
        if presence != Presence.PRESENT:
            erreurs["emargement"] = "Pas de feuille d'émargement pour une personne absente."
        else:
            try:
                verifier_fichier(emargement, champ="Feuille d'émargement")
            except ValidationError as exc:
                erreurs["emargement"] = exc.messages
    _erreurs(erreurs)
    entretien = Entretien(
        parcours=parcours,
        date=date,
        canal=canal,
        auteur=par,
        note=(note or "").strip(),
        presence=presence,
        motif_absence=motif_absence,
    )
    if emargement:
        entretien.emargement.save(emargement.name, emargement, save=False)
    entretien.save()
    if presence == Presence.ABSENT_INJUSTIFIE:
        absence_injustifiee.send(sender=Entretien, entretien=entretien, par=par)
    return entretien


@transaction.atomic
def deposer_emargement(entretien: Entretien, par, fichier) -> Entretien:
    """Dépose (ou remplace) la feuille d'émargement d'un entretien physique tenu."""
    _verifier(entretien.parcours, par, "déposer une feuille d'émargement")
    if entretien.presence != Presence.PRESENT:
        raise ValidationError(
            {"emargement": ["Pas de feuille d'émargement pour une personne absente."]}
        )
    try:
        verifier_fichier(fichier, champ="Feuille d'émargement")
    except ValidationError as exc:
        raise ValidationError({"emargement": exc.messages}) from exc
    ancien = entretien.emargement.name
    entretien.emargement.save(fichier.name, fichier, save=False)
    entretien.save()
    if ancien and ancien != entretien.emargement.name:
        stockage = entretien.emargement.storage
        transaction.on_commit(lambda: stockage.delete(ancien))
    return entretien


def dernier_entretien_physique(parcours: Parcours) -> Entretien | None:
    return (
        parcours.entretiens.filter(canal__in=["physique_individuel", "physique_collectif"])
        .filter(presence=Presence.PRESENT)
        .order_by("-date")
        .first()
    )


# — Suspension (veille) —


def suspension_en_cours(parcours: Parcours) -> Suspension | None:
    return parcours.suspensions.en_cours().first()


@transaction.atomic
def suspendre_parcours(
    parcours: Parcours,
    par,
    *,
    motif: str,
    precision: str = "",
    debut: datetime.date | None = None,
    fin_prevue: datetime.date | None = None,
) -> Suspension:
    """Met le parcours en veille (transition `suspendre`) pour la durée du référentiel
    (`suivi.suspension_mois`, 3 mois par défaut) sauf fin prévue donnée."""
    parcours = Parcours.objects.select_for_update().get(pk=parcours.pk)
    aujourd_hui = timezone.localdate()
    debut = debut or aujourd_hui
    erreurs = {}
    if motif not in MotifSuspension.values:
        erreurs["motif"] = f"Motif de suspension inconnu : « {motif} »."
    precision = (precision or "").strip()
    if motif == MotifSuspension.AUTRE and not precision:
        erreurs["precision"] = "Précisez le motif de la suspension."
    if debut > aujourd_hui:
        erreurs["debut"] = "Une suspension commence au plus tard aujourd'hui."
    if fin_prevue is None:
        fin_prevue = ajouter_mois(debut, delais_de_suivi(parcours.plie_id).suspension_mois)
    elif fin_prevue < debut:
        erreurs["fin_prevue"] = f"La fin prévue ne peut pas précéder le début ({debut:%d/%m/%Y})."
    _erreurs(erreurs)
    libelle = MotifSuspension(motif).label
    parcours.suspendre(par=par, motif=f"{libelle}" + (f" : {precision}" if precision else ""))
    parcours.save()
    suspension = Suspension.objects.create(
        parcours=parcours,
        motif=motif,
        precision=precision,
        debut=debut,
        fin_prevue=fin_prevue,
        par=par,
    )
    suspension_commencee.send(sender=Suspension, suspension=suspension, par=par)
    return suspension


def _suspension_a_modifier(parcours: Parcours, par, action: str) -> Suspension:
    if not peut_suivre(par, parcours):
        raise TransitionNonAutorisee(
            f"Vous n'avez pas le droit de {action} : seuls le référent du parcours et l'équipe "
            "d'animation du PLIE le peuvent."
        )
    suspension = parcours.suspensions.select_for_update().filter(levee_le__isnull=True).first()
    if suspension is None:
        raise TransitionInterdite(f"Impossible de {action} : le parcours n'est pas suspendu.")
    return suspension


@transaction.atomic
def renouveler_suspension(
    parcours: Parcours, par, *, motif: str = "", fin_prevue: datetime.date | None = None
) -> Suspension:
    """Repousse la fin prévue (de la durée du référentiel, ou jusqu'à `fin_prevue`) ; journalisé."""
    suspension = _suspension_a_modifier(parcours, par, "renouveler la suspension")
    ancienne = suspension.fin_prevue
    if fin_prevue is None:
        fin_prevue = ajouter_mois(ancienne, delais_de_suivi(parcours.plie_id).suspension_mois)
    if fin_prevue <= ancienne:
        _erreurs(
            {
                "fin_prevue": "La nouvelle fin prévue doit être postérieure à l'actuelle "
                f"({ancienne:%d/%m/%Y})."
            }
        )
    suspension.fin_prevue = fin_prevue
    suspension.renouvellements = F("renouvellements") + 1
    suspension.save(update_fields=["fin_prevue", "renouvellements"])
    RenouvellementSuspension.objects.create(
        suspension=suspension,
        ancienne_fin=ancienne,
        nouvelle_fin=fin_prevue,
        par=par,
        motif=(motif or "").strip(),
    )
    suspension.refresh_from_db()
    suspension_renouvelee.send(sender=Suspension, suspension=suspension, par=par)
    return suspension


@transaction.atomic
def lever_suspension(
    parcours: Parcours, par, *, motif: str = "", le: datetime.date | None = None
) -> Parcours:
    """Reprend l'accompagnement (transition `reprendre`) et clôt la suspension en cours."""
    parcours = Parcours.objects.select_for_update().get(pk=parcours.pk)
    le = le or timezone.localdate()
    suspension = parcours.suspensions.select_for_update().filter(levee_le__isnull=True).first()
    if suspension is not None and le < suspension.debut:
        _erreurs({"le": f"La levée ne peut pas précéder le début ({suspension.debut:%d/%m/%Y})."})
    if le > timezone.localdate():
        _erreurs({"le": "La levée ne peut pas être datée dans le futur."})
    motif = (motif or "").strip()
    parcours.reprendre(par=par, motif=motif)
    parcours.save()
    if suspension is not None:
        suspension.levee_le = le
        suspension.levee_par = par
        suspension.motif_levee = motif
        suspension.save(update_fields=["levee_le", "levee_par", "motif_levee"])
        suspension_levee.send(sender=Suspension, suspension=suspension, par=par)
    return parcours


# — Changement de référent —


def peut_gerer_portefeuilles(user, plie_id: int) -> bool:
    """Réaffecter des dossiers, organiser un intérim : l'animation et la direction du PLIE."""
    # Le droit ne lit que la clé du PLIE : pas de requête pour le charger.
    return user.has_perm("core.gerer_portefeuilles", PLIE(pk=plie_id))


@transaction.atomic
def changer_referent(parcours_ou_queryset, nouveau, par, motif: str) -> list[ChangementReferent]:
    """Confie un dossier, ou tout un portefeuille (queryset), à un autre référent du même PLIE.

    Réservé à l'animation et à la direction du PLIE de chaque dossier. Le nouveau référent doit
    être référent en activité dans ce PLIE ; un dossier clos ou déjà suivi par lui est refusé
    (dossier seul) ou ignoré (portefeuille). Une ligne de journal par dossier.
    """
    en_masse = not isinstance(parcours_ou_queryset, Parcours)
    motif = (motif or "").strip()
    if not motif:
        _erreurs({"motif": "Un motif est obligatoire pour changer de référent."})
    if en_masse:
        ids = list(parcours_ou_queryset.values_list("pk", flat=True))
    else:
        ids = [parcours_ou_queryset.pk]
    dossiers = list(Parcours.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    structures = {}
    changements = []
    for parcours in dossiers:
        if not peut_gerer_portefeuilles(par, parcours.plie_id):
            raise TransitionNonAutorisee(
                "Vous n'avez pas le droit de changer le référent de ce dossier : seules "
                "l'équipe d'animation et la direction du PLIE le peuvent."
            )
        if parcours.plie_id not in structures:
            structures[parcours.plie_id] = structure_de_referent(nouveau, parcours.plie_id)
        structure = structures[parcours.plie_id]
        if structure is None:
            _erreurs(
                {"nouveau": f"{nouveau} n'est pas référent de parcours en activité dans ce PLIE."}
            )
        ignore = parcours.statut not in STATUTS_FILE_ACTIVE or parcours.referent_id == nouveau.pk
        if ignore and en_masse:
            continue
        if parcours.statut not in STATUTS_FILE_ACTIVE:
            raise TransitionInterdite(
                "Impossible de changer le référent : le parcours est à l'état "
                f"« {Statut(parcours.statut).label} »."
            )
        if parcours.referent_id == nouveau.pk:
            _erreurs({"nouveau": f"{nouveau} est déjà le référent de ce dossier."})
        changements.append(
            ChangementReferent(
                parcours=parcours,
                ancien_id=parcours.referent_id,
                nouveau=nouveau,
                ancienne_structure_id=parcours.structure_referente_id,
                nouvelle_structure=structure,
                par=par,
                motif=motif,
                en_masse=en_masse,
            )
        )
        # Mise à jour directe : le statut (FSM protégé) n'est pas touché.
        Parcours.objects.filter(pk=parcours.pk).update(
            referent=nouveau, structure_referente=structure, updated_at=timezone.now()
        )
    ChangementReferent.objects.bulk_create(changements)
    if changements:
        referent_change.send(sender=ChangementReferent, changements=changements, par=par)
    # Un intérim en cours sur l'ancien portefeuille ne couvre plus ces dossiers, le nouveau oui.
    for delegation in Delegation.objects.actives().filter(
        plie_id__in=structures, titulaire_id__in={c.ancien_id for c in changements} | {nouveau.pk}
    ):
        synchroniser_delegation(delegation)
    return changements


# — Intérim (délégation de portefeuille) —


def _permissions_interim() -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label="accompagnement", codename__in=DROITS_INTERIM
        )
    )


def _dossiers_du_titulaire(delegation: Delegation):
    return Parcours.objects.filter(
        plie_id=delegation.plie_id,
        referent_id=delegation.titulaire_id,
        statut__in=STATUTS_FILE_ACTIVE,
    )


def _couverts_ailleurs(delegation: Delegation) -> set[int]:
    """Dossiers que d'autres intérims actifs du même suppléant couvrent encore."""
    autres = Delegation.objects.actives().filter(suppleant_id=delegation.suppleant_id)
    return set(
        Delegation.parcours_couverts.through.objects.filter(
            delegation__in=autres.exclude(pk=delegation.pk)
        ).values_list("parcours_id", flat=True)
    )


def _retirer_droits(delegation: Delegation, parcours_ids: set[int]) -> int:
    retires = set(parcours_ids) - _couverts_ailleurs(delegation)
    if retires:
        ParcoursUserObjectPermission.objects.filter(
            user_id=delegation.suppleant_id,
            permission__in=_permissions_interim(),
            content_object_id__in=retires,
        ).delete()
    delegation.parcours_couverts.remove(*parcours_ids)
    return len(parcours_ids)


def synchroniser_delegation(delegation: Delegation, par=None, jour=None) -> None:
    """Aligne les droits du suppléant sur le portefeuille actuel du titulaire (intérim actif) ou
    les retire tous (intérim levé, échu ou pas encore commencé)."""
    couverts = set(delegation.parcours_couverts.values_list("pk", flat=True))
    if delegation.active_le(jour):
        voulus = set(_dossiers_du_titulaire(delegation).values_list("pk", flat=True))
    else:
        voulus = set()
    a_ajouter, a_retirer = voulus - couverts, couverts - voulus
    if a_ajouter:
        permissions = _permissions_interim()
        ParcoursUserObjectPermission.objects.bulk_create(
            [
                ParcoursUserObjectPermission(
                    user_id=delegation.suppleant_id, permission=perm, content_object_id=pk
                )
                for pk in a_ajouter
                for perm in permissions
            ],
            ignore_conflicts=True,
        )
        delegation.parcours_couverts.add(*a_ajouter)
        JournalDelegation.objects.create(
            delegation=delegation,
            evenement=JournalDelegation.Evenement.DROITS_ACCORDES,
            nombre_dossiers=len(a_ajouter),
            par=par,
        )
    if a_retirer:
        _retirer_droits(delegation, a_retirer)
        JournalDelegation.objects.create(
            delegation=delegation,
            evenement=JournalDelegation.Evenement.DROITS_RETIRES,
            nombre_dossiers=len(a_retirer),
            par=par,
        )


@transaction.atomic
def deleguer_portefeuille(
    titulaire, suppleant, par, *, plie, debut: datetime.date, fin: datetime.date, motif: str
) -> Delegation:
    """Confie l'intérim du portefeuille de `titulaire` à `suppleant` du `debut` à la `fin`.

    Le suppléant reçoit l'accès aux dossiers ouverts du titulaire pendant cette période (dès
    maintenant si elle a commencé ; sinon par `expirer_delegations` le jour venu)."""
    plie_id = getattr(plie, "pk", plie)
    if not peut_gerer_portefeuilles(par, plie_id):
        raise TransitionNonAutorisee(
            "Vous n'avez pas le droit d'organiser un intérim : seules l'équipe d'animation et la "
            "direction du PLIE le peuvent."
        )
    erreurs = {}
    motif = (motif or "").strip()
    if not motif:
        erreurs["motif"] = "Un motif est obligatoire (congé, arrêt, départ…)."
    if suppleant.pk == titulaire.pk:
        erreurs["suppleant"] = "Le suppléant doit être une autre personne que le référent absent."
    elif structure_de_referent(suppleant, plie_id) is None:
        erreurs["suppleant"] = (
            f"{suppleant} n'est pas référent de parcours en activité dans ce PLIE."
        )
    # Un référent parti (adhésion close) peut encore avoir des dossiers à couvrir.
    a_des_dossiers = Parcours.objects.filter(
        plie_id=plie_id, referent_id=titulaire.pk, statut__in=STATUTS_FILE_ACTIVE
    ).exists()
    if not a_des_dossiers and structure_de_referent(titulaire, plie_id) is None:
        erreurs["titulaire"] = f"{titulaire} n'a pas de portefeuille dans ce PLIE."
    if debut is None:
        erreurs["debut"] = "La date de début est obligatoire."
    if fin is None:
        erreurs["fin"] = "La date de fin est obligatoire."
    elif debut is not None and fin < debut:
        erreurs["fin"] = f"La fin ne peut pas précéder le début ({debut:%d/%m/%Y})."
    elif fin < timezone.localdate():
        erreurs["fin"] = "Un intérim se termine au plus tôt aujourd'hui."
    _erreurs(erreurs)
    delegation = Delegation.objects.create(
        plie_id=plie_id,
        titulaire=titulaire,
        suppleant=suppleant,
        debut=debut,
        fin=fin,
        motif=motif,
        par=par,
    )
    JournalDelegation.objects.create(
        delegation=delegation, evenement=JournalDelegation.Evenement.CREEE, par=par
    )
    synchroniser_delegation(delegation, par=par)
    return delegation


@transaction.atomic
def lever_delegation(delegation: Delegation, par) -> Delegation:
    """Met fin à l'intérim (retour du titulaire) : le suppléant perd l'accès aux dossiers."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if not peut_gerer_portefeuilles(par, delegation.plie_id):
        raise TransitionNonAutorisee(
            "Vous n'avez pas le droit de lever cet intérim : seules l'équipe d'animation et la "
            "direction du PLIE le peuvent."
        )
    if delegation.levee_le is not None:
        raise TransitionInterdite("Cet intérim est déjà levé.")
    delegation.levee_le = timezone.now()
    delegation.levee_par = par
    delegation.save(update_fields=["levee_le", "levee_par"])
    JournalDelegation.objects.create(
        delegation=delegation,
        evenement=JournalDelegation.Evenement.LEVEE,
        nombre_dossiers=delegation.parcours_couverts.count(),
        par=par,
    )
    synchroniser_delegation(delegation, par=par)
    return delegation


def expirer_delegations(jour: datetime.date | None = None) -> int:
    """Tâche périodique : retire les droits des intérims échus, accorde ceux des intérims qui
    commencent, suit les portefeuilles des intérims en cours. Renvoie le nombre d'intérims
    arrivés à échéance."""
    jour = jour or timezone.localdate()
    echues = 0
    a_suivre = Delegation.objects.filter(levee_le__isnull=True, debut__lte=jour).filter(
        Q(fin__gte=jour) | Q(parcours_couverts__isnull=False)
    )
    for delegation in a_suivre.distinct():
        with transaction.atomic():
            if delegation.fin < jour and delegation.parcours_couverts.exists():
                JournalDelegation.objects.create(
                    delegation=delegation,
                    evenement=JournalDelegation.Evenement.EXPIREE,
                    nombre_dossiers=delegation.parcours_couverts.count(),
                )
                echues += 1
            synchroniser_delegation(delegation, jour=jour)
    return echues


def referents_du_plie(plie_id: int):
    """Les comptes tenant une adhésion active de référent de parcours dans ce PLIE."""
    from parcours.core.models import Membership, User

    adhesions = Membership.objects.actives().filter(role=Role.REFERENT, structure__plie_id=plie_id)
    return User.objects.filter(pk__in=adhesions.values("user_id")).order_by(
        "last_name", "first_name", "pk"
    )
