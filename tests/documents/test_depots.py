"""Les dépôts de documents sont vérifiés par leur contenu, champ par champ : HTML renommé .pdf,
SVG renommé .png, fichiers polyglottes, fichier vide, trop gros, bombe de décompression .docx
refusés, avec un message en français qui nomme le champ, et rien n'est enregistré."""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from parcours.accompagnement import engagement, suivi
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Entretien, Parcours, PieceEntree, PreuveEtape
from parcours.accompagnement.services import prescrire
from parcours.core.enums import Role
from parcours.core.fichiers import (
    FORMATS_CV,
    TAILLE_MAX_CV,
    TAILLE_MAX_DOCUMENT,
    verifier_fichier,
)
from parcours.emploi.models import Contrat, PropositionSortie
from parcours.emploi.services import enregistrer_contrat
from parcours.emploi.sortie import proposer_la_sortie
from parcours.entreprises.enums import TypeEvenement
from parcours.entreprises.models import Evenement
from parcours.entreprises.services import deposer_emargement as deposer_emargement_evenement
from parcours.participants.models import Participant
from tests.documents import echantillons as e
from tests.engagement.conftest import appliquer_referentiel as referentiel_engagement
from tests.factories import parcours_en
from tests.suivi.conftest import appliquer_referentiel as referentiel_suivi
from workflows.emploi.forms import ContratForm, PropositionSortieForm
from workflows.entree.forms import IdentiteForm, PieceForm, SignaturesForm
from workflows.entreprises import forms as formulaires_entreprises
from workflows.suivi.forms import EmargementForm, EntretienForm, PreuveForm

TROP_GROS = e.PDF + b"0" * TAILLE_MAX_DOCUMENT
CONTENU_ACTIF = "contient du code HTML, SVG ou script : il est refusé"
# (nom, contenu, message pour un justificatif, message pour le CV, qui accepte Word).
HOSTILES = [
    pytest.param("piece.pdf", e.HTML, *["n'est pas un fichier PDF valide"] * 2, id="html-en-pdf"),
    pytest.param("scan.png", e.SVG, *["n'est pas un fichier PNG valide"] * 2, id="svg-en-png"),
    pytest.param("scan.png", e.PNG_SVG, *[CONTENU_ACTIF] * 2, id="polyglotte-png-svg"),
    pytest.param("piece.pdf", e.PDF_HTML, *[CONTENU_ACTIF] * 2, id="polyglotte-pdf-html"),
    pytest.param("vide.pdf", b"", *["le fichier « vide.pdf » est vide"] * 2, id="vide"),
    pytest.param("gros.pdf", TROP_GROS, *["dépasse la taille maximale"] * 2, id="trop-gros"),
    pytest.param(
        "piece.docx",
        e.bombe_docx(),
        "type de fichier non accepté pour « piece.docx » (.docx) ; PDF, JPEG ou PNG uniquement",
        "se décompresse en un volume anormal",
        id="bombe-docx",
    ),
]


def fichier(nom, contenu=e.PDF):
    return SimpleUploadedFile(nom, contenu)


# — Le contrôle lui-même —


@pytest.mark.parametrize(
    ("nom", "contenu", "formats"),
    [
        ("scan.pdf", e.PDF, None),
        ("photo.png", e.PNG, None),
        ("photo.jpg", e.JPEG, None),
        ("PHOTO.JPEG", e.JPEG, None),
        ("cv.docx", e.docx(), FORMATS_CV),
        ("cv.odt", e.odt(), FORMATS_CV),
        ("cv.pdf", e.PDF, FORMATS_CV),
    ],
)
def test_contenus_acceptes(nom, contenu, formats):
    depose = fichier(nom, contenu)
    verifier_fichier(depose, champ="Pièce", **({"formats": formats} if formats else {}))
    assert depose.read() == contenu  # relu depuis le début : l'enregistrement a tout le fichier


@pytest.mark.parametrize(
    ("nom", "contenu", "formats", "message"),
    [
        (
            "photo.png",
            e.JPEG,
            None,
            "n'est pas un fichier PNG valide (contenu reconnu : image/jpeg)",
        ),
        ("photo.png", e.PNG[:-20], None, "l'image « photo.png » est illisible ou endommagée"),
        ("photo.png", e.PNG[:8] + b"pas un bloc PNG" * 8, None, "est illisible ou endommagée"),
        ("photo.jpg", e.JPEG[:60], None, "l'image « photo.jpg » est illisible ou endommagée"),
        ("scan.gif", b"GIF89a", None, "type de fichier non accepté pour « scan.gif » (.gif)"),
        ("cv.doc", b"\xd0\xcf\x11\xe0", FORMATS_CV, "type de fichier non accepté"),
        ("cv.docx", e.docx(macros=True), FORMATS_CV, "« cv.docx » contient des macros"),
        ("cv.docx", e.PDF, FORMATS_CV, "n'est pas un fichier Word valide"),
        ("cv.odt", e.docx(), FORMATS_CV, "n'est pas un fichier OpenDocument valide"),
        ("cv.docx", e.docx()[:-30], FORMATS_CV, "« cv.docx » est endommagé"),
        # 5 Mo d'espaces : sous la limite totale, mais compressés plus de 100 fois.
        ("cv.docx", e.docx(5 * 1024 * 1024), FORMATS_CV, "se décompresse en un volume anormal"),
        ("cv.pdf", e.PDF + b"0" * TAILLE_MAX_CV, FORMATS_CV, "taille maximale de 5,0 Mo"),
    ],
)
def test_contenus_refuses(nom, contenu, formats, message):
    with pytest.raises(ValidationError) as refus:
        verifier_fichier(
            fichier(nom, contenu),
            champ="Pièce",
            **({"formats": formats, "taille_max": TAILLE_MAX_CV} if formats else {}),
        )
    assert refus.value.messages[0].startswith("Pièce : ")
    assert message in refus.value.messages[0]


# — Chaque champ de formulaire qui reçoit un document —

FORMULAIRES = {
    "cv": (lambda d, f: IdentiteForm(d, f, communes=()), "cv", "CV", True),
    "copie-signee": (
        lambda d, f: SignaturesForm(d, f, contrat=SimpleNamespace(signataires=[])),
        "copie_signee",
        "Copie signée du contrat",
        False,
    ),
    "piece": (lambda d, f: PieceForm(d, f), "fichier", "Fichier", False),
    "preuve": (lambda d, f: PreuveForm(d, f, type_etape=None), "fichier", "Fichier", False),
    "entretien": (EntretienForm, "emargement", "Feuille d'émargement signée", False),
    "emargement": (EmargementForm, "emargement", "Feuille d'émargement signée", False),
    "justificatif-contrat": (ContratForm, "justificatif", "Justificatif", False),
    "justificatif-sortie": (PropositionSortieForm, "justificatif", "Justificatif", False),
    "emargement-evenement": (
        lambda d, f: formulaires_entreprises.EmargementForm(
            d, f, parcours=Parcours.objects.none(), plie_id=1
        ),
        "feuille",
        "Feuille d'émargement signée",
        False,
    ),
}


@pytest.mark.parametrize("formulaire", list(FORMULAIRES))
@pytest.mark.parametrize(("nom", "contenu", "message", "message_cv"), HOSTILES)
def test_formulaire_refuse(formulaire, nom, contenu, message, message_cv):
    fabrique, champ, libelle, cv = FORMULAIRES[formulaire]
    form = fabrique({}, {champ: fichier(nom, contenu)})
    assert not form.is_valid()
    erreur = form.errors[champ][0]
    assert erreur.startswith(f"{libelle} : ")
    assert (message_cv if cv else message) in erreur


@pytest.mark.parametrize("formulaire", list(FORMULAIRES))
def test_formulaire_accepte_un_pdf_et_annonce_les_formats(formulaire):
    fabrique, champ, _, cv = FORMULAIRES[formulaire]
    form = fabrique({}, {champ: fichier("scan.pdf")})
    form.is_valid()
    assert champ not in form.errors
    attendu = ".pdf,.jpg,.jpeg,.png" + (",.docx,.odt" if cv else "")
    assert f'accept="{attendu}"' in str(form[champ])


# — Chaque service qui enregistre un document (les écrans passent par eux) —


@dataclass
class Depot:
    preparer: object  # (monde) -> contexte
    deposer: object  # (contexte, fichier) -> None
    cle: str  # le champ de l'erreur
    libelle: str  # le début du message
    rien: object  # (contexte) -> bool : rien n'a été enregistré
    cv: bool = False


def _admis(monde):
    referentiel_engagement(
        monde.plie1,
        {
            "signataires": ["participant", "referent"],
            "pieces": [{"code": "rib", "libelle": "RIB", "obligatoire": True}],
        },
    )
    parcours = parcours_en(monde, Statut.ADMIS, engagement=False)
    return SimpleNamespace(
        parcours=parcours, contrat=engagement.ouvrir_contrat(parcours, parcours.referent)
    )


def _accompagne(monde):
    referentiel_suivi(monde.plie1)
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    return SimpleNamespace(
        parcours=parcours,
        referent=referent,
        etape=suivi.ajouter_etape(
            parcours,
            referent,
            type_code="bilan-competences",
            date_debut=datetime.date(2024, 3, 1),
            statut="en_cours",
        ),
        entretien=suivi.enregistrer_entretien(
            parcours,
            referent,
            date=timezone.now() - datetime.timedelta(hours=2),
            canal="physique_individuel",
        ),
    )


def _evenement(monde):
    cre = monde.user(Role.CRE)
    return SimpleNamespace(
        cre=cre,
        evenement=Evenement.objects.create(
            plie=monde.plie1,
            type=TypeEvenement.FORUM,
            titre="Forum",
            date=timezone.now(),
            lieu="Agen",
            organise_par=cre,
        ),
    )


def _prescrire(monde, cv):
    prescrire(
        par=monde.user(Role.PRESCRIPTEUR),
        plie=monde.plie1,
        identite={
            "nom": "Martin",
            "prenom": "Léa",
            "date_naissance": datetime.date(1990, 1, 1),
            "sexe": "F",
        },
        situation={"motif": "Accompagnement vers l'emploi"},
        statuts=[],
        nouvelle_personne_confirmee=True,
        cv=cv,
    )


DEPOTS = {
    "cv": Depot(
        lambda monde: monde,
        _prescrire,
        "cv",
        "CV",
        lambda monde: not Participant.objects.exists(),
        cv=True,
    ),
    "copie-signee": Depot(
        _admis,
        lambda c, f: engagement.enregistrer_signatures(
            c.contrat, c.parcours.referent, {}, copie_signee=f
        ),
        "copie_signee",
        "Copie signée du contrat",
        lambda c: not type(c.contrat).objects.get(pk=c.contrat.pk).copie_signee,
    ),
    "piece": Depot(
        _admis,
        lambda c, f: engagement.deposer_piece(c.parcours, "rib", f, c.parcours.referent),
        "fichier",
        "Pièce « RIB »",
        lambda c: not PieceEntree.objects.exists(),
    ),
    "preuve": Depot(
        _accompagne,
        lambda c, f: suivi.deposer_preuve(
            c.etape, c.referent, type_preuve="attestation", fichier=f
        ),
        "fichier",
        "Preuve « Attestation »",
        lambda c: not PreuveEtape.objects.exists(),
    ),
    "entretien": Depot(
        _accompagne,
        lambda c, f: suivi.enregistrer_entretien(
            c.parcours, c.referent, date=timezone.now(), canal="physique_individuel", emargement=f
        ),
        "emargement",
        "Feuille d'émargement",
        lambda c: Entretien.objects.count() == 1 and not Entretien.objects.get().emargement,
    ),
    "emargement": Depot(
        _accompagne,
        lambda c, f: suivi.deposer_emargement(c.entretien, c.referent, f),
        "emargement",
        "Feuille d'émargement",
        lambda c: not Entretien.objects.get(pk=c.entretien.pk).emargement,
    ),
    "justificatif-contrat": Depot(
        _accompagne,
        lambda c, f: enregistrer_contrat(
            c.parcours,
            par=c.referent,
            justificatif=f,
            type="cdd",
            employeur="Agen Logistique",
            debut=datetime.date(2024, 3, 1),
        ),
        "justificatif",
        "Justificatif du contrat",
        lambda c: not Contrat.objects.exists(),
    ),
    "justificatif-sortie": Depot(
        _accompagne,
        lambda c, f: proposer_la_sortie(
            c.parcours, par=c.referent, type_sortie="emploi_durable", justificatif=f
        ),
        "justificatif",
        "Justificatif de la sortie",
        lambda c: not PropositionSortie.objects.exists(),
    ),
    "emargement-evenement": Depot(
        _evenement,
        lambda c, f: deposer_emargement_evenement(c.evenement, par=c.cre, fichier=f),
        "feuille_emargement",
        "Feuille d'émargement signée",
        lambda c: not Evenement.objects.get(pk=c.evenement.pk).feuille_emargement,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("depot", list(DEPOTS))
@pytest.mark.parametrize(("nom", "contenu", "message", "message_cv"), HOSTILES)
def test_service_refuse_et_n_enregistre_rien(monde, depot, nom, contenu, message, message_cv):
    d = DEPOTS[depot]
    contexte = d.preparer(monde)
    with pytest.raises(ValidationError) as refus:
        d.deposer(contexte, fichier(nom, contenu))
    erreur = refus.value.message_dict[d.cle][0]
    assert erreur.startswith(f"{d.libelle} : ")
    assert (message_cv if d.cv else message) in erreur
    assert d.rien(contexte)


@pytest.mark.django_db
@pytest.mark.parametrize("depot", list(DEPOTS))
def test_service_enregistre_un_document_valide(monde, depot):
    """Le témoin : le même dépôt, avec un vrai document, est enregistré."""
    d = DEPOTS[depot]
    contexte = d.preparer(monde)
    d.deposer(contexte, fichier("scan.png", e.PNG))
    assert not d.rien(contexte)


@pytest.mark.django_db
def test_cv_word_accepte_a_la_prescription(monde):
    contenu = e.docx()
    _prescrire(monde, fichier("cv.docx", contenu))
    cv = Participant.objects.get().parcours.get().prescription.cv
    assert e.nom_aleatoire("cv", "docx").fullmatch(cv.name)
    with cv.open("rb") as lu:
        assert lu.read() == contenu


# — À l'écran : le message sous le champ, rien d'enregistré —


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("attestation.png", e.PNG_SVG, CONTENU_ACTIF),
        ("attestation.pdf", e.HTML, "n'est pas un fichier PDF valide"),
    ],
)
def test_ecran_de_l_etape_refuse_la_preuve(client, monde, nom, contenu, message):
    c = _accompagne(monde)
    client.force_login(c.referent)
    reponse = client.post(
        reverse("suivi:etape", args=[c.parcours.pk, c.etape.pk]),
        {"section": "preuve", "type_preuve": "attestation", "fichier": fichier(nom, contenu)},
    )
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert escape("Fichier : ") in page and escape(message) in page
    assert not PreuveEtape.objects.exists()
