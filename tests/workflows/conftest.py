from pathlib import Path

from django.conf import settings

from parcours.core.enums import Role, TypeStructure
from parcours.core.models import PLIE
from parcours.referentiel.services import importer_referentiel
from tests.factories import StructureFactory, membre


class Acteurs:
    """Le PLIE de l'Agenais (référentiel réel) et celui de Flandre Lys, un compte par rôle utile."""

    def __init__(self):
        for code in ("agenais", "flandre-lys"):
            importer_referentiel(Path(settings.BASE_DIR) / "referentiels" / f"{code}.yaml")
        self.agenais = PLIE.objects.get(code="agenais")
        self.flandre = PLIE.objects.get(code="flandre-lys")
        porteur = StructureFactory(
            plie=self.agenais, type=TypeStructure.PORTEUR, nom="Agglo Emploi"
        )
        self.animateur = membre(Role.ANIMATEUR, porteur)
        self.prescripteur = membre(
            Role.PRESCRIPTEUR,
            StructureFactory(
                plie=self.agenais, type=TypeStructure.PRESCRIPTEUR, nom="France Travail Agen"
            ),
        )
        self.prescripteur_b = membre(
            Role.PRESCRIPTEUR,
            StructureFactory(plie=self.agenais, type=TypeStructure.PRESCRIPTEUR, nom="CCAS Agen"),
        )
        self.referent = membre(
            Role.REFERENT, StructureFactory(plie=self.agenais, nom="Opérateur Agen")
        )
        self.animateur_flandre = membre(
            Role.ANIMATEUR,
            StructureFactory(plie=self.flandre, type=TypeStructure.PORTEUR, nom="AEFVLI"),
        )
        self.prescripteur_flandre = membre(
            Role.PRESCRIPTEUR,
            StructureFactory(
                plie=self.flandre, type=TypeStructure.PRESCRIPTEUR, nom="FT Armentières"
            ),
        )

    def etrangers(self):
        """Ceux qui ne doivent rien voir d'un dossier prescrit par `prescripteur` dans l'Agenais."""
        return {
            "prescripteur d'une autre structure": self.prescripteur_b,
            "référent sans ce dossier": self.referent,
            "animateur d'un autre PLIE": self.animateur_flandre,
            "prescripteur d'un autre PLIE": self.prescripteur_flandre,
        }


def donnees_prescription(**surcharges):
    donnees = {
        "plie": "agenais",
        "identite-nom": "Lefèvre",
        "identite-prenom": "Éloïse",
        "identite-date_naissance": "1980-05-17",
        "identite-sexe": "F",
        "identite-telephone": "0612345678",
        "identite-commune": "47001",
        "situation-motif": "Recherche d'emploi depuis deux ans.",
        "situation-sans_emploi_depuis": "2022-06-01",
        "situation-niveau_qualification": "3",
        "situation-freins": ["mobilite"],
        "situation-statut_rsa": "on",
        "situation-statut_rsa_depuis": "2022-01-01",
        "notice-recue": "on",  # la notice d'information remise (docs/rgpd.md)
    }
    donnees.update(surcharges)
    return {k: v for k, v in donnees.items() if v is not None}
