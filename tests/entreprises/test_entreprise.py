import pytest
from django.core.exceptions import ValidationError

from parcours.core.enums import Role
from parcours.entreprises.enums import TrancheEffectif
from parcours.entreprises.errors import ActionEntrepriseNonAutorisee
from parcours.entreprises.models import Entreprise
from parcours.entreprises.services import creer_entreprise, modifier_entreprise

SIRET_VALIDE = "73282932000074"


@pytest.mark.parametrize("role", [Role.CRE, Role.ANIMATEUR, Role.DIRECTION, Role.FACILITATEUR])
def test_creer_entreprise_par_role_du_plie(monde, role):
    cre = monde.user(role)
    entreprise = creer_entreprise(
        monde.plie1,
        par=cre,
        raison_sociale="Bâtiments de l'Agenais",
        siret="732 829 320 00074",
        secteur="43.21A",
        tranche_effectif=TrancheEffectif.TPE,
        partenaire=True,
        commune="Agen",
    )
    entreprise.refresh_from_db()
    assert entreprise.siret == SIRET_VALIDE
    assert entreprise.siren == "732829320"
    assert entreprise.created_by == cre
    assert entreprise.est_tpe
    assert list(Entreprise.objects.recherche("batiments agenais")) == [entreprise]
    assert list(Entreprise.objects.recherche("732829")) == [entreprise]


@pytest.mark.parametrize(
    ("siret", "raison"),
    [
        ("73282932000075", "clé de contrôle"),
        ("7328293200007", "14 chiffres (ici 13)"),
        ("732829320000745", "14 chiffres (ici 15)"),
        ("7328293200007A", "que des chiffres"),
    ],
)
def test_siret_invalide_refuse_avec_sa_raison(monde, siret, raison):
    with pytest.raises(ValidationError) as erreur:
        creer_entreprise(monde.plie1, par=monde.user(Role.CRE), raison_sociale="X", siret=siret)
    assert raison in " ".join(erreur.value.message_dict["siret"])
    assert not Entreprise.objects.exists()


def test_siret_unique_par_plie_mais_pas_entre_plie(monde):
    creer_entreprise(monde.plie1, par=monde.user(Role.CRE), raison_sociale="A", siret=SIRET_VALIDE)
    with pytest.raises(ValidationError) as erreur:
        creer_entreprise(
            monde.plie1, par=monde.user(Role.CRE, "b"), raison_sociale="B", siret=SIRET_VALIDE
        )
    assert "déjà ce SIRET" in " ".join(erreur.value.message_dict["siret"])
    autre = creer_entreprise(
        monde.plie2, par=monde.user(Role.CRE, plie=2), raison_sociale="A", siret=SIRET_VALIDE
    )
    assert autre.plie == monde.plie2
    assert Entreprise.objects.count() == 2


@pytest.mark.parametrize(
    ("role", "plie"),
    [(Role.CRE, 2), (Role.REFERENT, 1), (Role.PRESCRIPTEUR, 1), (Role.FINANCEUR, 1)],
)
def test_creer_entreprise_refuse_hors_perimetre(monde, role, plie):
    with pytest.raises(ActionEntrepriseNonAutorisee):
        creer_entreprise(
            monde.plie1, par=monde.user(role, plie=plie), raison_sociale="A", siret=SIRET_VALIDE
        )
    assert not Entreprise.objects.exists()


def test_modifier_entreprise_revalide(monde):
    cre = monde.user(Role.CRE)
    entreprise = creer_entreprise(monde.plie1, par=cre, raison_sociale="A", siret=SIRET_VALIDE)
    with pytest.raises(ValidationError):
        modifier_entreprise(entreprise, par=cre, siret="123")
    entreprise.refresh_from_db()
    assert entreprise.siret == SIRET_VALIDE
    modifier_entreprise(entreprise, par=cre, raison_sociale="Éco Bâti", partenaire=True)
    entreprise.refresh_from_db()
    assert entreprise.partenaire and entreprise.recherche == "eco bati"


def test_modification_concurrente_refusee(monde):
    cre, autre = monde.user(Role.CRE), monde.user(Role.CRE, "b")
    entreprise = creer_entreprise(monde.plie1, par=cre, raison_sociale="A", siret=SIRET_VALIDE)
    lue = entreprise.version
    modifier_entreprise(entreprise, par=autre, version=lue, commune="Agen")
    with pytest.raises(ValidationError, match="vient d'être modifiée"):
        modifier_entreprise(entreprise, par=cre, version=lue, commune="Boé")
    entreprise.refresh_from_db()
    assert entreprise.commune == "Agen" and entreprise.version == lue + 1


def test_ecran_modification_concurrente(client, monde):
    from django.urls import reverse

    cre = monde.user(Role.CRE)
    entreprise = creer_entreprise(monde.plie1, par=cre, raison_sociale="A", siret=SIRET_VALIDE)
    client.force_login(cre)
    url = reverse("entreprises:modifier", args=[entreprise.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    donnees = {"raison_sociale": "A", "siret": SIRET_VALIDE, "version": "1", "commune": "Agen"}
    assert client.post(url, donnees).status_code == 302
    reponse = client.post(url, {**donnees, "commune": "Boé"})
    assert "vient d&#x27;être modifiée" in reponse.content.decode()
    entreprise.refresh_from_db()
    assert entreprise.commune == "Agen"
