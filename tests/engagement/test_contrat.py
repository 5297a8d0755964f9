"""Le contrat d'engagement réciproque : PDF généré, signatures datées, copie signée."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.accompagnement import engagement
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models.engagement import ContratEngagement
from parcours.accompagnement.pdf import MENTION_UE
from parcours.core.enums import Role
from parcours.core.errors import TransitionInterdite
from tests.engagement.conftest import (
    AVEC_ANIMATION,
    JPEG_MINIMAL,
    PNG_MINIMAL,
    dater_admission,
    fichier,
)
from tests.factories import ParticipantFactory, parcours_en
from tests.pdf import nombre_de_pages
from tests.pdf import texte_pdf as texte_continu

pytestmark = pytest.mark.django_db

AUJOURDHUI = timezone.localdate


def test_le_pdf_genere_est_un_vrai_pdf_qui_nomme_le_participant_et_l_ue(monde, admis):
    participant = admis.participant
    participant.nom, participant.prenom = "Ndiaye-Lefèvre", "Aïcha"
    participant.save()
    contrat = engagement.generer_contrat(
        admis, admis.referent, objectifs="Obtenir le permis B ; CACES 1"
    )

    with contrat.fichier.open("rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert nombre_de_pages(pdf) >= 1
    texte = texte_continu(pdf)
    assert "NDIAYE-LEFÈVRE Aïcha" in texte
    assert MENTION_UE in texte
    assert "Contrat d'engagement réciproque" in texte
    assert monde.plie1.nom in texte
    assert str(admis.referent) in texte
    assert admis.structure_referente.nom in texte
    assert "Obtenir le permis B ; CACES 1" in texte
    assert "Les engagements du participant" in texte
    assert "Les engagements du référent et du PLIE" in texte
    # Le lecteur ne trouve pas ce qui n'y est pas (le test peut échouer).
    assert "DUPONT" not in texte
    assert (contrat.genere_par, contrat.genere_le is not None) == (admis.referent, True)


@pytest.mark.parametrize("avec_animation", [False, True])
def test_le_pdf_prevoit_la_signature_de_l_animation_selon_le_referentiel(
    monde, admis, avec_animation
):
    from tests.engagement.conftest import appliquer_referentiel

    signataires = ["participant", "referent"] + (["animation"] if avec_animation else [])
    appliquer_referentiel(monde.plie1, {"signataires": signataires})
    contrat = engagement.generer_contrat(admis, admis.referent)
    with contrat.fichier.open("rb") as f:
        texte = texte_continu(f.read())
    assert "Le participant" in texte and "Le référent de parcours" in texte
    assert ("Pour l'équipe d'animation du PLIE" in texte) == avec_animation
    assert contrat.signataires == signataires


def test_regenerer_remplace_le_pdf_et_garde_les_objectifs(
    admis, django_capture_on_commit_callbacks
):
    premier = engagement.generer_contrat(admis, admis.referent, objectifs="Objectif A")
    ancien = premier.fichier.name
    with django_capture_on_commit_callbacks(execute=True):
        second = engagement.generer_contrat(admis, admis.referent)
    assert second.pk == premier.pk and second.objectifs == "Objectif A"
    assert second.fichier.name != ancien
    # L'ancien PDF est effacé une fois la transaction validée.
    assert second.fichier.storage.exists(second.fichier.name)
    assert not second.fichier.storage.exists(ancien)
    assert ContratEngagement.objects.filter(parcours=admis).count() == 1


def test_signe_quand_chaque_signataire_a_signe_et_la_copie_est_deposee(admis, code_referentiel):
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    attendus = ["participant", "referent"] + (
        ["animation"] if code_referentiel in AVEC_ANIMATION else []
    )
    assert contrat.signataires == attendus
    aujourdhui = AUJOURDHUI()
    for signataire in attendus:
        assert not contrat.est_signe
        contrat = engagement.enregistrer_signatures(
            contrat, admis.referent, {signataire: aujourdhui}
        )
    assert contrat.signatures_manquantes() == []
    assert not contrat.est_signe  # la copie signée manque encore
    contrat = engagement.enregistrer_signatures(
        contrat, admis.referent, {}, copie_signee=fichier("scan.pdf")
    )
    assert contrat.est_signe
    assert contrat.copie_deposee_par == admis.referent


@pytest.mark.parametrize(
    ("nom", "contenu"),
    [("scan.pdf", b"%PDF-1.7\n..."), ("scan.JPG", JPEG_MINIMAL), ("scan.png", PNG_MINIMAL)],
)
def test_copie_signee_pdf_jpeg_png_acceptee(admis, nom, contenu):
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    contrat = engagement.enregistrer_signatures(
        contrat, admis.referent, {}, copie_signee=fichier(nom, contenu)
    )
    assert contrat.copie_signee.name.endswith(nom[-4:].lower())


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("scan.docx", b"PK\x03\x04...", "type de fichier non accepté pour « scan.docx » (.docx)"),
        ("scan", b"%PDF-1.4", "(sans extension)"),
        ("scan.pdf", b"<html>pas un pdf</html>", "n'est pas un fichier PDF valide"),
        ("photo.png", JPEG_MINIMAL, "n'est pas un fichier PNG valide"),
        ("vide.pdf", b"", "est vide"),
        (
            "gros.pdf",
            b"%PDF-1.4" + b"0" * (10 * 1024 * 1024),
            "dépasse la taille maximale de 10,0 Mo (10,0 Mo)",
        ),
    ],
)
def test_copie_signee_de_mauvais_type_ou_trop_grosse_refusee(admis, nom, contenu, message):
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    with pytest.raises(ValidationError) as exc:
        engagement.enregistrer_signatures(
            contrat,
            admis.referent,
            {"participant": AUJOURDHUI()},
            copie_signee=fichier(nom, contenu),
        )
    assert list(exc.value.message_dict) == ["copie_signee"]
    assert message in exc.value.message_dict["copie_signee"][0]
    contrat.refresh_from_db()
    # Rien n'est enregistré, pas même la date valide.
    assert not contrat.copie_signee and contrat.date_signature_participant is None


def test_fichier_de_10_mo_exactement_accepte(admis):
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    contenu = b"%PDF-1.4" + b"0" * (10 * 1024 * 1024 - 8)
    contrat = engagement.enregistrer_signatures(
        contrat, admis.referent, {}, copie_signee=fichier("juste.pdf", contenu)
    )
    assert contrat.copie_signee.size == 10 * 1024 * 1024


def test_date_de_signature_dans_le_futur_refusee(admis):
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    demain = AUJOURDHUI() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        engagement.enregistrer_signatures(
            contrat, admis.referent, {"participant": demain, "referent": AUJOURDHUI()}
        )
    assert exc.value.message_dict == {
        "participant": [
            f"La date de signature du participant ne peut pas être dans le futur "
            f"({demain:%d/%m/%Y})."
        ]
    }
    contrat.refresh_from_db()
    assert contrat.date_signature_referent is None


def test_refusees_dans_la_transaction_de_l_appelant_les_signatures_n_ecrivent_rien(
    admis, django_capture_on_commit_callbacks
):
    """Dans une transaction ouverte (celle du test), le service n'ouvre pas de point de
    sauvegarde : refusé, il n'a rien écrit ni laissé l'ancienne copie à effacer, et l'appelant
    qui l'attrape continue sa transaction."""
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    engagement.enregistrer_signatures(contrat, admis.referent, {}, copie_signee=fichier("a.pdf"))
    ancienne = ContratEngagement.objects.get(pk=contrat.pk).copie_signee.name
    demain = AUJOURDHUI() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks() as rappels, pytest.raises(ValidationError):
        engagement.enregistrer_signatures(
            contrat, admis.referent, {"participant": demain}, copie_signee=fichier("b.pdf")
        )
    assert rappels == []
    relu = ContratEngagement.objects.get(pk=contrat.pk)
    assert (relu.copie_signee.name, relu.date_signature_participant) == (ancienne, None)
    assert ParticipantFactory().pk is not None


def test_signature_avant_l_admission_refusee(admis):
    admission = dater_admission(admis, 10)
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    veille = admission - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        engagement.enregistrer_signatures(contrat, admis.referent, {"referent": veille})
    assert exc.value.message_dict["referent"] == [
        f"La date de signature du référent ({veille:%d/%m/%Y}) ne peut pas précéder "
        f"l'admission du {admission:%d/%m/%Y}."
    ]
    # Le jour même de l'admission, et entre l'admission et aujourd'hui : accepté (date ISO ou
    # date Python).
    lendemain = admission + datetime.timedelta(days=1)
    contrat = engagement.enregistrer_signatures(
        contrat, admis.referent, {"referent": admission, "participant": lendemain.isoformat()}
    )
    assert (contrat.date_signature_referent, contrat.date_signature_participant) == (
        admission,
        lendemain,
    )


def test_date_illisible_refusee(admis):
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    with pytest.raises(ValidationError, match="illisible"):
        engagement.enregistrer_signatures(contrat, admis.referent, {"participant": "31/02/2024"})


def test_signataire_que_le_referentiel_ne_prevoit_pas_refuse(monde, admis):
    from tests.engagement.conftest import appliquer_referentiel

    appliquer_referentiel(monde.plie1, {"signataires": ["participant", "referent"]})
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    with pytest.raises(ValidationError) as exc:
        engagement.enregistrer_signatures(
            contrat, admis.referent, {"animation": AUJOURDHUI(), "directeur": AUJOURDHUI()}
        )
    erreurs = exc.value.message_dict
    assert "l'équipe d'animation ne signe pas le contrat" in erreurs["animation"][0]
    assert "Signataire inconnu « directeur »" in erreurs["directeur"][0]


def test_effacer_une_date_de_signature(admis):
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    engagement.enregistrer_signatures(contrat, admis.referent, {"participant": AUJOURDHUI()})
    contrat = engagement.enregistrer_signatures(contrat, admis.referent, {"participant": None})
    assert contrat.date_signature_participant is None


def test_contrat_signe_ne_se_regenere_pas(admis):
    contrat = engagement.generer_contrat(admis, admis.referent)
    engagement.enregistrer_signatures(contrat, admis.referent, {"participant": AUJOURDHUI()})
    with pytest.raises(TransitionInterdite, match="déjà des signatures"):
        engagement.generer_contrat(admis, admis.referent, objectifs="Autre chose")


def test_contrat_fige_une_fois_l_accompagnement_engage(monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    contrat = engagement.contrat_de(parcours)
    assert contrat.est_signe
    with pytest.raises(TransitionInterdite, match="n'est plus modifiable"):
        engagement.enregistrer_signatures(contrat, parcours.referent, {"participant": None})
    with pytest.raises(TransitionInterdite, match="n'est plus modifiable"):
        engagement.generer_contrat(parcours, parcours.referent)


def test_les_signataires_sont_figes_a_la_creation_du_contrat(monde, admis):
    from tests.engagement.conftest import appliquer_referentiel

    appliquer_referentiel(monde.plie1, {"signataires": ["participant", "referent"]})
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    appliquer_referentiel(
        monde.plie1,
        {"signataires": ["participant", "referent", "animation"]},
        date_effet=datetime.date(2021, 1, 1),
    )
    assert engagement.ouvrir_contrat(admis, admis.referent).signataires == contrat.signataires


def test_contraintes_de_base_sur_les_signataires(admis):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ContratEngagement.objects.create(parcours=admis, signataires=["participant"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ContratEngagement.objects.create(
            parcours=admis,
            signataires=["participant", "referent"],
            date_signature_animation=AUJOURDHUI(),
        )


def test_l_animation_signe_quand_le_referentiel_le_prevoit(monde, admis):
    from tests.engagement.conftest import appliquer_referentiel

    appliquer_referentiel(monde.plie1, {"signataires": ["participant", "referent", "animation"]})
    animateur = monde.user(Role.ANIMATEUR)
    contrat = engagement.ouvrir_contrat(admis, animateur)
    contrat = engagement.enregistrer_signatures(contrat, animateur, {"animation": AUJOURDHUI()})
    assert contrat.date_signature_animation == AUJOURDHUI()
    assert contrat.signatures_manquantes() == ["participant", "referent"]
