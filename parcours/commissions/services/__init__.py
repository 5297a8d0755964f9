"""Les commissions, par ce que font les gens (docs/commissions.md) : planifier (`calendrier`),
inscrire à l'ordre du jour (`ordre_du_jour`), l'envoyer (`convocation`), désigner le référent
(`referents`), décider (`decisions`), clôturer et établir le procès-verbal (`cloture`) ; ce
qu'ils partagent est dans `sessions`. Les appelants écrivent
`from parcours.commissions import services`.

Chaque service prend l'acteur (`par`), vérifie ses droits par `par.has_perm(...)` (la politique
d'accès répond), et ne change rien quand il refuse (exceptions de `parcours.commissions.errors`, ou
celles des transitions du parcours, toutes en français)."""

from parcours.commissions.services.annulation import (
    Annulation,
    annuler_session,
    destinations,
    seances_passees_non_tenues,
)
from parcours.commissions.services.calendrier import (
    HEURE_PAR_DEFAUT,
    composer_session,
    planifier_calendrier,
    planifier_session,
)
from parcours.commissions.services.cloture import cloturer_session, dossiers_sans_decision
from parcours.commissions.services.convocation import envoyer_ordre_du_jour
from parcours.commissions.services.decisions import decider, report_de
from parcours.commissions.services.ordre_du_jour import (
    comptes_a_placer,
    construire_ordre_du_jour,
    dossiers_a_inscrire,
    inscrire_a_la_prochaine_session,
    inscrire_a_la_session,
    lignes_de_session,
    placer_les_dossiers_en_attente,
    prochaine_session,
    retirer_de_l_ordre_du_jour,
    sommaire_de_session,
)
from parcours.commissions.services.referents import (
    SuggestionReferent,
    suggerer_referents,
    suggerer_referents_par_lot,
)
from parcours.commissions.services.sessions import (
    decisions_anticipees,
    jour_de_decision_atteint,
    nom_commission,
)

__all__ = [
    "HEURE_PAR_DEFAUT",
    "Annulation",
    "SuggestionReferent",
    "annuler_session",
    "cloturer_session",
    "composer_session",
    "comptes_a_placer",
    "construire_ordre_du_jour",
    "decider",
    "decisions_anticipees",
    "destinations",
    "dossiers_a_inscrire",
    "dossiers_sans_decision",
    "envoyer_ordre_du_jour",
    "inscrire_a_la_prochaine_session",
    "inscrire_a_la_session",
    "jour_de_decision_atteint",
    "lignes_de_session",
    "nom_commission",
    "placer_les_dossiers_en_attente",
    "planifier_calendrier",
    "planifier_session",
    "prochaine_session",
    "report_de",
    "retirer_de_l_ordre_du_jour",
    "seances_passees_non_tenues",
    "sommaire_de_session",
    "suggerer_referents",
    "suggerer_referents_par_lot",
]
