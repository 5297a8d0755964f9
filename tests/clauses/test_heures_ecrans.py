"""Les écrans des heures : saisie d'un mois pour un marché, import contrôlé puis confirmé."""

import base64
import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.clauses.heures import ImportRefuse, SaisieNonAutorisee, saisir_heures
from parcours.clauses.models import HeuresRealisees
from parcours.core.enums import Role
from tests.clauses.chantier_heures import Chantier, fichier_csv


@pytest.fixture
def c(monde):
    return Chantier(monde)


AVRIL = datetime.date(2025, 4, 1)


def _saisie_url(c, mois="2025-04"):
    return reverse("clauses:heures_saisie", args=[c.marche.pk]) + f"?mois={mois}"


# — Le service —


def test_saisir_heures_enregistre_et_remplace(c):
    lina, sam = (f"P{c.lina.pk:06d}", f"EXT-{c.sam.pk:06d}")
    from parcours.clauses.heures import lire_personne

    resultat = saisir_heures(
        c.marche,
        datetime.date(2025, 6, 1),
        [
            (lire_personne(lina), c.attributaire.siret, "151,67"),
            (lire_personne(sam), c.sous_traitant.siret, ""),  # vide : rien
        ],
        par=c.facilitateur,
    )
    assert (resultat.creees, resultat.remplacees) == (1, 0)
    h = HeuresRealisees.objects.get()
    assert (h.participant, h.heures, h.source, h.created_by) == (
        c.lina,
        Decimal("151.67"),
        "saisie",
        c.facilitateur,
    )
    resultat = saisir_heures(
        c.marche,
        datetime.date(2025, 6, 1),
        [(lire_personne(lina), c.attributaire.siret, "140")],
        par=c.facilitateur,
    )
    assert (resultat.creees, resultat.remplacees) == (0, 1)
    assert HeuresRealisees.objects.get().heures == Decimal(140)


def test_saisir_heures_refuse_sans_rien_enregistrer(c):
    from parcours.clauses.heures import lire_personne

    with pytest.raises(ImportRefuse) as refus:
        saisir_heures(
            c.marche,
            datetime.date(2025, 6, 1),
            [
                (lire_personne(c.lina.numero), c.attributaire.siret, "100"),
                (lire_personne(c.noe.numero), c.attributaire.siret, "12"),
                (lire_personne(c.sam.numero), c.attributaire.siret, "300"),
            ],
            par=c.facilitateur,
        )
    assert [str(e) for e in refus.value.erreurs] == [
        f"ligne 2 : personne « {c.noe.numero} » : pas embauchée sur le marché « "
        f"{c.marche.numero} » (aucune candidature « Embauchée » sur un besoin de ce marché)",
        "ligne 3 : heures « 300 » : plus de 250 h dans le mois pour une personne",
    ]
    assert HeuresRealisees.objects.count() == 0


@pytest.mark.parametrize(("role", "plie"), [(Role.ANIMATEUR, 1), (Role.FACILITATEUR, 2)])
def test_saisir_heures_reservee_au_facilitateur_du_plie(c, role, plie):
    from parcours.clauses.heures import lire_personne

    with pytest.raises(SaisieNonAutorisee):
        saisir_heures(
            c.marche,
            AVRIL,
            [(lire_personne(c.lina.numero), c.attributaire.siret, "10")],
            par=c.monde.user(role, plie=plie),
        )


# — L'écran de saisie —


def test_ecran_de_saisie_liste_les_embauches_et_enregistre(client, c):
    client.force_login(c.facilitateur)
    page = client.get(_saisie_url(c)).content.decode()
    assert c.lina.numero in page
    assert c.sam.numero in page
    assert c.noe.numero not in page  # non embauché : pas de ligne
    reponse = client.post(
        _saisie_url(c),
        {
            "mois": "2025-04",
            f"heures_{c.lina.numero}": "75,5",
            f"siret_{c.lina.numero}": c.sous_traitant.siret,
            f"heures_{c.sam.numero}": "",
            f"siret_{c.sam.numero}": c.attributaire.siret,
        },
    )
    assert reponse.status_code == 302
    h = HeuresRealisees.objects.get()
    assert (h.participant, h.mois, h.heures, h.entreprise) == (
        c.lina,
        AVRIL,
        Decimal("75.50"),
        c.sous_traitant,
    )
    page = client.get(reponse.url).content.decode()
    assert "Heures de 04/2025 enregistrées pour le marché 2025-BAT-001" in page
    assert 'value="75,50"' in page


def test_ecran_de_saisie_erreurs_par_ligne(client, c):
    client.force_login(c.facilitateur)
    reponse = client.post(
        _saisie_url(c),
        {
            "mois": "2025-04",
            f"heures_{c.lina.numero}": "-2",
            f"siret_{c.lina.numero}": c.attributaire.siret,
            f"heures_{c.sam.numero}": "8",
            f"siret_{c.sam.numero}": c.attributaire.siret,
        },
    )
    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert "heures « -2 » : nombre d&#x27;heures négatif" in page
    assert "avant l&#x27;embauche de cette personne sur ce marché (12/05/2025)" in page
    assert HeuresRealisees.objects.count() == 0


def test_mois_invalide_404(client, c):
    client.force_login(c.facilitateur)
    assert client.get(_saisie_url(c, mois="avril")).status_code == 404


# — L'écran d'import —


def test_import_apercu_puis_confirmation(client, c):
    client.force_login(c.facilitateur)
    contenu = fichier_csv(c.ligne(heures="70"), c.ligne(personne=c.sam.numero, mois="2025-05"))
    apercu = client.post(
        reverse("clauses:heures_import"),
        {"plie": c.monde.plie1.code, "fichier": SimpleUploadedFile("mai.csv", contenu)},
    )
    assert apercu.status_code == 200
    page = apercu.content.decode()
    assert "Fichier « mai.csv » valide : 2 lignes, 140,00 h — 2 nouvelles, 0 remplacée." in page
    assert HeuresRealisees.objects.count() == 0  # l'aperçu n'enregistre rien
    assert apercu.context["contenu"] == base64.b64encode(contenu).decode()
    confirme = client.post(
        reverse("clauses:heures_import"),
        {
            "plie": c.monde.plie1.code,
            "nom": "mai.csv",
            "contenu": apercu.context["contenu"],
            "confirmer": "1",
        },
    )
    assert confirme.status_code == 302
    assert HeuresRealisees.objects.count() == 2
    page = client.get(confirme.url).content.decode()
    assert "Import de « mai.csv » : 2 ligne(s), 140,00 h — 2 nouvelle(s), 0 remplacée(s)." in page


def test_import_erreurs_listees(client, c):
    client.force_login(c.facilitateur)
    contenu = fichier_csv(c.ligne(heures="312"), c.ligne(mois="2024-01"))
    reponse = client.post(
        reverse("clauses:heures_import"),
        {"plie": c.monde.plie1.code, "fichier": SimpleUploadedFile("h.csv", contenu)},
    )
    assert reponse.status_code == 400
    assert reponse.context["erreurs"] == [
        "ligne 2 : heures « 312 » : plus de 250 h dans le mois pour une personne",
        "ligne 3 : mois « 2024-01 » : hors de la période du marché « 2025-BAT-001 » (du "
        "10/03/2025 au 30/06/2026)",
        "ligne 3 : mois « 2024-01 » : avant l'embauche de cette personne sur ce marché "
        "(01/04/2025)",
    ]
    assert (
        "2 erreurs dans « h.csv » : aucune heure n&#x27;a été enregistrée."
        in (reponse.content.decode())
        or "3 erreurs" in reponse.content.decode()
    )
    assert HeuresRealisees.objects.count() == 0


def test_import_confirmation_recontrole_tout(client, c):
    """Un contenu modifié entre l'aperçu et la confirmation est contrôlé de nouveau."""
    client.force_login(c.facilitateur)
    falsifie = base64.b64encode(fichier_csv(c.ligne(heures="999"))).decode()
    reponse = client.post(
        reverse("clauses:heures_import"),
        {"plie": c.monde.plie1.code, "nom": "h.csv", "contenu": falsifie, "confirmer": "1"},
    )
    assert reponse.status_code == 400
    assert HeuresRealisees.objects.count() == 0


def test_import_plie_d_un_autre_perimetre_404(client, c):
    client.force_login(c.facilitateur)
    reponse = client.post(
        reverse("clauses:heures_import"),
        {"plie": c.monde.plie2.code, "fichier": SimpleUploadedFile("h.csv", b"x")},
    )
    assert reponse.status_code == 404


def test_la_grille_montre_les_heures_deja_enregistrees_du_mois(client, c):
    """Issue 12 : la grille d'un mois montre ce qui est déjà enregistré — en tête (total et
    nombre de personnes), dans une colonne à part et dans la case (0 h compris) ; après une
    saisie refusée, la case réaffiche la saisie et la colonne garde la valeur en vigueur."""
    from parcours.clauses.heures import lire_personne

    juin = datetime.date(2025, 6, 1)
    saisir_heures(
        c.marche,
        juin,
        [
            (lire_personne(c.lina.numero), c.attributaire.siret, "75,5"),
            (lire_personne(c.sam.numero), c.sous_traitant.siret, "0"),
        ],
        par=c.facilitateur,
    )
    client.force_login(c.facilitateur)
    page = client.get(_saisie_url(c, "2025-06")).content.decode()
    assert "Déjà enregistrées pour 06/2025 : 75,50 h pour 2 personnes sur 2." in page
    assert 'value="75,50"' in page and 'value="0,00"' in page
    assert f"0,00 h ({c.sous_traitant.raison_sociale})" in page
    # Un autre mois : rien d'enregistré, et la page le dit.
    page = client.get(_saisie_url(c, "2025-07")).content.decode()
    assert "Aucune heure enregistrée pour 07/2025." in page
    assert 'value="75,50"' not in page
    # Saisie refusée : la case de Sam réaffiche « -2 », Lina (laissée vide) garde ses 75,50 h.
    reponse = client.post(
        _saisie_url(c, "2025-06"),
        {
            "mois": "2025-06",
            f"heures_{c.lina.numero}": "",
            f"siret_{c.lina.numero}": c.attributaire.siret,
            f"heures_{c.sam.numero}": "-2",
            f"siret_{c.sam.numero}": c.sous_traitant.siret,
        },
    )
    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert 'value="-2"' in page
    assert "75,50 h" in page
    assert HeuresRealisees.objects.get(participant=c.lina, mois=juin).heures == Decimal("75.50")


def test_modele_csv_de_l_import(client, c):
    """Issue 12 : « Télécharger le modèle » sur l'écran d'import donne un CSV que l'import lit
    (en-tête attendu, « ; », BOM pour Excel) avec une ligne d'exemple tirée du PLIE (un marché et
    son attributaire) ; la personne fictive de l'exemple est refusée à l'import, remplacée par une
    vraie, le fichier passe."""
    import csv
    import io

    from parcours.clauses.heures import COLONNES, importer_heures
    from parcours.clauses.models import Marche

    client.force_login(c.facilitateur)
    page = client.get(reverse("clauses:heures_import")).content.decode()
    url = reverse("clauses:heures_modele") + f"?plie={c.monde.plie1.code}"
    assert f'href="{url.replace("&", "&amp;")}"' in page and "Télécharger le modèle" in page
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("text/csv")
    assert 'filename="modele-import-heures.csv"' in reponse["Content-Disposition"]
    contenu = reponse.content
    assert contenu.startswith("\ufeff".encode())
    entete, exemple = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    assert tuple(entete) == COLONNES
    marche = Marche.objects.get(plie=c.monde.plie1, numero=exemple[0])
    assert exemple[1] == marche.attributaire.siret
    assert exemple[2:] == ["P000123", exemple[3], "151,67"] and len(exemple[3]) == 7
    # Lu par l'import : la forme est bonne, seule la personne fictive est refusée.
    with pytest.raises(ImportRefuse) as refus:
        importer_heures(c.monde.plie1, contenu, "modele.csv", par=c.facilitateur, dry_run=True)
    assert all("personne" in str(e) or "mois" in str(e) for e in refus.value.erreurs)
    rempli = contenu.decode("utf-8-sig").splitlines()[0] + "\r\n"
    rempli += f"{c.marche.numero};{c.attributaire.siret};{c.lina.numero};2025-06;151,67\r\n"
    resultat = importer_heures(
        c.monde.plie1, rempli.encode(), "modele.csv", par=c.facilitateur, dry_run=True
    )
    assert (len(resultat.lignes), resultat.creees) == (1, 1)


@pytest.mark.parametrize(("role", "plie"), [(Role.ANIMATEUR, 1), (Role.FACILITATEUR, 2)])
def test_modele_csv_reserve_au_facilitateur_du_plie(client, c, role, plie):
    client.force_login(c.monde.user(role, plie=plie))
    url = reverse("clauses:heures_modele") + f"?plie={c.monde.plie1.code}"
    assert client.get(url).status_code == 404


def test_modele_csv_sans_session_connexion(client, c):
    reponse = client.get(reverse("clauses:heures_modele"))
    assert reponse.status_code == 302 and "connexion" in reponse["Location"]
