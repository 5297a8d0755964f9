"""L'engagement au premier entretien : contrat d'engagement réciproque, questionnaire FSE+ d'entrée,
pièces justificatives d'entrée (docs/engagement.md).

Le parcours admis ne passe « en accompagnement » que lorsque les trois sont complets : la
transition `Parcours.engager` porte la condition `engagement_complet`, qui s'appuie sur
`etat_engagement` et dit ce qui manque. Les règles propres au PLIE (signataires du contrat, liste
des pièces) viennent de la section `engagement` de son référentiel en vigueur.

Chaque service d'écriture prend l'acteur (`par`) : seuls le référent du parcours (ou qui la
politique d'accès laisse agir comme lui : intérim, référent d'étape) et l'équipe d'animation du
PLIE le peuvent (`par.has_perm("accompagnement.suivre_parcours", parcours)`). Les erreurs de
saisie lèvent une `ValidationError` de Django dont chaque message, en français, est rangé sous le
nom du champ concerné.

Un module par partie : `contrat`, `questionnaire`, `pieces`, `etat` (complétude et engagement) ;
`commun` porte ce qu'elles partagent. Les noms publics sont réexportés ici :
`from parcours.accompagnement import engagement` puis `engagement.generer_contrat(...)`.
"""

from parcours.accompagnement.engagement.commun import STATUTS_ENGAGEMENT, date_admission
from parcours.accompagnement.engagement.contrat import (
    contrat_de,
    enregistrer_signatures,
    generer_contrat,
    ouvrir_contrat,
)
from parcours.accompagnement.engagement.etat import (
    EtatEngagement,
    engager_parcours,
    etat_engagement,
)
from parcours.accompagnement.engagement.pieces import (
    LignePiece,
    deposer_piece,
    pieces_attendues,
    pieces_entree,
    pieces_manquantes,
)
from parcours.accompagnement.engagement.questionnaire import (
    donnees_initiales,
    enregistrer_questionnaire,
    questionnaire_de,
)
from parcours.referentiel.sections.engagement import de as regles_engagement

__all__ = [
    "STATUTS_ENGAGEMENT",
    "EtatEngagement",
    "LignePiece",
    "contrat_de",
    "date_admission",
    "deposer_piece",
    "donnees_initiales",
    "engager_parcours",
    "enregistrer_questionnaire",
    "enregistrer_signatures",
    "etat_engagement",
    "generer_contrat",
    "ouvrir_contrat",
    "pieces_attendues",
    "pieces_entree",
    "pieces_manquantes",
    "questionnaire_de",
    "regles_engagement",
]
