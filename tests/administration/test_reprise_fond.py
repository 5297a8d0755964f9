"""L'écran de reprise au-delà du seuil : la confirmation crée un travail de fond et mène à sa page
(rafraîchie sans script), puis au rapport et à son classeur ; en deçà, elle reste synchrone.
Les travaux d'un PLIE ne se voient que de ses administrateurs (404 sinon)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from parcours.core.enums import Role
from parcours.reprise import depot as depots
from parcours.reprise.models import EtatTravail, Provenance, TravailReprise
from tests.administration.reprise import deposer, export, jeton_de, url

pytestmark = pytest.mark.django_db

SEUIL = 30  # 10 personnes : 22 lignes (synchrone) ; 20 personnes : 44 lignes (en fond)


@pytest.fixture(autouse=True)
def _seuil(settings):
    settings.PLIE_REPRISE_SEUIL_FOND = SEUIL


def url_travail(monde, travail, nom="reprise_travail", plie=1):
    return reverse(f"administration:{nom}", args=[monde.plie(plie).code, travail.pk])


def _lancer(client, monde, nombre=20) -> TravailReprise:
    jeton = jeton_de(deposer(client, monde, export(nombre)))
    reponse = client.post(url(monde, "reprise_confirmer", jeton))
    travail = TravailReprise.objects.get(jeton=jeton)
    assert reponse.status_code == 302 and reponse.url == url_travail(monde, travail)
    return travail


def test_en_deca_du_seuil_la_confirmation_reste_synchrone(client, monde, admin, referent):
    jeton = jeton_de(deposer(client, monde, export(10)))
    reponse = client.post(url(monde, "reprise_confirmer", jeton), follow=True)
    assert "Reprise enregistrée" in reponse.content.decode()
    assert not TravailReprise.objects.exists()
    assert Provenance.objects.filter(entite="participant").count() == 10


def test_au_dela_la_confirmation_met_en_file_puis_le_rapport(client, monde, admin, referent):
    travail = _lancer(client, monde)
    assert travail.lance_par == admin and travail.etat == EtatTravail.EN_ATTENTE
    assert travail.lignes == 44 and travail.noms == ["parcours.csv", "participants.csv"]
    assert Provenance.objects.count() == 0
    page = client.get(url_travail(monde, travail)).content.decode()
    assert "Reprise en attente" in page
    assert '<meta http-equiv="refresh" content="10">' in page
    assert "Actualiser" in page
    # Le dépôt ne garde pas ses fichiers ; l'aperçu mène au travail et ne se confirme plus.
    depot = depots.retrouver(travail.jeton)
    assert depot.etat == "en_fond" and not depot.fichiers.exists()
    page_depot = client.get(url(monde, "reprise_depot", travail.jeton)).content.decode()
    assert url_travail(monde, travail) in page_depot and "Confirmer la reprise" not in page_depot
    encore = client.post(url(monde, "reprise_confirmer", travail.jeton), follow=True)
    assert "Cet aperçu a déjà servi" in encore.content.decode()
    assert TravailReprise.objects.count() == 1
    # La liste des travaux de la page de reprise.
    liste = client.get(url(monde, "reprise")).content.decode()
    assert url_travail(monde, travail) in liste and "En attente" in liste

    call_command("executer_reprises", stdout=io.StringIO())
    page = client.get(url_travail(monde, travail)).content.decode()
    assert "Reprise enregistrée" in page and 'http-equiv="refresh"' not in page
    assert f"envoyé à {admin.email}" in page
    assert Provenance.objects.filter(plie=monde.plie1, entite="participant").count() == 20
    classeur = client.get(url_travail(monde, travail, "reprise_travail_rapport"))
    assert classeur["Content-Type"].startswith("application/vnd.openxmlformats")
    lignes = list(
        load_workbook(io.BytesIO(b"".join(classeur.streaming_content)))["Comptes"].iter_rows(
            values_only=True
        )
    )
    assert ("Participants", 20, 0, 0, 0) in lignes and ("Parcours", 24, 0, 0, 0) in lignes


def test_un_echec_affiche_son_motif(client, monde, admin, referent):
    travail = _lancer(client, monde)
    referent.memberships.update(debut="2000-01-01", fin="2000-01-02")
    call_command("executer_reprises", stdout=io.StringIO())
    texte = client.get(url_travail(monde, travail)).content.decode()
    assert "Reprise échouée : rien n'a été enregistré" in texte
    assert "Reprise refusée : 5 ligne(s) refusée(s), listée(s) dans le rapport." in texte
    assert "n&#x27;est pas référent actif de ce PLIE" in texte  # la table des refus
    assert Provenance.objects.count() == 0


def test_un_autre_administrateur_du_plie_voit_le_travail(client, monde, admin, referent):
    travail = _lancer(client, monde)
    collegue = monde.user(Role.ADMIN, "b", 1)
    client.force_login(collegue)
    reponse = client.get(url_travail(monde, travail))
    assert reponse.status_code == 200
    qui = admin.get_full_name() or admin.username
    assert qui in reponse.content.decode()  # qui l'a lancé


@pytest.mark.parametrize("role", [Role.REFERENT, Role.ANIMATEUR, Role.DIRECTION])
def test_aucun_autre_role_ne_voit_le_travail(client, monde, admin, referent, role):
    travail = _lancer(client, monde)
    client.force_login(monde.user(role))
    assert client.get(url_travail(monde, travail)).status_code == 404


def test_l_administrateur_d_un_autre_plie_recoit_404(client, monde, admin, referent):
    travail = _lancer(client, monde)
    call_command("executer_reprises", stdout=io.StringIO())
    client.force_login(monde.user(Role.ADMIN, "a", 2))
    for nom in ("reprise_travail", "reprise_travail_rapport"):
        assert client.get(url_travail(monde, travail, nom)).status_code == 404
        assert client.get(url_travail(monde, travail, nom, plie=2)).status_code == 404
    assert (
        url_travail(monde, travail)
        not in client.get(url(monde, "reprise", plie=2)).content.decode()
    )


def test_rapport_purge_la_page_le_dit(client, monde, admin, referent):
    import datetime

    from django.utils import timezone

    from parcours.reprise import travaux

    travail = _lancer(client, monde)
    call_command("executer_reprises", stdout=io.StringIO())
    travaux.purger_les_rapports(timezone.now() + datetime.timedelta(days=31))
    texte = client.get(url_travail(monde, travail)).content.decode()
    assert "Reprise enregistrée" in texte
    assert "Le rapport n'est plus conservé" in texte and 'id="comptes"' not in texte
    assert client.get(url_travail(monde, travail, "reprise_travail_rapport")).status_code == 404


def test_pas_de_classeur_avant_la_fin(client, monde, admin, referent):
    travail = _lancer(client, monde)
    assert client.get(url_travail(monde, travail, "reprise_travail_rapport")).status_code == 404


@pytest.mark.parametrize("personnes,refus", [(20, 5), (60, 20)])
def test_requetes_de_la_page_du_travail_bornees(
    client, monde, admin, referent, django_assert_num_queries, personnes, refus
):
    travail = _lancer(client, monde, personnes)
    # Un refus par parcours qui nomme le référent : il n'est plus actif à l'exécution.
    referent.memberships.update(debut="2000-01-01", fin="2000-01-02")
    call_command("executer_reprises", stdout=io.StringIO())
    # Session, compte, adhésions, PLIE, travail (avec son auteur et son courriel).
    with django_assert_num_queries(5):
        reponse = client.get(url_travail(monde, travail))
    assert len(reponse.context["rapport"]["refus"]) == refus
