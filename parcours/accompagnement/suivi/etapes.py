"""Les étapes du parcours, d'un type du catalogue du PLIE (section `etapes` du référentiel), et
leurs preuves : ajouter, modifier (garde contre les modifications concurrentes), déposer un
justificatif, dire ce qui manque.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from parcours.accompagnement.enums import (
    STATUTS_ETAPE_A_JUSTIFIER,
    StatutEtape,
)
from parcours.accompagnement.models import (
    Etape,
    JournalEtape,
    Parcours,
    PreuveEtape,
)
from parcours.accompagnement.suivi.commun import lever_si_erreurs, verifier
from parcours.core.errors import ConflitTransition
from parcours.core.fichiers import verifier_fichier
from parcours.fse.enums import TypeOperation
from parcours.fse.models import OperationFse
from parcours.referentiel.sections.etapes import Catalogue, PreuveAttendue, TypeEtape
from parcours.referentiel.sections.etapes import de as catalogue_etapes


class EtapeModifiee(ConflitTransition):
    message = (
        "Cette étape vient d'être modifiée par une autre personne : rechargez la page pour voir "
        "ses valeurs actuelles avant de la modifier."
    )


CHAMPS_ETAPE = (
    "intitule",
    "prestataire",
    "operation_id",  # l'action financée (opération FSE+) qui paie l'étape, docs/fse.md
    "date_debut",
    "date_fin",
    "statut",
    "commentaire",
)


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
    if (
        etape.operation_id is not None
        and not actions_financees(etape.parcours.plie_id).filter(pk=etape.operation_id).exists()
    ):
        erreurs["operation_id"] = "Cette opération n'est pas une action financée de ce PLIE."
    lever_si_erreurs(erreurs)


def actions_financees(plie_id: int):
    """Les opérations FSE+ qu'une étape peut nommer : les actions financées du PLIE."""
    return OperationFse.objects.filter(plie_id=plie_id, type=TypeOperation.ACTION)


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
    operation_id: int | None = None,
) -> Etape:
    """Ajoute au parcours une étape d'un type du catalogue du PLIE."""
    verifier(parcours, par, "ajouter une étape")
    etape = Etape(
        parcours=parcours,
        date_debut=date_debut,
        date_fin=date_fin,
        statut=statut,
        intitule=(intitule or "").strip(),
        prestataire=(prestataire or "").strip(),
        operation_id=operation_id,
        commentaire=(commentaire or "").strip(),
        created_by=par,
    )
    _appliquer_type(etape, _type_du_catalogue(parcours, type_code))
    _verifier_etape(etape, timezone.localdate())
    etape.save()
    JournalEtape.objects.create(etape=etape, par=par, statut_apres=etape.statut)
    _suivre_les_actions(parcours, {etape.operation_id}, par)
    return etape


@transaction.atomic
def modifier_etape(etape: Etape, par, *, version: int, type_code: str | None = None, **valeurs):
    """Modifie une étape lue à la `version` donnée ; refusée (EtapeModifiee) si quelqu'un l'a
    modifiée depuis. `valeurs` : parmi intitule, prestataire, operation_id, date_debut,
    date_fin, statut, commentaire."""
    inconnus = set(valeurs) - set(CHAMPS_ETAPE)
    if inconnus:
        raise ValueError(f"Champs d'étape inconnus : {', '.join(sorted(inconnus))}")
    parcours = etape.parcours
    verifier(parcours, par, "modifier une étape")
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
    # L'ancienne action (si l'étape en change) et la nouvelle : leurs participations suivent.
    _suivre_les_actions(parcours, {avant["operation_id"], actuelle.operation_id}, par)
    return actuelle


def _suivre_les_actions(parcours, operation_ids, par) -> None:
    # Import local : participations écoute les signaux du suivi (sinon import circulaire).
    from parcours.accompagnement.participations import suivre_l_action

    for operation_id in sorted(i for i in operation_ids if i is not None):
        suivre_l_action(parcours, operation_id, par=par)


def _en_json(valeur):
    return valeur.isoformat() if isinstance(valeur, datetime.date) else valeur


@transaction.atomic
def deposer_preuve(etape: Etape, par, *, type_preuve: str, fichier) -> PreuveEtape:
    """Dépose un justificatif d'un type listé pour ce type d'étape (PDF, JPEG ou PNG, 10 Mo)."""
    verifier(etape.parcours, par, "déposer une preuve d'étape")
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
