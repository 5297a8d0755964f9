"""Démo du suivi : étapes, entretiens et absence, suspension, intérim, contrat qualifiant,
sortie proposée (par les vrais services)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from demo.outils import (
    DOSSIERS_NECESSAIRES,
    pdf,
)
from parcours.accompagnement import suivi
from parcours.accompagnement.enums import (
    CanalContact,
    MotifSuspension,
    Presence,
    Statut,
    StatutEtape,
    TypeSortie,
)
from parcours.accompagnement.models import Parcours
from parcours.commissions import services as commissions
from parcours.emploi import services as emploi
from parcours.emploi import sortie
from parcours.emploi.enums import TypeContrat
from workflows.emploi.reactions import apres_proposition


class DemoSuivi:
    def _dossiers(self) -> list[Parcours]:
        """Des dossiers en accompagnement, ceux de `referent` d'abord, les plus anciennement
        entrés d'abord (leur historique laisse la place aux contrats datés dans le passé)."""
        dossiers = []
        for referent in (self.referent, self.referent2):
            dossiers += list(
                Parcours.objects.filter(
                    plie=self.plie, statut=Statut.EN_ACCOMPAGNEMENT, referent=referent
                )
                .select_related("participant")
                .order_by("date_entree", "pk")
            )
        if len(dossiers) < DOSSIERS_NECESSAIRES:
            raise RuntimeError(
                f"{self.plie.nom} : {len(dossiers)} dossier(s) en accompagnement, il en faut "
                f"{DOSSIERS_NECESSAIRES} (lancer charger_demo d'abord)."
            )
        return dossiers

    def _depuis(self, parcours, **delai) -> datetime.date:
        """`aujourd'hui - delai`, mais pas avant l'entrée dans le parcours."""
        return max(
            self.aujourdhui - relativedelta(**delai), parcours.date_entree or self.aujourdhui
        )

    # — Suivi —

    def _suivi_courant(self, dossiers, deja_suivis):
        """Le suivi ordinaire d'une file active : la plupart des dossiers en accompagnement ont eu
        leur entretien physique du mois (il y a 1 à 4 semaines) ; un sur quatre est en retard.
        La boîte du référent se lit alors comme une liste de choses à faire (quelques alertes
        dues aujourd'hui, les prochains entretiens à venir), pas comme un mur d'alertes."""
        for i, parcours in enumerate(d for d in dossiers if d.pk not in deja_suivis):
            if i % 4 == 0:
                continue  # laissé sans entretien récent : ses alertes de suivi s'ouvriront
            jours = 7 + (i * 5) % 22
            if parcours.date_entree and parcours.date_entree > self.aujourdhui - relativedelta(
                days=jours
            ):
                continue  # entré depuis moins longtemps : rien à rattraper
            suivi.enregistrer_entretien(
                parcours,
                parcours.referent,
                date=self.maintenant - datetime.timedelta(days=jours),
                canal=CanalContact.PHYSIQUE_INDIVIDUEL,
                note="Entretien mensuel : point sur les démarches, prochain rendez-vous fixé.",
            )

    def _etapes(self, parcours):
        ref = parcours.referent
        faite = suivi.ajouter_etape(
            parcours,
            ref,
            type_code="projet-professionnel",
            date_debut=self._depuis(parcours, months=3),
            date_fin=self._depuis(parcours, months=2),
            statut=StatutEtape.REALISEE,
            intitule="Atelier projet professionnel (4 séances)",
            prestataire="Accompagnement Emploi",
        )
        for code in ("attestation", "compte-rendu", "emargement"):
            suivi.deposer_preuve(faite, ref, type_preuve=code, fichier=pdf(f"{code}.pdf"))
        # En cours, sans sa convention ni sa fiche d'évaluation : « preuve manquante ».
        suivi.ajouter_etape(
            parcours,
            ref,
            type_code="immersion-pmsmp",
            date_debut=self._depuis(parcours, days=10),
            date_fin=self.aujourdhui + datetime.timedelta(days=10),
            statut=StatutEtape.EN_COURS,
            intitule="Immersion agent d'entretien",
            prestataire="Propreté Services",
        )
        suivi.ajouter_etape(
            parcours,
            ref,
            type_code="formation-qualifiante",
            date_debut=self.aujourdhui + datetime.timedelta(days=30),
            statut=StatutEtape.PREVUE,
            intitule="Titre professionnel agent de propreté",
        )

    def _entretiens(self, present, absent):
        for parcours, jours in ((present, 12), (absent, 40)):
            suivi.enregistrer_entretien(
                parcours,
                parcours.referent,
                date=self.maintenant - datetime.timedelta(days=jours),
                canal=CanalContact.PHYSIQUE_INDIVIDUEL,
                note="Point d'étape : démarches en cours, prochain rendez-vous fixé.",
                emargement=pdf("emargement.pdf"),
            )
        suivi.enregistrer_entretien(
            present,
            present.referent,
            date=self.maintenant - datetime.timedelta(days=3),
            canal=CanalContact.TELEPHONE,
            note="Confirmation de l'immersion.",
        )
        # Rendez-vous manqué sans excuse : les relances du référentiel (courrier, appel).
        suivi.enregistrer_entretien(
            absent,
            absent.referent,
            date=self.maintenant - datetime.timedelta(days=2),
            canal=CanalContact.PHYSIQUE_INDIVIDUEL,
            presence=Presence.ABSENT_INJUSTIFIE,
        )

    def _suspension(self, parcours):
        # Fin prévue dans une dizaine de jours : la tâche « Renouveler ou lever » approche.
        debut = self._depuis(parcours, months=3) + datetime.timedelta(days=10)
        suivi.suspendre_parcours(
            parcours,
            parcours.referent,
            motif=MotifSuspension.SANTE,
            precision="Hospitalisation puis convalescence",
            debut=min(debut, self.aujourdhui),
        )

    def _interim(self):
        # Des congés à venir : le portefeuille de `referent` confié à `referent2` (l'accès du
        # suppléant s'ouvrira le jour venu, par expirer_delegations).
        debut = self.aujourdhui + datetime.timedelta(days=14)
        suivi.deleguer_portefeuille(
            self.referent,
            self.referent2,
            self.animateur,
            plie=self.plie,
            debut=debut,
            fin=debut + datetime.timedelta(days=13),
            motif="Congés d'hiver",
        )

    # — Emploi et sortie —

    def _contrat_qualifiant(self, parcours):
        # Un CDI à temps plein depuis ~7 mois : la règle « 6 mois chez le même employeur » est
        # remplie (ou le sera bientôt si l'entrée est plus récente).
        emploi.enregistrer_contrat(
            parcours,
            par=parcours.referent,
            type=TypeContrat.CDI,
            entreprise=self.entreprises[2],  # un employeur du réseau, distinct de l'embauche
            employeur="",
            debut=self._depuis(parcours, months=7),
            heures_hebdo="35",
            periode_essai_jours=60,
        )

    def _sortie_proposee(self, parcours):
        commissions.planifier_session(
            plie=self.plie,
            type="sortie",
            date=timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=10),
            lieu="Salle des commissions",
            membres=[self.president, self.animateur],
            president=self.president,
            par=self.animateur,
        )
        emploi.enregistrer_contrat(
            parcours,
            par=parcours.referent,
            type=TypeContrat.CDD,
            employeur="Mairie (services techniques)",
            debut=self._depuis(parcours, months=8),
            fin=self.aujourdhui + relativedelta(months=4),
            heures_hebdo="35",
        )
        sortie.proposer_la_sortie(
            parcours,
            par=parcours.referent,
            type_sortie=TypeSortie.EMPLOI_DURABLE,
            commentaire="CDD d'un an, plus de 6 mois chez le même employeur.",
        )
        apres_proposition(parcours)

    # — Entreprises —
