"""Importer le référentiel de son PLIE depuis l'écran d'administration : aperçu, confirmation,
refus d'un fichier d'un autre PLIE, illisible ou trop gros ; rien n'est enregistré avant la
confirmation."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.core.enums import Role
from parcours.referentiel.models import Referentiel
from parcours.tracabilite.models import Trace
from tests.factories import StructureFactory, membre

pytestmark = pytest.mark.django_db

REFERENTIELS = Path(settings.BASE_DIR) / "referentiels"


@pytest.fixture
def admin_agenais(client, acteurs):
    admin = membre(Role.ADMIN, StructureFactory(plie=acteurs.agenais, nom="Porteur admin"))
    client.force_login(admin)
    return admin


def fichier(nom, contenu: str | bytes):
    contenu = contenu.encode() if isinstance(contenu, str) else contenu
    return SimpleUploadedFile(nom, contenu, content_type="application/x-yaml")


def nouvelle_version(code="agenais", date="2027-01-01"):
    contenu = yaml.safe_load((REFERENTIELS / f"{code}.yaml").read_text(encoding="utf-8"))
    contenu["version"] = {"date_effet": date, "libelle": "Révision 2027"}
    return yaml.safe_dump(contenu, allow_unicode=True)


def url(acteurs, nom="referentiel"):
    return reverse(f"administration:{nom}", args=[acteurs.agenais.code])


def test_apercu_puis_confirmation(client, acteurs, admin_agenais):
    avant = Referentiel.objects.filter(plie=acteurs.agenais).count()
    reponse = client.post(url(acteurs), {"fichier": fichier("revision.yaml", nouvelle_version())})
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Aperçu avant import" in page and "ajoute une nouvelle version" in page
    assert Referentiel.objects.filter(plie=acteurs.agenais).count() == avant
    confirmation = reponse.context["confirmation"]
    reponse = client.post(
        url(acteurs, "referentiel_confirmer"),
        {"contenu": confirmation.initial["contenu"], "nom": confirmation.initial["nom"]},
    )
    assert reponse.status_code == 302
    version = Referentiel.objects.get(plie=acteurs.agenais, date_effet="2027-01-01")
    assert (version.libelle, version.importe_par, version.source) == (
        "Révision 2027",
        admin_agenais,
        "revision.yaml",
    )
    assert Trace.objects.filter(objet_type="referentiel", objet_id=str(version.pk)).exists()


def test_le_referentiel_d_un_autre_plie_est_refuse(client, acteurs, admin_agenais):
    reponse = client.post(
        url(acteurs), {"fichier": fichier("agenais.yaml", nouvelle_version("flandre-lys"))}
    )
    assert reponse.status_code == 200
    assert "ne correspond pas au PLIE administré (agenais)" in reponse.content.decode()
    assert "Aperçu avant import" not in reponse.content.decode()


def test_la_confirmation_revalide_le_contenu(client, acteurs, admin_agenais):
    """Un contenu modifié entre l'aperçu et la confirmation (celui d'un autre PLIE) : refusé."""
    avant = set(Referentiel.objects.values_list("pk", flat=True))
    reponse = client.post(
        url(acteurs, "referentiel_confirmer"),
        {"contenu": nouvelle_version("flandre-lys"), "nom": "x.yaml"},
        follow=True,
    )
    assert "Import refusé" in reponse.content.decode()
    assert set(Referentiel.objects.values_list("pk", flat=True)) == avant


@pytest.mark.parametrize(
    "contenu,message",
    [
        ("plie: [", "YAML illisible"),
        ("- une\n- liste\n", "le fichier doit décrire un référentiel"),
        (b"\xff\xfe\x00", "encodé en UTF-8"),
        ("a" * (2 * 1024 * 1024 + 1), "trop volumineux"),
    ],
)
def test_un_fichier_invalide_est_refuse_avec_un_message(
    client, acteurs, admin_agenais, contenu, message
):
    avant = Referentiel.objects.count()
    reponse = client.post(url(acteurs), {"fichier": fichier("r.yaml", contenu)})
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert Referentiel.objects.count() == avant


def test_l_administrateur_de_flandre_n_importe_pas_pour_l_agenais(client, acteurs):
    admin = membre(Role.ADMIN, StructureFactory(plie=acteurs.flandre, nom="Porteur Flandre"))
    client.force_login(admin)
    reponse = client.post(url(acteurs), {"fichier": fichier("r.yaml", nouvelle_version())})
    assert reponse.status_code == 404
    reponse = client.post(
        url(acteurs, "referentiel_confirmer"), {"contenu": nouvelle_version(), "nom": "r.yaml"}
    )
    assert reponse.status_code == 404
    assert not Referentiel.objects.filter(date_effet="2027-01-01").exists()
