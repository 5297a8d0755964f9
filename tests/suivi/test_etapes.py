import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.accompagnement import suivi
from parcours.accompagnement.enums import StatutEtape
from parcours.accompagnement.models import Etape
from parcours.core.enums import Role
from parcours.core.errors import TransitionNonAutorisee
from parcours.core.fichiers import TAILLE_MAX_DOCUMENT as TAILLE_MAX_FICHIER
from tests.suivi.conftest import pdf

AUJOURD_HUI = timezone.localdate


def test_etape_recopie_le_type_du_catalogue(dossier, referent):
    etape = suivi.ajouter_etape(
        dossier,
        referent,
        type_code="formation-qualifiante",
        date_debut=AUJOURD_HUI(),
        intitule="Titre pro agent de propreté",
        prestataire="AFPA Agen",
    )
    assert (etape.type_libelle, etape.categorie) == (
        "Formation qualifiante",
        "4 Accès à la formation",
    )
    assert etape.compte and etape.emploi_ou_formation
    assert etape.statut == StatutEtape.PREVUE and etape.version == 1
    assert etape.created_by == referent


def test_accueil_non_compte(dossier, referent):
    etape = suivi.ajouter_etape(dossier, referent, type_code="accueil", date_debut=AUJOURD_HUI())
    assert not etape.compte


def test_type_inconnu_refuse_rien_enregistre(dossier, referent):
    with pytest.raises(ValidationError) as exc:
        suivi.ajouter_etape(dossier, referent, type_code="inconnu", date_debut=AUJOURD_HUI())
    assert "n'est pas un type d'étape du catalogue" in exc.value.message_dict["type_code"][0]
    assert not Etape.objects.exists()


def test_sans_catalogue(monde, referent):
    from tests.factories import parcours_en

    parcours = parcours_en(monde, "en_accompagnement")
    with pytest.raises(ValidationError, match="pas de catalogue d'étapes"):
        suivi.ajouter_etape(parcours, referent, type_code="accueil", date_debut=AUJOURD_HUI())


@pytest.mark.parametrize(
    "valeurs, champ, message",
    [
        (
            {"date_fin": datetime.date(2020, 1, 1)},
            "date_fin",
            "ne peut pas précéder la date de début",
        ),
        ({"statut": StatutEtape.REALISEE}, "date_fin", "Une étape réalisée a une date de fin"),
        (
            {"statut": StatutEtape.EN_COURS, "date_debut": datetime.date(2099, 1, 1)},
            "statut",
            "encore « prévue »",
        ),
        (
            {
                "statut": StatutEtape.REALISEE,
                "date_debut": datetime.date(2024, 1, 1),
                "date_fin": datetime.date(2099, 1, 1),
            },
            "date_fin",
            "dans le futur",
        ),
    ],
)
def test_dates_et_statut_incoherents(dossier, referent, valeurs, champ, message):
    donnees = {"date_debut": datetime.date(2024, 3, 1), **valeurs}
    with pytest.raises(ValidationError) as exc:
        suivi.ajouter_etape(dossier, referent, type_code="bilan-competences", **donnees)
    assert message in " ".join(exc.value.message_dict[champ])
    assert not Etape.objects.exists()


def test_contrainte_base_fin_apres_debut(dossier, referent):
    with pytest.raises(IntegrityError), transaction.atomic():
        Etape.objects.create(
            parcours=dossier,
            type_code="x",
            type_libelle="x",
            categorie="x",
            date_debut=datetime.date(2024, 2, 1),
            date_fin=datetime.date(2024, 1, 1),
            created_by=referent,
        )


def test_cycle_de_vie_et_preuves_manquantes(dossier, referent):
    etape = suivi.ajouter_etape(
        dossier, referent, type_code="bilan-competences", date_debut=datetime.date(2024, 3, 1)
    )
    # Prévue : rien à justifier encore.
    assert suivi.preuves_manquantes(etape) == []
    etape = suivi.modifier_etape(etape, referent, version=etape.version, statut="en_cours")
    assert etape.version == 2
    manquantes = suivi.preuves_manquantes(etape)
    assert [p.code for p in manquantes] == ["attestation", "compte-rendu", "mail"]
    assert suivi.message_preuves_manquantes(etape) == (
        "Preuve manquante : Attestation, Compte rendu ou Courriel"
    )
    suivi.deposer_preuve(etape, referent, type_preuve="mail", fichier=pdf())
    assert suivi.preuves_manquantes(etape) == []
    etape = suivi.modifier_etape(
        etape,
        referent,
        version=etape.version,
        statut="realisee",
        date_fin=datetime.date(2024, 4, 1),
    )
    assert etape.statut == StatutEtape.REALISEE and etape.updated_by == referent
    journal = list(etape.journal.values_list("statut_avant", "statut_apres", "par"))
    assert journal == [
        ("", "prevue", referent.pk),
        ("prevue", "en_cours", referent.pk),
        ("en_cours", "realisee", referent.pk),
    ]
    assert etape.journal.last().changements == {
        "statut": ["en_cours", "realisee"],
        "date_fin": [None, "2024-04-01"],
    }
    # Rien de changé : ni nouvelle version ni ligne de journal.
    inchangee = suivi.modifier_etape(etape, referent, version=etape.version, statut="realisee")
    assert inchangee.version == etape.version and etape.journal.count() == 3


def test_toutes_les_preuves_exigees(dossier, referent):
    etape = suivi.ajouter_etape(
        dossier,
        referent,
        type_code="formation-qualifiante",
        date_debut=datetime.date(2024, 3, 1),
        statut="en_cours",
    )
    suivi.deposer_preuve(etape, referent, type_preuve="attestation", fichier=pdf())
    assert [p.code for p in suivi.preuves_manquantes(etape)] == ["fiche-prescription"]
    assert suivi.message_preuves_manquantes(etape) == "Preuve manquante : Fiche de prescription"


def test_modification_concurrente_refusee(dossier, referent, animateur):
    etape = suivi.ajouter_etape(
        dossier, referent, type_code="bilan-competences", date_debut=datetime.date(2024, 3, 1)
    )
    lue_par_l_animateur = Etape.objects.get(pk=etape.pk)
    suivi.modifier_etape(etape, referent, version=etape.version, prestataire="CIBC")
    with pytest.raises(suivi.EtapeModifiee, match="vient d'être modifiée"):
        suivi.modifier_etape(
            lue_par_l_animateur,
            animateur,
            version=lue_par_l_animateur.version,
            prestataire="Autre",
        )
    etape.refresh_from_db()
    assert etape.prestataire == "CIBC" and etape.version == 2


@pytest.mark.parametrize(
    "nom, contenu, code",
    [
        ("preuve.exe", b"MZ" + b"\x00" * 20, "type de fichier non accepté"),
        ("preuve.pdf", b"pas un pdf", "n'est pas un fichier PDF valide"),
        ("vide.pdf", b"", "est vide"),
        ("gros.pdf", b"%PDF-" + b"0" * TAILLE_MAX_FICHIER, "dépasse la taille maximale"),
    ],
)
def test_limites_de_depot(dossier, referent, nom, contenu, code):
    etape = suivi.ajouter_etape(
        dossier, referent, type_code="bilan-competences", date_debut=datetime.date(2024, 3, 1)
    )
    with pytest.raises(ValidationError) as exc:
        suivi.deposer_preuve(etape, referent, type_preuve="attestation", fichier=pdf(nom, contenu))
    assert code in " ".join(exc.value.message_dict["fichier"])
    assert not etape.preuves.exists()


def test_type_de_preuve_inconnu(dossier, referent):
    etape = suivi.ajouter_etape(
        dossier, referent, type_code="bilan-competences", date_debut=datetime.date(2024, 3, 1)
    )
    with pytest.raises(ValidationError) as exc:
        suivi.deposer_preuve(etape, referent, type_preuve="cerfa", fichier=pdf())
    assert "n'est pas une preuve prévue" in exc.value.message_dict["type_preuve"][0]


@pytest.mark.parametrize(
    "role, structure, plie",
    [
        (Role.REFERENT, "b", 1),
        (Role.PRESCRIPTEUR, "a", 1),
        (Role.ANIMATEUR, "a", 2),
        (Role.CRE, "a", 1),
    ],
)
def test_hors_perimetre_ne_peut_pas_ajouter(monde, dossier, role, structure, plie):
    with pytest.raises(TransitionNonAutorisee):
        suivi.ajouter_etape(
            dossier,
            monde.user(role, structure, plie),
            type_code="accueil",
            date_debut=AUJOURD_HUI(),
        )
    assert not Etape.objects.exists()
