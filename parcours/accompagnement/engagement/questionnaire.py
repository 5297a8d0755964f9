"""Le questionnaire FSE+ d'entrée : l'enregistrer (en une ou plusieurs fois) et le pré-remplir
d'après la prescription."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.accompagnement.engagement.commun import en_date, verifier_droits_et_etat
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.models.questionnaire import QuestionnaireFSE, SituationMarcheTravail
from parcours.referentiel.calendrier import mois_revolus


def questionnaire_de(parcours: Parcours) -> QuestionnaireFSE | None:
    return QuestionnaireFSE.objects.filter(parcours=parcours).first()


def _valeur(champ: str, valeur):
    field = QuestionnaireFSE._meta.get_field(champ)
    if valeur is None or (isinstance(valeur, str) and not valeur.strip()):
        return None if field.null else ""
    if isinstance(valeur, str):
        valeur = valeur.strip()
    if champ == "date_entree" and isinstance(valeur, datetime.datetime):
        valeur = en_date(valeur)
    return field.to_python(valeur)


@transaction.atomic
def enregistrer_questionnaire(parcours: Parcours, par, donnees: dict) -> QuestionnaireFSE:
    """Enregistre (en une ou plusieurs fois) les réponses du questionnaire FSE+ d'entrée.

    `donnees` : champ → réponse (voir `QuestionnaireFSE.CHAMPS` ; None ou "" efface). Changer
    la situation sur le marché du travail efface le type d'emploi / les mois de recherche qui
    ne s'y appliquent plus, sauf s'ils sont fournis. Une réponse invalide (date d'entrée après
    aujourd'hui, « ne souhaite pas répondre » là où la question ne l'accepte pas…) lève une
    ValidationError par champ, et rien n'est enregistré. Une fois l'accompagnement engagé, le
    questionnaire se rectifie mais doit rester complet.
    """
    statut = verifier_droits_et_etat(parcours, par, "renseigner le questionnaire FSE+")
    questionnaire = questionnaire_de(parcours) or QuestionnaireFSE(parcours=parcours)
    questionnaire.parcours = parcours
    erreurs: dict[str, list[str]] = {}
    valeurs = {}
    for champ, valeur in donnees.items():
        if champ not in QuestionnaireFSE.CHAMPS:
            erreurs[str(champ)] = ["Question inconnue du questionnaire FSE+."]
            continue
        try:
            valeurs[champ] = _valeur(champ, valeur)
        except ValidationError as exc:
            erreurs[champ] = [
                f"{QuestionnaireFSE.libelle(champ).capitalize()} : {m}" for m in exc.messages
            ]
    if erreurs:
        raise ValidationError(erreurs)
    situation = valeurs.get("situation_marche_travail")
    if "situation_marche_travail" in valeurs:
        if situation != SituationMarcheTravail.EN_EMPLOI and "type_emploi" not in valeurs:
            valeurs["type_emploi"] = ""
        if (
            situation != SituationMarcheTravail.DEMANDEUR_EMPLOI
            and "mois_recherche_emploi" not in valeurs
        ):
            valeurs["mois_recherche_emploi"] = None
    for champ, valeur in valeurs.items():
        setattr(questionnaire, champ, valeur)
    questionnaire.renseigne_par = par
    questionnaire.full_clean(exclude=["parcours", "renseigne_par"])
    if statut != Statut.ADMIS and not questionnaire.complet:
        raise ValidationError(
            {
                champ: [
                    "Réponse exigée : l'accompagnement est engagé, le questionnaire doit rester "
                    "complet."
                ]
                for champ in questionnaire.champs_manquants_codes()
            }
        )
    questionnaire.save()
    return questionnaire


def donnees_initiales(parcours: Parcours, questionnaire: QuestionnaireFSE | None = None) -> dict:
    """Des réponses suggérées d'après la prescription, pour pré-remplir le questionnaire.

    Seulement ce que la prescription établit : la personne confirme ou corrige au premier
    entretien (la situation s'apprécie à la date d'entrée dans l'opération). `questionnaire` :
    celui déjà commencé ; seules ses questions encore sans réponse reçoivent une suggestion (une
    réponse donnée n'est jamais remplacée).
    """

    prescription = getattr(parcours, "prescription", None)
    if prescription is None:
        return {}
    suggestions = {}
    if prescription.niveau_qualification is not None:
        suggestions["niveau_diplome"] = prescription.niveau_qualification
    statuts = {s.code for s in prescription.statuts.all()}
    # L'ASS n'est versée qu'à un demandeur d'emploi.
    if prescription.sans_emploi_depuis or "ass" in statuts:
        suggestions["situation_marche_travail"] = SituationMarcheTravail.DEMANDEUR_EMPLOI.value
    if prescription.sans_emploi_depuis:
        suggestions["mois_recherche_emploi"] = mois_revolus(
            prescription.sans_emploi_depuis, timezone.localdate()
        )
    if statuts & {"rsa", "rsa_majore", "ass", "aah"}:
        suggestions["minima_sociaux"] = "oui"
    rqth = prescription.rqth_jusqu_au
    rqth_en_cours = rqth >= timezone.localdate() if rqth else "rqth" in statuts
    if "aah" in statuts or rqth_en_cours:
        suggestions["handicap_reconnu"] = "oui"
    if questionnaire is not None:
        suggestions = {
            champ: valeur
            for champ, valeur in suggestions.items()
            if getattr(questionnaire, champ) in (None, "")
        }
        if questionnaire.situation_marche_travail not in (
            "",
            SituationMarcheTravail.DEMANDEUR_EMPLOI,
        ):
            suggestions.pop("mois_recherche_emploi", None)  # une autre situation a été déclarée
    return suggestions
