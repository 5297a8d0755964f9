"""Le filtre SQL du contrôle préalable (`filtre.py`) signale exactement les participations que
les règles en Python (`controler`) signalent, dans le même ordre, sur un jeu qui touche chaque
règle et ses cas limites ; la page du contrôle se lit par pages de 50, lien par lien."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import ParticipationFse, QuestionnaireFSE
from parcours.accompagnement.models.questionnaire import SituationMarcheTravail
from parcours.core.enums import Role
from parcours.fse.enums import MotifFinParticipation
from parcours.participants.models import Participant
from parcours.reporting.ma_demarche_fse import controler
from parcours.reporting.ma_demarche_fse.filtre import participations_en_anomalie
from parcours.reporting.periode import periode
from tests.factories import parcours_en
from workflows.fse.views import ANOMALIES_PAR_PAGE

pytestmark = pytest.mark.django_db


def _large():
    aujourdhui = timezone.localdate()
    return periode(aujourdhui - datetime.timedelta(days=4000), aujourdhui)


def _participation(parcours, **champs):
    ParticipationFse.objects.filter(parcours=parcours).update(**champs)


def _questionnaire(parcours, **champs):
    QuestionnaireFSE.objects.filter(parcours=parcours).update(**champs)


def _entree_le(parcours, jour, naissance=None):
    """Participation et questionnaire entrés le même `jour` (pas d'autre anomalie)."""
    _participation(parcours, date_entree=jour)
    _questionnaire(parcours, date_entree=jour)
    if naissance:
        Participant.objects.filter(parcours=parcours).update(date_naissance=naissance)


def _compare(operation, sorties):
    python = [a.participation_id for a in controler(operation, _large(), sorties)]
    sql = list(
        participations_en_anomalie(operation, _large(), sorties).values_list("pk", flat=True)
    )
    assert sql == python
    return python


def test_le_filtre_sql_signale_les_memes_participations_que_les_regles(monde, operations):
    operations.a.debut = datetime.date(2020, 1, 1)  # couvre les entrées d'un 29 février 2024
    operations.a.save()
    e = operations.engage
    complets = [e(), e()]
    _entree_le(complets[1], datetime.date(2024, 2, 29), naissance=datetime.date(2008, 2, 29))
    signales = {
        "sans_adresse": e(complet=False),
        "anonymise": e(anonymise_le=timezone.now()),
        "diplome": e(),
        "sans_questionnaire": e(),
        "emploi_sans_type": e(),
        "recherche_sans_mois": e(),
        "date_differente": e(),
        "date_vide": e(),
        "15_ans_la_veille": e(),
        "avant_l_operation": e(),
    }
    inactif_sans_mois = e()  # le mois de recherche n'est exigé que d'un demandeur d'emploi
    _questionnaire(
        inactif_sans_mois,
        situation_marche_travail=SituationMarcheTravail.INACTIF,
        type_emploi="",
        mois_recherche_emploi=None,
    )
    _questionnaire(signales["diplome"], diplome_dgefp="")
    QuestionnaireFSE.objects.filter(parcours=signales["sans_questionnaire"]).delete()
    _questionnaire(
        signales["emploi_sans_type"],
        situation_marche_travail=SituationMarcheTravail.EN_EMPLOI,
        type_emploi="",
        mois_recherche_emploi=None,
    )
    _questionnaire(
        signales["recherche_sans_mois"],
        situation_marche_travail=SituationMarcheTravail.DEMANDEUR_EMPLOI,
        mois_recherche_emploi=None,
    )
    entree = ParticipationFse.objects.get(parcours=signales["date_differente"]).date_entree
    _questionnaire(signales["date_differente"], date_entree=entree - datetime.timedelta(days=1))
    _questionnaire(signales["date_vide"], date_entree=None)
    # 16 ans le 1er mars 2024 : la veille, 15 ans ; le jour même (complets[1], né un 29
    # février, entré un 29 février 16 ans après), pas d'anomalie.
    _entree_le(signales["15_ans_la_veille"], datetime.date(2024, 2, 29), datetime.date(2008, 3, 1))
    debut = operations.a.debut
    _entree_le(signales["avant_l_operation"], debut - datetime.timedelta(days=1))

    ids = _compare(operations.a, sorties=False)
    attendus = ParticipationFse.objects.filter(parcours__in=signales.values())
    assert sorted(ids) == sorted(attendus.values_list("pk", flat=True))

    # Une fin d'opération : les entrées après elle sont signalées, par les deux calculs.
    aujourdhui = timezone.localdate()
    apres_la_fin = e()
    operations.a.fin = aujourdhui - datetime.timedelta(days=10)
    operations.a.save()
    _entree_le(apres_la_fin, aujourdhui - datetime.timedelta(days=5))
    assert ParticipationFse.objects.get(parcours=apres_la_fin).pk in _compare(operations.a, False)


def test_le_filtre_sql_des_sorties_signale_les_memes_participations(monde, operations):
    sans_donnees = parcours_en(monde, Statut.SORTI)
    changement = parcours_en(monde, Statut.SORTI)
    _participation(changement, motif_fin=MotifFinParticipation.CHANGEMENT_STRUCTURE)
    tardive = parcours_en(monde, Statut.SORTI)
    _participation(tardive, motif_fin=MotifFinParticipation.CHANGEMENT_STRUCTURE)
    aujourdhui = timezone.localdate()
    for parcours, jours in ((sans_donnees, 3), (changement, 3), (tardive, 0)):
        _participation(
            parcours,
            date_entree=aujourdhui - datetime.timedelta(days=10),
            date_sortie=aujourdhui - datetime.timedelta(days=jours),
        )
    operations.a.fin = aujourdhui - datetime.timedelta(days=1)
    operations.a.save()
    ids = _compare(operations.a, sorties=True)
    attendus = ParticipationFse.objects.filter(parcours__in=[sans_donnees, tardive])
    assert sorted(ids) == sorted(attendus.values_list("pk", flat=True))


def test_les_anomalies_se_lisent_par_pages(client, monde, operations):
    operations.engage()
    incomplets = [operations.engage(complet=False) for _ in range(ANOMALIES_PAR_PAGE + 1)]
    client.force_login(monde.user(Role.ANIMATEUR))
    url = reverse("fse:operation", args=[operations.a.pk])
    params = {"du": f"{_large().du}", "au": f"{_large().au}"}
    une = client.get(url, params)
    assert une.context["nb_anomalies"] == len(incomplets)
    assert len(une.context["anomalies"]) == ANOMALIES_PAR_PAGE
    assert f"({len(incomplets)} écartée(s))" in une.content.decode()
    suivante = une.context["page_anomalies"].suivante
    deux = client.get(url, {**params, "apres": suivante})
    assert deux.context["nb_anomalies"] == len(incomplets)
    lues = [a.participation_id for r in (une, deux) for a in r.context["anomalies"]]
    python = [a.participation_id for a in controler(operations.a, _large())]
    assert lues == python
    # Curseur illisible : première page et un message, jamais une erreur.
    trois = client.get(url, {**params, "apres": "n'importe quoi"})
    assert trois.status_code == 200
    assert len(trois.context["anomalies"]) == ANOMALIES_PAR_PAGE
    assert "illisible" in " ".join(str(m) for m in get_messages(trois.wsgi_request))


def test_la_page_suivante_d_un_autre_plie_est_introuvable(client, monde, operations):
    operations.engage(complet=False)
    client.force_login(monde.user(Role.ANIMATEUR, plie=2))
    url = reverse("fse:operation", args=[operations.a.pk])
    params = {"du": f"{_large().du}", "au": f"{_large().au}", "apres": "WzFd"}
    assert client.get(url, params).status_code == 404
