"""Démo des flux : une séance d'entrée du jour par PLIE et des tâches dans chaque boîte.

À lancer après `charger_demo` (make run le fait). Idempotent : ne refait rien si les flux de la
démo existent déjà. Les dossiers passent par les vrais services et les vrais nœuds viewflow :
- les prescriptions « prescrit » démarrent leur flux → « Vérifier la recevabilité » à prendre ;
- les « incomplètes » → « Compléter la prescription » chez leur prescripteur ;
- par PLIE, deux nouvelles prescriptions déclarées recevables → sur l'ordre du jour de la séance ;
- et deux autres admises en séance → « Premier entretien » chez referent et referent2.

La séance est planifiée dans une semaine (on ne planifie que dans le futur), reçoit ses dossiers,
puis la démo la fait arriver aujourd'hui à 14 h : ses décisions s'enregistrent à partir du jour de
la séance (docs/commissions.md « Quand décider »). Elle est donc « en cours » : deux dossiers
décidés, deux à décider par le président ou l'animation.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.services import prescrire
from parcours.commissions import services as commissions
from parcours.commissions.models import SessionCommission
from parcours.core.models import PLIE
from parcours.referentiel.sections import commissions as commissions_du_referentiel
from workflows.commissions.reactions import avancer_flux_entree
from workflows.entree.flows import EntreeFlow

User = get_user_model()
NOUVEAUX = [
    ("Morin", "Lucie", datetime.date(1984, 4, 12), "F"),
    ("Perrin", "Yohan", datetime.date(1979, 11, 3), "H"),
    ("Chevalier", "Anaïs", datetime.date(1990, 2, 21), "F"),
    ("Gauthier", "Rémi", datetime.date(1972, 7, 9), "H"),
]


def executer(tache, par):
    """Prend et termine une tâche humaine comme le ferait son écran (l'état est déjà changé)."""
    with EntreeFlow.lock(tache.process_id), transaction.atomic():
        tache.refresh_from_db()
        activation = tache.flow_task.activation_class(tache)
        activation.assign(par)
        activation.start(None)
        activation.execute()


def tache_ouverte(parcours, noeud):
    return EntreeFlow.task_class.objects.filter(
        process__artifact_object_id=parcours.pk, flow_task=noeud, status__in=["NEW", "ASSIGNED"]
    ).first()


class Command(BaseCommand):
    help = "Démarre les flux de la démo : séance à venir et tâches dans les boîtes de chaque rôle."

    def handle(self, *args, **options):
        if EntreeFlow.process_class.objects.filter(flow_class=EntreeFlow).exists():
            self.stdout.write("Flux de démonstration déjà présents.")
            return
        for code in ("agenais", "flandre-lys"):
            plie = PLIE.objects.filter(code=code).first()
            if plie is None:
                continue
            with transaction.atomic():
                self._plie(plie)
            self.stdout.write(f"{plie.nom} : séance planifiée et tâches créées.")

    def _plie(self, plie):
        compte = lambda role: User.objects.get(username=f"{role}.{plie.code}")  # noqa: E731
        animateur, president = compte("animateur"), compte("commission")
        par_territoire = commissions_du_referentiel.de(plie).entree.par_territoire
        session = commissions.planifier_session(
            plie=plie,
            type="entree",
            date=timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=7),
            territoire=plie.territoires.order_by("code").first() if par_territoire else None,
            lieu="Salle du conseil",
            membres=[president, animateur],
            president=president,
            par=animateur,
        )
        for parcours in Parcours.objects.filter(plie=plie, statut=Statut.PRESCRIT):
            EntreeFlow.start.run(parcours=parcours)
        # Les prescriptions « incomplètes » : la tâche « Compléter » chez leur prescripteur.
        for parcours in Parcours.objects.filter(plie=plie, statut=Statut.INCOMPLET):
            EntreeFlow.start.run(parcours=parcours)
            executer(tache_ouverte(parcours, EntreeFlow.verifier_recevabilite), animateur)
        commune = (
            session.territoire.communes.first() if session.territoire else plie.communes.first()
        )
        referents = [compte("referent"), compte("referent2")]
        nouveaux = []
        for nom, prenom, naissance, sexe in NOUVEAUX:
            parcours = prescrire(
                par=compte("prescripteur"),
                plie=plie,
                identite={
                    "nom": nom,
                    "prenom": prenom,
                    "date_naissance": naissance,
                    "sexe": sexe,
                    "commune_insee": commune.insee,
                    "commune_nom": commune.nom,
                },
                situation={
                    "motif": "Demandeur d'emploi de longue durée, accompagnement renforcé.",
                    "sans_emploi_depuis": timezone.localdate() - datetime.timedelta(days=800),
                    "niveau_qualification": 3,
                    "freins": ["mobilite"],
                },
                statuts=[("rsa", timezone.localdate() - datetime.timedelta(days=700))],
                nouvelle_personne_confirmee=True,
                notice_remise=True,  # comme à l'écran de prescription (docs/rgpd.md)
            )
            EntreeFlow.start.run(parcours=parcours)
            parcours.declarer_recevable(par=animateur)
            parcours.save()
            executer(tache_ouverte(parcours, EntreeFlow.verifier_recevabilite), animateur)
            nouveaux.append(parcours)
        # Le jour de la séance : la démo la fait arriver (voir la docstring du module).
        SessionCommission.objects.filter(pk=session.pk).update(
            date=timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
        )
        session.refresh_from_db()
        # Une fois l'ordre du jour complet (la séance s'ouvre à la première décision), les deux
        # derniers dossiers sont admis.
        for parcours, referent in zip(nouveaux[2:], referents, strict=True):
            parcours.refresh_from_db()
            commissions.decider(session, parcours, "admis", par=president, referent=referent)
            parcours.refresh_from_db()
            avancer_flux_entree(parcours)
