"""Le droit d'accès : tout ce que le PLIE détient sur une personne, en JSON et en PDF, depuis
sa fiche, pour l'administrateur et la direction du PLIE seulement ; chaque export tracé."""

import datetime
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours, StatutDeclare
from parcours.commissions.models import Decision, InscriptionSession, SessionCommission
from parcours.core.enums import Role
from parcours.emploi.models import DonneesSortieFSE
from parcours.entreprises.services import planifier_entretien, proposer_candidat
from parcours.participants.models import Participant
from parcours.rgpd.droit_acces import EXCLUS, SOURCES_PARCOURS, SOURCES_PERSONNE
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.alertes.conftest import ENTREE, accompagne
from tests.clauses.factories import (
    BesoinFactory,
    HeuresRealiseesFactory,
    MarcheFactory,
    PositionnementFactory,
)
from tests.entreprises.conftest import une_offre
from tests.factories import parcours_en
from tests.pdf import texte_pdf
from tests.rgpd.test_conservation import avec_documents, personne
from workflows.alertes import verifier_alertes

pytestmark = pytest.mark.django_db


def url(participant, format="json", plie=None):
    adresse = reverse("participants:droit_acces", args=[participant.pk, format])
    return adresse + (f"?plie={plie.code}" if plie else "")


@pytest.fixture
def riche(monde):
    """Une personne dont le dossier touche chaque application : prescription et statuts,
    commission, engagement, étapes, entretiens, documents, contrats, sortie FSE+, mise en
    relation, clauses (candidature, heures), courriel, tâches (alertes) ; et un parcours dans
    l'autre PLIE, qui ne doit pas paraître."""
    parcours = accompagne(monde, participant=personne("Riche"))
    avec_documents(parcours)
    StatutDeclare.objects.create(prescription=parcours.prescription, code="rsa")
    animateur = monde.user(Role.ANIMATEUR)
    session = SessionCommission.objects.create(
        plie=monde.plie1, type="entree", date=timezone.now() - datetime.timedelta(days=30)
    )
    InscriptionSession.objects.create(
        session=session, parcours=parcours, objet="entree", ordre=1, inscrite_par=animateur
    )
    Decision.objects.create(
        session=session,
        parcours=parcours,
        type="admis",
        referent=parcours.referent,
        structure=parcours.structure_referente,
        par=animateur,
    )
    DonneesSortieFSE.objects.create(
        parcours=parcours, situation="recherche", saisie_par=parcours.referent
    )
    mise = proposer_candidat(une_offre(monde, "diffusee"), parcours, par=parcours.referent)
    planifier_entretien(mise, par=monde.user(Role.CRE), date_entretien=timezone.now())
    marche = MarcheFactory(operation__donneur_ordre__plie=monde.plie1)
    besoin = BesoinFactory(marche=marche, facilitateur=monde.user(Role.FACILITATEUR))
    PositionnementFactory(
        besoin=besoin,
        participant=parcours.participant,
        candidat_externe=None,
        propose_par=parcours.referent,
        role_proposant=Role.REFERENT,
        commentaire="Motivé par le bâtiment",
    )
    HeuresRealiseesFactory(marche=marche, participant=parcours.participant, candidat_externe=None)
    verifier_alertes(ENTREE + relativedelta(months=30), Parcours.objects.filter(pk=parcours.pk))
    parcours_en(monde, Statut.SORTI, plie=2, participant=parcours.participant)
    return parcours


def exporter(client, user, participant, format="json", plie=None):
    client.force_login(user)
    return client.get(url(participant, format, plie))


def test_le_json_contient_chaque_application(client, monde, riche):
    # Une consultation d'abord : elle figure parmi les accès à ses données.
    client.force_login(riche.referent)
    client.get(reverse("participants:dossier", args=[riche.pk]))
    reponse = exporter(client, monde.user(Role.DIRECTION), riche.participant)
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json"
    assert reponse["Content-Disposition"] == (
        f'attachment; filename="droit-acces-{riche.participant.numero}-agenais-test.json"'
    )
    assert reponse["Cache-Control"] == "private, no-store"
    donnees = json.loads(reponse.content)
    identite = donnees["identite"]
    assert (identite["nom"], identite["prenom"], identite["email"]) == (
        "Riche",
        "Camille",
        "riche@exemple.fr",
    )
    assert identite["date_naissance"] == "1980-05-17" and identite["sexe"] == "Femme"
    assert "recherche" not in identite
    (section,) = donnees["parcours"]  # pas le parcours de l'autre PLIE
    assert section["parcours"]["id"] == riche.pk
    assert section["parcours"]["statut"] == "En accompagnement"
    # La copie du nom tenue pour le tri n'est pas une donnée de plus sur la personne.
    assert not {"nom_de_tri", "prenom_de_tri", "nom de la personne"} & set(section["parcours"])
    for cle in (
        "prescription",
        "statuts_declares",
        "transitions",
        "inscriptions_commission",
        "decisions_commission",
        "contrat_engagement",
        "questionnaire_fse",
        "pieces_entree",
        "etapes",
        "preuves_etapes",
        "entretiens",
        "contrats",
        "donnees_sortie_fse",
        "mises_en_relation",
        "transitions_mises_en_relation",
        "courriels",
        "taches",
    ):
        assert section[cle], cle
    for cle in ("candidatures_clauses", "heures_clauses", "documents", "acces_aux_donnees"):
        assert donnees[cle], cle
    assert section["entretiens"][0]["note"] == "Parle de son divorce"
    assert section["prescription"][0]["cv"].endswith(".pdf")
    assert section["contrats"][0]["employeur"] == "Boulangerie Martin"
    assert section["questionnaire_fse"][0]["commune_naissance"] == "Agen"
    assert section["decisions_commission"][0]["type"] == "Admis"
    # Les tâches d'alerte y portent le titre des boîtes (« Sans contact depuis … »).
    from workflows.alertes.flows import AlerteFlow, titre_de

    taches_d_alerte = AlerteFlow.task_class.objects.filter(
        process__flow_class=AlerteFlow,
        process__artifact_object_id=riche.pk,
        flow_task_type="HUMAN",
    ).select_related("process")
    titres_boites = {titre_de(t.process.data) for t in taches_d_alerte}
    titres_export = {t["titre"] for t in section["taches"]}
    assert titres_boites and titres_boites <= titres_export
    assert not any(t.startswith("Traiter l'alerte") for t in titres_export)
    assert donnees["candidatures_clauses"][0]["commentaire"] == "Motivé par le bâtiment"
    assert {d["document"] for d in donnees["documents"]} >= {
        "CV",
        "Pièce d'entrée : Justificatif d'identité",
        "Preuve d'étape : Attestation",
        "Feuille d'émargement",
        "Justificatif de contrat",
        "Contrat d'engagement signé",
    }
    acces = donnees["acces_aux_donnees"][0]
    assert acces["type"] == "Consultation d'un dossier" and "par" not in acces
    assert donnees["export"]["participant"] == riche.participant.numero


def test_le_pdf_est_un_vrai_pdf(client, monde, riche):
    reponse = exporter(client, monde.user(Role.ADMIN), riche.participant, "pdf")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF-")
    texte = texte_pdf(reponse.content)
    for attendu in (
        "Données personnelles détenues par le PLIE Test Agenais",
        riche.participant.numero,
        "Riche",
        "riche@exemple.fr",
        "Étapes",
        "Entretiens et contacts",
        "Parle de son divorce",
        "Contrats de travail",
        "Boulangerie Martin",
        "Candidatures sur des clauses sociales",
        "Documents conservés",
        "Cofinancé par l'Union européenne",
    ):
        assert attendu in texte, attendu
    assert "Flandre" not in texte


@pytest.mark.parametrize("format", ["json", "pdf"])
def test_chaque_export_est_trace(client, monde, riche, format):
    direction = monde.user(Role.DIRECTION)
    exporter(client, direction, riche.participant, format)
    trace = Trace.objects.get(type=TypeTrace.DROIT_ACCES)
    assert (trace.user, trace.plie_id, trace.participant_id) == (
        direction,
        monde.plie1.pk,
        riche.participant_id,
    )
    assert trace.detail == f"Export des données de la personne ({format.upper()})"


@pytest.mark.parametrize(
    ("role", "plie", "attendu"),
    [
        (Role.ADMIN, 1, 200),
        (Role.DIRECTION, 1, 200),
        (Role.ANIMATEUR, 1, 404),
        (Role.REFERENT, 1, 404),
        (Role.PRESCRIPTEUR, 1, 404),
        (Role.FINANCEUR, 1, 404),
        (Role.ADMIN, 2, 404),
        (Role.DIRECTION, 2, 404),
    ],
)
def test_qui_peut_exporter(client, monde, role, plie, attendu):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    for format in ("json", "pdf"):
        reponse = exporter(client, monde.user(role, plie=plie), parcours.participant, format)
        assert reponse.status_code == attendu
    assert Trace.objects.filter(type=TypeTrace.DROIT_ACCES).count() == (2 if attendu == 200 else 0)


def test_l_admin_de_l_autre_plie_n_exporte_que_son_parcours(client, monde, riche):
    admin2 = monde.user(Role.ADMIN, plie=2)
    # Depuis le PLIE 1 : 404, même en le nommant.
    assert exporter(client, admin2, riche.participant, plie=monde.plie1).status_code == 404
    donnees = json.loads(exporter(client, admin2, riche.participant).content)
    (section,) = donnees["parcours"]
    assert section["parcours"]["statut"] == "Sorti"
    assert donnees["candidatures_clauses"] == [] and donnees["heures_clauses"] == []


def test_anonyme_et_format_inconnu(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    reponse = client.get(url(parcours.participant))
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("login"))
    assert exporter(client, monde.user(Role.ADMIN), parcours.participant, "xml").status_code == 404
    inconnu = Participant(pk=987654)
    assert exporter(client, monde.user(Role.ADMIN), inconnu).status_code == 404


@pytest.mark.parametrize(("role", "voit"), [(Role.DIRECTION, True), (Role.ANIMATEUR, False)])
def test_liens_sur_la_fiche(client, monde, role, voit):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(monde.user(role))
    page = client.get(reverse("participants:detail", args=[parcours.participant_id]))
    html = page.content.decode()
    assert ('id="droit-acces"' in html) is voit
    if voit:
        assert url(parcours.participant, "pdf", monde.plie1).replace("&", "&amp;") in html


def test_chaque_modele_relie_a_la_personne_est_couvert():
    """Un modèle relié à un parcours ou à une personne (ou à l'une de leurs lignes) figure dans
    l'export, ou `EXCLUS` dit pourquoi il n'y est pas."""
    from django.apps import apps

    couverts = {m for _, _, m, _ in SOURCES_PARCOURS} | {m for _, _, m, _, _ in SOURCES_PERSONNE}
    a_voir = set()
    for racine in ("accompagnement.Parcours", "participants.Participant"):
        for relation in apps.get_model(racine)._meta.related_objects:
            a_voir.add(relation.related_model._meta.label)
            if relation.related_model._meta.label in couverts:
                for sous in relation.related_model._meta.related_objects:
                    a_voir.add(sous.related_model._meta.label)
    assert a_voir - couverts - set(EXCLUS) == set()
    assert not couverts & set(EXCLUS)
