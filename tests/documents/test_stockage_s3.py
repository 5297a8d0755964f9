"""Les documents sur un stockage S3 compatible (PLIE_STOCKAGE=s3, docs/deploiement.md) : mêmes
noms aléatoires, mêmes droits, lus dans le seau et renvoyés par la vue, jamais une adresse du
seau. Le seau est simulé en mémoire (moto) : aucun service S3 sur la machine de test."""

from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from config.stockage import stockage_s3
from parcours.core.documents import TypeDocument
from parcours.core.enums import Role
from tests.documents import echantillons
from tests.documents.outils import telecharger
from workflows.documents import SOURCES

pytestmark = pytest.mark.django_db

SEAU = "plie-documents"


@pytest.fixture
def seau(settings, monkeypatch):
    """Le stockage par défaut devient un seau S3, réglé comme en production par l'environnement."""
    for nom, valeur in {
        "AWS_STORAGE_BUCKET_NAME": SEAU,
        "AWS_S3_REGION_NAME": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }.items():
        monkeypatch.setenv(nom, valeur)
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-3")
        client.create_bucket(
            Bucket=SEAU, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
        )
        settings.STORAGES = {**settings.STORAGES, "default": stockage_s3(False)}
        yield client


def cles(client):
    return {o["Key"] for o in client.list_objects_v2(Bucket=SEAU).get("Contents", [])}


def test_chaque_document_est_dans_le_seau_et_servi_par_la_vue(
    client, settings, seau, monde, documents
):
    # Rien sur le disque local : chaque document est un objet du seau, sous son nom aléatoire.
    noms = {_fichier(d).name for d in documents.values()}
    assert noms <= cles(seau)
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))
    for type_document, document in documents.items():
        assert echantillons.nom_aleatoire(type_document.value, "pdf").fullmatch(
            _fichier(document).name
        )
    client.force_login(monde.user(Role.ANIMATEUR))
    for document in documents.values():
        reponse, contenu = telecharger(client, document.adresse)
        assert reponse.status_code == 200
        assert contenu == document.contenu
        assert reponse["Content-Type"] == "application/pdf"
        assert reponse["Content-Disposition"].startswith("attachment;")
        assert reponse["Cache-Control"] == "private, no-store"
        # Ni redirection vers le seau, ni adresse signée : le contenu passe par l'application.
        assert "Location" not in reponse


def test_hors_perimetre_404_et_jamais_d_adresse_du_seau(client, seau, monde, documents):
    client.force_login(monde.user(Role.ANIMATEUR, plie=2))
    for document in documents.values():
        reponse, _ = telecharger(client, document.adresse)
        assert reponse.status_code == 404
    fichier = _fichier(documents[TypeDocument.PREUVE_ETAPE])
    with pytest.raises(ValueError, match="pas d'adresse publique"):
        fichier.storage.url(fichier.name)
    # `.url` d'un champ document reste l'adresse de la vue.
    assert fichier.url == documents[TypeDocument.PREUVE_ETAPE].adresse


def test_objet_disparu_du_seau_404(client, seau, monde, documents):
    document = documents[TypeDocument.PIECE_ENTREE]
    seau.delete_object(Bucket=SEAU, Key=_fichier(document).name)
    client.force_login(monde.user(Role.ANIMATEUR))
    reponse, _ = telecharger(client, document.adresse)
    assert reponse.status_code == 404


def _fichier(document):
    return getattr(document.objet, SOURCES[document.type].champ)
