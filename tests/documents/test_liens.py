"""Aucun document n'a d'adresse publique : pas de route MEDIA_URL, pas de `.url` d'un champ
fichier dans les gabarits ni le code, des noms de stockage aléatoires ; chaque page qui montre un
document y mène par la vue de téléchargement."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import FileField
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.views.static import serve

from parcours.core.documents import ChampDocument, TypeDocument, lien_document
from parcours.core.enums import Role
from tests.documents.echantillons import nom_aleatoire
from tests.documents.outils import telecharger
from workflows.documents import SOURCES

T = TypeDocument
RACINE = Path(settings.BASE_DIR)


def champs_fichiers():
    return [
        champ
        for modele in apps.get_models()
        for champ in modele._meta.get_fields()
        if isinstance(champ, FileField) and modele.__module__.startswith("parcours.")
    ]


def test_chaque_champ_fichier_est_un_champ_document_d_un_type_connu():
    champs = champs_fichiers()
    assert {champ.type_document for champ in champs if isinstance(champ, ChampDocument)} == set(
        TypeDocument
    )
    assert all(isinstance(champ, ChampDocument) for champ in champs), champs


def test_chaque_type_a_sa_source_de_telechargement():
    """La vue sait, pour chaque type, quel modèle et quel champ le tiennent."""
    sources = {t: (apps.get_model(s.modele)._meta.get_field(s.champ)) for t, s in SOURCES.items()}
    assert set(sources) == set(TypeDocument)
    assert all(champ.type_document == t for t, champ in sources.items())


def test_aucun_gabarit_ni_module_ne_lit_l_adresse_d_un_champ_fichier():
    noms = sorted({champ.name for champ in champs_fichiers()})
    motif = re.compile(r"\.(" + "|".join(noms) + r")\.url\b")
    fautes = [
        f"{chemin.relative_to(RACINE)}:{numero}: {ligne.strip()}"
        for dossier, extension in (
            ("templates", "*.html"),
            ("parcours", "*.py"),
            ("workflows", "*.py"),
            ("config", "*.py"),
        )
        for chemin in (RACINE / dossier).rglob(extension)
        for numero, ligne in enumerate(chemin.read_text(encoding="utf-8").splitlines(), 1)
        if motif.search(ligne) or ("MEDIA_URL" in ligne and chemin.suffix == ".html")
    ]
    assert fautes == []


def _motifs(resolver, prefixe=""):
    for motif in resolver.url_patterns:
        if isinstance(motif, URLResolver):
            yield from _motifs(motif, prefixe + str(motif.pattern))
        elif isinstance(motif, URLPattern):
            yield prefixe + str(motif.pattern), motif.callback


def test_aucune_route_ne_sert_media_root():
    servies = [adresse for adresse, vue in _motifs(get_resolver()) if vue is serve]
    assert servies == []
    # MEDIA_URL n'est pas réglé (docs/documents.md) : rien ne résout sous son préfixe.
    for prefixe in (settings.MEDIA_URL, "/media/"):
        with pytest.raises(Resolver404):
            resolve(prefixe + "preuve-etape/2026/0123456789abcdef0123456789abcdef.pdf")


@pytest.mark.django_db
def test_media_repond_404_meme_au_super_utilisateur(client, django_user_model, documents):
    client.force_login(django_user_model.objects.create_superuser("racine", password="x"))
    preuve = documents[T.PREUVE_ETAPE].objet
    for adresse in (f"/media/{preuve.fichier.name}", f"/{preuve.fichier.name}"):
        assert client.get(adresse).status_code == 404


def test_le_stockage_ne_donne_aucune_adresse():
    with pytest.raises(ValueError, match="pas d'adresse publique"):
        default_storage.url("preuve-etape/2026/abc.pdf")


@pytest.mark.django_db
def test_url_d_un_champ_document_est_la_vue_de_telechargement(documents):
    preuve = documents[T.PREUVE_ETAPE].objet
    assert preuve.fichier.url == f"/app/documents/preuve-etape/{preuve.pk}/"
    assert lien_document(T.PROCES_VERBAL, 7) == "/app/documents/proces-verbal/7/"


@pytest.mark.django_db
def test_noms_de_stockage_aleatoires(documents):
    """`<type>/<année>/<uuid4>.<ext>` : ni le nom déposé (cv-alex.pdf), ni un identifiant."""
    noms = set()
    for type_document, document in documents.items():
        champ = next(f for f in champs_fichiers() if f.type_document == type_document)
        nom = getattr(document.objet, champ.name).name
        assert nom_aleatoire(type_document.value).fullmatch(nom), nom
        assert "alex" not in nom.lower()
        noms.add(nom)
    assert len(noms) == len(documents)


@pytest.mark.django_db
def test_admin_lien_vers_la_vue_de_telechargement(admin_client, documents):
    """L'admin (lecture seule) montre le fichier : son lien passe par la vue, pas par /media/."""
    entretien = documents[T.EMARGEMENT_ENTRETIEN].objet
    page = admin_client.get(reverse("admin:accompagnement_entretien_change", args=[entretien.pk]))
    assert page.status_code == 200
    assert f'href="/app/documents/emargement-entretien/{entretien.pk}/"' in page.content.decode()


def _lien(document) -> str:
    return f'href="{document.adresse}"'


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "types"),
    [
        (
            "dossier",
            [
                T.CV,
                T.CONTRAT_SIGNE,
                T.PIECE_ENTREE,
                T.PREUVE_ETAPE,
                T.EMARGEMENT_ENTRETIEN,
                T.JUSTIFICATIF_CONTRAT,
                T.JUSTIFICATIF_SORTIE,
            ],
        ),
        ("etapes", [T.PREUVE_ETAPE]),
        ("etape", [T.PREUVE_ETAPE]),
        ("entretiens", [T.EMARGEMENT_ENTRETIEN]),
        ("contrats", [T.JUSTIFICATIF_CONTRAT]),
        ("evenement", [T.EMARGEMENT_EVENEMENT]),
        ("session", [T.PROCES_VERBAL]),
    ],
)
def test_la_page_mene_au_document_par_la_vue(client, monde, dossier, documents, page, types):
    preuve = documents[T.PREUVE_ETAPE].objet
    adresse = {
        "dossier": reverse("participants:dossier", args=[dossier.pk]),
        "etapes": reverse("suivi:etapes", args=[dossier.pk]),
        "etape": reverse("suivi:etape", args=[dossier.pk, preuve.etape_id]),
        "entretiens": reverse("suivi:entretiens", args=[dossier.pk]),
        "contrats": reverse("emploi:contrats", args=[dossier.pk]),
        "evenement": reverse(
            "entreprises:evenement", args=[documents[T.EMARGEMENT_EVENEMENT].objet.pk]
        ),
        "session": reverse("commissions:detail", args=[documents[T.PROCES_VERBAL].objet.pk]),
    }[page]
    client.force_login(monde.user(Role.ANIMATEUR))
    reponse = client.get(adresse)
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    for type_document in types:
        assert _lien(documents[type_document]) in contenu, type_document
        assert telecharger(client, documents[type_document].adresse)[0].status_code == 200
    assert "/media/" not in contenu
