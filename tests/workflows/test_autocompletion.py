"""Les vues d'autocomplétion (workflows/autocompletion.py) : passées par la politique d'accès,
404 pour le PLIE d'un autre, vides hors périmètre, 20 résultats au plus, requêtes bornées ; et
les champs qui les utilisent n'énumèrent plus rien au rendu."""

import pytest
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from tests.entreprises.conftest import une_entreprise, une_offre
from tests.factories import ParticipantFactory, parcours_en
from workflows import autocompletion
from workflows.autocompletion import identifiant_choisi

pytestmark = pytest.mark.django_db


def _resultats(client, nom, plie=None, q="", attendu=200):
    params = {"q": q} if plie is None else {"q": q, "plie": plie}
    response = client.get(reverse(f"autocompletion:{nom}"), params)
    assert response.status_code == attendu
    return [r["libelle"] for r in response.json()["resultats"]] if attendu == 200 else None


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [("Jean Dupont (n° 12)", 12), ("12", 12), ("Jean (n°7)", 7), ("Jean", None), ("", None)],
)
def test_identifiant_choisi(texte, attendu):
    assert identifiant_choisi(texte) == attendu


def test_referents_du_plie_et_404_pour_un_autre_plie(client, monde, django_assert_max_num_queries):
    referent = monde.user(Role.REFERENT)
    referent.last_name = "Zola"
    referent.save()
    client.force_login(monde.user(Role.ANIMATEUR))
    with django_assert_max_num_queries(4):
        assert _resultats(client, "referents", monde.plie1.pk, "zol") == [referent.get_full_name()]
    assert _resultats(client, "referents", monde.plie1.pk, "z") == []  # deux lettres au moins
    _resultats(client, "referents", monde.plie2.pk, "zol", attendu=404)
    _resultats(client, "referents", None, "zol", attendu=404)
    _resultats(client, "referents", "abc", "zol", attendu=404)


def test_parcours_et_participants_par_la_politique_d_acces(client, monde):
    cible = parcours_en(
        monde, Statut.EN_ACCOMPAGNEMENT, participant=ParticipantFactory(nom="Lefèbvre")
    )
    parcours_en(
        monde, Statut.EN_ACCOMPAGNEMENT, plie=2, participant=ParticipantFactory(nom="Lefort")
    )
    client.force_login(monde.user(Role.ANIMATEUR))
    assert _resultats(client, "parcours", monde.plie1.pk, "lef") == [
        f"{cible.participant} — En accompagnement"
    ]
    (personne,) = _resultats(client, "participants", monde.plie1.pk, "lef")
    assert personne.startswith(str(cible.participant))
    _resultats(client, "parcours", monde.plie2.pk, "lef", attendu=404)
    _resultats(client, "participants", monde.plie2.pk, "lef", attendu=404)
    # Dans le PLIE mais sans voir ce dossier : rien.
    client.force_login(monde.user(Role.PRESCRIPTEUR, "b"))
    assert _resultats(client, "parcours", monde.plie1.pk, "lef") == []
    assert _resultats(client, "participants", monde.plie1.pk, "lef") == []


def test_entreprises_visibles_seulement_et_20_au_plus(client, monde, monkeypatch):
    une_entreprise(monde, raison_sociale="Bâtir Agenais")
    une_entreprise(monde, raison_sociale="Bâtir Garonne")
    une_entreprise(monde, plie=2, raison_sociale="Bâtir Flandre")
    client.force_login(monde.user(Role.CRE))
    trouvees = _resultats(client, "entreprises", q="bâtir")
    assert [t.split(" (")[0] for t in trouvees] == ["Bâtir Agenais", "Bâtir Garonne"]
    monkeypatch.setattr(autocompletion, "RESULTATS_MAX", 1)
    assert len(_resultats(client, "entreprises", q="bâtir")) == 1
    client.force_login(monde.user(Role.CRE, plie=2))
    assert _resultats(client, "entreprises", q="agenais") == []


def test_sans_session_pas_de_propositions(client, monde):
    response = client.get(reverse("autocompletion:referents"), {"plie": monde.plie1.pk, "q": "ab"})
    assert response.status_code == 302


def test_la_fiche_d_offre_n_enumere_plus_les_personnes(client, monde):
    offre = une_offre(monde, etat="diffusee")
    for _ in range(3):
        parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(monde.user(Role.REFERENT))
    page = client.get(reverse("entreprises:offre", args=[offre.pk])).content.decode()
    assert 'name="proposer-parcours"' in page
    assert "data-autocompletion" in page
    assert "En accompagnement</option>" not in page
    assert "plie/autocompletion.js" in page


def test_proposer_par_le_libelle_choisi_ou_refuser_un_texte(client, monde):
    offre = une_offre(monde, etat="diffusee")
    dossier = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(monde.user(Role.REFERENT))
    adresse = reverse("entreprises:offre", args=[offre.pk])
    refus = client.post(adresse, {"action": "proposer", "proposer-parcours": "quelqu'un"})
    assert refus.status_code == 200
    assert "Choisissez une proposition de la liste" in refus.content.decode()
    valeur = f"{dossier.participant} (n° {dossier.pk})"
    client.post(adresse, {"action": "proposer", "proposer-parcours": valeur})
    assert offre.mises_en_relation.filter(parcours=dossier).exists()


def test_structures_et_referents_d_etape_pour_la_diffusion(client, monde):
    """La diffusion d'une offre cherche ses destinataires : structures du PLIE qui ont des
    référents, et référents de parcours ou d'étape (`?etape=1`) ; un autre PLIE : 404."""
    etape = monde.user(Role.REFERENT_ETAPE)
    etape.last_name = "Zidane"
    etape.save()
    monde.user(Role.REFERENT)  # la structure « a » a des référents
    structure = monde.structure("operateur", "a", 1)
    client.force_login(monde.user(Role.CRE))
    mot = structure.nom[:4]
    assert _resultats(client, "structures", monde.plie1.pk, mot) == [structure.nom]
    _resultats(client, "structures", monde.plie2.pk, mot, attendu=404)
    assert _resultats(client, "referents", monde.plie1.pk, "zid") == []
    response = client.get(
        reverse("autocompletion:referents"), {"q": "zid", "plie": monde.plie1.pk, "etape": "1"}
    )
    assert [r["libelle"] for r in response.json()["resultats"]] == [etape.get_full_name()]
