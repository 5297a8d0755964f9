"""Ce que partagent les tests de l'écran de reprise : un export généré, le dépôt, le jeton."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.core.enums import Role
from parcours.core.models import Membership
from tests.reprise.export import COLONNES_PARCOURS, COLONNES_PARTICIPANTS, generer


def csv(nom, colonnes, lignes) -> SimpleUploadedFile:
    texte = ";".join(colonnes) + "\n"
    texte += "".join(";".join(ligne.get(c, "") for c in colonnes) + "\n" for ligne in lignes)
    return SimpleUploadedFile(nom, texte.encode(), content_type="text/csv")


def export(nombre=20, casser=None):
    # Le référent de l'export : le compte créé par la fixture `referent`.
    referent = Membership.objects.get(role=Role.REFERENT).user.username
    personnes, dossiers = generer(nombre, referents=(referent,))
    if casser:
        casser(personnes, dossiers)
    return [
        csv("participants.csv", COLONNES_PARTICIPANTS, personnes),
        csv("parcours.csv", COLONNES_PARCOURS, dossiers),
    ]


def url(monde, nom, jeton=None, plie=1):
    args = [monde.plie(plie).code] + ([jeton] if jeton else [])
    return reverse(f"administration:{nom}", args=args)


def deposer(client, monde, fichiers, correspondance="viesion", **extra):
    donnees = {"fichiers": fichiers, "correspondance": correspondance, **extra}
    return client.post(url(monde, "reprise"), donnees)


def jeton_de(reponse) -> str:
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    return reponse.url.rstrip("/").rsplit("/", 1)[-1]
