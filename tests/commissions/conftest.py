import datetime

import pytest
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.commissions.enums import TypeCommission
from parcours.commissions.services import inscrire_a_la_session, planifier_session
from parcours.core.enums import Role
from parcours.referentiel.models import Referentiel
from tests.factories import TerritoireFactory, membre, parcours_en

NOM_COMMISSION = "commission d'intégration et de suivi"
NOM_COMITE = "comité d'entrée"


def referentiel(
    plie,
    *,
    nom=NOM_COMMISSION,
    cadence=10,
    par_territoire=False,
    plafond=80,
    decision_anticipee=False,
):
    """Une version de référentiel réduite à ce que les commissions lisent."""
    return Referentiel.objects.create(
        plie=plie,
        date_effet=datetime.date(2020, 1, 1),
        contenu={
            "commissions": {
                "entree": {
                    "nom": nom,
                    "cadence_par_an": cadence,
                    "par_territoire": par_territoire,
                    "decision_anticipee": decision_anticipee,
                },
                "sortie": {
                    "nom": "comité de suivi",
                    "cadence_par_an": 12,
                    "decision_anticipee": decision_anticipee,
                },
            },
            "portefeuille": {"plafond_par_referent": plafond},
        },
    )


def dans(jours, heure=14):
    """Un instant à venir, à heure fixe (heure de Paris)."""
    jour = timezone.localdate() + datetime.timedelta(days=jours)
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure)))


class Commission:
    """Le `monde` de tests/conftest.py avec des référentiels et une équipe de commission.

    PLIE 1 : une commission pour tout le PLIE (cadence 10/an, plafond 80) ; président = membre de
    commission de la structure a, membre = celui de la structure b. PLIE 2 : un comité d'entrée
    par territoire (deux territoires). Les deux référentiels permettent de décider avant le jour
    de la séance (`decision_anticipee`), pour décider sur les séances à venir que les tests
    planifient ; `sans_decision_anticipee` rétablit la règle par défaut (test_vie_de_seance.py).
    """

    def __init__(self, monde):
        self.monde = monde
        referentiel(monde.plie1, decision_anticipee=True)
        referentiel(
            monde.plie2, nom=NOM_COMITE, cadence=12, par_territoire=True, decision_anticipee=True
        )
        self.territoire2b = TerritoireFactory(plie=monde.plie2, code="t2b", nom="Territoire B")
        self.animateur = monde.user(Role.ANIMATEUR)
        self.direction = monde.user(Role.DIRECTION)
        self.president = monde.user(Role.COMMISSION)
        self.membre = monde.user(Role.COMMISSION, "b")
        self.referent = monde.user(Role.REFERENT)
        self.referent_b = monde.user(Role.REFERENT, "b")

    def sans_decision_anticipee(self, plie=1):
        """La règle par défaut : on ne décide qu'à partir du jour de la séance."""
        version = Referentiel.objects.get(plie=self.monde.plie(plie))
        for type_commission in ("entree", "sortie"):
            version.contenu["commissions"][type_commission]["decision_anticipee"] = False
        version.save()

    def autre_membre_de_commission(self):
        """Membre de commission du PLIE 1 qui ne siège pas aux sessions créées ici."""
        return membre(Role.COMMISSION, self.monde.structure("porteur", "a"))

    def session(self, jours=7, type=TypeCommission.ENTREE, plie=1, territoire=None, **kwargs):
        kwargs.setdefault("membres", [self.membre] if plie == 1 else [])
        kwargs.setdefault("president", self.president if plie == 1 else None)
        if plie == 2 and territoire is None:
            territoire = self.monde.territoire2
        return planifier_session(
            plie=self.monde.plie(plie),
            type=type,
            date=dans(jours),
            par=self.monde.user(Role.ANIMATEUR, "a", plie),
            territoire=territoire,
            lieu="Salle du conseil",
            **kwargs,
        )

    def dossier(self, statut=Statut.RECEVABLE, **kwargs):
        return parcours_en(self.monde, statut, **kwargs)

    def inscrit(self, session, statut=Statut.RECEVABLE, **kwargs):
        """Un dossier amené à `statut` puis inscrit à l'ordre du jour de `session`."""
        parcours = self.dossier(statut, **kwargs)
        animateur = self.monde.user(Role.ANIMATEUR, "a", kwargs.get("plie", 1))
        inscrire_a_la_session(session, parcours, par=animateur)
        parcours.refresh_from_db()
        return parcours


@pytest.fixture
def commission(monde):
    return Commission(monde)
