"""Les extractions passent par la politique d'accès : la page ne propose que ce que le rôle peut
extraire, toute autre extraction répond 404 (écran et fichier), et chaque fichier ne contient
que le périmètre de l'utilisateur (l'autre PLIE, l'autre structure n'y sont pas)."""

import pytest
from django.urls import reverse

from parcours.core.enums import Role
from tests.extractions.conftest import HOSTILE, lire_csv
from workflows.extractions.catalogue import EXTRACTIONS

pytestmark = pytest.mark.django_db

SUIVI = {"etapes", "entretiens", "contrats", "sorties"}
PERMISES = {
    Role.PRESCRIPTEUR: {"parcours", "positionnements"},
    Role.REFERENT: {"parcours", *SUIVI, "offres", "mises-en-relation", "positionnements"},
    Role.CRE: {"parcours", *SUIVI, "offres", "mises-en-relation", "entreprises"},
    Role.FACILITATEUR: {"entreprises", "positionnements"},
    Role.ANIMATEUR: {"parcours", *SUIVI, "offres", "entreprises", "positionnements"},
    Role.DIRECTION: {"parcours", *SUIVI, "offres", "entreprises", "positionnements"},
    Role.COMMISSION: {"parcours", *SUIVI},
    Role.ADMIN: set(EXTRACTIONS),
    Role.DONNEUR_ORDRE: set(),
    Role.FINANCEUR: set(),
}


@pytest.mark.parametrize("role", list(PERMISES))
def test_la_page_propose_ce_que_le_role_peut_extraire(client, monde, role):
    client.force_login(monde.user(role))
    response = client.get(reverse("extractions:index"))
    if not PERMISES[role]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    proposees = {e.nom for e, _url in response.context["extractions"]}
    assert proposees == PERMISES[role]
    html = response.content.decode()
    for nom in PERMISES[role]:
        assert reverse("extractions:export", args=[nom, "xlsx"]) in html
    # La liste des participants (et son export) pour qui a le menu « Participants ».
    assert ('id="extraction-participants"' in html) == (
        role not in (Role.FACILITATEUR, Role.DONNEUR_ORDRE, Role.FINANCEUR)
    )


@pytest.mark.parametrize(
    ("role", "nom"),
    [
        (role, nom)
        for role, permises in PERMISES.items()
        for nom in EXTRACTIONS
        if nom not in permises
    ],
)
def test_extraction_sans_droit_404(client, monde, role, nom):
    client.force_login(monde.user(role))
    assert client.get(reverse("extractions:extraction", args=[nom])).status_code == 404
    for format in ("csv", "xlsx"):
        assert client.get(reverse("extractions:export", args=[nom, format])).status_code == 404


def test_inconnue_format_inconnu_et_connexion(client, monde):
    url = reverse("extractions:export", args=["etapes", "csv"])
    assert client.get(url).status_code == 302  # la page de connexion
    client.force_login(monde.user(Role.ANIMATEUR))
    assert client.get(reverse("extractions:extraction", args=["salaires"])).status_code == 404
    assert client.get(reverse("extractions:export", args=["etapes", "pdf"])).status_code == 404


@pytest.mark.parametrize("role", [role for role, permises in PERMISES.items() if permises])
def test_le_fichier_ne_contient_que_le_perimetre(client, monde, jeu, role):
    """Chaque extraction permise au rôle, dans le PLIE 2 : rien du PLIE 1 ; et le PLIE 1 ne voit
    rien du PLIE 2 (le jeu, long à créer, l'est une fois par rôle et non par extraction)."""
    for nom in sorted(PERMISES[role]):
        client.force_login(monde.user(role, plie=2))
        texte = str(lire_csv(client.get(reverse("extractions:export", args=[nom, "csv"]))))
        assert "HYPERLINK" not in texte and "Bernard" not in texte, nom
        assert "PLIE Test Agenais" not in texte, nom
        client.force_login(monde.user(role, plie=1))
        texte = str(lire_csv(client.get(reverse("extractions:export", args=[nom, "csv"]))))
        assert "Voisin" not in texte and "PLIE Test Flandre" not in texte, nom


@pytest.mark.parametrize("nom", sorted(SUIVI - {"sorties"}))
def test_le_referent_d_une_autre_structure_ne_voit_que_sa_file(client, monde, jeu, nom):
    client.force_login(monde.user(Role.REFERENT, structure="b"))
    _entete, *lignes = lire_csv(client.get(reverse("extractions:export", args=[nom, "csv"])))
    assert [ligne[:2] for ligne in lignes] == [[jeu.b.participant.numero, "Bernard"]]
    client.force_login(monde.user(Role.REFERENT))
    _entete, *lignes = lire_csv(client.get(reverse("extractions:export", args=[nom, "csv"])))
    assert [ligne[:2] for ligne in lignes] == [[jeu.a.participant.numero, "'" + HOSTILE]]


def test_le_prescripteur_extrait_ses_parcours_pas_leur_suivi(client, monde, jeu):
    client.force_login(monde.user(Role.PRESCRIPTEUR, structure="b"))
    _entete, *lignes = lire_csv(client.get(reverse("extractions:export", args=["parcours", "csv"])))
    assert [ligne[1] for ligne in lignes] == ["Bernard"]
    assert client.get(reverse("extractions:export", args=["etapes", "csv"])).status_code == 404


def test_mise_en_relation_sans_nom_quand_le_dossier_est_invisible(client, monde, jeu):
    """Le ou la CRE voit toutes les mises en relation de son PLIE, mais le nom de la personne
    seulement s'il voit son dossier (ici : en accompagnement, proposé sur une offre ouverte,
    donc visible) ; le référent d'une autre structure ne voit pas la mise en relation."""
    client.force_login(monde.user(Role.CRE))
    entete, ligne = lire_csv(
        client.get(reverse("extractions:export", args=["mises-en-relation", "csv"]))
    )
    assert ligne[entete.index("Nom")] == "'" + HOSTILE
    client.force_login(monde.user(Role.REFERENT, structure="b"))
    (_entete,) = lire_csv(
        client.get(reverse("extractions:export", args=["mises-en-relation", "csv"]))
    )
