"""Le questionnaire FSE+ d'entrée : l'enregistrer (en une ou plusieurs fois) et le pré-remplir
d'après la prescription."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.accompagnement.engagement.commun import (
    STATUTS_ENGAGEMENT,
    ecrit_en_dernier,
    en_date,
    verifier_droits_et_etat,
)
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.models.questionnaire import QuestionnaireFSE, SituationMarcheTravail
from parcours.core.errors import TransitionInterdite, TransitionNonAutorisee
from parcours.fse.categories import diplome_depuis_niveau_national
from parcours.referentiel.calendrier import mois_revolus


def questionnaire_de(parcours: Parcours, participation_id: int | None = None):
    """Le questionnaire en vigueur du parcours (celui de sa dernière participation), ou celui
    d'une participation donnée."""
    qs = QuestionnaireFSE.objects.filter(parcours=parcours)
    if participation_id is not None:
        return qs.filter(participation_id=participation_id).first()
    return qs.order_by("-pk").first()


def _valeur(champ: str, valeur):
    field = QuestionnaireFSE._meta.get_field(champ)
    if valeur is None or (isinstance(valeur, str) and not valeur.strip()):
        return None if field.null else ""
    if isinstance(valeur, str):
        valeur = valeur.strip()
    if champ == "date_entree" and isinstance(valeur, datetime.datetime):
        valeur = en_date(valeur)
    return field.to_python(valeur)


@ecrit_en_dernier
def enregistrer_questionnaire(
    parcours: Parcours, par, donnees: dict, participation_id: int | None = None
) -> QuestionnaireFSE:
    """Enregistre (en une ou plusieurs fois) les réponses du questionnaire FSE+ d'entrée.

    `donnees` : champ → réponse (voir `QuestionnaireFSE.CHAMPS` ; None ou "" efface). Changer
    la situation sur le marché du travail efface le type d'emploi / les mois de recherche qui
    ne s'y appliquent plus, sauf s'ils sont fournis. Une réponse invalide (date d'entrée après
    aujourd'hui, « ne souhaite pas répondre » là où la question ne l'accepte pas…) lève une
    ValidationError par champ, et rien n'est enregistré. Une fois l'accompagnement engagé, le
    questionnaire se rectifie mais doit rester complet.

    Sans `participation_id`, c'est le questionnaire en vigueur (le dernier) ; avec, celui de
    cette participation (docs/fse.md), rectifiable aussi après la sortie. La date d'entrée d'un
    questionnaire rattaché est aussi celle de sa participation.
    """
    if participation_id is not None:
        statut = _verifier_rectification(parcours, par)
        questionnaire = questionnaire_de(parcours, participation_id)
        if questionnaire is None:
            raise ValidationError("Cette participation n'a pas de questionnaire FSE+.")
    else:
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
    if valeurs.get("niveau_diplome") is not None and not valeurs.get("diplome_dgefp"):
        # Le niveau national seul : sa catégorie DGEFP (docs/fse.md, « Correspondances »).
        valeurs["diplome_dgefp"] = diplome_depuis_niveau_national(valeurs["niveau_diplome"])
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
    questionnaire.full_clean(exclude=["parcours", "renseigne_par", "participation", "recopie_de"])
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
    participation = questionnaire.participation if questionnaire.participation_id else None
    date_de_participation = _date_de_la_participation(participation, questionnaire.date_entree)
    questionnaire.save()
    if date_de_participation is not None:
        participation.date_entree = date_de_participation
        participation.save(update_fields=["date_entree", "updated_at"])
    return questionnaire


def _verifier_rectification(parcours: Parcours, par) -> Statut:
    """Le questionnaire d'une participation se rectifie pendant l'accompagnement et après la
    sortie (les données FSE+ conditionnent le remboursement : docs/fse.md), par qui suit le
    parcours."""
    if not par.has_perm("accompagnement.suivre_parcours", parcours):
        raise TransitionNonAutorisee(
            "Vous n'avez pas le droit de rectifier le questionnaire FSE+ : seuls le référent du "
            "parcours et l'équipe d'animation du PLIE le peuvent."
        )
    statut = Statut(
        Parcours.objects.select_for_update().values_list("statut", flat=True).get(pk=parcours.pk)
    )
    if statut not in (*STATUTS_ENGAGEMENT, Statut.SORTI):
        raise TransitionInterdite(
            "Impossible de rectifier le questionnaire FSE+ : le parcours est à l'état "
            f"« {statut.label} »."
        )
    return statut


def _date_de_la_participation(participation, date_entree) -> datetime.date | None:
    """La date d'entrée à reporter sur la participation (None : rien à changer), vérifiée avant
    toute écriture."""
    if participation is None or not date_entree or participation.date_entree == date_entree:
        return None
    if participation.date_sortie and date_entree > participation.date_sortie:
        raise ValidationError(
            {
                "date_entree": "La date d'entrée dans l'opération ne peut pas suivre la sortie "
                f"de l'opération ({participation.date_sortie:%d/%m/%Y})."
            }
        )
    return date_entree


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
        suggestions["diplome_dgefp"] = diplome_depuis_niveau_national(
            prescription.niveau_qualification
        )
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
