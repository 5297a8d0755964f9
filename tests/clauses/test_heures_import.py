"""Import des heures réalisées : tout ou rien, chaque erreur listée par ligne, --dry-run,
réimport qui remplace, plafond mensuel tous marchés confondus, droits, commande."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from parcours.clauses.enums import SourceHeures
from parcours.clauses.heures import (
    FichierIllisible,
    ImportRefuse,
    SaisieNonAutorisee,
    importer_heures,
)
from parcours.clauses.models import HeuresRealisees
from parcours.core.enums import Role
from tests.clauses.chantier_heures import Chantier, fichier_csv, siret_valide
from tests.clauses.factories import EntrepriseFactory, HeuresRealiseesFactory


@pytest.fixture
def chantier(monde):
    return Chantier(monde)


def _lignes_en_base():
    return sorted(
        (h.marche.numero, h.personne.numero, h.mois, h.heures, h.siret, h.source)
        for h in HeuresRealisees.objects.select_related("marche", "participant", "candidat_externe")
    )


def test_csv_valide_enregistre_chaque_ligne(chantier):
    c = chantier
    contenu = fichier_csv(
        c.ligne(heures="151,67"),
        c.ligne(personne=c.sam.numero, mois="2025-05", heures="35", siret=c.sous_traitant.siret),
        c.ligne(marche=c.marche2, mois="2025-04", heures="20,5"),
    )
    resultat = importer_heures(c.monde.plie1, contenu, "avril.csv", par=c.facilitateur)
    assert (resultat.creees, resultat.remplacees, resultat.enregistre) == (3, 0, True)
    assert resultat.total_heures == Decimal("207.17")
    avril, mai = datetime.date(2025, 4, 1), datetime.date(2025, 5, 1)
    assert _lignes_en_base() == sorted(
        [
            (
                "2025-BAT-001",
                c.lina.numero,
                avril,
                Decimal("151.67"),
                c.attributaire.siret,
                "import",
            ),
            ("2025-BAT-001", c.sam.numero, mai, Decimal("35.00"), c.sous_traitant.siret, "import"),
            (
                "2025-BAT-002",
                c.lina.numero,
                avril,
                Decimal("20.50"),
                c.sous_traitant.siret,
                "import",
            ),
        ]
    )
    sam = HeuresRealisees.objects.get(candidat_externe=c.sam)
    assert sam.entreprise == c.sous_traitant
    assert sam.created_by == c.facilitateur


def test_xlsx_valide(chantier):
    c = chantier
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["marche", "siret", "personne", "mois", "heures"])
    feuille.append([c.marche.numero, int(c.attributaire.siret), c.lina.numero, "2025-06", 120.25])
    feuille.append(
        [c.marche.numero, c.attributaire.siret, c.sam.numero, datetime.date(2025, 6, 1), 7]
    )
    sortie = io.BytesIO()
    classeur.save(sortie)
    resultat = importer_heures(c.monde.plie1, sortie.getvalue(), "juin.xlsx", par=c.facilitateur)
    assert resultat.creees == 2
    juin = datetime.date(2025, 6, 1)
    assert _lignes_en_base() == sorted(
        [
            (
                "2025-BAT-001",
                c.lina.numero,
                juin,
                Decimal("120.25"),
                c.attributaire.siret,
                "import",
            ),
            ("2025-BAT-001", c.sam.numero, juin, Decimal("7.00"), c.attributaire.siret, "import"),
        ]
    )


def test_lignes_fautives_toutes_listees_et_rien_enregistre(chantier):
    c = chantier
    etrangere = EntrepriseFactory(
        plie=c.monde.plie1, raison_sociale="Sans lien", siret=siret_valide(43210003)
    )
    contenu = fichier_csv(
        c.ligne(),  # 2 : correcte, mais rien ne sera enregistré
        c.ligne(siret="12345678901234"),  # 3
        c.ligne(siret=etrangere.siret, mois="2025-09"),  # 4
        c.ligne(mois="2026-07"),  # 5
        c.ligne(personne=c.noe.numero),  # 6
        c.ligne(mois="2025-05", heures="312"),  # 7
        c.ligne(mois="2025-06", heures="-5"),  # 8
        c.ligne(mois="2025-07", heures="abc"),  # 9
        "2099-XXX;" + c.attributaire.siret + ";" + c.lina.numero + ";2025-04;10",  # 10
        c.ligne(personne="P999999", mois="2025-08"),  # 11
        c.ligne(heures="12"),  # 12 : même marché, personne et mois que la ligne 2
        c.ligne(marche=c.marche_plie2, siret=c.attributaire.siret),  # 13 : marché du PLIE 2
        c.ligne(personne="EXT-999999"),  # 14
        c.ligne(personne=c.sam.numero, mois="2025-04"),  # 15 : Sam est embauché le 12/05/2025
    )
    with pytest.raises(ImportRefuse) as refus:
        importer_heures(c.monde.plie1, contenu, "h.csv", par=c.facilitateur)
    m = c.marche.numero
    assert [str(e) for e in refus.value.erreurs] == [
        "ligne 3 : SIRET « 12345678901234 » : SIRET invalide : la clé de contrôle ne correspond "
        "pas (vérifiez une faute de frappe).",
        f"ligne 4 : SIRET « {etrangere.siret} » : ni l'attributaire ni un sous-traitant du "
        f"marché « {m} »",
        f"ligne 5 : mois « 2026-07 » : hors de la période du marché « {m} » (du 10/03/2025 au "
        "30/06/2026)",
        f"ligne 6 : personne « {c.noe.numero} » : pas embauchée sur le marché « {m} » (aucune "
        "candidature « Embauchée » sur un besoin de ce marché)",
        "ligne 7 : heures « 312 » : plus de 250 h dans le mois pour une personne",
        "ligne 8 : heures « -5 » : nombre d'heures négatif",
        "ligne 9 : heures « abc » : pas un nombre d'heures (ex. 151,5)",
        "ligne 10 : marché « 2099-XXX » : inconnu dans ce PLIE",
        "ligne 11 : personne « P999999 » : participant inconnu dans ce PLIE",
        "ligne 12 : doublon de la ligne 2 (même marché, personne et mois)",
        "ligne 13 : marché « 2025-FLA-001 » : inconnu dans ce PLIE",
        "ligne 14 : personne « EXT-999999 » : candidat externe inconnu dans ce PLIE",
        "ligne 15 : mois « 2025-04 » : avant l'embauche de cette personne sur ce marché "
        "(12/05/2025)",
    ]
    assert HeuresRealisees.objects.count() == 0


def test_participant_d_un_autre_plie_inconnu(chantier, monde):
    from tests.clauses.chantier_heures import participant_du_plie

    voisin = participant_du_plie(monde, plie=2)
    with pytest.raises(ImportRefuse) as refus:
        importer_heures(
            monde.plie1,
            fichier_csv(chantier.ligne(personne=voisin.numero)),
            "h.csv",
            par=chantier.facilitateur,
        )
    assert [str(e) for e in refus.value.erreurs] == [
        f"ligne 2 : personne « {voisin.numero} » : participant inconnu dans ce PLIE"
    ]


def test_dry_run_controle_sans_rien_enregistrer(chantier):
    c = chantier
    HeuresRealiseesFactory(
        marche=c.marche,
        candidat_externe=None,
        participant=c.lina,
        heures=Decimal(10),
        mois=datetime.date(2025, 4, 1),
        created_by=c.facilitateur,
    )
    contenu = fichier_csv(c.ligne(heures="80"), c.ligne(mois="2025-05", heures="90"))
    resultat = importer_heures(c.monde.plie1, contenu, "h.csv", par=None, dry_run=True)
    assert (resultat.creees, resultat.remplacees, resultat.enregistre) == (1, 1, False)
    assert list(HeuresRealisees.objects.values_list("heures", flat=True)) == [Decimal("10.00")]


def test_reimport_du_meme_mois_remplace(chantier):
    c = chantier
    importer_heures(
        c.monde.plie1,
        fichier_csv(c.ligne(heures="70"), c.ligne(personne=c.sam.numero, mois="2025-05")),
        "h.csv",
        par=c.facilitateur,
    )
    autre = c.monde.user(Role.FACILITATEUR, structure="b")
    resultat = importer_heures(
        c.monde.plie1, fichier_csv(c.ligne(heures="82,5")), "h.csv", par=autre
    )
    assert (resultat.creees, resultat.remplacees) == (0, 1)
    lina = HeuresRealisees.objects.get(participant=c.lina)
    assert (lina.heures, lina.created_by, lina.source) == (Decimal("82.50"), autre, "import")
    assert HeuresRealisees.objects.count() == 2  # Sam, non réimporté, est conservé


def test_plafond_mensuel_tous_marches_confondus(chantier):
    c = chantier
    HeuresRealiseesFactory(
        marche=c.marche2,
        candidat_externe=None,
        participant=c.lina,
        heures=Decimal(200),
        mois=datetime.date(2025, 6, 1),
        siret=c.sous_traitant.siret,
        created_by=c.facilitateur,
        source=SourceHeures.SAISIE,
    )
    with pytest.raises(ImportRefuse) as refus:
        importer_heures(
            c.monde.plie1,
            fichier_csv(c.ligne(mois="2025-06", heures="60")),
            "h.csv",
            par=c.facilitateur,
        )
    assert [str(e) for e in refus.value.erreurs] == [
        "ligne 2 : heures « 60 » : 260,00 h au total pour cette personne en 06/2025 (tous "
        "marchés) : plus de 250 h dans le mois pour une personne"
    ]
    # En remplaçant les 200 h de l'autre marché dans le même fichier, le total reste permis.
    resultat = importer_heures(
        c.monde.plie1,
        fichier_csv(
            c.ligne(mois="2025-06", heures="60"),
            c.ligne(marche=c.marche2, mois="2025-06", heures="150"),
        ),
        "h.csv",
        par=c.facilitateur,
    )
    assert (resultat.creees, resultat.remplacees) == (1, 1)


@pytest.mark.parametrize(
    ("role", "structure", "plie"),
    [
        (Role.REFERENT, "a", 1),
        (Role.ANIMATEUR, "a", 1),
        (Role.DONNEUR_ORDRE, "a", 1),
        (Role.FACILITATEUR, "a", 2),
    ],
)
def test_seul_le_facilitateur_du_plie_importe(chantier, monde, role, structure, plie):
    with pytest.raises(SaisieNonAutorisee):
        importer_heures(
            monde.plie1,
            fichier_csv(chantier.ligne()),
            "h.csv",
            par=monde.user(role, structure, plie),
        )
    assert HeuresRealisees.objects.count() == 0


def test_fichier_illisible(chantier):
    with pytest.raises(FichierIllisible):
        importer_heures(chantier.monde.plie1, b"a;b\r\n", "h.csv", par=chantier.facilitateur)


# — La commande —


def _ecrire(tmp_path, contenu, nom="heures.csv"):
    chemin = tmp_path / nom
    chemin.write_bytes(contenu)
    return str(chemin)


def test_commande_importe(chantier, tmp_path):
    c = chantier
    sortie = io.StringIO()
    call_command(
        "importer_heures",
        "--plie",
        c.monde.plie1.code,
        _ecrire(tmp_path, fichier_csv(c.ligne(heures="35,5"))),
        "--par",
        c.facilitateur.username,
        stdout=sortie,
    )
    assert "Heures enregistrées : 1 ligne(s), 35,50 h : 1 nouvelle(s), 0 remplacée(s)." in (
        sortie.getvalue()
    )
    assert HeuresRealisees.objects.get().heures == Decimal("35.50")


def test_commande_dry_run(chantier, tmp_path):
    sortie = io.StringIO()
    call_command(
        "importer_heures",
        "--plie",
        chantier.monde.plie1.code,
        _ecrire(tmp_path, fichier_csv(chantier.ligne())),
        "--dry-run",
        stdout=sortie,
    )
    assert "Contrôle sans enregistrement (--dry-run)" in sortie.getvalue()
    assert "Fichier valide" in sortie.getvalue()
    assert HeuresRealisees.objects.count() == 0


def test_commande_erreurs_code_2(chantier, tmp_path):
    c = chantier
    erreurs = io.StringIO()
    chemin = _ecrire(tmp_path, fichier_csv(c.ligne(heures="312"), c.ligne(mois="2026-07")))
    with pytest.raises(CommandError) as echec:
        call_command(
            "importer_heures",
            "--plie",
            c.monde.plie1.code,
            chemin,
            "--par",
            c.facilitateur.username,
            stderr=erreurs,
        )
    assert echec.value.returncode == 2
    assert "2 erreurs ; aucune heure n'a été enregistrée" in str(echec.value)
    assert erreurs.getvalue().splitlines() == [
        "ligne 2 : heures « 312 » : plus de 250 h dans le mois pour une personne",
        f"ligne 3 : mois « 2026-07 » : hors de la période du marché « {c.marche.numero} » (du "
        "10/03/2025 au 30/06/2026)",
    ]
    assert HeuresRealisees.objects.count() == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--plie", "inconnu"], "PLIE inconnu : « inconnu »."),
        ([], "--par <identifiant> est obligatoire pour enregistrer"),
        (["--par", "personne"], "--par : compte inconnu ou inactif : « personne »."),
    ],
)
def test_commande_arguments_refuses(chantier, tmp_path, arguments, message):
    chemin = _ecrire(tmp_path, fichier_csv(chantier.ligne()))
    if "--plie" not in arguments:
        arguments = ["--plie", chantier.monde.plie1.code, *arguments]
    with pytest.raises(CommandError, match=message.replace("(", r"\(")) as echec:
        call_command("importer_heures", chemin, *arguments)
    assert echec.value.returncode == 2
