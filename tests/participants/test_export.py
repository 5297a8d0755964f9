"""L'export de la liste des participants (CSV, XLSX) et le module réutilisable
`workflows/exports.py` : mêmes lignes que la liste, même politique d'accès, formules
neutralisées, journalisé, streamé en mémoire plate."""

import csv
import datetime
import io
import tracemalloc

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.factories import ParticipantFactory, parcours_en
from workflows import exports

pytestmark = pytest.mark.django_db


def _url(format):
    return reverse("participants:export", args=[format])


def _contenu(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def _csv(response):
    brut = _contenu(response)
    assert brut.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(brut.decode("utf-8-sig")), delimiter=";"))


def _xlsx(response):
    classeur = openpyxl.load_workbook(io.BytesIO(_contenu(response)))
    return [list(ligne) for ligne in classeur.active.iter_rows(values_only=True)]


@pytest.fixture
def personnes(monde):
    dangereux = parcours_en(
        monde,
        Statut.PRESCRIT,
        participant=ParticipantFactory(
            nom='=HYPERLINK("http://x")',
            prenom="@Paul",
            commune_nom="-Agen",
            date_naissance=datetime.date(1990, 2, 3),
        ),
    )
    suivi = parcours_en(
        monde, Statut.EN_ACCOMPAGNEMENT, participant=ParticipantFactory(nom="Lambert")
    )
    ailleurs = parcours_en(
        monde, Statut.PRESCRIT, plie=2, participant=ParticipantFactory(nom="Lambertz")
    )
    return {"dangereux": dangereux, "suivi": suivi, "ailleurs": ailleurs}


def test_csv_lignes_de_la_liste_neutralisees(client, monde, personnes):
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(_url("csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="participants-' in response["Content-Disposition"]
    entete, *lignes = _csv(response)
    assert entete == [
        "N°",
        "Nom",
        "Prénom",
        "Naissance",
        "Commune",
        "PLIE",
        "État",
        "Référent",
        "Entrée",
    ]
    premiere = lignes[0]
    # Trié par nom comme la liste : « '=HYPERLINK… » avant « Lambert ».
    assert premiere[:5] == [
        personnes["dangereux"].participant.numero,
        '\'=HYPERLINK("http://x")',
        "'@Paul",
        "03/02/1990",
        "'-Agen",
    ]
    assert [ligne[1] for ligne in lignes] == ['\'=HYPERLINK("http://x")', "Lambert"]
    # Rien d'un autre PLIE.
    assert "Lambertz" not in str(lignes)


def test_xlsx_types_et_neutralisation(client, monde, personnes):
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(_url("xlsx"), {"statut": Statut.PRESCRIT})
    entete, *lignes = _xlsx(response)
    assert entete[:4] == ["N°", "Nom", "Prénom", "Naissance"]
    (ligne,) = lignes
    assert ligne[1] == '\'=HYPERLINK("http://x")'
    assert ligne[3] == datetime.datetime(1990, 2, 3)  # une vraie date pour le tableur
    assert ligne[6] == "Prescrit"


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_export_memes_filtres_que_la_liste(client, monde, personnes, format):
    client.force_login(monde.user(Role.ANIMATEUR))
    for params in ({"q": "lambrt"}, {"q": personnes["suivi"].participant.numero}):
        liste = client.get(reverse("participants:index"), params)
        montres = [ligne.participant.numero for ligne in liste.context["lignes"]]
        response = client.get(_url(format), params)
        lignes = (_csv if format == "csv" else _xlsx)(response)[1:]
        assert [ligne[0] for ligne in lignes] == montres == [personnes["suivi"].participant.numero]


def test_export_journalise_qui_quand_filtres_et_nombre(client, monde, personnes):
    animateur = monde.user(Role.ANIMATEUR)
    client.force_login(animateur)
    _contenu(client.get(_url("csv"), {"statut": Statut.PRESCRIT, "inconnu": "x"}))
    trace = Trace.objects.get(type=TypeTrace.EXPORT)
    assert trace.user == animateur
    assert trace.objet_type == "participants"
    assert trace.detail == "CSV ; filtres : statut=prescrit ; 1 ligne(s)"
    assert trace.at is not None


@pytest.mark.parametrize("role", [Role.ANIMATEUR, Role.REFERENT, Role.PRESCRIPTEUR])
def test_export_ne_montre_que_le_perimetre(client, monde, personnes, role):
    client.force_login(monde.user(role, plie=2))
    lignes = _csv(client.get(_url("csv")))[1:]
    attendu = [["Lambertz"]] if role != Role.REFERENT else []
    assert [ligne[1:2] for ligne in lignes] == attendu


def test_format_inconnu_404_et_connexion_requise(client, monde):
    assert client.get(_url("csv")).status_code == 302
    client.force_login(monde.user(Role.ANIMATEUR))
    assert client.get(_url("pdf")).status_code == 404


# — Le module réutilisable —

COLONNES = [
    exports.Colonne("N°", lambda i: i),
    exports.Colonne("Texte", lambda i: f"=texte {i} " * 3),
    exports.Colonne("Date", lambda i: datetime.date(2026, 1, 1)),
]


def _source(n, lues):
    for i in range(n):
        lues[0] = i + 1
        yield i


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_export_streame_sans_tout_lire(format):
    """Le premier morceau part avant que la source soit lue en entier."""
    lues = [0]
    response = exports.reponse(format, "essai", COLONNES, _source(100_000, lues))
    flux = iter(response.streaming_content)
    next(flux)
    next(flux)
    assert 0 < lues[0] <= 2 * exports.LIGNES_PAR_MORCEAU
    response.close()


def _pic(format, n) -> int:
    tracemalloc.start()
    try:
        response = exports.reponse(format, "essai", COLONNES, _source(n, [0]))
        taille = sum(len(morceau) for morceau in response.streaming_content)
        assert taille > n  # tout est parti
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_export_en_memoire_plate(format):
    """10 fois plus de lignes, pas plus de mémoire au pic (à l'arrondi près) : 120 000 lignes,
    au-delà des 100 000 de l'issue, sans tout charger."""
    petit, grand = _pic(format, 12_000), _pic(format, 120_000)
    assert grand < petit * 1.5 + 256 * 1024, (petit, grand)
    assert grand < 4 * 1024 * 1024


def test_journal_a_la_fin_meme_interrompu():
    appels = []
    response = exports.reponse(
        "csv", "essai", COLONNES, _source(5_000, [0]), a_la_fin=lambda n, c: appels.append((n, c))
    )
    flux = iter(response.streaming_content)
    next(flux)
    next(flux)
    response.close()  # le client s'en va
    assert appels and appels[0][1] is False and 0 < appels[0][0] < 5_000
    complet = exports.reponse(
        "csv", "essai", COLONNES, _source(3, [0]), a_la_fin=lambda n, c: appels.append((n, c))
    )
    b"".join(complet.streaming_content)
    assert appels[-1] == (3, True)
