"""Services du parcours nommés d'après ce que fait l'utilisateur : prescrire, déroger…

Ils savent ce qui est vrai ; qui doit agir ensuite relève de `workflows/`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.accompagnement.models import Parcours, Prescription, StatutDeclare
from parcours.core.enums import Role
from parcours.core.errors import DonneesTransitionInvalides, TransitionNonAutorisee
from parcours.core.fichiers import FORMATS_CV, TAILLE_MAX_CV, verifier_fichier
from parcours.core.models import Commune
from parcours.core.perimetre import perimetre
from parcours.core.roles import ROLES_DEROGATION, ROLES_PRESCRIPTION
from parcours.core.validators import erreurs_de_saisie
from parcours.participants.doublons import trouver_doublons
from parcours.participants.models import Participant
from parcours.referentiel.sections import eligibilite


class DoublonPossible(Exception):
    """La personne ressemble à une personne déjà connue : lier ou confirmer, jamais en silence."""

    def __init__(self, correspondances):
        self.correspondances = correspondances
        super().__init__(
            "Cette personne est peut-être déjà connue : rattachez la prescription à la fiche "
            "existante ou confirmez qu'il s'agit d'une autre personne."
        )


def structure_prescriptrice(user, plie):
    """La structure au nom de laquelle `user` prescrit dans ce PLIE (None s'il ne le peut pas)."""
    p = perimetre(user)
    if not p.a_role(plie.pk, ROLES_PRESCRIPTION):
        return None
    memberships = user.memberships_actives().filter(
        structure__plie=plie, role__in=ROLES_PRESCRIPTION
    )
    # Un prescripteur prescrit au nom de sa structure prescriptrice ; l'équipe d'animation, au
    # nom de la structure porteuse (auto-prescription).
    membership = memberships.order_by("-role").first()
    return membership.structure if membership else None


@transaction.atomic
def prescrire(
    *,
    par,
    plie,
    identite: dict,
    situation: dict,
    statuts: list[tuple[str, datetime.date | None]],
    participant: Participant | None = None,
    nouvelle_personne_confirmee: bool = False,
    cv=None,
    notice_remise: bool = False,
):
    """Enregistre une prescription : personne (nouvelle ou existante), parcours et situation.

    `identite` : champs de Participant ; `situation` : champs de Prescription (motif, freins…).
    Lève DoublonPossible si la personne ressemble à une personne connue et que l'appelant n'a
    ni choisi la fiche existante (`participant`) ni confirmé une nouvelle personne.
    `notice_remise` : la notice d'information (RGPD) a été remise à la personne, par `par`,
    maintenant (l'écran de prescription l'exige : docs/rgpd.md).
    """
    structure = structure_prescriptrice(par, plie)
    if structure is None:
        raise TransitionNonAutorisee("Vous ne pouvez pas prescrire dans ce PLIE.")
    if cv:
        try:
            verifier_fichier(cv, champ="CV", formats=FORMATS_CV, taille_max=TAILLE_MAX_CV)
        except ValidationError as exc:
            raise ValidationError({"cv": exc.messages}) from None
    # Sans formulaire (démo, imports), les mêmes refus qu'à l'écran : un saut de ligne dans un
    # nom ou une date hors du calendrier ne doit pas entrer en base.
    erreurs = erreurs_de_saisie(Participant(**identite), identite) + erreurs_de_saisie(
        Prescription(**situation), situation
    )
    if erreurs:
        raise DonneesTransitionInvalides(" ".join(erreurs))
    if participant is None:
        if not nouvelle_personne_confirmee:
            correspondances = trouver_doublons(
                identite["nom"],
                identite["prenom"],
                identite["date_naissance"],
                identite.get("commune_insee", ""),
            )
            if correspondances:
                raise DoublonPossible(correspondances)
        participant = Participant.objects.create(**identite)
    else:
        for champ, valeur in identite.items():
            setattr(participant, champ, valeur)
        participant.save()
    if participant.parcours.ouverts().filter(plie=plie).exists():
        raise DonneesTransitionInvalides(
            f"{participant} a déjà un parcours en cours dans ce PLIE : "
            "complétez-le plutôt que d'en ouvrir un autre."
        )
    commune = (
        Commune.objects.filter(plie=plie, insee=participant.commune_insee)
        .select_related("territoire")
        .first()
    )
    precedent = participant.parcours.filter(plie=plie).order_by("-date_prescription", "-id").first()
    parcours = Parcours.objects.create(
        participant=participant,
        plie=plie,
        territoire=commune.territoire if commune else None,
        prescripteur=par,
        structure_prescriptrice=structure,
        precedent=precedent,
    )
    prescription = Prescription.objects.create(
        parcours=parcours,
        auto_prescription=not perimetre(par).a_role(plie.pk, {Role.PRESCRIPTEUR}),
        cv=cv or "",
        notice_remise_le=timezone.now() if notice_remise else None,
        notice_remise_par=par if notice_remise else None,
        **situation,
    )
    StatutDeclare.objects.bulk_create(
        StatutDeclare(prescription=prescription, code=code, depuis=depuis)
        for code, depuis in statuts
    )
    evaluer_eligibilite(prescription)
    return parcours


def personne_pour_eligibilite(prescription: Prescription, date: datetime.date) -> dict:
    """La situation au format d'entrée du moteur d'éligibilité (docs/eligibilite.md)."""
    participant = prescription.parcours.participant
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "date": date.isoformat(),
        "date_naissance": participant.date_naissance.isoformat(),
        "commune_insee": participant.commune_insee,
        "sans_emploi_depuis": iso(prescription.sans_emploi_depuis),
        "statuts": [{"code": s.code, "depuis": iso(s.depuis)} for s in prescription.statuts.all()],
        "freins": list(prescription.freins),
        "niveau_qualification": prescription.niveau_qualification,
        "bac": prescription.bac,
        "rqth_jusqu_au": iso(prescription.rqth_jusqu_au),
        "suivi_mission_locale": prescription.suivi_mission_locale,
        "suivi_cap_emploi": prescription.suivi_cap_emploi,
        "via_clause": prescription.via_clause,
    }


def evaluer_eligibilite(prescription: Prescription, date: datetime.date | None = None) -> dict:
    """Évalue la prescription avec le référentiel en vigueur et garde le résultat expliqué."""
    date = date or timezone.localdate()
    criteres = eligibilite.de(prescription.parcours.plie, date)
    if criteres is None:
        resultat = {
            "eligible": False,
            "criteres": [
                {
                    "code": "referentiel",
                    "satisfait": False,
                    "explication": "Aucun critère d'éligibilité en vigueur pour ce PLIE à "
                    "cette date.",
                }
            ],
        }
    else:
        resultat = criteres.evaluer(personne_pour_eligibilite(prescription, date)).as_json()
    prescription.eligibilite = resultat
    prescription.eligibilite_evaluee_le = timezone.now()
    prescription.save(update_fields=["eligibilite", "eligibilite_evaluee_le", "updated_at"])
    return resultat


def accorder_derogation(prescription: Prescription, *, par, motif: str) -> None:
    """Une exception aux critères d'entrée, par l'animation ou la direction, motivée et tracée."""
    if not perimetre(par).a_role(prescription.parcours.plie_id, ROLES_DEROGATION):
        raise TransitionNonAutorisee(
            "Seules l'équipe d'animation et la direction accordent une dérogation."
        )
    motif = (motif or "").strip()
    if not motif:
        raise DonneesTransitionInvalides("Le motif de la dérogation est obligatoire.")
    prescription.derogation_par = par
    prescription.derogation_motif = motif
    prescription.derogation_le = timezone.now()
    prescription.save(
        update_fields=["derogation_par", "derogation_motif", "derogation_le", "updated_at"]
    )
