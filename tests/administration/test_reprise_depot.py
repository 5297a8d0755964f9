"""L'écran de reprise : ce qui est déposé (ZIP sain ou hostile, trop de fichiers, correspondance
déposée invalide) et qui y accède (l'administrateur du PLIE qui a fait le dépôt, lui seul)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parcours.core.enums import Role
from parcours.reprise import depot as depots
from parcours.reprise.models import Provenance
from tests.administration.reprise import deposer, export, jeton_de, url
from tests.reprise.export import CORRESPONDANCE_VIESION

pytestmark = pytest.mark.django_db


def archive(membres: dict, nom="export.zip") -> SimpleUploadedFile:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as z:
        for chemin, contenu in membres.items():
            z.writestr(chemin, contenu)
    return SimpleUploadedFile(nom, tampon.getvalue(), content_type="application/zip")


def zip_de_l_export(nombre=8, prefixe="export/"):
    membres = {f"{prefixe}{f.name}": f.read() for f in export(nombre)}
    membres["__MACOSX/._participants.csv"] = b"bruit"
    return membres


def erreurs(reponse) -> str:
    assert reponse.status_code == 200
    return " ".join(str(e) for champ in reponse.context["form"].errors.values() for e in champ)


def test_un_zip_sain_est_deplie(client, monde, admin, referent):
    jeton = jeton_de(deposer(client, monde, [archive(zip_de_l_export())]))
    depot = depots.retrouver(jeton)
    assert depot.meta["noms"] == ["parcours.csv", "participants.csv"]
    comptes = {c["entite"]: c["crees"] for c in depot.meta["rapport"]["comptes"]}
    assert comptes["Participants"] == 8


BOMBE = b"0" * (depots.TAILLE_MAX_FICHIER + 1)


@pytest.mark.parametrize(
    "membres,message",
    [
        ({"../participants.csv": b"a;b\n"}, "sort du dossier de l'archive"),
        ({"/etc/participants.csv": b"a;b\n"}, "sort du dossier de l'archive"),
        ({"export/../../x.csv": b"a;b\n"}, "sort du dossier de l'archive"),
        ({"participants.csv": BOMBE}, "trop volumineux une fois décompressé"),
        (
            {f"f{i}.csv": b"a;b\n" for i in range(depots.FICHIERS_MAX + 1)},
            f"{depots.FICHIERS_MAX + 1} fichiers dans l'archive",
        ),
        ({"lisez-moi.exe": b"MZ"}, "seuls des fichiers CSV ou XLSX"),
        ({"a/participants.csv": b"a\n", "b/participants.csv": b"a\n"}, "déposé deux fois"),
    ],
    ids=["remonte", "absolu", "remonte-dans-dossier", "bombe", "trop", "executable", "doublon"],
)
def test_un_zip_hostile_est_refuse_sans_rien_garder(client, monde, admin, membres, message):
    reponse = deposer(client, monde, [archive(membres)])
    assert message in erreurs(reponse)
    racine = depots.racine()
    assert not racine.exists() or not any(racine.iterdir())


def test_un_zip_illisible_est_refuse(client, monde, admin):
    faux = SimpleUploadedFile("export.zip", b"PK pas un zip", content_type="application/zip")
    assert "archive ZIP illisible" in erreurs(deposer(client, monde, [faux]))


def test_sans_fichier_le_formulaire_le_dit(client, monde, admin):
    assert "Déposez au moins un fichier." in erreurs(deposer(client, monde, []))


@pytest.mark.parametrize(
    "yaml,message",
    [
        ("source: x\nautre: 1\n", "Clés inconnues : autre."),
        ("libelle: sans source\n", "doit nommer sa « source »"),
        ("source: x\nparcours:\n  valeurs:\n    statut: {Vu: inconnu}\n", "n'est pas un code"),
        ("source: [\n", "YAML illisible"),
    ],
)
def test_une_correspondance_deposee_invalide_est_refusee(
    client, monde, admin, referent, yaml, message
):
    fichier = SimpleUploadedFile("ma.yaml", yaml.encode(), content_type="application/x-yaml")
    reponse = deposer(
        client, monde, export(3), correspondance="_deposee", correspondance_fichier=fichier
    )
    texte = erreurs(reponse)
    assert "ma.yaml" in texte and message in texte
    assert Provenance.objects.count() == 0


def test_une_correspondance_deposee_valide_sert_a_l_apercu(client, monde, admin, referent):
    texte = CORRESPONDANCE_VIESION.read_text(encoding="utf-8")
    fichier = SimpleUploadedFile("mienne.yaml", texte.encode(), content_type="application/x-yaml")
    jeton = jeton_de(
        deposer(client, monde, export(3), correspondance="_deposee", correspondance_fichier=fichier)
    )
    assert depots.retrouver(jeton).meta["correspondance"] == "mienne.yaml"


def test_choisir_de_deposer_sa_correspondance_sans_fichier(client, monde, admin, referent):
    reponse = deposer(client, monde, export(3), correspondance="_deposee")
    assert "Déposez votre fichier de correspondance." in erreurs(reponse)


# — Accès —

PAGES_DU_DEPOT = [
    ("reprise_depot", "get"),
    ("reprise_rapport", "get"),
    ("reprise_confirmer", "post"),
]


@pytest.fixture
def jeton(client, monde, admin, referent):
    jeton = jeton_de(deposer(client, monde, export(3)))
    client.logout()
    return jeton


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_aucun_autre_role_n_ouvre_la_reprise(client, monde, jeton, role):
    client.force_login(monde.user(role))
    assert client.get(url(monde, "reprise")).status_code == 404
    assert client.post(url(monde, "reprise"), {}).status_code == 404
    for nom, methode in PAGES_DU_DEPOT:
        assert getattr(client, methode)(url(monde, nom, jeton)).status_code == 404
    assert Provenance.objects.count() == 0


def test_l_administrateur_d_un_autre_plie_recoit_404(client, monde, jeton):
    client.force_login(monde.user(Role.ADMIN, plie=2))
    assert client.get(url(monde, "reprise", plie=2)).status_code == 200
    assert client.get(url(monde, "reprise")).status_code == 404
    for nom, methode in PAGES_DU_DEPOT:
        for plie in (1, 2):
            assert getattr(client, methode)(url(monde, nom, jeton, plie=plie)).status_code == 404
    assert Provenance.objects.count() == 0


def test_un_autre_administrateur_du_meme_plie_ne_confirme_pas_l_apercu(client, monde, jeton):
    client.force_login(monde.user(Role.ADMIN, structure="b"))
    assert client.get(url(monde, "reprise")).status_code == 200
    for nom, methode in PAGES_DU_DEPOT:
        assert getattr(client, methode)(url(monde, nom, jeton)).status_code == 404
    assert depots.retrouver(jeton).fichiers.exists()


def test_un_jeton_forge_recoit_404(client, monde, admin):
    for jeton in ("x" * 40, "..%2F..%2Fetc", "a" * 10):
        assert client.get(url(monde, "reprise_depot", jeton)).status_code == 404


def test_un_anonyme_va_a_la_connexion(client, monde, jeton):
    reponse = client.get(url(monde, "reprise_depot", jeton))
    assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")


def test_de_deux_confirmations_simultanees_une_seule_prend_les_fichiers():
    """Double clic, deux onglets : le renommage atomique ne laisse passer qu'une confirmation."""
    import threading
    from types import SimpleNamespace

    depot = depots.deposer(
        SimpleNamespace(pk=1), SimpleNamespace(pk=2), [("participants.csv", b"a\n")], "", "x"
    )
    depart, resultats = threading.Barrier(8), []

    def confirmer():
        depart.wait()
        try:
            resultats.append(depots.prendre(depots.retrouver(depot.jeton)))
        except depots.DepotDejaPris:
            resultats.append(None)

    fils = [threading.Thread(target=confirmer) for _ in range(8)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    pris = [r for r in resultats if r is not None]
    assert len(resultats) == 8 and len(pris) == 1
    assert (pris[0] / "participants.csv").read_bytes() == b"a\n"
