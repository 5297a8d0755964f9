import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from parcours.accompagnement import engagement
from parcours.accompagnement.enums import Statut, TypeSortie
from parcours.accompagnement.models import Entretien, PieceEntree, PreuveEtape
from parcours.commissions.enums import StatutSession, TypeCommission
from parcours.commissions.models import SessionCommission
from parcours.core.documents import TypeDocument
from parcours.core.enums import Role
from parcours.emploi.models import Contrat, PropositionSortie
from parcours.entreprises.enums import TypeEvenement
from parcours.entreprises.models import Evenement
from tests.alertes.conftest import ENTREE, accompagne, etape
from tests.documents import echantillons

# Le contenu de chaque document : le téléchargement doit rendre exactement ces octets.
CONTENU = {t: echantillons.PDF + f"% {t.value}\n".encode() for t in TypeDocument}


@dataclass
class Document:
    type: TypeDocument
    objet: object
    contenu: bytes

    @property
    def adresse(self) -> str:
        return f"/app/documents/{self.type.value}/{self.objet.pk}/"


def _deposer(objet, champ: str, type_document: TypeDocument, nom="document.pdf"):
    getattr(objet, champ).save(nom, ContentFile(CONTENU[type_document]), save=True)
    return Document(type_document, objet, CONTENU[type_document])


@pytest.fixture
def dossier(monde):
    """Un parcours du PLIE 1 en accompagnement, suivi par le référent de la structure A,
    prescrit par le prescripteur de la structure A, son engagement complété."""
    return accompagne(monde, Statut.EN_ACCOMPAGNEMENT)


@pytest.fixture
def documents(monde, dossier) -> dict[TypeDocument, Document]:
    """Un document de chaque type, tous dans le PLIE 1 (autour de `dossier` pour ceux d'un
    parcours), déposés par le champ du modèle."""
    referent = dossier.referent
    contrat_engagement = engagement.contrat_de(dossier)
    piece = PieceEntree(parcours=dossier, code="rib", libelle="RIB", deposee_par=referent)
    preuve = PreuveEtape(
        etape=etape(dossier, ENTREE),
        type_preuve="attestation",
        libelle="Attestation",
        deposee_par=referent,
    )
    entretien = Entretien.objects.create(
        parcours=dossier,
        date=timezone.now() - datetime.timedelta(days=1),
        canal="physique_individuel",
        auteur=referent,
    )
    contrat = Contrat.objects.create(
        parcours=dossier, type="cdd", employeur="Agen Logistique", debut=ENTREE, created_by=referent
    )
    proposition = PropositionSortie(
        parcours=dossier,
        type_sortie=TypeSortie.EMPLOI_DURABLE,
        date_sortie=timezone.localdate(),
        proposee_par=referent,
    )
    evenement = Evenement.objects.create(
        plie=monde.plie1,
        type=TypeEvenement.JOB_DATING,
        titre="Job dating logistique",
        date=timezone.now(),
        lieu="Agen",
        organise_par=monde.user(Role.CRE),
    )
    session = SessionCommission.objects.create(
        plie=monde.plie1,
        type=TypeCommission.ENTREE,
        date=timezone.now(),
        statut=StatutSession.TENUE,
    )
    liste = [
        _deposer(dossier.prescription, "cv", TypeDocument.CV, "cv-alex.pdf"),
        _deposer(contrat_engagement, "fichier", TypeDocument.CONTRAT_ENGAGEMENT),
        _deposer(contrat_engagement, "copie_signee", TypeDocument.CONTRAT_SIGNE),
        _deposer(piece, "fichier", TypeDocument.PIECE_ENTREE),
        _deposer(preuve, "fichier", TypeDocument.PREUVE_ETAPE),
        _deposer(entretien, "emargement", TypeDocument.EMARGEMENT_ENTRETIEN),
        _deposer(contrat, "justificatif", TypeDocument.JUSTIFICATIF_CONTRAT),
        _deposer(proposition, "justificatif", TypeDocument.JUSTIFICATIF_SORTIE),
        _deposer(evenement, "feuille_emargement", TypeDocument.EMARGEMENT_EVENEMENT),
        _deposer(session, "proces_verbal", TypeDocument.PROCES_VERBAL),
    ]
    return {d.type: d for d in liste}
