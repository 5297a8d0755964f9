"""Les listes à choix multiples des entreprises sont bornées (issue 11) : la diffusion d'une offre
(référents, structures) et la création d'un événement (entreprises) ne cochent plus une liste de
tout le PLIE ; une ligne par choix, remplie par l'autocomplétion (workflows/autocompletion.py).
Le rendu ne nomme personne, le nombre de requêtes ne dépend pas de la taille du PLIE, un choix
hors du PLIE est refusé en français et la saisie est réaffichée."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from parcours.core.enums import Role
from parcours.entreprises.enums import StatutOffre
from parcours.entreprises.models import DiffusionOffre, Evenement
from tests.clauses.chantier_heures import siret_valide
from tests.entreprises.conftest import une_entreprise, une_offre
from tests.factories import membre
from workflows.autocompletion import libelle_choix

pytestmark = pytest.mark.django_db


def _referents(monde, n, plie=1, debut=0):
    structure = monde.structure("operateur", "a", plie)
    comptes = []
    for i in range(debut, debut + n):
        user = membre(Role.REFERENT, structure)
        user.last_name, user.first_name = f"Référentnom{i:03d}", "Camille"
        user.save()
        comptes.append(user)
    return comptes


def _requetes(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_fiche_offre_sans_liste_des_referents_et_requetes_constantes(client, monde):
    offre = une_offre(monde, "qualifiee")
    client.force_login(monde.user(Role.CRE))
    url = reverse("entreprises:offre", args=[offre.pk])
    premiers = _referents(monde, 2)
    avant = _requetes(client, url)
    autres = _referents(monde, 25, debut=2)
    assert _requetes(client, url) == avant
    page = client.get(url).content.decode()
    assert all(u.last_name not in page for u in premiers + autres)
    assert 'data-autocompletion="/app/autocompletion/referents/' in page
    assert 'data-autocompletion="/app/autocompletion/structures/' in page
    assert 'type="checkbox"' not in page


def test_diffuser_par_autocompletion_et_refus_hors_plie(client, monde):
    offre = une_offre(monde, "qualifiee")
    (choisi,) = _referents(monde, 1)
    (ailleurs,) = _referents(monde, 1, plie=2, debut=50)
    etape = monde.user(Role.REFERENT_ETAPE)
    client.force_login(monde.user(Role.CRE))
    url = reverse("entreprises:offre", args=[offre.pk])
    # Un référent d'un autre PLIE : refusé, rien diffusé, la saisie reste affichée.
    saisie = libelle_choix("Quelqu'un", ailleurs.pk)
    reponse = client.post(
        url,
        {
            "action": "diffuser",
            "diffusion-canal": "application",
            "diffusion-referents": [libelle_choix(choisi.get_full_name(), choisi.pk), saisie],
        },
    )
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "choisissez une proposition de la liste" in page.lower()
    assert escape(saisie) in page
    assert not DiffusionOffre.objects.exists()
    # Du texte libre : un message qui dit quoi faire.
    reponse = client.post(
        url,
        {
            "action": "diffuser",
            "diffusion-canal": "application",
            "diffusion-referents": ["Camille sans numéro"],
        },
    )
    assert "« Camille sans numéro » : choisissez une proposition de la liste" in (
        reponse.content.decode().replace("&nbsp;", " ")
    )
    # Le choix de la liste (« Nom (n° 12) »), un référent d'étape et une structure : diffusée.
    structure = monde.structure("operateur", "a", 1)
    reponse = client.post(
        url,
        {
            "action": "diffuser",
            "diffusion-canal": "application",
            "diffusion-referents": [
                libelle_choix(choisi.get_full_name(), choisi.pk),
                str(etape.pk),
                "",
            ],
            "diffusion-structures": [libelle_choix(structure.nom, structure.pk), ""],
        },
    )
    assert reponse.status_code == 302
    offre.refresh_from_db()
    assert offre.statut == StatutOffre.DIFFUSEE
    assert set(DiffusionOffre.objects.values_list("referent", "structure")) == {
        (choisi.pk, None),
        (etape.pk, None),
        (None, structure.pk),
    }


def test_evenement_sans_liste_des_entreprises(client, monde):
    cre = monde.user(Role.CRE)
    client.force_login(cre)
    url = reverse("entreprises:evenements")
    une_entreprise(monde, siret=siret_valide(1), raison_sociale="Entreprise000")
    avant = _requetes(client, url)
    for i in range(2, 30):
        une_entreprise(monde, siret=siret_valide(i), raison_sociale=f"Entreprise{i:03d}")
    assert _requetes(client, url) == avant
    page = client.get(url).content.decode()
    assert "Entreprise0" not in page
    assert 'data-autocompletion="/app/autocompletion/entreprises/"' in page
    assert 'type="checkbox"' not in page


def test_creer_un_evenement_avec_ses_entreprises(client, monde):
    cre = monde.user(Role.CRE)
    client.force_login(cre)
    batir = une_entreprise(monde, siret=siret_valide(1), raison_sociale="Bâtir")
    peindre = une_entreprise(monde, siret=siret_valide(2), raison_sociale="Peindre")
    ailleurs = une_entreprise(monde, plie=2, siret=siret_valide(3), raison_sociale="Ailleurs")
    donnees = {
        "type": "forum",
        "titre": "Forum de l'emploi",
        "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "lieu": "Agen",
    }
    url = reverse("entreprises:evenements")
    saisie = libelle_choix(ailleurs.raison_sociale, ailleurs.pk)
    reponse = client.post(url, {**donnees, "entreprises": [saisie]})
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "choisissez une proposition de la liste" in page.lower()
    assert escape(saisie) in page and "Forum de l&#x27;emploi" in page
    assert not Evenement.objects.exists()
    reponse = client.post(
        url,
        {
            **donnees,
            "entreprises": [
                libelle_choix(batir.raison_sociale, batir.pk),
                libelle_choix(peindre.raison_sociale, peindre.pk),
                libelle_choix(batir.raison_sociale, batir.pk),  # deux fois : une seule
                "",
            ],
        },
    )
    assert reponse.status_code == 302
    evenement = Evenement.objects.get()
    assert set(evenement.entreprises.all()) == {batir, peindre}


def test_trop_de_lignes_refusees_sans_erreur_500(client, monde):
    client.force_login(monde.user(Role.CRE))
    reponse = client.post(
        reverse("entreprises:evenements"),
        {
            "type": "forum",
            "titre": "T",
            "lieu": "Agen",
            "entreprises": [str(i) for i in range(500)],
        },
    )
    assert reponse.status_code == 200
    assert "100 choix au plus à la fois." in reponse.content.decode()
