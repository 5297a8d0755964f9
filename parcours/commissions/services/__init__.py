"""Les commissions, par ce que font les gens (docs/commissions.md) : planifier (`calendrier`),
inscrire à l'ordre du jour (`ordre_du_jour`), l'envoyer (`convocation`), désigner le référent
(`referents`), décider (`decisions`), clôturer et établir le procès-verbal (`cloture`) ; ce
qu'ils partagent est dans `sessions`. Les appelants écrivent
`from parcours.commissions import services`.

Chaque service prend l'acteur (`par`), vérifie ses droits par `par.has_perm(...)` (la politique
d'accès répond), et ne change rien quand il refuse (exceptions de `parcours.commissions.errors`, ou
celles des transitions du parcours, toutes en français)."""

from parcours.commissions.services.calendrier import (
    HEURE_PAR_DEFAUT,
    composer_session,
    planifier_calendrier,
    planifier_session,
)
from parcours.commissions.services.cloture import cloturer_session
from parcours.commissions.services.convocation import envoyer_ordre_du_jour
from parcours.commissions.services.decisions import decider, report_de
from parcours.commissions.services.ordre_du_jour import (
    construire_ordre_du_jour,
    dossiers_a_inscrire,
    inscrire_a_la_prochaine_session,
    inscrire_a_la_session,
    lignes_de_session,
    prochaine_session,
    retirer_de_l_ordre_du_jour,
)
from parcours.commissions.services.referents import (
    SuggestionReferent,
    suggerer_referents,
    suggerer_referents_par_lot,
)
from parcours.commissions.services.sessions import nom_commission

__all__ = [
    "HEURE_PAR_DEFAUT",
    "SuggestionReferent",
    "cloturer_session",
    "composer_session",
    "construire_ordre_du_jour",
    "decider",
    "dossiers_a_inscrire",
    "envoyer_ordre_du_jour",
    "inscrire_a_la_prochaine_session",
    "inscrire_a_la_session",
    "lignes_de_session",
    "nom_commission",
    "planifier_calendrier",
    "planifier_session",
    "prochaine_session",
    "report_de",
    "retirer_de_l_ordre_du_jour",
    "suggerer_referents",
    "suggerer_referents_par_lot",
]
