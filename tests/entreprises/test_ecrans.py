"""Écrans : accès de chaque URL par rôle et par PLIE, formulaires en français, requêtes
constantes sur les listes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.entreprises.enums import StatutMiseEnRelation, StatutOffre, TypeEvenement
from parcours.entreprises.models import Entreprise, MiseEnRelation
from parcours.entreprises.services import creer_evenement, emarger, proposer_candidat
from tests.entreprises.conftest import SIRETS, une_entreprise, une_offre
from tests.factories import parcours_en


class Scene:
    def __init__(self, monde, accompagne):
        self.monde = monde
        self.entreprise = une_entreprise(monde, raison_sociale="Éco Bâti Agenais")
        self.offre = une_offre(monde, "diffusee", entreprise=self.entreprise)
        self.collectee = une_offre(monde, entreprise=self.entreprise, intitule="Plaquiste")
        self.parcours = accompagne
        self.referent = monde.user(Role.REFERENT)
        self.mise = proposer_candidat(self.offre, accompagne, par=self.referent)
        self.evenement = creer_evenement(
            monde.plie1,
            par=monde.user(Role.CRE),
            type=TypeEvenement.JOB_DATING,
            titre="Job dating BTP",
            date=timezone.now() + datetime.timedelta(days=3),
            lieu="Agen",
            entreprises=[self.entreprise],
        )
        emarger(self.evenement, accompagne, par=self.referent)

    def urls(self):
        return {
            "index": reverse("entreprises:index"),
            "creer": reverse("entreprises:creer"),
            "detail": reverse("entreprises:detail", args=[self.entreprise.pk]),
            "modifier": reverse("entreprises:modifier", args=[self.entreprise.pk]),
            "offres": reverse("entreprises:offres"),
            "offre": reverse("entreprises:offre", args=[self.offre.pk]),
            "offre_collectee": reverse("entreprises:offre", args=[self.collectee.pk]),
            "mise": reverse("entreprises:mise", args=[self.mise.pk]),
            "evenements": reverse("entreprises:evenements"),
            "evenement": reverse("entreprises:evenement", args=[self.evenement.pk]),
            "a_traiter": reverse("entreprises:a_traiter"),
            "indicateurs": reverse("entreprises:indicateurs"),
        }


@pytest.fixture
def scene(monde, accompagne):
    return Scene(monde, accompagne)


TOUTES = [
    "index",
    "creer",
    "detail",
    "modifier",
    "offres",
    "offre",
    "offre_collectee",
    "mise",
    "evenements",
    "evenement",
    "a_traiter",
    "indicateurs",
]
FICHES = ["detail", "modifier", "offre", "offre_collectee", "mise", "evenement"]

# (rôle, structure, PLIE) → les URL qui lui répondent 200 ; toutes les autres : 404.
ATTENDU = {
    (Role.CRE, "a", 1): set(TOUTES),
    (Role.CRE, "b", 1): set(TOUTES),
    (Role.ANIMATEUR, "a", 1): set(TOUTES) - {"mise"},
    (Role.DIRECTION, "a", 1): set(TOUTES) - {"mise"},
    (Role.FACILITATEUR, "a", 1): {"index", "creer", "detail", "modifier"},
    (Role.REFERENT, "a", 1): {"offres", "offre", "mise", "evenements", "evenement"},
    (Role.REFERENT, "b", 1): {"offres", "offre", "evenements", "evenement"},
    (Role.PRESCRIPTEUR, "a", 1): set(),
    (Role.FINANCEUR, "a", 1): set(),
    # Autre PLIE : ses listes s'ouvrent (vides de ce PLIE-ci), aucune fiche.
    (Role.CRE, "a", 2): set(TOUTES) - set(FICHES),
    (Role.REFERENT, "a", 2): {"offres", "evenements"},
}


@pytest.mark.parametrize("url", TOUTES)
def test_anonyme_renvoye_a_la_connexion(client, scene, url):
    reponse = client.get(scene.urls()[url])
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("role", "structure", "plie"), list(ATTENDU))
def test_acces_par_role_et_plie(client, monde, scene, role, structure, plie):
    client.force_login(monde.user(role, structure, plie))
    attendus = ATTENDU[(role, structure, plie)]
    for nom, url in scene.urls().items():
        reponse = client.get(url)
        if nom == "index" and role in (Role.REFERENT, Role.REFERENT_ETAPE):
            # L'entrée du menu « Entreprises » mène le référent aux offres diffusées.
            assert reponse.status_code == 302
            assert reponse["Location"] == reverse("entreprises:offres")
            continue
        assert reponse.status_code == (200 if nom in attendus else 404), nom
        if reponse.status_code == 200 and plie == 2:
            contenu = reponse.content.decode()
            assert "Éco Bâti Agenais" not in contenu and "Maçon·ne VRD" not in contenu, nom


def test_fiche_mise_en_relation_masque_la_personne_invisible(client, monde, scene):
    """Le nom n'apparaît qu'à qui voit le dossier ; le CRE le voit (personne positionnée)."""
    nom = str(scene.parcours.participant)
    client.force_login(monde.user(Role.CRE))
    assert nom in client.get(scene.urls()["mise"]).content.decode()
    # Parcours clos : il sort du périmètre du CRE, la mise en relation reste sans le nom.
    MiseEnRelation.objects.filter(pk=scene.mise.pk).update(statut=StatutMiseEnRelation.PROPOSEE)
    from parcours.accompagnement.models import Parcours

    Parcours.objects.filter(pk=scene.parcours.pk).update(statut="sorti")
    contenu = client.get(scene.urls()["mise"]).content.decode()
    assert nom not in contenu
    assert f"Personne n° {scene.parcours.pk}" in contenu


def test_creer_entreprise_siret_invalide_message_francais(client, monde, db):
    client.force_login(monde.user(Role.CRE))
    url = reverse("entreprises:creer")
    reponse = client.post(url, {"raison_sociale": "Boulangerie", "siret": "73282932000075"})
    assert reponse.status_code == 200
    assert "la clé de contrôle ne correspond pas" in reponse.content.decode()
    reponse = client.post(url, {"raison_sociale": "Boulangerie", "siret": "7328293200"})
    assert "il doit compter 14 chiffres (ici 10)" in reponse.content.decode()
    assert not Entreprise.objects.exists()
    reponse = client.post(
        url, {"raison_sociale": "Boulangerie", "siret": "732 829 320 00074", "partenaire": "on"}
    )
    entreprise = Entreprise.objects.get()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("entreprises:detail", args=[entreprise.pk])
    assert entreprise.siret == SIRETS[0] and entreprise.partenaire
    # Doublon : message sur le champ SIRET.
    reponse = client.post(url, {"raison_sociale": "Autre", "siret": SIRETS[0]})
    assert "Une entreprise de ce PLIE porte déjà ce SIRET." in reponse.content.decode()
    assert Entreprise.objects.count() == 1


def test_parcours_ecran_offre_du_cre(client, monde, accompagne):
    """Recueillir, qualifier, diffuser depuis les écrans ; le référent propose ; le CRE suit."""
    cre = monde.user(Role.CRE)
    entreprise = une_entreprise(monde)
    client.force_login(cre)
    fiche = reverse("entreprises:detail", args=[entreprise.pk])
    reponse = client.post(fiche, {"action": "contact", "contact-canal": "telephone"})
    assert "Ce champ est obligatoire." in reponse.content.decode()
    client.post(
        fiche,
        {
            "action": "contact",
            "contact-date": timezone.localdate().isoformat(),
            "contact-canal": "telephone",
            "contact-note": "Besoin de deux maçons au printemps.",
        },
    )
    assert entreprise.contacts.get().auteur == cre
    reponse = client.post(
        fiche, {"action": "offre", "offre-intitule": "Maçon", "offre-nb_postes": "1"}
    )
    offre = entreprise.offres.get()
    url = reverse("entreprises:offre", args=[offre.pk])
    assert reponse["Location"] == url
    reponse = client.post(url, {"action": "qualifier", "qualifier-motif": ""})
    assert "type de contrat et le lieu de travail doivent être renseignés" in (
        reponse.content.decode()
    )
    offre.refresh_from_db()
    assert offre.statut == StatutOffre.COLLECTEE
    from parcours.entreprises.services import modifier_offre

    modifier_offre(offre, par=cre, type_contrat="cdi", lieu="Agen")
    client.post(url, {"action": "qualifier", "qualifier-motif": "Vu sur place"})
    referent = monde.user(Role.REFERENT)
    reponse = client.post(
        url,
        {
            "action": "diffuser",
            "diffusion-canal": "application",
            "diffusion-referents": [referent.pk],
        },
    )
    assert reponse.status_code == 302
    offre.refresh_from_db()
    assert offre.statut == StatutOffre.DIFFUSEE
    contenu = client.get(url).content.decode()
    assert escape(str(referent)) in contenu and escape("Dans l'application") in contenu
    # Le référent voit l'offre diffusée et y propose la personne qu'il suit.
    client.force_login(referent)
    reponse = client.post(url, {"action": "proposer", "proposer-parcours": accompagne.pk})
    assert reponse.status_code == 302
    mise = MiseEnRelation.objects.get()
    assert mise.proposee_par == referent
    # Le CRE la voit dans sa page « à traiter » et enregistre le refus, motif exigé.
    client.force_login(cre)
    contenu = client.get(reverse("entreprises:a_traiter")).content.decode()
    assert str(accompagne.participant) in contenu
    url_mise = reverse("entreprises:mise", args=[mise.pk])
    reponse = client.post(url_mise, {"action": "ne_pas_retenir", "ne_pas_retenir-motif": ""})
    assert "Ce champ est obligatoire." in reponse.content.decode()
    client.post(url_mise, {"action": "ne_pas_retenir", "ne_pas_retenir-motif": "Pas de permis"})
    mise.refresh_from_db()
    assert mise.statut == StatutMiseEnRelation.NON_RETENUE
    assert mise.motif_non_retenue == "Pas de permis"


def _compter(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_listes_en_requetes_constantes(client, monde, accompagne, django_assert_max_num_queries):
    cre = monde.user(Role.CRE)
    client.force_login(cre)
    urls = [
        reverse("entreprises:index"),
        reverse("entreprises:offres"),
        reverse("entreprises:evenements"),
        reverse("entreprises:a_traiter"),
        reverse("entreprises:indicateurs"),
    ]
    referent = monde.user(Role.REFERENT)

    def ajouter(n, depart):
        for i in range(n):
            e = une_entreprise(monde, siret=SIRETS[depart + i], raison_sociale=f"E{depart + i}")
            offre = une_offre(monde, "diffusee", entreprise=e)
            une_offre(monde, entreprise=e, intitule="Autre")
            if i == 0:
                proposer_candidat(offre, accompagne, par=referent)
            creer_evenement(
                monde.plie1,
                par=cre,
                type="forum",
                titre=f"Forum {i}",
                date=timezone.now(),
                lieu="Agen",
                entreprises=[e],
            )

    ajouter(1, 0)
    avant = {url: _compter(client, url) for url in urls}
    ajouter(3, 1)
    for url in urls:
        with django_assert_max_num_queries(avant[url]):
            client.get(url)


def test_ecran_embauche_et_relance(client, monde, accompagne):
    """Depuis la fiche : retenue puis embauche (contrat au dossier) ; une mise en relation sans
    nouvelle depuis plus de 7 jours est signalée « à relancer »."""
    from parcours.emploi.models import Contrat

    referent = monde.user(Role.REFERENT)
    offre = une_offre(monde, "diffusee")
    mise = proposer_candidat(offre, accompagne, par=referent)
    autre = proposer_candidat(
        une_offre(monde, "diffusee", intitule="Peintre"),
        parcours_en(monde, Statut.EN_ACCOMPAGNEMENT),
        par=referent,
    )
    MiseEnRelation.objects.filter(pk=autre.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=10)
    )
    cre = monde.user(Role.CRE)
    client.force_login(cre)
    contenu = client.get(reverse("entreprises:a_traiter")).content.decode()
    assert contenu.count("à relancer (plus de 7 jours)") == 1
    url = reverse("entreprises:mise", args=[mise.pk])
    client.post(url, {"action": "retenir", "retenir-motif": ""})
    reponse = client.post(
        url, {"action": "embaucher", "embaucher-type": "cdi", "embaucher-debut": "pas une date"}
    )
    assert "Saisissez une date valide." in reponse.content.decode()
    assert not Contrat.objects.exists()
    reponse = client.post(
        url,
        {
            "action": "embaucher",
            "embaucher-type": "cdi",
            "embaucher-debut": timezone.localdate().isoformat(),
            "embaucher-heures_hebdo": "35",
        },
    )
    assert reponse.status_code == 302
    mise.refresh_from_db()
    assert mise.statut == StatutMiseEnRelation.EMBAUCHE
    assert mise.contrat.parcours == accompagne and mise.contrat.heures_hebdo == 35
    offre.refresh_from_db()
    assert offre.statut == StatutOffre.POURVUE


@pytest.mark.parametrize("type_contrat", ["apprentissage", "cdi"])
def test_formulaire_d_embauche_prend_le_type_et_les_heures_de_l_offre(
    client, monde, accompagne, type_contrat
):
    """Issue 12 : le formulaire d'embauche d'une mise en relation retenue est prérempli avec le
    type de contrat et la durée hebdomadaire de l'offre (modifiables)."""
    offre = une_offre(monde, "diffusee", type_contrat=type_contrat, heures_hebdo=24)
    mise = proposer_candidat(offre, accompagne, par=monde.user(Role.REFERENT))
    client.force_login(monde.user(Role.CRE))
    url = reverse("entreprises:mise", args=[mise.pk])
    client.post(url, {"action": "retenir", "retenir-motif": ""})
    form = client.get(url).context["embaucher_form"]
    assert form["type"].value() == type_contrat
    assert str(form["heures_hebdo"].value()) in ("24", "24.00")
    html = client.get(url).content.decode()
    assert f'<option value="{type_contrat}" selected>' in html


def test_fiches_en_requetes_constantes(client, monde, django_assert_max_num_queries):
    """Fiche entreprise (offres, contacts, mises en relation) et fiche d'offre (diffusions,
    candidats, historique) : le nombre de requêtes ne grandit pas avec les lignes."""
    from parcours.entreprises.services import noter_contact

    cre = monde.user(Role.CRE)
    referent = monde.user(Role.REFERENT)
    entreprise = une_entreprise(monde)
    offre = une_offre(monde, "diffusee", entreprise=entreprise, nb_postes=9)

    def ajouter(n):
        for i in range(n):
            une_offre(monde, "diffusee", entreprise=entreprise, intitule=f"Poste {i}")
            noter_contact(entreprise, par=cre, canal="telephone", note=f"Appel {i}")
            proposer_candidat(offre, parcours_en(monde, Statut.EN_ACCOMPAGNEMENT), par=referent)

    client.force_login(cre)
    urls = [
        reverse("entreprises:detail", args=[entreprise.pk]),
        reverse("entreprises:offre", args=[offre.pk]),
    ]
    ajouter(1)
    avant = {url: _compter(client, url) for url in urls}
    ajouter(3)
    for url in urls:
        with django_assert_max_num_queries(avant[url]):
            client.get(url)


def test_liste_des_offres_bornee_et_en_requetes_constantes(client, monde, monkeypatch):
    """Compte borné, page hors des bornes ramenée avec un message, requêtes constantes."""
    from workflows.pagination import PaginateurBorne

    client.force_login(monde.user(Role.CRE))
    adresse = reverse("entreprises:offres")
    entreprise = une_offre(monde).entreprise

    def compter():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(adresse, {"page": "-4"})
        assert response.status_code == 200
        assert "hors de la liste : page 1 sur 1" in response.content.decode()
        return len(ctx.captured_queries)

    avant = compter()
    for _ in range(4):
        une_offre(monde, entreprise=entreprise)
    assert compter() == avant
    monkeypatch.setattr(PaginateurBorne, "limite", 3)
    page = client.get(adresse, {"taille": "2", "page": "9"}).content.decode()
    assert "Offres d&#x27;emploi — plus de 3" in page or "Offres d'emploi — plus de 3" in page
    assert "Page 2 sur 2" in page


def test_a_prendre_compte_borne(client, monde, monkeypatch):
    """« À traiter » compte la file des suivis dans l'emploi jusqu'à la borne (« plus de … ») :
    un compte exact lisait toute la file du PLIE. Les tâches d'un autre PLIE n'y sont pas."""
    from tests.entreprises.conftest import suivi_a_prendre
    from workflows.entreprises.views import pilotage

    monkeypatch.setattr(pilotage, "LIMITE", 2)

    def a_prendre(plie):
        suivi_a_prendre(parcours_en(monde, Statut.EN_EMPLOI, plie=plie))

    client.force_login(monde.user(Role.CRE))
    url = reverse("entreprises:a_traiter")
    for _ in range(2):
        a_prendre(1)
    a_prendre(2)
    assert "dans votre boîte, 2 à prendre" in client.get(url).content.decode()
    a_prendre(1)
    assert "dans votre boîte, plus de 2 à prendre" in client.get(url).content.decode()
