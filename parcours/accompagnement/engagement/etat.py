"""La complétude de l'engagement (ce qui est fait, ce qui manque) et l'engagement du parcours
« en accompagnement » quand elle est atteinte."""

from dataclasses import dataclass

from django.db import transaction

from parcours.accompagnement.engagement.commun import du_groupe
from parcours.accompagnement.engagement.contrat import contrat_de
from parcours.accompagnement.engagement.pieces import pieces_manquantes
from parcours.accompagnement.engagement.questionnaire import questionnaire_de
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.models.engagement import Signataire
from parcours.accompagnement.models.questionnaire import QuestionnaireFSE
from parcours.referentiel.sections.engagement import PieceAttendue
from parcours.referentiel.sections.engagement import de as regles_engagement


def _minuscule(libelle: str) -> str:
    """« Justificatif de domicile » → « justificatif de domicile » ; « CV » reste « CV »."""
    if len(libelle) > 1 and libelle[0].isupper() and libelle[1].islower():
        return libelle[0].lower() + libelle[1:]
    return libelle


@dataclass(frozen=True)
class EtatEngagement:
    """Ce qui est fait et ce qui manque pour engager l'accompagnement."""

    contrat_signe: bool
    signatures_manquantes: tuple[str, ...]  # codes des signataires sans date
    copie_signee_manquante: bool
    questionnaire_complet: bool
    questionnaire_manquants: tuple[str, ...]  # codes des champs sans réponse
    pieces_manquantes: tuple[PieceAttendue, ...]

    @property
    def complet(self) -> bool:
        return self.contrat_signe and self.questionnaire_complet and not self.pieces_manquantes

    def manquants(self) -> list[str]:
        """Une phrase en français par élément manquant, dans l'ordre du premier entretien."""
        phrases = [
            f"Contrat d'engagement : signature {du_groupe(Signataire(s).label)} manquante"
            for s in self.signatures_manquantes
        ]
        if self.copie_signee_manquante:
            phrases.append("Contrat d'engagement : copie signée non déposée")
        for champ in self.questionnaire_manquants:
            accord = "manquante" if QuestionnaireFSE.CHAMPS[champ] == "f" else "manquant"
            phrases.append(f"Questionnaire FSE+ : {QuestionnaireFSE.libelle(champ)} {accord}")
        phrases += [f"Pièce manquante : {_minuscule(p.libelle)}" for p in self.pieces_manquantes]
        return phrases


def etat_engagement(parcours: Parcours) -> EtatEngagement:
    """Relu en base à chaque appel : la condition de `engager` juge l'état réel du dossier."""
    contrat = contrat_de(parcours)
    if contrat is None:
        signatures = regles_engagement(parcours.plie).signataires
        copie_manquante = True
    else:
        signatures = tuple(s.value for s in contrat.signatures_manquantes())
        copie_manquante = not contrat.copie_signee
    questionnaire = questionnaire_de(parcours) or QuestionnaireFSE(parcours=parcours)
    manquants_questionnaire = tuple(questionnaire.champs_manquants_codes())
    return EtatEngagement(
        contrat_signe=not signatures and not copie_manquante,
        signatures_manquantes=signatures,
        copie_signee_manquante=copie_manquante,
        questionnaire_complet=not manquants_questionnaire,
        questionnaire_manquants=manquants_questionnaire,
        pieces_manquantes=tuple(pieces_manquantes(parcours)),
    )


@transaction.atomic
def engager_parcours(parcours: Parcours, par, *, motif: str = "") -> Parcours:
    """Passe le parcours « en accompagnement » ; la date d'entrée est celle du questionnaire
    FSE+ (date d'entrée dans l'opération). Refusé, avec ce qui manque, si l'engagement est
    incomplet (TransitionInterdite)."""
    questionnaire = questionnaire_de(parcours)
    parcours.engager(
        par=par, motif=motif, date_entree=questionnaire.date_entree if questionnaire else None
    )
    parcours.save()
    return parcours
