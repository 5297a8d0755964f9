"""Sortie : proposition du référent → commission de sortie (écran de séance) → sorti → données
FSE+ de sortie sous 4 semaines ; refus motivé ; refus en français sans rien changer ;
réentrée liée au parcours précédent."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from viewflow.workflow.status import PROCESS, STATUS

from parcours.accompagnement.chemins import PDF_MINIMAL
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.services import prescrire
from parcours.commissions import services as commissions
from parcours.commissions.services import dossiers_a_inscrire
from parcours.core.enums import Role
from parcours.emploi import services, sortie
from parcours.emploi.models import DonneesSortieFSE, PropositionSortie
from tests.documents.echantillons import nom_aleatoire
from tests.emploi.fabrique_emploi import cdi, il_y_a, referentiel
from tests.factories import le_jour_de_la_seance, membre, parcours_en
from workflows.emploi.flows import SortieFlow, SuiviContratFlow
from workflows.relances import envoyer_relances

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde_emploi(monde):
    referentiel(monde.plie1)
    referentiel(monde.plie2)
    return monde


@pytest.fixture
def seance(monde_emploi):
    """Une commission de sortie dans une semaine, présidée par un membre de commission."""
    animateur = monde_emploi.user(Role.ANIMATEUR)
    president = monde_emploi.user(Role.COMMISSION)
    return commissions.planifier_session(
        plie=monde_emploi.plie1,
        type="sortie",
        date=timezone.now() + datetime.timedelta(days=7),
        membres=[president],
        president=president,
        par=animateur,
    )


def taches(flow_class, parcours, noeud, **filtres):
    return flow_class.task_class.objects.filter(
        process__flow_class=flow_class,
        process__artifact_object_id=parcours.pk,
        flow_task=getattr(flow_class, noeud),
        **filtres,
    ).order_by("id")


def en_emploi_depuis_sept_mois(monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    services.enregistrer_contrat(parcours, par=parcours.referent, **cdi(debut=il_y_a(months=7)))
    parcours.refresh_from_db()
    return parcours


def proposer(client, parcours, **donnees):
    client.force_login(parcours.referent)
    return client.post(
        reverse("emploi:proposer_sortie", args=[parcours.pk]),
        {
            "type_sortie": "emploi_durable",
            "date_sortie": timezone.localdate().isoformat(),
            **donnees,
        },
    )


def decider(client, user, session, parcours, **donnees):
    le_jour_de_la_seance(session)
    client.force_login(user)
    return client.post(
        reverse("commissions:detail", args=[session.pk]),
        {"action": "decider", "parcours": parcours.pk, **donnees},
    )


# — Proposer —


def test_proposition_inscrite_a_la_prochaine_commission_de_sortie(client, monde_emploi, seance):
    parcours = en_emploi_depuis_sept_mois(monde_emploi)
    page = client.get(reverse("emploi:proposer_sortie", args=[parcours.pk]))
    assert page.status_code == 302  # pas connecté
    client.force_login(parcours.referent)
    page = client.get(reverse("emploi:proposer_sortie", args=[parcours.pk])).content.decode()
    assert "Critères remplis" in page
    response = proposer(
        client,
        parcours,
        commentaire="CDI confirmé après la période d'essai.",
        justificatif=SimpleUploadedFile("attestation.pdf", PDF_MINIMAL),
    )
    assert response.status_code == 302
    parcours.refresh_from_db()
    assert parcours.statut == Statut.SORTIE_PROPOSEE
    proposition = PropositionSortie.objects.get(parcours=parcours)
    assert proposition.statut == "en_attente"
    assert proposition.qualification["qualifie"] is True
    assert nom_aleatoire("justificatif-sortie").fullmatch(proposition.justificatif.name)
    assert list(seance.inscriptions.values_list("parcours", "objet")) == [(parcours.pk, "sortie")]
    # Le flux de sortie attend la décision de la commission (le minuteur est annulé).
    assert taches(SortieFlow, parcours, "decision", status=STATUS.NEW).count() == 1
    assert not taches(SortieFlow, parcours, "attente", status=STATUS.SCHEDULED).exists()
    suivi = client.get(response["Location"]).content.decode()
    assert f"inscrite à la {seance.libelle}" in suivi


def test_sans_commission_planifiee_l_animation_l_inscrira(client, monde_emploi):
    parcours = en_emploi_depuis_sept_mois(monde_emploi)
    response = proposer(client, parcours)
    assert response.status_code == 302
    parcours.refresh_from_db()
    assert parcours.statut == Statut.SORTIE_PROPOSEE
    assert parcours in dossiers_a_inscrire(monde_emploi.plie1)
    page = client.get(response["Location"]).content.decode()
    assert "aucune commission de sortie planifiée" in page


def test_sortie_autre_exige_le_relais(client, monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    response = proposer(client, parcours, type_sortie="demenagement")
    assert response.status_code == 200
    assert "accompagnement relais recherché" in response.content.decode()
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_ACCOMPAGNEMENT
    assert not PropositionSortie.objects.exists()
    response = proposer(
        client, parcours, type_sortie="demenagement", relais="PLIE de Bordeaux, référente Mme X"
    )
    assert response.status_code == 302
    assert PropositionSortie.objects.get().relais == "PLIE de Bordeaux, référente Mme X"


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"date_sortie": "2019-01-01"}, "ne peut pas précéder la date d'entrée"),
        ({"type_sortie": "vacances"}, "Sélectionnez un choix valide"),
        ({"justificatif": ("photo.exe", PDF_MINIMAL)}, "type de fichier non accepté"),
    ],
)
def test_proposition_invalide_reaffichee_rien_ne_change(client, monde_emploi, donnees, message):
    parcours = en_emploi_depuis_sept_mois(monde_emploi)
    if "justificatif" in donnees:
        nom, contenu = donnees["justificatif"]
        donnees = {"justificatif": SimpleUploadedFile(nom, contenu)}
    response = proposer(client, parcours, **donnees)
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_EMPLOI
    assert not PropositionSortie.objects.exists()


@pytest.mark.parametrize("statut", [Statut.ADMIS, Statut.SORTIE_PROPOSEE, Statut.SORTI])
def test_proposition_dans_un_etat_qui_ne_le_permet_pas(monde_emploi, statut):
    parcours = parcours_en(monde_emploi, statut)
    avant = parcours.transitions.count()
    with pytest.raises(sortie.SortieInvalide, match="La sortie ne peut pas être proposée"):
        sortie.proposer_la_sortie(parcours, par=parcours.referent, type_sortie="abandon")
    parcours.refresh_from_db()
    assert parcours.statut == statut
    assert parcours.transitions.count() == avant
    assert not PropositionSortie.objects.exists()


def test_proposition_par_un_autre_referent_refusee(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_EMPLOI)
    with pytest.raises(sortie.SortieNonAutorisee):
        sortie.proposer_la_sortie(
            parcours, par=monde_emploi.user(Role.REFERENT, "b"), type_sortie="abandon"
        )


def test_la_tache_proposer_la_sortie(client, monde_emploi, seance):
    from viewflow.workflow.timers import fire_due_timers

    parcours = en_emploi_depuis_sept_mois(monde_emploi)
    fire_due_timers()
    tache = taches(SortieFlow, parcours, "proposer").get()
    url = tache.flow_task.reverse("execute", args=[tache.process_id, tache.pk])
    client.force_login(parcours.referent)
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="emploi_durable" selected' in page.content.decode()  # proposé d'après le moteur
    response = client.post(
        url, {"type_sortie": "emploi_durable", "date_sortie": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    tache.refresh_from_db()
    assert tache.status == STATUS.DONE
    assert taches(SortieFlow, parcours, "decision", status=STATUS.NEW).count() == 1
    assert seance.inscriptions.filter(parcours=parcours).exists()


# — Décider en commission —


def test_commission_valide_la_sortie(client, monde_emploi, seance):
    parcours = en_emploi_depuis_sept_mois(monde_emploi)
    proposer(client, parcours)
    president = seance.president
    le_jour_de_la_seance(seance)
    client.force_login(president)
    page = client.get(reverse("commissions:detail", args=[seance.pk])).content.decode()
    assert "Sortie validée" in page and "Admis" not in page
    response = decider(client, president, seance, parcours, decision="sortie_validee")
    assert response.status_code == 302
    parcours.refresh_from_db()
    assert parcours.statut == Statut.SORTI
    proposition = PropositionSortie.objects.get()
    assert proposition.statut == "validee"
    assert proposition.decision.type == "sortie_validee"
    assert proposition.decision.par == president
    # Tâche « Saisir les données FSE de sortie » chez le référent, sous 4 semaines.
    fse = taches(SortieFlow, parcours, "donnees_fse").get()
    assert fse.owner == parcours.referent and fse.status == STATUS.ASSIGNED
    echeance = datetime.datetime.fromisoformat(fse.data["echeance"]).date()
    assert echeance == parcours.date_sortie + datetime.timedelta(weeks=4)
    # Le suivi dans l'emploi s'arrête.
    assert not SuiviContratFlow.process_class.objects.filter(
        flow_class=SuiviContratFlow, artifact_object_id=parcours.pk, status=PROCESS.NEW
    ).exists()


def test_commission_refuse_la_sortie_avec_son_motif(client, monde_emploi, seance):
    parcours = en_emploi_depuis_sept_mois(monde_emploi)
    proposer(client, parcours)
    president = seance.president
    response = decider(client, president, seance, parcours, decision="sortie_refusee")
    assert response.status_code == 200  # motif manquant : la ligne réaffichée avec le message
    assert "Un motif est obligatoire" in response.content.decode()
    parcours.refresh_from_db()
    assert parcours.statut == Statut.SORTIE_PROPOSEE  # rien n'a changé
    decider(client, president, seance, parcours, decision="sortie_refusee", motif="Attendre la fin")
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_ACCOMPAGNEMENT
    proposition = PropositionSortie.objects.get()
    assert (proposition.statut, proposition.motif_refus) == ("refusee", "Attendre la fin")
    # Retour en attente : le minuteur de sortie est réarmé.
    assert taches(SortieFlow, parcours, "attente", status=STATUS.SCHEDULED).count() == 1
    client.force_login(parcours.referent)
    page = client.get(reverse("emploi:contrats", args=[parcours.pk])).content.decode()
    assert "Attendre la fin" in page


# — Données FSE+ de sortie —


def sorti(client, monde, seance):
    parcours = en_emploi_depuis_sept_mois(monde)
    proposer(client, parcours)
    decider(client, seance.president, seance, parcours, decision="sortie_validee")
    parcours.refresh_from_db()
    return parcours


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({}, "Ce champ est obligatoire"),
        ({"situation": "emploi"}, "indiquez le type de contrat"),
        ({"situation": "formation"}, "indiquez la formation suivie"),
        ({"situation": "qualification"}, "indiquez le diplôme"),
        ({"situation": "autre"}, "précisez laquelle"),
    ],
)
def test_donnees_fse_invalides(client, monde_emploi, seance, donnees, message):
    parcours = sorti(client, monde_emploi, seance)
    tache = taches(SortieFlow, parcours, "donnees_fse").get()
    client.force_login(parcours.referent)
    response = client.post(
        tache.flow_task.reverse("execute", args=[tache.process_id, tache.pk]), donnees
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DonneesSortieFSE.objects.exists()


def test_donnees_fse_par_la_tache(client, monde_emploi, seance):
    parcours = sorti(client, monde_emploi, seance)
    tache = taches(SortieFlow, parcours, "donnees_fse").get()
    client.force_login(parcours.referent)
    url = tache.flow_task.reverse("execute", args=[tache.process_id, tache.pk])
    page = client.get(url).content.decode()
    assert 'value="emploi" checked' in page or "checked" in page
    response = client.post(
        url,
        {
            "situation": "emploi",
            "type_contrat": "cdi",
            "employeur": "Boulangerie Martin",
            "temps_plein": "true",
        },
    )
    assert response.status_code == 302
    donnees = DonneesSortieFSE.objects.get()
    assert (donnees.situation, donnees.type_contrat, donnees.temps_plein) == ("emploi", "cdi", True)
    assert donnees.saisie_par == parcours.referent
    tache.refresh_from_db()
    assert tache.status == STATUS.DONE
    assert tache.process.status == PROCESS.DONE


def test_donnees_fse_hors_tache_terminent_la_tache(client, monde_emploi, seance):
    parcours = sorti(client, monde_emploi, seance)
    client.force_login(parcours.referent)
    response = client.post(
        reverse("emploi:donnees_sortie", args=[parcours.pk]),
        {"situation": "qualification", "intitule_qualification": "CAP boulanger"},
    )
    assert response.status_code == 302
    donnees = DonneesSortieFSE.objects.get()
    assert donnees.qualification_obtenue is True
    assert taches(SortieFlow, parcours, "donnees_fse").get().status == STATUS.DONE


def test_donnees_fse_seulement_apres_la_sortie(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.SORTIE_PROPOSEE)
    with pytest.raises(sortie.SortieInvalide, match="une fois la sortie validée"):
        sortie.saisir_donnees_sortie(parcours, par=parcours.referent, situation="recherche")


def test_donnees_fse_en_retard_relancees(client, monde_emploi, seance):
    parcours = sorti(client, monde_emploi, seance)
    tache = taches(SortieFlow, parcours, "donnees_fse").get()
    tache.data = {
        **tache.data,
        "echeance": (timezone.now() - datetime.timedelta(days=1)).isoformat(),
    }
    tache.save()
    client.force_login(parcours.referent)
    accueil = client.get(reverse("accueil:index") + "?retard=1").content.decode()
    assert "Saisir les données FSE de sortie" in accueil
    mail.outbox.clear()
    assert envoyer_relances() == 1
    assert mail.outbox[0].subject.startswith("Relance : Données FSE+ de sortie en retard")
    assert mail.outbox[0].to == [parcours.referent.email]
    assert envoyer_relances() == 0  # une seule relance par tâche


# — Réentrée —


def test_reentree_liee_au_parcours_precedent(client, monde_emploi, seance):
    ancien = sorti(client, monde_emploi, seance)
    animateur = monde_emploi.user(Role.ANIMATEUR)
    nouveau = prescrire(
        par=animateur,
        plie=monde_emploi.plie1,
        identite={},
        situation={"motif": "Fin de contrat, nouvelle recherche."},
        statuts=[],
        participant=ancien.participant,
    )
    assert nouveau.precedent == ancien
    assert nouveau.statut == Statut.PRESCRIT
    client.force_login(animateur)
    fiche = client.get(reverse("participants:detail", args=[ancien.participant_id]))
    page = fiche.content.decode()
    assert f'id="parcours-{ancien.pk}"' in page and f'id="parcours-{nouveau.pk}"' in page
    assert "Sorti" in page


# — Accès aux écrans —

ROLES = [
    # (rôle, structure, PLIE, code attendu sur les pages de lecture, peut proposer)
    (Role.REFERENT, "a", 1, 200, True),
    (Role.ANIMATEUR, "b", 1, 200, True),
    (Role.CRE, "a", 1, 200, False),
    (Role.PRESCRIPTEUR, "a", 1, 404, False),
    (Role.REFERENT, "b", 1, 404, False),
    (Role.ANIMATEUR, "a", 2, 404, False),
    (Role.CRE, "a", 2, 404, False),
    (Role.COMMISSION, "b", 1, 404, False),  # ne siège pas pour ce dossier
]


@pytest.mark.parametrize(("role", "structure", "plie", "lecture", "propose"), ROLES)
def test_acces_aux_ecrans(client, monde_emploi, role, structure, plie, lecture, propose):
    parcours = en_emploi_depuis_sept_mois(monde_emploi)
    contrat = parcours.contrats.get()
    user = monde_emploi.user(role, structure, plie)
    client.force_login(user)
    for url in (
        reverse("emploi:contrats", args=[parcours.pk]),
        reverse("emploi:contrat", args=[parcours.pk, contrat.pk]),
    ):
        assert client.get(url).status_code == lecture, url
    proposer_url = reverse("emploi:proposer_sortie", args=[parcours.pk])
    attendu = 200 if propose else (403 if lecture == 200 else 404)
    assert client.get(proposer_url).status_code == attendu
    response = client.post(
        proposer_url, {"type_sortie": "abandon", "date_sortie": timezone.localdate().isoformat()}
    )
    assert response.status_code == (302 if propose else attendu)
    parcours.refresh_from_db()
    assert parcours.statut == (Statut.SORTIE_PROPOSEE if propose else Statut.EN_EMPLOI)
    # Enregistrer un contrat : référent, animation, CRE ; les autres, 403 ou 404.
    response = client.post(
        reverse("emploi:contrats", args=[parcours.pk]),
        {"type": "cdd", "employeur": "Mairie", "debut": timezone.localdate().isoformat()},
    )
    ecrit = role in (Role.REFERENT, Role.ANIMATEUR, Role.CRE) and lecture == 200
    assert response.status_code == (302 if ecrit else (403 if lecture == 200 else 404))
    assert parcours.contrats.count() == (2 if ecrit else 1)


def test_membre_de_commission_qui_siege_voit_les_contrats(client, monde_emploi, seance):
    parcours = en_emploi_depuis_sept_mois(monde_emploi)
    proposer(client, parcours)
    client.force_login(seance.president)
    page = client.get(reverse("emploi:contrats", args=[parcours.pk]))
    assert page.status_code == 200
    assert "Boulangerie Martin" in page.content.decode()
    assert "Enregistrer un contrat" not in page.content.decode()
    response = client.post(
        reverse("emploi:contrats", args=[parcours.pk]),
        {"type": "cdd", "employeur": "Mairie", "debut": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    assert client.get(reverse("emploi:proposer_sortie", args=[parcours.pk])).status_code == 403


@pytest.mark.parametrize("nom", ["contrats", "proposer_sortie", "donnees_sortie"])
def test_anonyme_redirige(client, monde_emploi, nom):
    parcours = parcours_en(monde_emploi, Statut.EN_EMPLOI)
    response = client.get(reverse(f"emploi:{nom}", args=[parcours.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_donnees_sortie_acces(client, monde_emploi, seance):
    parcours = sorti(client, monde_emploi, seance)
    url = reverse("emploi:donnees_sortie", args=[parcours.pk])
    for user, code in (
        (parcours.referent, 200),
        (monde_emploi.user(Role.ANIMATEUR), 200),
        (monde_emploi.user(Role.CRE), 404),  # parcours sorti : hors du périmètre du CRE
        (monde_emploi.user(Role.PRESCRIPTEUR), 404),
        (monde_emploi.user(Role.REFERENT, "b"), 404),
        (monde_emploi.user(Role.ANIMATEUR, "a", 2), 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == code, user


def test_la_direction_lit_l_emploi_mais_ne_saisit_pas_la_sortie(client, monde_emploi, seance):
    """Hors tâche, l'écran de la sortie exige le droit d'agir (403) de qui lit l'emploi du
    dossier ; rien n'est enregistré."""
    parcours = sorti(client, monde_emploi, seance)
    client.force_login(monde_emploi.user(Role.DIRECTION))
    assert client.get(reverse("emploi:contrats", args=[parcours.pk])).status_code == 200
    url = reverse("emploi:donnees_sortie", args=[parcours.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"situation": "recherche"})
    assert response.status_code == 403
    assert not DonneesSortieFSE.objects.filter(parcours=parcours).exists()
    proposer_url = reverse("emploi:proposer_sortie", args=[parcours.pk])
    assert client.get(proposer_url).status_code == 403


def test_page_des_contrats_en_requetes_constantes(
    client, monde_emploi, django_assert_max_num_queries
):
    parcours = en_emploi_depuis_sept_mois(monde_emploi)
    client.force_login(parcours.referent)
    url = reverse("emploi:contrats", args=[parcours.pk])
    client.get(url)
    for mois in range(6, 0, -1):
        services.enregistrer_contrat(
            parcours,
            par=parcours.referent,
            type="interim",
            employeur=f"Agence {mois}",
            debut=il_y_a(months=mois),
            fin=il_y_a(months=mois, days=-10),
            heures="70",
        )
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.content.decode().count('id="contrat-') == 7


def test_aucune_personne_hors_de_la_commission_ne_decide(client, monde_emploi, seance):
    parcours = en_emploi_depuis_sept_mois(monde_emploi)
    proposer(client, parcours)
    intrus = membre(Role.COMMISSION, monde_emploi.structure("porteur", "b"))
    decider(client, intrus, seance, parcours, decision="sortie_validee")
    parcours.refresh_from_db()
    assert parcours.statut == Statut.SORTIE_PROPOSEE


def test_cloture_de_la_seance_de_sortie(client, monde_emploi, seance):
    from tests.pdf import texte_pdf

    parcours = sorti(client, monde_emploi, seance)
    mail.outbox.clear()
    client.force_login(monde_emploi.user(Role.ANIMATEUR))
    president = monde_emploi.user(Role.COMMISSION)
    response = client.post(
        reverse("commissions:cloturer", args=[seance.pk]), {"presents": [president.pk]}
    )
    assert response.status_code == 302
    seance.refresh_from_db()
    assert seance.statut == "cloturee"
    with seance.proces_verbal.open("rb") as pv:
        texte = texte_pdf(pv.read())
    assert "Sortie validée" in texte
    assert parcours.participant.nom.upper() in texte.upper()
    (courriel,) = [m for m in mail.outbox if parcours.referent.email in m.to]
    assert "sortie" in courriel.subject.lower() and "validée" in courriel.subject
