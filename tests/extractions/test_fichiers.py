"""Le contenu des extractions lu dans les fichiers produits : colonnes, valeurs (dates JJ/MM/AAAA
en CSV, vraies dates en XLSX), formules neutralisées, filtres de l'écran, journal, et un nombre
de requêtes qui ne dépend pas du nombre de lignes."""

import datetime
import tracemalloc
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Etape
from parcours.core.enums import Role
from parcours.entreprises.services import proposer_candidat
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.clauses.factories import BesoinFactory, PositionnementFactory
from tests.entreprises.conftest import une_entreprise, une_offre
from tests.extractions.conftest import HOSTILE, contenu, lire, lire_csv, suivi
from tests.factories import ParticipantFactory, parcours_en
from workflows.extractions.catalogue import EXTRACTIONS

pytestmark = pytest.mark.django_db
NEUTRALISE = "'" + HOSTILE


def _export(client, nom, format="csv", **filtres):
    return client.get(reverse("extractions:export", args=[nom, format]), filtres)


def _referent(parcours):
    return f"{parcours.referent.first_name} {parcours.referent.last_name}"


@pytest.mark.parametrize("nom", sorted(EXTRACTIONS))
def test_colonnes_du_catalogue_et_formules_neutralisees(client, monde, jeu, nom):
    """L'administrateur du PLIE 1 (qui a droit à tout) : l'en-tête est celui du catalogue, et le
    nom hostile arrive préfixé d'une apostrophe, jamais comme une formule ; les deux formats
    dans le même monde (les exports ne changent rien aux données)."""
    if nom == "sorties":
        parcours_en(monde, Statut.SORTI, participant=ParticipantFactory(nom=HOSTILE))
    if nom in ("offres", "entreprises"):
        une_offre(monde, "diffusee", entreprise=une_entreprise(monde, raison_sociale=HOSTILE))
    client.force_login(monde.user(Role.ADMIN))
    for format in ("csv", "xlsx"):
        entete, *lignes = lire(_export(client, nom, format), format)
        assert entete == [c.libelle for c in EXTRACTIONS[nom].colonnes], format
        cellules = [c for ligne in lignes for c in ligne]
        assert NEUTRALISE in cellules, format
        assert HOSTILE not in cellules, format


def test_etapes_valeurs_csv_et_xlsx(client, monde, jeu):
    client.force_login(monde.user(Role.ANIMATEUR))
    a = jeu.a
    entete, *lignes = lire_csv(_export(client, "etapes"))
    assert entete == [
        "N° participant",
        "Nom",
        "Prénom",
        "PLIE",
        "Structure référente",
        "Référent",
        "Code du type",
        "Type d'étape",
        "Catégorie",
        "Intitulé",
        "Prestataire",
        "Opération FSE+",
        "Début",
        "Fin",
        "Statut",
    ]
    attendu_a = [
        a.participant.numero,
        NEUTRALISE,
        a.participant.prenom,
        "PLIE Test Agenais",
        a.structure_referente.nom,
        _referent(a),
        "atelier",
        "Atelier collectif",
        "Orientation",
        "Atelier 0",
        "",
        "",
        "02/03/2026",
        "",
        "En cours",
    ]
    assert attendu_a in lignes
    assert sorted(ligne[0] for ligne in lignes) == sorted(
        [a.participant.numero, jeu.b.participant.numero]
    )
    _entete, *lignes = lire(_export(client, "etapes", "xlsx"), "xlsx")
    ligne = next(x for x in lignes if x[0] == a.participant.numero)
    assert ligne[12] == datetime.datetime(2026, 3, 2)  # une vraie date pour le tableur
    assert ligne[13] is None


def test_entretiens_contrats_et_entreprises_valeurs(client, monde, jeu):
    client.force_login(monde.user(Role.CRE))
    entete, *lignes = lire_csv(_export(client, "entretiens"))
    # Le CRE voit le dossier mis en relation sur une offre de son PLIE (docs/emploi.md).
    (ligne,) = lignes
    assert ligne[entete.index("Date")] == "02/03/2026 10:00"
    assert ligne[entete.index("Canal")] == "Entretien physique individuel"
    entete, ligne = lire_csv(_export(client, "contrats"))
    assert ligne[entete.index("Type de contrat")] == "CDD"
    assert ligne[entete.index("Heures par semaine")] == "35,00"
    entete, ligne = lire(_export(client, "contrats", "xlsx"), "xlsx")
    assert ligne[entete.index("Heures par semaine")] == 35
    entete, *lignes = lire_csv(_export(client, "entreprises"))
    # L'entreprise de l'offre (l'autre est l'attributaire du marché à clause).
    (ligne,) = [x for x in lignes if x[0] == "Bâtiments de l'Agenais"]
    assert ligne[entete.index("Partenaire")] == "non"
    assert ligne[entete.index("Offres ouvertes")] == "1"
    assert ligne[entete.index("SIRET")].isdigit()


def test_sorties_type_et_date(client, monde, jeu):
    sorti = parcours_en(monde, Statut.SORTI)
    client.force_login(monde.user(Role.DIRECTION))
    entete, *lignes = lire_csv(_export(client, "sorties"))
    (ligne,) = lignes
    assert ligne[0] == sorti.participant.numero
    assert ligne[entete.index("Sortie")] == f"{sorti.date_sortie:%d/%m/%Y}"
    assert ligne[entete.index("Type de sortie")] == sorti.get_type_sortie_display()


def test_extraction_journalisee_qui_quand_quoi_filtres_et_nombre(client, monde, jeu):
    animateur = monde.user(Role.ANIMATEUR)
    client.force_login(animateur)
    contenu(_export(client, "etapes", "xlsx", statut="en_cours", inconnu="x"))
    trace = Trace.objects.get(type=TypeTrace.EXPORT)
    assert trace.user == animateur
    assert trace.plie == monde.plie1  # le journal du PLIE la montre
    assert trace.objet_type == "etapes"
    assert trace.detail == "Étapes ; XLSX ; filtres : statut=en_cours ; 2 ligne(s)"
    assert trace.at is not None


def test_filtres_de_l_ecran_et_du_fichier(client, monde, jeu):
    client.force_login(monde.user(Role.ANIMATEUR))
    url = reverse("extractions:extraction", args=["etapes"])
    b = jeu.b
    cas = [
        ({"structure": b.structure_referente_id}, [b]),
        ({"referent": str(b.referent_id)}, [b]),
        ({"du": "2026-03-03"}, [jeu.a, b]),  # en cours (sans fin) : toujours présentes
        ({"au": "01/03/2026"}, []),
        ({"statut": "realisee"}, []),
    ]
    for filtres, attendus in cas:
        ecran = client.get(url, filtres)
        assert ecran.status_code == 200
        numeros = sorted(p.participant.numero for p in attendus)
        assert sorted(ligne[0] for ligne in ecran.context["lignes"]) == numeros, filtres
        assert ecran.context["paginator"].count == len(attendus)
        fichier = lire_csv(_export(client, "etapes", **filtres))[1:]
        assert sorted(ligne[0] for ligne in fichier) == numeros, filtres
        # Les liens de téléchargement gardent les filtres.
        assert f"?{ecran.context['export_params']}" in ecran.content.decode()


def test_mauvaise_saisie_message_clair_et_rien_perdu(client, monde, jeu):
    client.force_login(monde.user(Role.ANIMATEUR))
    url = reverse("extractions:extraction", args=["entretiens"])
    reponse = client.get(url, {"du": "2026-12-31", "au": "2026-01-01", "statut": "pigeon"})
    textes = [str(m) for m in reponse.context["messages"]]
    assert "La date « du » est après la date « au » : les deux dates sont échangées." in textes
    assert "Canal « pigeon » inconnu : filtre ignoré." in textes
    assert reponse.context["filtres"].valeurs == {"du": "2026-01-01", "au": "2026-12-31"}
    assert len(reponse.context["lignes"]) == 2
    reponse = client.get(url, {"du": "31/02/2026"})
    assert [str(m) for m in reponse.context["messages"]] == [
        "Du « 31/02/2026 » n'est pas une date (jj/mm/aaaa) : filtre ignoré."
    ]


def _grossir(monde, jeu):
    """Plus de lignes de chaque sorte dans le PLIE 1."""
    suivi(jeu.a, 4, debut=datetime.date(2026, 5, 4))
    suivi(jeu.b, 3, debut=datetime.date(2026, 4, 1))
    parcours_en(monde, Statut.SORTI)
    parcours_en(monde, Statut.SORTI, structure="b")
    for _ in range(2):
        offre = une_offre(monde, "diffusee", entreprise=une_entreprise(monde))
        proposer_candidat(offre, jeu.a, par=jeu.a.referent)
    besoin = BesoinFactory(
        marche__operation__donneur_ordre__plie=monde.plie1,
        facilitateur=monde.user(Role.FACILITATEUR),
    )
    for _ in range(3):
        PositionnementFactory(besoin=besoin, candidat_externe__plie=monde.plie1)


def _requetes(client, url) -> int:
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
        if hasattr(reponse, "streaming_content"):
            contenu(reponse)
        assert reponse.status_code == 200
    return len(requetes)


@pytest.mark.parametrize("nom", sorted(EXTRACTIONS))
def test_nombre_de_requetes_constant(client, monde, jeu, nom):
    if nom == "sorties":
        parcours_en(monde, Statut.SORTI)  # une ligne dès le petit jeu : la page est lue
    client.force_login(monde.user(Role.ADMIN))
    urls = [
        reverse("extractions:extraction", args=[nom]),
        reverse("extractions:export", args=[nom, "csv"]),
        reverse("extractions:export", args=[nom, "xlsx"]),
    ]
    petit = [_requetes(client, url) for url in urls]
    lignes_petit = len(lire_csv(client.get(urls[1])))
    _grossir(monde, jeu)
    grand = [_requetes(client, url) for url in urls]
    assert len(lire_csv(client.get(urls[1]))) > lignes_petit
    assert grand == petit
    # Le fichier : session, utilisateur, adhésions, les lignes (un curseur), la trace.
    assert petit[1] <= 8, petit


def test_xlsx_montants_et_nombres(client, monde, jeu):
    """Les nombres restent des nombres dans le classeur (heures, candidats)."""
    client.force_login(monde.user(Role.CRE))
    entete, ligne = lire(_export(client, "offres", "xlsx"), "xlsx")
    assert ligne[entete.index("Candidats")] == 1
    assert Decimal(str(ligne[entete.index("Heures par semaine")])) == Decimal(35)


def _pic_memoire(client, n, parcours) -> int:
    deja = Etape.objects.filter(parcours=parcours).count()
    Etape.objects.bulk_create(
        Etape(
            parcours=parcours,
            type_code="atelier",
            type_libelle="Atelier collectif",
            categorie="Orientation",
            intitule=f"Atelier {i}",
            date_debut=datetime.date(2026, 1, 1),
            created_by=parcours.referent,
        )
        for i in range(n - deja)
    )
    tracemalloc.start()
    try:
        reponse = _export(client, "etapes", "xlsx")
        taille = sum(len(morceau) for morceau in reponse.streaming_content)
        assert taille > n
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_fichier_en_memoire_plate(client, monde, jeu):
    """Trois fois plus de lignes, pas plus de mémoire au pic : les lignes viennent d'un curseur
    côté serveur et partent par morceaux."""
    client.force_login(monde.user(Role.REFERENT, structure="b"))
    # Au-delà d'un paquet du curseur (2 000 lignes) dans les deux cas : le pic est celui d'un
    # paquet, quel que soit le nombre de paquets.
    petit = _pic_memoire(client, 2_500, jeu.b)
    grand = _pic_memoire(client, 7_500, jeu.b)
    assert grand < petit * 1.5 + 512 * 1024, (petit, grand)
