"""Données de démonstration : 2 PLIE, leurs structures, un compte par rôle, ~200 participants.

Idempotent : structures et comptes sont retrouvés s'ils existent ; les participants d'un PLIE ne
sont créés que si ce PLIE n'en a encore aucun. Mot de passe de tous les comptes : DEMO_PASSWORD.
Les dossiers suspendus et en emploi passent par les services du suivi (suspension avec sa fin
prévue) et de l'emploi (contrat au dossier, qui démarre le suivi dans l'emploi).
"""

import datetime
import random
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo.controles import charger_controle
from demo.donnees import (
    AVANT_RECEVABILITE,
    COMPTES,
    CONTRATS,
    DEMO_PASSWORD,
    FREINS,
    MOTIFS,
    NOMS,
    NOMS_STRUCTURES,
    PARTICIPANTS_PAR_PLIE,
    PLIE_DEMO,
    PRENOMS_F,
    PRENOMS_H,
    REPARTITION,
    STRUCTURES,
)
from demo.fse import charger_operations_fse
from demo.outils import dater_engagement
from parcours.accompagnement.chemins import amener, completer_engagement
from parcours.accompagnement.enums import MotifSuspension, Statut
from parcours.accompagnement.models import Parcours, TransitionParcours
from parcours.accompagnement.services import accorder_derogation, prescrire
from parcours.accompagnement.suivi import suspendre_parcours
from parcours.core.models import PLIE, Membership, Structure, User
from parcours.emploi.enums import TypeContrat
from parcours.emploi.services import enregistrer_contrat
from parcours.participants.models import Participant
from parcours.referentiel.models import Referentiel
from parcours.referentiel.services import importer_referentiel


class Command(BaseCommand):
    help = "Charge les données de démonstration (2 PLIE, un compte par rôle, ~200 participants)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--si-vide",
            action="store_true",
            help="Ne rien faire si des participants existent déjà.",
        )
        parser.add_argument("--participants", type=int, default=PARTICIPANTS_PAR_PLIE)

    def handle(self, *args, si_vide=False, participants=PARTICIPANTS_PAR_PLIE, **options):
        if si_vide and Participant.objects.exists():
            self.stdout.write("Données déjà présentes : démo non rechargée.")
            return
        with transaction.atomic():
            for code in PLIE_DEMO:
                plie = self._plie(code)
                comptes = self._structures_et_comptes(plie)
                if Parcours.objects.filter(plie=plie).exists():
                    self.stdout.write(f"{plie.nom} : participants déjà présents.")
                    continue
                self._participants(plie, comptes, participants)
                operations = charger_operations_fse(plie)
                charger_controle(plie, operations[0])
                self.stdout.write(f"{plie.nom} : {participants} participants créés.")
        self.stdout.write(
            "Comptes de démonstration : <rôle>.<plie> (ex. referent.agenais), "
            f"mot de passe « {DEMO_PASSWORD} »."
        )

    def _plie(self, code):
        plie = PLIE.objects.filter(code=code).first()
        if plie is None or not Referentiel.objects.filter(plie=plie).exists():
            plie = importer_referentiel(
                Path(settings.BASE_DIR) / "referentiels" / f"{code}.yaml"
            ).plie
        return plie

    def _structures_et_comptes(self, plie):
        territoire = plie.territoires.order_by("code").first()
        structures = {}
        for cle, type_structure in STRUCTURES:
            structures[cle], _ = Structure.objects.get_or_create(
                plie=plie,
                nom=NOMS_STRUCTURES[cle].format(plie=plie.code.replace("-", " ").title()),
                defaults={"type": type_structure, "territoire": territoire},
            )
        comptes = {}
        debut = datetime.date(2020, 1, 1)
        for identifiant, role, cle_structure, prenom, nom in COMPTES:
            username = f"{identifiant}.{plie.code}"
            user, cree = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": prenom,
                    "last_name": nom,
                    "email": f"{username}@demo.plie.invalid",
                },
            )
            if cree:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(
                user=user, structure=structures[cle_structure], role=role, debut=debut
            )
            comptes[identifiant] = user
        # Aucun droit global : l'administrateur du PLIE travaille dans « Administration du PLIE »,
        # limitée à son PLIE ; l'admin Django est réservé aux superutilisateurs de l'instance.
        return comptes

    def _participants(self, plie, comptes, nombre):
        rng = random.Random(f"demo-{plie.code}")
        communes = list(plie.communes.select_related("territoire"))
        prescripteurs = [comptes["prescripteur"], comptes["prescripteur2"]]
        referents = [comptes["referent"], comptes["referent2"]]
        etats = [etat for etat, poids in REPARTITION for _ in range(poids)]
        aujourdhui = timezone.localdate()
        for i in range(nombre):
            sexe = rng.choice("FH")
            commune = rng.choice(communes)
            identite = {
                "nom": rng.choice(NOMS),
                "prenom": rng.choice(PRENOMS_F if sexe == "F" else PRENOMS_H),
                "date_naissance": datetime.date(
                    rng.randint(1962, 2000), rng.randint(1, 12), rng.randint(1, 28)
                ),
                "sexe": sexe,
                "telephone": f"06{rng.randint(10000000, 99999999)}",
                "commune_insee": commune.insee,
                "commune_nom": commune.nom,
            }
            prescripteur = prescripteurs[i % 2]
            etat = etats[i * len(etats) // nombre]  # échantillon réparti sur tous les états
            date = aujourdhui - datetime.timedelta(days=rng.randint(20, 720))
            depuis = date - datetime.timedelta(days=rng.randint(200, 1500))
            statuts = rng.sample(["rsa", "qpv", "ass", "rqth", "parent_isole"], k=rng.randint(0, 2))
            parcours = prescrire(
                par=prescripteur,
                plie=plie,
                identite=identite,
                situation={
                    "motif": rng.choice(MOTIFS),
                    "sans_emploi_depuis": depuis,
                    "niveau_qualification": rng.choice([1, 3, 3, 4, 5]),
                    "bac": rng.random() < 0.3,
                    "freins": rng.sample(FREINS, k=rng.randint(1, 3)),
                    "rqth_jusqu_au": date + datetime.timedelta(days=900)
                    if "rqth" in statuts
                    else None,
                },
                statuts=[(code, depuis) for code in statuts],
                nouvelle_personne_confirmee=True,  # homonymes possibles dans la démo
            )
            Parcours.objects.filter(pk=parcours.pk).update(date_prescription=date)
            parcours.date_prescription = date
            prescription = parcours.prescription
            if etat not in AVANT_RECEVABILITE and not prescription.eligible:
                accorder_derogation(
                    prescription,
                    par=comptes["animateur"],
                    motif="Situation examinée en équipe d'animation",
                )
            instant = timezone.make_aware(datetime.datetime.combine(date, datetime.time(9, 30)))

            def dater(nom_transition, parcours=parcours, jour=None):
                # L'historique de démonstration est daté dans le passé, pas au chargement ;
                # `jour` : celui du service qui a fait la transition (début du contrat…).
                nonlocal instant
                if jour is not None:
                    le = timezone.make_aware(datetime.datetime.combine(jour, datetime.time(9)))
                    instant = max(le, instant + datetime.timedelta(hours=1))
                else:
                    instant = instant + datetime.timedelta(days=rng.randint(5, 40))
                instant = min(instant, timezone.now())
                if nom_transition == "engager":
                    parcours.date_entree = timezone.localdate(instant)
                if nom_transition == "proposer_sortie":
                    parcours.date_sortie = timezone.localdate(instant)
                Parcours.objects.filter(pk=parcours.pk).update(
                    date_entree=parcours.date_entree, date_sortie=parcours.date_sortie
                )
                TransitionParcours.objects.filter(
                    pk__in=parcours.transitions.order_by("-id").values("pk")[:1]
                ).update(at=instant)

            # Engagement complet avant `engager` ; les dossiers encore admis en sont à des
            # stades différents (rien, questionnaire seul, contrat et questionnaire).
            parties = [(), ("questionnaire",), ("contrat", "questionnaire")][i % 3]

            def engagement(parcours, etat=etat, parties=parties):
                if etat == Statut.ADMIS:
                    completer_engagement(parcours, parties=parties)
                else:
                    completer_engagement(parcours)
                # Le lendemain de l'admission, avant l'engagement (jamais après maintenant) :
                # `instant` est lu à l'appel, juste après que `dater` a daté l'admission.
                lendemain = instant + datetime.timedelta(days=1)  # noqa: B023
                dater_engagement(parcours, min(lendemain, timezone.now()))

            acteurs = {**comptes, "prescripteur": prescripteur}
            # Suspension et emploi par leurs services : une suspension (motif, fin prévue) et un
            # contrat au dossier, comme à l'écran, plutôt que la seule transition.
            par_service = etat in (Statut.SUSPENDU, Statut.EN_EMPLOI)
            amener(
                parcours,
                Statut.EN_ACCOMPAGNEMENT if par_service else etat,
                acteurs,
                referent=referents[i % 2],
                quand=dater,
                engagement=engagement,
            )
            if etat == Statut.SUSPENDU:
                debut = self._apres_entree(parcours, rng, aujourdhui, 10, 80)
                suspendre_parcours(
                    parcours,
                    parcours.referent,
                    motif=rng.choice([MotifSuspension.SANTE, MotifSuspension.FAMILLE]),
                    debut=debut,
                )
                dater("suspendre", jour=debut)
            elif etat == Statut.EN_EMPLOI:
                contrat = self._contrat(parcours, rng, aujourdhui)
                dater("entrer_en_emploi", jour=contrat.debut)

    @staticmethod
    def _apres_entree(parcours, rng, aujourdhui, minimum, maximum):
        """Une date entre l'entrée dans le parcours et aujourd'hui, `minimum` à `maximum` jours
        avant aujourd'hui si l'entrée le permet."""
        jour = aujourdhui - datetime.timedelta(days=rng.randint(minimum, maximum))
        return min(max(jour, parcours.date_entree or aujourdhui), aujourdhui)

    def _contrat(self, parcours, rng, aujourdhui):
        type_contrat, employeur = rng.choice(CONTRATS)
        debut = self._apres_entree(parcours, rng, aujourdhui, 15, 240)
        fin = None
        if type_contrat != TypeContrat.CDI:  # un contrat qui court encore
            fin = max(
                debut + datetime.timedelta(days=rng.choice([180, 270, 365])),
                aujourdhui + datetime.timedelta(days=30),
            )
        return enregistrer_contrat(
            parcours,
            par=parcours.referent,
            type=type_contrat,
            employeur=employeur,
            debut=debut,
            fin=fin,
            heures_hebdo=rng.choice(["35", "35", "28", "24"]),
            periode_essai_jours=rng.choice([None, 30, 60]),
        )
