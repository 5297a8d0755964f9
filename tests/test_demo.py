"""La démo de `make run` : charger_demo, demo_flux, demo_suivi sur la base de test, puis ce que
chaque compte de démonstration y voit ; une seconde passe n'ajoute rien.

La démo partagée (tests/demo_du_module.py) est copiée pour le module ; la seconde passe y est
commitée, la copie est jetée à la fin du module.
"""

import io
import shutil

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from stdnum.fr import siret as stdnum_siret
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from demo.donnees import COMPTES, DEMO_PASSWORD, PLIE_DEMO
from parcours import acces
from parcours.accompagnement.enums import Presence, Statut
from parcours.accompagnement.models import (
    Delegation,
    Entretien,
    Etape,
    Parcours,
    ParticipationFse,
    Suspension,
)
from parcours.accompagnement.suivi import preuves_manquantes
from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.models import HeuresRealisees, Marche, Positionnement
from parcours.commissions.models import SessionCommission
from parcours.core.models import User
from parcours.emploi.models import Contrat
from parcours.emploi.services import qualification_du_parcours
from parcours.entreprises.enums import StatutMiseEnRelation, StatutOffre
from parcours.entreprises.models import Entreprise, MiseEnRelation, OffreEmploi
from parcours.fse.models import OperationFse
from parcours.reporting.models import ControleFse
from tests.demo_du_module import TAILLE, demo_du_module

MODELES_COMPTES = [
    Parcours,
    Etape,
    Entretien,
    Suspension,
    Contrat,
    Entreprise,
    OffreEmploi,
    MiseEnRelation,
    Marche,
    Positionnement,
    HeuresRealisees,
    SessionCommission,
    Task,
    OperationFse,
    ParticipationFse,
    ControleFse,
]


def charger():
    sortie = io.StringIO()
    call_command("charger_demo", "--si-vide", participants=TAILLE, stdout=sortie)
    call_command("demo_flux", stdout=sortie)
    call_command("demo_suivi", stdout=sortie)
    # La première passe du répartiteur de make run : le minuteur de sortie échu ouvre la tâche.
    call_command("workflow_timers", stdout=sortie)


def compter():
    return {modele.__name__: modele.objects.count() for modele in MODELES_COMPTES}


demo_chargee = demo_du_module()


@pytest.fixture(scope="module")
def demo(demo_chargee, bases_demo, django_db_blocker, tmp_path_factory):
    # La première passe (`charger`) a construit la démo partagée ; la seconde écrit dans la copie
    # du module et dans ses propres documents.
    media = tmp_path_factory.mktemp("media-demo")
    shutil.copytree(bases_demo.media, media, dirs_exist_ok=True)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        premiere = compter()
        charger()  # seconde passe : rien de plus
        yield {"premiere": premiere, "seconde": compter()}


@pytest.fixture
def en_base(demo, db):
    return demo


def user(nom):
    return User.objects.get(username=nom)


def taches_ouvertes(nom):
    return Task.objects.filter(owner=user(nom), status__in=[STATUS.NEW, STATUS.ASSIGNED])


def test_une_seconde_passe_n_ajoute_rien(en_base):
    assert en_base["seconde"] == en_base["premiere"]
    assert en_base["premiere"]["Entreprise"] == 6
    assert en_base["premiere"]["HeuresRealisees"] == 6


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_un_interim_a_venir_est_organise(en_base, plie):
    delegation = Delegation.objects.get(titulaire=user(f"referent.{plie}"))
    assert delegation.suppleant == user(f"referent2.{plie}")
    assert delegation.debut > timezone.localdate()


def test_suspendus_et_en_emploi_passent_par_leurs_services(en_base):
    suspendus = Parcours.objects.filter(statut=Statut.SUSPENDU)
    en_emploi = Parcours.objects.filter(statut=Statut.EN_EMPLOI)
    assert suspendus.exists() and en_emploi.exists()
    assert not suspendus.filter(suspensions__isnull=True).exists()
    assert not en_emploi.filter(contrats__isnull=True).exists()


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_chaque_compte_ouvre_l_accueil(en_base, client, plie):
    for identifiant, *_ in COMPTES:
        client.force_login(user(f"{identifiant}.{plie}"))
        # Le financeur est conduit à son tableau de bord (docs/tableaux_de_bord.md).
        reponse = client.get(reverse("accueil:index"), follow=identifiant == "financeur")
        assert reponse.status_code == 200, identifiant


def test_le_mot_de_passe_de_demo_ouvre_la_session(en_base):
    # django-axes exige la requête (adresse IP) pour compter les échecs.
    requete = RequestFactory().post(reverse("login"))
    assert authenticate(requete, username="referent.agenais", password=DEMO_PASSWORD) is not None


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_le_referent_a_alertes_relances_et_sortie_a_traiter(en_base, client, plie):
    nom = f"referent.{plie}"
    titres = {t.flow_task.task_title for t in taches_ouvertes(nom)}
    assert {"Traiter l'alerte", "Relancer après une absence"} <= titres
    client.force_login(user(nom))
    reponse = client.get(reverse("accueil:index"))
    accueil = reponse.content.decode()
    # La boîte se lit comme une liste : chaque tâche dit ce qu'elle est, aucune n'est due avant
    # d'exister, chaque personne n'y paraît qu'une fois.
    assert "Envoyer un courrier — absence du " in accueil
    assert "Traiter l'alerte" not in accueil
    taches = reponse.context["taches"]
    assert all(t.echeance is None or t.echeance >= t.created for t in taches)
    dossiers = [g.cle for g in reponse.context["groupes"]]
    assert len(dossiers) == len(set(dossiers))
    # Le suivi ordinaire : la plupart des dossiers en accompagnement ont eu leur entretien du mois.
    en_accompagnement = Parcours.objects.filter(
        plie__code=plie, referent=user(nom), statut=Statut.EN_ACCOMPAGNEMENT
    ).count()
    entretiens_dus = [t for t in taches if t.titre.startswith("Entretien mensuel dû")]
    assert len(entretiens_dus) <= en_accompagnement // 2
    alertes = [t for t in taches if t.flow_task.task_title == "Traiter l'alerte"]
    assert alertes  # des alertes à traiter, chacune titrée par son constat
    assert all(t.titre != "Traiter l'alerte" for t in alertes)

    parcours = Parcours.objects.filter(plie__code=plie, referent=user(nom))
    # Une absence injustifiée, une étape en cours sans sa preuve, une suspension en cours.
    assert Entretien.objects.filter(
        parcours__in=parcours, presence=Presence.ABSENT_INJUSTIFIE
    ).exists()
    etape = Etape.objects.get(parcours__in=parcours, type_code="immersion-pmsmp")
    assert preuves_manquantes(etape)
    suspension = Suspension.objects.get(
        parcours__in=parcours, precision="Hospitalisation puis convalescence"
    )
    assert suspension.levee_le is None
    assert suspension.parcours.statut == Statut.SUSPENDU
    assert suspension.fin_prevue > timezone.localdate()

    # Le contrat qui remplit (ou remplira bientôt) la règle de sortie : explication donnée.
    contrat = Contrat.objects.get(parcours__in=parcours, employeur="Logistique du Sud-Ouest")
    qualification = qualification_du_parcours(contrat.parcours).as_dict()
    assert qualification["explication"]
    if qualification["qualifie"]:
        # Critères remplis : le minuteur du flux de sortie a ouvert la tâche du référent.
        assert "Proposer la sortie" in titres
        assert "Proposer la sortie" in accueil
    else:  # l'entrée est plus récente : la date prévisionnelle est connue
        assert qualification["previsionnel_le"]
    dossier = client.get(reverse("participants:dossier", args=[contrat.parcours_id]))
    assert dossier.status_code == 200
    assert "Proposer la sortie" in dossier.content.decode()


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_une_sortie_proposee_est_a_l_ordre_du_jour_de_la_seance_de_sortie(en_base, plie):
    session = SessionCommission.objects.get(plie__code=plie, type="sortie")
    assert session.date > timezone.now()
    inscrits = Parcours.objects.filter(
        plie__code=plie, statut=Statut.SORTIE_PROPOSEE, propositions_sortie__isnull=False
    )
    assert inscrits.count() == 1
    assert session.inscriptions.filter(parcours__in=inscrits).exists()


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_le_cre_voit_entreprises_offres_et_mises_en_relation(en_base, client, plie):
    cre = user(f"cre.{plie}")
    entreprises = acces.entreprises_visibles(cre).filter(plie__code=plie)
    assert entreprises.count() == 3
    assert all(stdnum_siret.is_valid(e.siret) for e in entreprises)
    offres = acces.offres_visibles(cre).filter(plie__code=plie)
    assert set(offres.values_list("statut", flat=True)) == {
        StatutOffre.COLLECTEE,
        StatutOffre.QUALIFIEE,
        StatutOffre.DIFFUSEE,
        StatutOffre.POURVUE,
    }
    assert set(
        MiseEnRelation.objects.filter(offre__plie__code=plie).values_list("statut", flat=True)
    ) == {
        StatutMiseEnRelation.PROPOSEE,
        StatutMiseEnRelation.ENTRETIEN,
        StatutMiseEnRelation.EMBAUCHE,
    }
    client.force_login(cre)
    page = client.get(reverse("entreprises:offres"))
    assert page.status_code == 200
    assert "Ouvrier VRD" in page.content.decode()


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_le_facilitateur_voit_le_marche_ses_candidatures_et_ses_heures(en_base, client, plie):
    facilitateur = user(f"facilitateur.{plie}")
    marche = Marche.objects.get(plie__code=plie)
    assert set(
        Positionnement.objects.filter(besoin__marche=marche).values_list("statut", flat=True)
    ) == {StatutPositionnement.EMBAUCHEE, StatutPositionnement.POSITIONNEE}
    assert Positionnement.objects.filter(besoin__marche=marche, participant__isnull=False).exists()
    assert marche.heures.count() == 3
    # La candidature du participant attend la décision de l'entreprise, chez le facilitateur.
    titres = {t.flow_task.task_title for t in taches_ouvertes(facilitateur.username)}
    assert "Décision de l'entreprise" in titres
    client.force_login(facilitateur)
    page = client.get(reverse("clauses:marche", args=[marche.pk]))
    assert page.status_code == 200 and marche.numero in page.content.decode()
    impact = client.get(reverse("clauses:impact", args=[marche.operation.donneur_ordre_id]))
    assert impact.status_code == 200
    assert "438,67" in impact.content.decode()  # 140 + 151,67 + 147 h


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_le_donneur_d_ordre_lit_son_tableau_d_impact_seulement(en_base, client, plie):
    compte = user(f"donneur-ordre.{plie}")
    marche = Marche.objects.get(plie__code=plie)
    client.force_login(compte)
    impact = client.get(reverse("clauses:impact", args=[marche.operation.donneur_ordre_id]))
    assert impact.status_code == 200
    contenu = impact.content.decode()
    assert "438,67" in contenu
    assert "Lopez" not in contenu  # aucun nom de personne
    # Ni les candidatures, ni les dossiers, ni le marché d'un autre PLIE.
    besoin = marche.besoins.get()
    assert client.get(reverse("clauses:besoin", args=[besoin.pk])).status_code == 404
    autre = Marche.objects.exclude(plie__code=plie).get()
    autre_impact = reverse("clauses:impact", args=[autre.operation.donneur_ordre_id])
    assert client.get(autre_impact).status_code == 404


def test_les_commandes_periodiques_de_make_run_passent_et_sont_idempotentes(en_base):
    from config.run import COMMANDES_PERIODIQUES

    # Les minuteries de viewflow passent par executer_minuteries (une passe par nœud à la fois).
    assert {"executer_minuteries", "verifier_alertes", "expirer_delegations"} <= set(
        COMMANDES_PERIODIQUES
    )
    for commande in COMMANDES_PERIODIQUES:
        call_command(commande, stdout=io.StringIO())
    apres_une_passe = compter()
    for commande in COMMANDES_PERIODIQUES:
        call_command(commande, stdout=io.StringIO())
    assert compter() == apres_une_passe


def test_la_conservation_quotidienne_de_make_run_sur_la_demo(en_base):
    """La démo est récente et les données FSE retiennent l'identité jusqu'au 31/12/2033 : la
    passe du jour n'efface rien ; la simulation en 2040 liste les personnes sorties."""
    import re

    from config.run import COMMANDES_QUOTIDIENNES
    from parcours.accompagnement.enums import STATUTS_CLOS
    from parcours.participants.models import Participant

    assert COMMANDES_QUOTIDIENNES == (
        "appliquer_conservation",
        "purger_sessions",
        "rattacher_operations_fse",
    )
    rattachement = io.StringIO()
    call_command("rattacher_operations_fse", stdout=rattachement)
    # La démo est déjà rattachée : la passe du jour n'ouvre ni ne clôt rien.
    assert "0 participation(s) ouverte(s), 0 close(s)" in rattachement.getvalue()
    identites = list(Participant.objects.values_list("nom", "prenom", "date_naissance"))
    sortie = io.StringIO()
    call_command("appliquer_conservation", stdout=sortie)
    assert "Identités anonymisées : 0" in sortie.getvalue()
    assert list(Participant.objects.values_list("nom", "prenom", "date_naissance")) == identites
    simulation = io.StringIO()
    call_command("appliquer_conservation", "--dry-run", "--date", "2040-01-01", stdout=simulation)
    a_anonymiser = int(re.search(r"Identités à anonymiser : (\d+)", simulation.getvalue())[1])
    ouverts = [s for s in Statut if s not in STATUTS_CLOS]
    clos_seulement = Participant.objects.exclude(parcours__statut__in=ouverts).count()
    assert a_anonymiser == clos_seulement > 0


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_les_operations_fse_de_la_demo_et_leur_export(en_base, client, plie):
    """La direction ouvre ses opérations FSE+, le contrôle liste les fiches sans adresse avec
    un lien, l'export partiel les écarte ; le financeur lit ses opérations sans aucun nom."""
    operations = OperationFse.objects.filter(plie__code=plie)
    assert sorted(operations.values_list("type", flat=True)) == [
        "accompagnement",
        "accompagnement",
        "action",
    ]
    engages = Parcours.objects.filter(plie__code=plie, date_entree__isnull=False)
    avec_participation = engages.filter(participations_fse__isnull=False).distinct()
    assert avec_participation.count() == engages.count() > 0
    action = operations.get(type="action")
    assert action.etapes.exists()

    client.force_login(user(f"direction.{plie}"))
    liste = client.get(reverse("fse:index"))
    assert {o.pk for o in liste.context["operations"]} == set(
        operations.values_list("pk", flat=True)
    )
    op = operations.filter(type="accompagnement").order_by("numero").first()
    periode = {"du": f"{op.debut}", "au": f"{timezone.localdate()}"}
    fiche = client.get(reverse("fse:operation", args=[op.pk]), periode)
    assert fiche.status_code == 200
    anomalies = fiche.context["anomalies"]
    assert anomalies and any("adresse" in t for a in anomalies for t in a.textes)
    export = client.get(reverse("fse:export", args=[op.pk]), {**periode, "partiel": "1"})
    assert export.status_code == 200
    lignes = b"".join(export.streaming_content).decode().count("\r\n") - 1
    assert lignes == op.participations.filter(date_entree__gte=op.debut).count() - len(anomalies)

    client.force_login(user(f"financeur.{plie}"))
    fiche = client.get(reverse("fse:operation", args=[op.pk]))
    assert fiche.status_code == 200 and not fiche.context["nominatif"]
    assert 'id="participants-operation"' not in fiche.content.decode()
    assert fiche.context["chiffres"]["total"] == op.participations.count()
    autre = OperationFse.objects.exclude(plie__code=plie).first()
    assert client.get(reverse("fse:operation", args=[autre.pk])).status_code == 404


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_le_controleur_de_la_demo_lit_son_echantillon(en_base, client, plie):
    """Un contrôle tiré par la direction (graine fixe), ouvert au compte contrôleur : il le
    voit, lit un dossier tiré ; la fiche ordinaire de ce participant lui répond 404."""
    controle = ControleFse.objects.get(operation__plie__code=plie)
    assert controle.graine == 2025 and controle.participations.count() == controle.taille > 0
    client.force_login(user(f"controleur.{plie}"))
    liste = client.get(reverse("fse:controles"))
    assert [c.pk for c in liste.context["controles"]] == [controle.pk]
    participation = controle.participations.first()
    url = reverse("fse:controle_dossier", args=[controle.pk, participation.pk])
    assert client.get(url).status_code == 200
    fiche = reverse("participants:detail", args=[participation.parcours.participant_id])
    assert client.get(fiche).status_code == 404
