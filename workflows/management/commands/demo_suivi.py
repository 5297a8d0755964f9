"""Démo du suivi, de l'emploi, des entreprises et des clauses, par les vrais services.

À lancer après `charger_demo` et `demo_flux` (make run le fait). Idempotent : un PLIE dont le
réseau d'entreprises existe déjà n'est pas rechargé ; chaque PLIE se charge en une transaction
(tout ou rien). Par PLIE, sur des dossiers en accompagnement de `referent.<plie>` :
- étapes du catalogue du PLIE (une réalisée justifiée, une en cours sans sa preuve) ;
- entretiens, dont une absence injustifiée → tâches de relance (courrier, appel) ;
- une suspension (veille) en cours, qui arrive à échéance ;
- un contrat dont les critères de sortie sont remplis (ou le seront bientôt) → « Proposer la
  sortie » et l'explication de la qualification ; une sortie proposée, inscrite à la séance de
  sortie planifiée ;
- un réseau d'entreprises (SIRET valides), contacts, offres dans plusieurs états, mises en
  relation (proposée, entretien, embauche) ;
- une clause sociale : donneur d'ordre rattaché à la structure de `donneur-ordre.<plie>`,
  opération, marché attribué, besoin, un participant et un candidat externe positionnés, le
  second embauché, trois mois d'heures (tableau d'impact non vide) ;
- un intérim à venir (portefeuille de `referent` confié à `referent2` pendant ses congés) ;
puis une passe de `verifier_alertes` (alertes de suivi chez les référents).
"""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret
from viewflow.workflow.status import STATUS

from parcours.accompagnement import suivi
from parcours.accompagnement.chemins import PDF_MINIMAL
from parcours.accompagnement.enums import (
    CanalContact,
    MotifSuspension,
    Presence,
    Statut,
    StatutEtape,
    TypeSortie,
)
from parcours.accompagnement.models import Parcours
from parcours.clauses import heures as clauses_heures
from parcours.clauses import services as clauses
from parcours.clauses.enums import ModaliteClause, TypeDonneurOrdre
from parcours.clauses.models import DonneurOrdre, Marche, Operation
from parcours.commissions import services as commissions
from parcours.core.enums import TypeStructure
from parcours.core.models import PLIE, Structure
from parcours.emploi import services as emploi
from parcours.emploi import sortie
from parcours.emploi.enums import TypeContrat
from parcours.entreprises import services as entreprises
from parcours.entreprises.enums import CanalContactEntreprise, CanalDiffusion, TrancheEffectif
from parcours.entreprises.models import Entreprise
from workflows.alertes import verifier_alertes
from workflows.clauses import CandidatureFlow
from workflows.emploi import apres_proposition

User = get_user_model()
PLIE_DEMO = ("agenais", "flandre-lys")
DOSSIERS_NECESSAIRES = 6

# (raison sociale, secteur, tranche, partenaire, commune) ; le SIRET est calculé (clés valides).
ENTREPRISES = [
    ("Bâtir Ensemble", "BTP", TrancheEffectif.MOYENNE, True),
    ("Propreté Services", "Nettoyage", TrancheEffectif.PETITE, True),
    ("Logistique du Sud-Ouest", "Logistique", TrancheEffectif.GRANDE, False),
]


def siret_demo(graine: int) -> str:
    """Un SIRET de démonstration valide (SIREN et SIRET à clé de Luhn) pour chaque graine."""
    base = f"9{graine:07d}"
    siren = next(base + str(c) for c in range(10) if stdnum_siren.is_valid(base + str(c)))
    return next(siren + f"0001{c}" for c in range(10) if stdnum_siret.is_valid(siren + f"0001{c}"))


def pdf(nom: str) -> ContentFile:
    return ContentFile(PDF_MINIMAL, name=nom)


def terminer_tache(flow_class, tache, par) -> None:
    """Termine une tâche humaine dont le travail vient d'être fait par son service (comme son
    écran le ferait après l'enregistrement)."""
    with flow_class.lock(tache.process_id), transaction.atomic():
        tache.refresh_from_db()
        activation = tache.flow_task.activation_class(tache)
        if tache.status == STATUS.NEW:
            activation.assign(par)
        activation.start(None)
        activation.execute()


def tache_candidature(positionnement, noeud):
    return CandidatureFlow.task_class.objects.get(
        process__artifact_object_id=positionnement.pk,
        process__flow_class=CandidatureFlow,
        flow_task=noeud,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def premier_du_mois(jour: datetime.date, decalage: int = 0) -> datetime.date:
    return jour.replace(day=1) + relativedelta(months=decalage)


class Command(BaseCommand):
    help = (
        "Démo du suivi, de l'emploi, des entreprises et des clauses (après charger_demo et "
        "demo_flux) ; idempotente."
    )

    def handle(self, *args, **options):
        for code in PLIE_DEMO:
            plie = PLIE.objects.filter(code=code).first()
            if plie is None or not User.objects.filter(username=f"referent.{code}").exists():
                continue
            if Entreprise.objects.filter(plie=plie).exists():
                self.stdout.write(f"{plie.nom} : suivi de démonstration déjà présent.")
                continue
            with transaction.atomic():
                Demo(plie).charger()
            self.stdout.write(f"{plie.nom} : suivi, emploi, entreprises et clauses chargés.")
        self.stdout.write(f"Alertes : {verifier_alertes()}")


class Demo:
    def __init__(self, plie):
        self.plie = plie
        self.aujourdhui = timezone.localdate()
        self.maintenant = timezone.now()
        compte = lambda role: User.objects.get(username=f"{role}.{plie.code}")  # noqa: E731
        self.referent = compte("referent")
        self.referent2 = compte("referent2")
        self.animateur = compte("animateur")
        self.cre = compte("cre")
        self.facilitateur = compte("facilitateur")
        self.president = compte("commission")
        self.donneur_ordre = compte("donneur-ordre")

    def charger(self):
        dossiers = self._dossiers()
        self.entreprises = self._entreprises()
        # Les plus anciens entrés portent les contrats : la règle des 6 mois peut être remplie.
        self._contrat_qualifiant(dossiers[0])
        self._sortie_proposee(dossiers[1])
        self._etapes(dossiers[2])
        self._entretiens(dossiers[2], dossiers[3])
        self._suspension(dossiers[4])
        self._offres(dossiers[2], dossiers[3], dossiers[5])
        self._clause(dossiers[2])
        self._interim()

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
        clauses.diffuser_besoin(besoin, par=self.facilitateur, url=clauses.lien_besoin(besoin))
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
