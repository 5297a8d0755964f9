"""Le journal des heures : chaque valeur nouvelle ou changée garde qui, quand, avant / après et
la voie (saisie, import et son fichier) ; un réimport identique ou un contrôle n'écrit rien."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.clauses.heures import importer_heures, lire_personne, saisir_heures
from parcours.clauses.models import HeuresRealisees, JournalHeures
from parcours.core.enums import Role
from tests.clauses.chantier_heures import Chantier, fichier_csv

AVRIL = datetime.date(2025, 4, 1)


@pytest.fixture
def c(monde):
    return Chantier(monde)


def _journal():
    return [
        (j.ligne.participant_id, j.ancien, j.nouveau, j.par, j.source, j.fichier)
        for j in JournalHeures.objects.select_related("ligne").order_by("at", "id")
    ]


def test_reimport_change_garde_une_ligne_et_deux_entrees_de_journal(c):
    admin = c.monde.user(Role.ADMIN)
    importer_heures(
        c.monde.plie1, fichier_csv(c.ligne(heures="70")), "avril.csv", par=c.facilitateur
    )
    resultat = importer_heures(
        c.monde.plie1, fichier_csv(c.ligne(heures="72,5")), "avril-v2.csv", par=admin
    )
    assert (resultat.creees, resultat.remplacees) == (0, 1)
    h = HeuresRealisees.objects.get()
    assert (h.heures, h.created_by) == (Decimal("72.50"), admin)
    assert _journal() == [
        (c.lina.pk, None, Decimal("70.00"), c.facilitateur, "import", "avril.csv"),
        (c.lina.pk, Decimal("70.00"), Decimal("72.50"), admin, "import", "avril-v2.csv"),
    ]
    premiere, seconde = JournalHeures.objects.order_by("at", "id")
    assert premiere.at <= seconde.at
    assert (seconde.ancien_siret, seconde.nouveau_siret) == (
        c.attributaire.siret,
        c.attributaire.siret,
    )


def test_reimport_identique_n_ecrit_rien(c):
    admin = c.monde.user(Role.ADMIN)
    contenu = fichier_csv(c.ligne(heures="70"))
    importer_heures(c.monde.plie1, contenu, "avril.csv", par=c.facilitateur)
    importer_heures(c.monde.plie1, contenu, "avril.csv", par=admin)
    assert JournalHeures.objects.count() == 1
    # La valeur en vigueur reste au nom de qui l'a fournie.
    assert HeuresRealisees.objects.get().created_by == c.facilitateur


def test_changer_d_employeur_seul_est_journalise(c):
    importer_heures(c.monde.plie1, fichier_csv(c.ligne(heures="70")), "a.csv", par=c.facilitateur)
    importer_heures(
        c.monde.plie1,
        fichier_csv(c.ligne(heures="70", siret=c.sous_traitant.siret)),
        "b.csv",
        par=c.facilitateur,
    )
    derniere = JournalHeures.objects.order_by("at", "id").last()
    assert (derniere.ancien, derniere.nouveau) == (Decimal(70), Decimal(70))
    assert (derniere.ancien_siret, derniere.nouveau_siret) == (
        c.attributaire.siret,
        c.sous_traitant.siret,
    )


def test_dry_run_n_ecrit_aucun_journal(c):
    importer_heures(c.monde.plie1, fichier_csv(c.ligne(heures="70")), "a.csv", par=c.facilitateur)
    importer_heures(
        c.monde.plie1, fichier_csv(c.ligne(heures="90")), "b.csv", par=None, dry_run=True
    )
    assert JournalHeures.objects.count() == 1
    assert HeuresRealisees.objects.get().heures == Decimal(70)


def test_saisie_journalisee_seulement_quand_la_valeur_change(c):
    lina = lire_personne(c.lina.numero)
    saisir_heures(c.marche, AVRIL, [(lina, c.attributaire.siret, "10")], par=c.facilitateur)
    saisir_heures(c.marche, AVRIL, [(lina, c.attributaire.siret, "10,00")], par=c.facilitateur)
    saisir_heures(c.marche, AVRIL, [(lina, c.attributaire.siret, "12")], par=c.facilitateur)
    assert _journal() == [
        (c.lina.pk, None, Decimal(10), c.facilitateur, "saisie", ""),
        (c.lina.pk, Decimal(10), Decimal(12), c.facilitateur, "saisie", ""),
    ]


def test_import_refuse_n_ecrit_aucun_journal(c):
    from parcours.clauses.heures import ImportRefuse

    with pytest.raises(ImportRefuse):
        importer_heures(
            c.monde.plie1,
            fichier_csv(c.ligne(heures="70"), c.ligne(heures="-1", mois="2025-05")),
            "a.csv",
            par=c.facilitateur,
        )
    assert JournalHeures.objects.count() == 0


def test_ecran_affiche_l_historique_du_mois_en_requetes_constantes(
    client, c, django_assert_max_num_queries
):
    lina, sam = lire_personne(c.lina.numero), lire_personne(c.sam.numero)
    saisir_heures(c.marche, AVRIL, [(lina, c.attributaire.siret, "10")], par=c.facilitateur)
    saisir_heures(c.marche, AVRIL, [(lina, c.attributaire.siret, "12")], par=c.facilitateur)
    url = reverse("clauses:heures_saisie", args=[c.marche.pk]) + "?mois=2025-04"
    client.force_login(c.facilitateur)
    client.get(url)  # caches (session, référentiel)
    with django_assert_max_num_queries(12) as requetes:
        page = client.get(url).content.decode()
    avant = len(requetes)
    assert 'id="historique-heures"' in page
    assert "10,00 h" in page and "12,00 h" in page
    assert c.lina.numero in page
    # Plus de lignes de journal, plus de personnes : pas plus de requêtes.
    mai = datetime.date(2025, 5, 1)
    saisir_heures(c.marche, mai, [(sam, c.attributaire.siret, "5")], par=c.facilitateur)
    saisir_heures(c.marche, AVRIL, [(lina, c.attributaire.siret, "14")], par=c.facilitateur)
    with django_assert_max_num_queries(avant):
        page = client.get(url).content.decode()
    assert "14,00 h" in page
    assert page.count("<tr>") >= 3
