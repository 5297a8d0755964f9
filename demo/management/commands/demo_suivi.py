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
- le suivi ordinaire : les autres dossiers en accompagnement ont eu leur entretien physique du
  mois, un sur quatre est en retard (quelques alertes, pas un mur d'alertes) ;
puis une passe de `verifier_alertes` (alertes de suivi chez les référents).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo.clauses import DemoClauses
from demo.entreprises import DemoEntreprises
from demo.fse import nommer_les_actions_financees
from demo.outils import PLIE_DEMO, User
from demo.suivi import DemoSuivi
from parcours.core.models import PLIE
from parcours.entreprises.models import Entreprise
from workflows.alertes import verifier_alertes


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
                nommer_les_actions_financees(plie)
            self.stdout.write(f"{plie.nom} : suivi, emploi, entreprises et clauses chargés.")
        self.stdout.write(f"Alertes : {verifier_alertes()}")


class Demo(DemoSuivi, DemoEntreprises, DemoClauses):
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
        self._suivi_courant(dossiers, {d.pk for d in dossiers[:6]})
