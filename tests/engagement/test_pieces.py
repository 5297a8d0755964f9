"""Les pièces justificatives d'entrée : la liste du référentiel, le dépôt, ce qui manque."""

import pytest
from django.core.exceptions import ValidationError

from parcours.accompagnement import engagement
from parcours.accompagnement.models.engagement import PieceEntree
from tests.documents.echantillons import nom_aleatoire
from tests.engagement.conftest import (
    JPEG_MINIMAL,
    PNG_MINIMAL,
    appliquer_referentiel,
    fichier,
    section_engagement,
)

pytestmark = pytest.mark.django_db

PIECES = {
    "signataires": ["participant", "referent"],
    "pieces": [
        {
            "code": "justificatif-domicile",
            "libelle": "Justificatif de domicile",
            "obligatoire": True,
        },
        {"code": "rib", "libelle": "RIB", "obligatoire": False},
        {"code": "attestation-caf", "libelle": "Attestation CAF", "obligatoire": True},
    ],
}


@pytest.fixture
def avec_pieces(monde):
    appliquer_referentiel(monde.plie1, PIECES)


def test_pieces_manquantes_d_apres_le_referentiel_en_vigueur(admis, code_referentiel):
    attendues = section_engagement(code_referentiel)["pieces"]
    obligatoires = [p["code"] for p in attendues if p["obligatoire"]]
    assert [p.code for p in engagement.pieces_manquantes(admis)] == obligatoires
    for code in obligatoires:
        engagement.deposer_piece(admis, code, fichier(f"{code}.pdf"), admis.referent)
    assert engagement.pieces_manquantes(admis) == []
    # Les pièces facultatives restent listées, sans bloquer.
    lignes = engagement.pieces_entree(admis)
    assert [ligne.attendue.code for ligne in lignes if ligne.deposee is None] == [
        p["code"] for p in attendues if not p["obligatoire"]
    ]


def test_sans_section_engagement_aucune_piece_n_est_exigee(monde, admis):
    assert engagement.pieces_manquantes(admis) == []  # aucun référentiel
    appliquer_referentiel(monde.plie1, None)  # un référentiel sans section engagement
    assert engagement.pieces_manquantes(admis) == []
    assert engagement.regles_engagement(monde.plie1).signataires == ("participant", "referent")


def test_deposer_une_piece(admis, avec_pieces):
    piece = engagement.deposer_piece(
        admis, "justificatif-domicile", fichier("facture.jpeg", JPEG_MINIMAL), admis.referent
    )
    assert (piece.libelle, piece.deposee_par) == ("Justificatif de domicile", admis.referent)
    assert nom_aleatoire("piece-entree", "jpeg").fullmatch(piece.fichier.name)
    assert [p.code for p in engagement.pieces_manquantes(admis)] == ["attestation-caf"]


def test_redeposer_remplace_la_piece(admis, avec_pieces, django_capture_on_commit_callbacks):
    premiere = engagement.deposer_piece(admis, "attestation-caf", fichier("a.pdf"), admis.referent)
    ancien = premiere.fichier.name
    with django_capture_on_commit_callbacks(execute=True):
        seconde = engagement.deposer_piece(
            admis, "attestation-caf", fichier("b.png", PNG_MINIMAL), admis.referent
        )
    assert seconde.pk == premiere.pk
    assert PieceEntree.objects.filter(parcours=admis).count() == 1
    assert nom_aleatoire("piece-entree", "png").fullmatch(seconde.fichier.name)
    assert not seconde.fichier.storage.exists(ancien)


def test_piece_inconnue_du_referentiel_refusee(admis, avec_pieces):
    with pytest.raises(ValidationError) as exc:
        engagement.deposer_piece(admis, "carte-vitale", fichier(), admis.referent)
    assert exc.value.message_dict == {
        "code": [
            "« carte-vitale » n'est pas une pièce de la liste d'entrée de ce PLIE "
            "(pièces : justificatif-domicile, rib, attestation-caf)."
        ]
    }


@pytest.mark.parametrize(
    ("nom", "contenu", "extrait"),
    [
        ("domicile.gif", b"GIF89a", "type de fichier non accepté pour « domicile.gif » (.gif)"),
        ("domicile.exe.pdf", b"MZ\x90\x00", "n'est pas un fichier PDF valide"),
        ("domicile.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024 + 1), "dépasse la taille maximale"),
        ("domicile.png", b"", "est vide"),
    ],
)
def test_piece_de_mauvais_type_ou_trop_grosse_refusee(admis, avec_pieces, nom, contenu, extrait):
    with pytest.raises(ValidationError) as exc:
        engagement.deposer_piece(
            admis, "justificatif-domicile", fichier(nom, contenu), admis.referent
        )
    assert list(exc.value.message_dict) == ["fichier"]
    assert extrait in exc.value.message_dict["fichier"][0]
    assert not PieceEntree.objects.filter(parcours=admis).exists()
