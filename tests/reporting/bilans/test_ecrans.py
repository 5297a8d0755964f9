"""La page « Bilans » (FSE+) : qui télécharge quel bilan (404 ailleurs, y compris l'autre
PLIE), la saisie invalide réaffichée avec un message clair, le journal, le nombre de requêtes
constant (docs/bilans.md)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parcours.core.enums import Role
from parcours.reporting.bilans import MENTION_UE
from parcours.reporting.indicateurs import INDICATEURS
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.pdf import texte_pdf

pytestmark = pytest.mark.django_db

PAGE = reverse("fse:bilans")
ACTIVITE = reverse("fse:bilan_activite")
EXECUTION = reverse("fse:bilan_execution")


def _execution(operation, periode, format_="xlsx", **extra):
    return {
        "operation": operation.pk,
        "du": f"{periode.du}",
        "au": f"{periode.au}",
        "format": format_,
        **extra,
    }


def _activite(plie, format_="xlsx", annee=None):
    return {"plie": plie.pk, "annee": annee or timezone.localdate().year, "format": format_}


def _statut(client, url, donnees) -> int:
    """Le statut d'un téléchargement, réponse refermée (le fichier temporaire du classeur)."""
    reponse = client.get(url, donnees)
    if reponse.streaming:
        # Lire le classeur jusqu'au bout : le client de test ferme alors le fichier envoyé.
        b"".join(reponse.streaming_content)
    return reponse.status_code


def _utilisateur(monde, operations, qui):
    if qui == "financeur":
        return operations.financeur()
    role, structure, plie = qui
    return monde.user(role, structure, plie)


ANIM1, DIR1 = (Role.ANIMATEUR, "a", 1), (Role.DIRECTION, "a", 1)
REF_A, REF_B = (Role.REFERENT, "a", 1), (Role.REFERENT, "b", 1)
ANIM2 = (Role.ANIMATEUR, "a", 2)


@pytest.mark.parametrize(
    ("qui", "page", "activite_plie1", "operations_permises"),
    [
        (ANIM1, 200, 200, {"a", "b", "action"}),
        (DIR1, 200, 200, {"a", "b", "action"}),
        (ANIM2, 200, 404, {"voisine"}),
        (REF_A, 200, 404, {"a"}),  # porteur de l'opération A (opérateur A)
        (REF_B, 200, 404, {"b", "action"}),
        ((Role.REFERENT_ETAPE, "b", 1), 200, 404, {"b", "action"}),
        ("financeur", 200, 404, {"a"}),  # le Département finance A seulement
        ((Role.PRESCRIPTEUR, "a", 1), 404, 404, set()),
        ((Role.CRE, "a", 1), 404, 404, set()),
        ((Role.COMMISSION, "a", 1), 404, 404, set()),
        ((Role.FACILITATEUR, "a", 1), 404, 404, set()),
        ((Role.ADMIN, "a", 1), 404, 404, set()),
    ],
)
def test_matrice_d_acces(
    client, monde, operations, derniers_mois, qui, page, activite_plie1, operations_permises
):
    client.force_login(_utilisateur(monde, operations, qui))

    assert client.get(PAGE).status_code == page
    assert _statut(client, ACTIVITE, _activite(monde.plie1)) == activite_plie1
    for nom in ("a", "b", "action", "voisine"):
        operation = getattr(operations, nom)
        attendu = 200 if nom in operations_permises else 404
        assert _statut(client, EXECUTION, _execution(operation, derniers_mois)) == attendu, nom


def test_l_autre_plie_repond_404_meme_pour_sa_direction(client, monde, operations):
    client.force_login(monde.user(Role.DIRECTION, "a", 2))
    assert _statut(client, ACTIVITE, _activite(monde.plie1)) == 404
    assert _statut(client, ACTIVITE, _activite(monde.plie2)) == 200


def test_sans_connexion_la_page_de_connexion(client):
    reponse = client.get(PAGE)
    assert reponse.status_code == 302
    assert reponse["Location"].startswith("/connexion/")


def test_la_page_propose_les_deux_bilans(client, monde, operations):
    client.force_login(monde.user(Role.DIRECTION))
    reponse = client.get(PAGE)
    contenu = reponse.content.decode()
    assert "Bilan d'activité annuel du PLIE" in contenu
    assert operations.a.libelle in contenu
    assert operations.voisine.libelle not in contenu
    liste = client.get(reverse("fse:index")).content.decode()
    assert PAGE in liste


def test_le_financeur_ne_voit_que_ses_operations_sur_la_page(client, operations):
    client.force_login(operations.financeur())
    contenu = client.get(PAGE).content.decode()
    assert operations.a.libelle in contenu
    assert operations.b.libelle not in contenu
    assert 'id="form-bilan-activite"' not in contenu


def test_pdf_de_l_execution_telecharge_et_journalise(client, monde, operations, derniers_mois):
    operations.engage()
    porteur = monde.user(Role.REFERENT)
    client.force_login(porteur)

    reponse = client.get(EXECUTION, _execution(operations.a, derniers_mois, "pdf"))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert f"bilan-execution-{operations.a.numero}" in reponse["Content-Disposition"]
    texte = texte_pdf(reponse.content)
    assert MENTION_UE in texte
    assert all(i.titre in texte for i in INDICATEURS.values())
    trace = Trace.objects.get(objet_type="bilan_execution")
    assert (trace.type, trace.user, trace.plie_id) == (TypeTrace.EXPORT, porteur, monde.plie1.pk)
    assert trace.objet_id == str(operations.a.pk)
    assert "(PDF)" in trace.detail and operations.a.libelle in trace.detail


def test_xlsx_de_l_activite_telecharge_et_journalise(client, monde, operations):
    direction = monde.user(Role.DIRECTION)
    client.force_login(direction)

    reponse = client.get(ACTIVITE, _activite(monde.plie1, "xlsx", 2025))

    assert reponse.status_code == 200
    assert f"bilan-activite-{monde.plie1.code}-2025.xlsx" in reponse["Content-Disposition"]
    classeur = load_workbook(io.BytesIO(b"".join(reponse.streaming_content)))
    assert classeur.sheetnames[0] == "Synthèse"
    assert len(classeur.sheetnames) == 1 + len(INDICATEURS)
    trace = Trace.objects.get(objet_type="bilan_activite")
    assert (trace.user, trace.objet_id) == (direction, str(monde.plie1.pk))
    assert "Bilan d'activité 2025 (XLSX)" in trace.detail


def test_periode_inversee_message_clair_et_saisie_conservee(client, monde, operations):
    client.force_login(monde.user(Role.DIRECTION))
    donnees = {"operation": operations.a.pk, "du": "2026-03-31", "au": "2026-01-01"}

    reponse = client.get(EXECUTION, {**donnees, "format": "pdf"})

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "La période est inversée : la fin (01/01/2026) précède le début (31/03/2026)." in (
        contenu.replace("&#x27;", "'")
    )
    assert 'value="2026-03-31"' in contenu and 'value="2026-01-01"' in contenu
    assert not Trace.objects.filter(objet_type="bilan_execution").exists()


def test_periode_ouverte_et_annee_illisible(client, monde, operations):
    client.force_login(monde.user(Role.DIRECTION))
    ouverte = client.get(EXECUTION, {"operation": operations.a.pk, "du": "2026-01-01"})
    assert "Indiquez la fin de la période" in ouverte.content.decode()
    annee = client.get(ACTIVITE, {"plie": monde.plie1.pk, "annee": "deux mille"})
    assert "Indiquez l&#x27;année sur quatre chiffres" in annee.content.decode()
    assert not Trace.objects.filter(type=TypeTrace.EXPORT).exists()


@pytest.mark.parametrize(
    "parametres",
    [{"operation": "abc"}, {"operation": ""}, {"operation": "999999"}, {"format": "doc"}],
)
def test_objet_ou_format_illisible_404(client, monde, operations, derniers_mois, parametres):
    client.force_login(monde.user(Role.DIRECTION))
    donnees = {**_execution(operations.a, derniers_mois), **parametres}
    assert _statut(client, EXECUTION, donnees) == 404


def _requetes(client, url, donnees) -> int:
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url, donnees)
        assert reponse.status_code == 200
        b"".join(reponse.streaming_content)
    return len(requetes)


def test_nombre_de_requetes_constant(client, monde, operations, derniers_mois):
    client.force_login(monde.user(Role.DIRECTION))
    operations.engage()
    execution = _execution(operations.a, derniers_mois)
    activite = _activite(monde.plie1)
    petit = (_requetes(client, EXECUTION, execution), _requetes(client, ACTIVITE, activite))
    for _ in range(3):
        operations.engage()
    assert (_requetes(client, EXECUTION, execution), _requetes(client, ACTIVITE, activite)) == petit


@pytest.mark.parametrize(
    ("du", "au", "message"),
    [
        ("2016-01-01", "2026-01-01", "Un bilan couvre 10 ans au plus"),
        ("1999-12-31", "2000-06-30", "La période doit être comprise entre 2000 et 2100."),
        ("2024-02-29", "2099-01-01", "Un bilan couvre 10 ans au plus"),
    ],
)
def test_periode_demesuree_refusee(client, monde, operations, du, au, message):
    client.force_login(monde.user(Role.DIRECTION))
    reponse = client.get(EXECUTION, {"operation": operations.a.pk, "du": du, "au": au})
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert not Trace.objects.filter(type=TypeTrace.EXPORT).exists()


def test_dix_ans_moins_un_jour_acceptes():
    from parcours.reporting.bilans import periode_de_bilan

    assert periode_de_bilan("2016-01-01", "2025-12-31").au.year == 2025


def test_la_page_a_un_nombre_de_requetes_constant(client, monde, operations):
    from parcours.fse.enums import TypeOperation
    from parcours.fse.models import OperationFse

    client.force_login(monde.user(Role.DIRECTION))
    with CaptureQueriesContext(connection) as avant:
        assert client.get(PAGE).status_code == 200
    for n in range(3):
        op = OperationFse.objects.create(
            plie=monde.plie1,
            numero=f"20990000{n}",
            libelle=f"Action {n}",
            type=TypeOperation.ACTION,
            structure_porteuse=monde.structure("operateur", "b", 1),
            debut=operations.a.debut,
        )
        op.financeurs.add(operations.departement)
    with CaptureQueriesContext(connection) as apres:
        contenu = client.get(PAGE).content.decode()
    assert "Action 2" in contenu
    assert len(apres) == len(avant)
