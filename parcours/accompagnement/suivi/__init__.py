"""Le suivi du parcours : étapes et preuves, entretiens, suspensions, changement de référent et
intérim (docs/accompagnement.md).

Un module par geste du suivi (`etapes`, `entretiens`, `suspensions`, `portefeuilles`), ce qu'ils
partagent dans `commun` et les signaux que les flux écoutent dans `signaux` ; les appelants
écrivent `from parcours.accompagnement import suivi` puis `suivi.ajouter_etape(...)`.

Chaque service d'écriture prend l'acteur (`par`) et vérifie ses droits par
`user.has_perm(...)` (la politique d'accès, `parcours/acces/`, y répond) : le référent du
parcours (ou son suppléant pendant un intérim), le référent d'étape, l'équipe d'animation du
PLIE ; les changements de référent et les intérims relèvent de l'animation et de la direction du
PLIE. Les erreurs de saisie lèvent une `ValidationError` dont chaque message, en français, est
rangé sous le nom du champ ; rien n'est enregistré (transactions).

Les règles propres au PLIE viennent de son référentiel en vigueur : le catalogue des étapes
(section `etapes`) et les délais du suivi (section `suivi`, `delais_de_suivi`).
"""

from parcours.accompagnement.suivi.commun import STATUTS_SUIVI, ajouter_mois, peut_suivre
from parcours.accompagnement.suivi.entretiens import (
    deposer_emargement,
    dernier_entretien_physique,
    enregistrer_contact_emploi,
    enregistrer_entretien,
)
from parcours.accompagnement.suivi.etapes import (
    CHAMPS_ETAPE,
    EtapeModifiee,
    ajouter_etape,
    deposer_preuve,
    message_preuves_manquantes,
    modifier_etape,
    preuves_manquantes,
)
from parcours.accompagnement.suivi.interims import expirer_delegations
from parcours.accompagnement.suivi.portefeuilles import (
    DROITS_INTERIM,
    changer_referent,
    deleguer_portefeuille,
    lever_delegation,
    peut_gerer_portefeuilles,
    referents_du_plie,
    synchroniser_delegation,
)
from parcours.accompagnement.suivi.signaux import (
    absence_injustifiee,
    referent_change,
    suspension_commencee,
    suspension_levee,
    suspension_renouvelee,
)
from parcours.accompagnement.suivi.suspensions import (
    lever_suspension,
    renouveler_suspension,
    suspendre_parcours,
    suspension_en_cours,
)
from parcours.referentiel.sections.etapes import de as catalogue_etapes
from parcours.referentiel.sections.suivi import de as delais_de_suivi

__all__ = [
    "CHAMPS_ETAPE",
    "DROITS_INTERIM",
    "STATUTS_SUIVI",
    "EtapeModifiee",
    "absence_injustifiee",
    "ajouter_etape",
    "ajouter_mois",
    "catalogue_etapes",
    "changer_referent",
    "delais_de_suivi",
    "deleguer_portefeuille",
    "deposer_emargement",
    "deposer_preuve",
    "dernier_entretien_physique",
    "enregistrer_contact_emploi",
    "enregistrer_entretien",
    "expirer_delegations",
    "lever_delegation",
    "lever_suspension",
    "message_preuves_manquantes",
    "modifier_etape",
    "peut_gerer_portefeuilles",
    "peut_suivre",
    "preuves_manquantes",
    "referent_change",
    "referents_du_plie",
    "renouveler_suspension",
    "suspendre_parcours",
    "suspension_commencee",
    "suspension_en_cours",
    "suspension_levee",
    "suspension_renouvelee",
    "synchroniser_delegation",
]
