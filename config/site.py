"""Le site viewflow : le cadre de l'application (menu, barre, pages), en français.

Chaque domaine déclare son application (et ses flux) dans `workflows/<domaine>/application.py` ;
ce module ne fait que les assembler, dans l'ordre des entrées du menu."""

from config.menu import SitePLIE
from parcours import acces
from workflows.accueil.application import AccueilApplication
from workflows.administration import AdministrationApplication
from workflows.alertes.application import flux_alertes
from workflows.clauses.application import CandidaturesViewset, ClausesApplication
from workflows.commissions.application import CommissionsApplication
from workflows.emploi.application import EmploiApplication, flux_sortie, flux_suivi_emploi
from workflows.entree.application import EntreeApplication
from workflows.entreprises.application import EntreprisesApplication
from workflows.fse.application import FseApplication
from workflows.journal import JournalApplication
from workflows.participants.application import ParticipantsApplication
from workflows.pilotage.application import PilotageApplication
from workflows.suivi.application import (
    SuiviApplication,
    flux_relances_absence,
    flux_suspensions,
)

# Le menu de gauche : {app_name: qui voit l'entrée} (config/menu.py). Absents : les flux et
# « Emploi et sortie », dont l'index ne fait que rediriger vers l'accueil ; leurs pages s'ouvrent
# depuis l'accueil et le dossier.
MENU = {
    "accueil": acces.voit_le_menu_accueil,
    "participants": acces.voit_le_menu_participants,
    "commissions": acces.voit_le_menu_commissions,
    "clauses": acces.voit_le_menu_clauses,
    "entreprises": acces.voit_le_menu_entreprises,
    "fse": acces.voit_les_operations_fse,
    "pilotage": acces.voit_le_menu_pilotage,
    "suivi": acces.voit_le_menu_portefeuilles,
    "administration": acces.voit_le_menu_administration,
    "journal": acces.voit_le_journal,
}

site = SitePLIE(
    title="PLIE — parcours",
    menu=MENU,
    primary_color="#1d4f91",
    secondary_color="#e1000f",
    viewsets=[
        AccueilApplication(),
        ParticipantsApplication(),
        CommissionsApplication(),
        ClausesApplication(),
        CandidaturesViewset(),
        EntreprisesApplication(),
        # Opérations FSE+ et export Ma Démarche FSE (docs/fse.md).
        FseApplication(),
        # Tableaux de bord (docs/tableaux_de_bord.md) ; l'accueil du financeur.
        PilotageApplication(),
        EntreeApplication(),
        SuiviApplication(),
        flux_relances_absence,
        flux_suspensions,
        EmploiApplication(),
        flux_suivi_emploi,
        flux_sortie,
        flux_alertes,
        AdministrationApplication(),
        # Journal des accès (docs/rgpd.md) : administration et direction du PLIE.
        JournalApplication(),
    ],
)
