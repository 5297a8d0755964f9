"""La reprise depuis l'écran de l'administrateur du PLIE : aperçu sans écriture, confirmation
des mêmes fichiers, jeton rejoué, aperçu refusé ou périmé, rapport XLSX, journal."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from parcours.accompagnement.models import Parcours
from parcours.participants.models import Participant
from parcours.reprise import depot as depots
from parcours.reprise.models import Provenance
from parcours.tracabilite.models import Trace
from tests.administration.reprise import csv, deposer, export, jeton_de, url

pytestmark = pytest.mark.django_db


def test_l_apercu_ne_garde_rien_en_base(client, monde, admin, referent):
    avant = (Participant.objects.count(), Parcours.objects.count(), Provenance.objects.count())
    jeton = jeton_de(deposer(client, monde, export(20)))
    page = client.get(url(monde, "reprise_depot", jeton))
    texte = page.content.decode()
    assert "Aperçu : contrôle sans enregistrement" in texte
    comptes = {c["entite"]: c["crees"] for c in page.context["rapport"]["comptes"]}
    # La correspondance neutre décrit toutes les entités : seules les déposées comptent.
    assert {e: n for e, n in comptes.items() if n} == {"Participants": 20, "Parcours": 24}
    assert "Confirmer la reprise" in texte
    assert (
        Participant.objects.count(),
        Parcours.objects.count(),
        Provenance.objects.count(),
    ) == avant
    depot = depots.retrouver(jeton)
    assert sorted(p.name for p in depot.fichiers.iterdir()) == ["parcours.csv", "participants.csv"]
    trace = Trace.objects.get(objet_type="reprise", objet_id=jeton[:50])
    assert trace.user == admin and trace.plie == monde.plie1
    assert "aperçu — fichiers : parcours.csv, participants.csv" in trace.detail
    assert "Participants 20 créés" in trace.detail


def test_la_confirmation_reprend_les_memes_fichiers_puis_les_supprime(
    client, monde, admin, referent
):
    jeton = jeton_de(deposer(client, monde, export(20)))
    reponse = client.post(url(monde, "reprise_confirmer", jeton), follow=True)
    texte = reponse.content.decode()
    assert "Reprise enregistrée" in texte
    assert Provenance.objects.filter(plie=monde.plie1, entite="participant").count() == 20
    assert Provenance.objects.filter(plie=monde.plie1, entite="parcours").count() == 24
    depot = depots.retrouver(jeton)
    assert depot.etat == "confirme"
    assert not (depot.dossier / "fichiers").exists() and not (depot.dossier / "en-cours").exists()
    details = list(Trace.objects.filter(objet_type="reprise").values_list("detail", flat=True))
    assert any(d.startswith("reprise — fichiers") and "Parcours 24 créés" in d for d in details)
    # Le rapport en classeur.
    classeur = client.get(url(monde, "reprise_rapport", jeton))
    assert classeur["Content-Type"].startswith("application/vnd.openxmlformats")
    feuille = load_workbook(io.BytesIO(b"".join(classeur.streaming_content)))["Comptes"]
    lignes = list(feuille.iter_rows(values_only=True))
    assert ("Participants", 20, 0, 0, 0) in lignes and ("Parcours", 24, 0, 0, 0) in lignes


def test_le_meme_jeton_ne_se_confirme_qu_une_fois(client, monde, admin, referent):
    jeton = jeton_de(deposer(client, monde, export(10)))
    assert client.post(url(monde, "reprise_confirmer", jeton)).status_code == 302
    avant = Provenance.objects.count()
    reponse = client.post(url(monde, "reprise_confirmer", jeton), follow=True)
    assert "Cet aperçu a déjà servi" in reponse.content.decode()
    assert Provenance.objects.count() == avant
    assert "Confirmer la reprise" not in reponse.content.decode()


def _statut_inconnu(personnes, dossiers):
    dossiers[3]["Statut"] = "En attente DIRECCTE"


def test_un_apercu_refuse_liste_chaque_refus_et_ne_garde_aucun_fichier(
    client, monde, admin, referent
):
    jeton = jeton_de(deposer(client, monde, export(10, _statut_inconnu)))
    page = client.get(url(monde, "reprise_depot", jeton))
    texte = page.content.decode()
    assert "Reprise refusée : rien n'a été enregistré" in texte
    assert page.context["rapport"]["refus"] == [
        {
            "fichier": "parcours.csv",
            "ligne": 5,
            "colonne": "Statut",
            "raison": "valeur « En attente DIRECCTE » sans correspondance",
        }
    ]
    assert "Confirmer la reprise" not in texte
    depot = depots.retrouver(jeton)
    assert not depot.fichiers.exists()
    reponse = client.post(url(monde, "reprise_confirmer", jeton), follow=True)
    assert "Cet aperçu a déjà servi" in reponse.content.decode()
    assert Provenance.objects.count() == 0
    assert "aperçu refusé" in Trace.objects.get(objet_type="reprise").detail


def test_un_apercu_perime_n_est_plus_confirme(client, monde, admin, referent):
    jeton = jeton_de(deposer(client, monde, export(10)))
    depot = depots.retrouver(jeton)
    depot.enregistrer(cree_le=(depot.cree_le - datetime.timedelta(hours=2)).isoformat())
    assert (
        "Confirmer la reprise"
        not in client.get(url(monde, "reprise_depot", jeton)).content.decode()
    )
    reponse = client.post(url(monde, "reprise_confirmer", jeton), follow=True)
    assert "Cet aperçu est périmé" in reponse.content.decode()
    assert Provenance.objects.count() == 0
    assert not depots.retrouver(jeton).fichiers.exists()


def test_les_depots_anciens_sont_purges(client, monde, admin, referent):
    jeton = jeton_de(deposer(client, monde, export(5)))
    depot = depots.retrouver(jeton)
    depots.purger(depot.cree_le + datetime.timedelta(days=2))
    with pytest.raises(depots.DepotIntrouvable):
        depots.retrouver(jeton)


def test_un_fichier_sans_correspondance_attendue_est_dit(client, monde, admin, referent):
    fichier = csv("export.csv", ["a"], [{"a": "1"}])
    jeton = jeton_de(deposer(client, monde, [fichier]))
    texte = client.get(url(monde, "reprise_depot", jeton)).content.decode()
    assert "Aucun des fichiers attendus par la correspondance n'a été déposé : " in texte
    assert "participants.csv ou participants.xlsx, parcours.csv ou parcours.xlsx" in texte
    assert "Confirmer la reprise" not in texte


@pytest.mark.parametrize("taille,refus", [(5, 5), (40, 40)])
def test_requetes_de_la_page_du_depot_bornees(
    client, monde, admin, referent, django_assert_num_queries, taille, refus
):
    def casser(personnes, dossiers):
        for ligne in dossiers[:refus]:
            ligne["Statut"] = "Inconnu"

    jeton = jeton_de(deposer(client, monde, export(taille, casser)))
    with django_assert_num_queries(4):
        reponse = client.get(url(monde, "reprise_depot", jeton))
    assert len(reponse.context["rapport"]["refus"]) == refus
