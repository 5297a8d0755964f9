"""Démo des relations entreprises : réseau (SIRET valides), contacts, offres, mises en
relation."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from demo.outils import (
    ENTREPRISES,
    siret_demo,
)
from parcours.emploi.enums import TypeContrat
from parcours.entreprises import services as entreprises
from parcours.entreprises.enums import CanalContactEntreprise, CanalDiffusion
from parcours.entreprises.models import Entreprise


class DemoEntreprises:
    def _entreprises(self) -> list[Entreprise]:
        commune = self.plie.communes.order_by("nom").first()
        resultat = []
        for rang, (raison, secteur, tranche, partenaire) in enumerate(ENTREPRISES):
            entreprise = entreprises.creer_entreprise(
                self.plie,
                par=self.cre,
                raison_sociale=raison,
                siret=siret_demo(self.plie.pk * 10 + rang),
                secteur=secteur,
                tranche_effectif=tranche,
                partenaire=partenaire,
                adresse=f"{rang + 3} rue de l'Industrie",
                commune=commune.nom if commune else "",
            )
            entreprises.noter_contact(
                entreprise,
                par=self.cre,
                canal=CanalContactEntreprise.VISITE,
                interlocuteur="Responsable des ressources humaines",
                note="Présentation du PLIE ; besoins de recrutement à venir.",
                date=self.aujourdhui - datetime.timedelta(days=20 + rang),
            )
            resultat.append(entreprise)
        return resultat

    def _offre(self, entreprise, intitule, **donnees):
        return entreprises.collecter_offre(
            entreprise,
            par=self.cre,
            intitule=intitule,
            description="Poste à pourvoir rapidement, débutant accepté.",
            nb_postes=1,
            **donnees,
        )

    def _offres(self, propose, entretien, embauche):
        batir, proprete, logistique = self.entreprises
        commune = self.plie.communes.order_by("nom").first()
        lieu = commune.nom if commune else "Sur site"
        self._offre(logistique, "Préparateur de commandes")  # collectée, à qualifier
        qualifiee = self._offre(logistique, "Cariste", type_contrat=TypeContrat.INTERIM, lieu=lieu)
        entreprises.qualifier_offre(qualifiee, par=self.cre, motif="Poste vu avec l'agence.")
        diffusee = self._offre(
            batir, "Ouvrier VRD", type_contrat=TypeContrat.CDD, lieu=lieu, heures_hebdo="35"
        )
        entreprises.qualifier_offre(diffusee, par=self.cre)
        entreprises.diffuser_offre(
            diffusee,
            par=self.cre,
            canal=CanalDiffusion.APPLICATION,
            referents=[self.referent, self.referent2],
        )
        # Les référents proposent leurs participants (le CRE ne voit que les dossiers mis en
        # relation) ; le CRE suit ensuite la réponse de l'entreprise.
        entreprises.proposer_candidat(
            diffusee,
            propose,
            par=propose.referent,
            note="Intéressé par les travaux extérieurs.",
        )
        mise = entreprises.proposer_candidat(diffusee, entretien, par=entretien.referent)
        entreprises.planifier_entretien(
            mise,
            par=self.cre,
            date_entretien=timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=4),
        )
        pourvue = self._offre(
            proprete,
            "Agent de propreté",
            type_contrat=TypeContrat.CDD,
            lieu=lieu,
            heures_hebdo="24",
        )
        entreprises.qualifier_offre(pourvue, par=self.cre)
        entreprises.diffuser_offre(
            pourvue, par=self.cre, canal=CanalDiffusion.REUNION, referents=[self.referent]
        )
        mise = entreprises.proposer_candidat(pourvue, embauche, par=embauche.referent)
        entreprises.retenir_candidat(mise, par=self.cre, motif="Entretien concluant.")
        entreprises.embaucher(
            mise,
            par=self.cre,
            type=TypeContrat.CDD,
            debut=self._depuis(embauche, days=15),
            fin=self.aujourdhui + relativedelta(months=6),
            heures_hebdo="24",
            temps_partiel_choisi=True,
        )

    # — Clauses sociales —
