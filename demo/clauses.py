"""Démo d'une clause sociale : donneur d'ordre, opération, marché, besoin, candidatures,
embauche, heures."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from demo.outils import (
    premier_du_mois,
    tache_candidature,
    terminer_tache,
)
from parcours.clauses import heures as clauses_heures
from parcours.clauses import services as clauses
from parcours.clauses.enums import ModaliteClause, TypeDonneurOrdre
from parcours.clauses.models import DonneurOrdre, Marche, Operation
from parcours.core.enums import TypeStructure
from parcours.core.models import Structure
from parcours.emploi.enums import TypeContrat
from workflows.clauses.flows import CandidatureFlow
from workflows.clauses.views.besoins import lien_besoin


class DemoClauses:
    def _clause(self, participant_parcours):
        structure = Structure.objects.filter(
            plie=self.plie,
            type=TypeStructure.DONNEUR_ORDRE,
            memberships__user=self.donneur_ordre,
        ).first()
        donneur = DonneurOrdre(
            plie=self.plie,
            nom=structure.nom if structure else "Office HLM",
            type=TypeDonneurOrdre.BAILLEUR_SOCIAL,
            structure=structure,
        )
        donneur.full_clean()
        donneur.save()
        debut = premier_du_mois(self.aujourdhui, -6)
        operation = Operation(
            donneur_ordre=donneur,
            nom="Réhabilitation de la résidence des Tilleuls",
            date_debut=debut,
            date_fin=debut + relativedelta(months=18),
        )
        operation.full_clean()
        operation.save()
        batir = self.entreprises[0]
        marche = Marche(
            plie=self.plie,
            operation=operation,
            numero=f"{debut:%Y}-BAT-001",
            intitule="Gros œuvre et VRD",
            modalite_clause=ModaliteClause.CONDITION_EXECUTION,
            heures_prevues=Decimal(1500),
            date_debut=debut,
            date_fin=debut + relativedelta(months=18),
            attributaire=batir,
        )
        marche.full_clean()
        marche.save()
        embauche_le = premier_du_mois(self.aujourdhui, -3)
        besoin = clauses.enregistrer_besoin(
            par=self.facilitateur,
            marche=marche,
            poste="Manœuvre bâtiment",
            description="Aide aux maçons, manutention, nettoyage du chantier.",
            nb_postes=2,
            type_contrat=TypeContrat.CDD,
            date_debut=embauche_le,
            date_fin=embauche_le + relativedelta(months=9),
        )
        clauses.diffuser_besoin(besoin, par=self.facilitateur, url=lien_besoin(besoin))
        commune = self.plie.communes.order_by("nom").first()
        externe = clauses.enregistrer_candidat_externe(
            par=self.facilitateur,
            plie=self.plie,
            nom="Lopez",
            prenom="Samir",
            date_naissance=datetime.date(1983, 5, 14),
            sexe="H",
            commune_insee=commune.insee if commune else "",
            commune_nom=commune.nom if commune else "",
            rsa=True,
        )
        candidats = [
            clauses.proposer_candidature(
                par=self.facilitateur,
                besoin=besoin,
                candidat_externe=externe,
                commentaire="Orienté par le chantier d'insertion.",
            ),
            clauses.proposer_candidature(
                par=participant_parcours.referent,
                besoin=besoin,
                participant=participant_parcours.participant,
                commentaire="Projet BTP validé en immersion.",
            ),
        ]
        for positionnement in candidats:
            CandidatureFlow.start.run(positionnement=positionnement)
            self._etape_candidature(
                positionnement,
                CandidatureFlow.verifier_eligibilite,
                clauses.verifier_eligibilite,
                eligible=True,
                motif="Situation vérifiée avec le proposant.",
            )
            self._etape_candidature(
                positionnement, CandidatureFlow.positionner, clauses.positionner, motif="CV validé."
            )
        # L'entreprise retient le candidat externe ; le participant attend sa décision.
        self._etape_candidature(
            candidats[0],
            CandidatureFlow.decision_entreprise,
            clauses.enregistrer_decision_entreprise,
            retenue=True,
        )
        self._etape_candidature(
            candidats[0],
            CandidatureFlow.embauche,
            clauses.enregistrer_embauche,
            date_embauche=embauche_le,
            type_contrat=TypeContrat.CDD,
            employeur=batir.raison_sociale,
            date_fin=besoin.date_fin,
            heures_hebdo=Decimal(35),
        )
        personne = clauses_heures.Personne("externe", externe.pk)
        for decalage, heures in ((-3, "140"), (-2, "151,67"), (-1, "147")):
            clauses_heures.saisir_heures(
                marche,
                premier_du_mois(self.aujourdhui, decalage),
                [(personne, batir.siret, heures)],
                par=self.facilitateur,
            )

    def _etape_candidature(self, positionnement, noeud, service, **donnees):
        tache = tache_candidature(positionnement, noeud)
        positionnement.refresh_from_db()  # l'état relu : le service refuse une copie périmée
        service(positionnement, par=self.facilitateur, **donnees)
        terminer_tache(CandidatureFlow, tache, self.facilitateur)
