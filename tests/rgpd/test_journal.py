"""L'écran du journal des accès : pour l'administrateur et la direction d'un PLIE, les traces de
leur PLIE et les traces de compte de ses membres ; filtres, pages, 404 pour les autres."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from parcours import acces
from parcours.core.enums import Role
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from parcours.tracabilite.services import tracer

pytestmark = pytest.mark.django_db

JOURNAL = reverse("journal:index")


def trace(type_trace=TypeTrace.CONSULTATION, **kwargs):
    return tracer(type_trace, **kwargs)


@pytest.mark.parametrize(
    ("role", "attendu"),
    [
        (Role.ADMIN, 200),
        (Role.DIRECTION, 200),
        (Role.ANIMATEUR, 404),
        (Role.REFERENT, 404),
        (Role.PRESCRIPTEUR, 404),
        (Role.COMMISSION, 404),
        (Role.CRE, 404),
        (Role.FACILITATEUR, 404),
        (Role.FINANCEUR, 404),
        (Role.DONNEUR_ORDRE, 404),
    ],
)
def test_acces_par_role(client, monde, role, attendu):
    client.force_login(monde.user(role))
    assert client.get(JOURNAL).status_code == attendu
    assert acces.voit_le_journal(monde.user(role)) is (attendu == 200)


def test_anonyme_vers_la_connexion(client, db):
    reponse = client.get(JOURNAL)
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("login"))


def lignes(client, user, **params):
    client.force_login(user)
    # Sa propre connexion, si l'authentification la trace, n'est pas le sujet de ces tests.
    Trace.objects.filter(user=user, type=TypeTrace.CONNEXION).delete()
    reponse = client.get(JOURNAL, params)
    assert reponse.status_code == 200
    return reponse


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DIRECTION])
def test_les_traces_du_plie_et_des_comptes_de_ses_membres(client, monde, role):
    referent1 = monde.user(Role.REFERENT)
    referent2 = monde.user(Role.REFERENT, plie=2)
    a_voir = [
        trace(user=referent1, plie=monde.plie1, participant_id=7),
        trace(TypeTrace.CONNEXION, user=referent1),
        trace(TypeTrace.REFUS, user=referent1, detail="404"),
        trace(TypeTrace.ECHEC_CONNEXION, identifiant=referent1.username),
        trace(TypeTrace.ANONYMISATION, plie=monde.plie1, participant_id=8),
    ]
    # Ni le PLIE voisin, ni les comptes de ses membres, ni un identifiant inconnu.
    trace(user=referent2, plie=monde.plie2, participant_id=9)
    trace(TypeTrace.CONNEXION, user=referent2)
    trace(TypeTrace.ECHEC_CONNEXION, identifiant="inconnu")
    trace(TypeTrace.ECHEC_CONNEXION, identifiant=referent2.username)
    reponse = lignes(client, monde.user(role))
    assert {t.pk for t in reponse.context["traces"]} == {t.pk for t in a_voir}
    assert set(acces.traces_visibles(monde.user(role))) == set(a_voir)


def test_un_ancien_membre_sort_du_journal(client, monde):
    referent = monde.user(Role.REFERENT)
    trace(TypeTrace.CONNEXION, user=referent)
    referent.memberships.update(
        debut=datetime.date(2020, 1, 1), fin=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert list(lignes(client, monde.user(Role.ADMIN)).context["traces"]) == []


def test_le_superutilisateur_voit_tout(client, monde, django_user_model):
    trace(plie=monde.plie1)
    trace(plie=monde.plie2)
    trace(TypeTrace.ECHEC_CONNEXION, identifiant="inconnu")
    racine = django_user_model.objects.create_superuser("racine", "r@exemple.fr", "x")
    reponse = lignes(client, racine)
    assert len(reponse.context["traces"]) == 3
    assert "<th>PLIE</th>" in reponse.content.decode()


def test_affichage_d_une_ligne(client, monde):
    referent = monde.user(Role.REFERENT)
    referent.first_name, referent.last_name = "Rémi", "Férent"
    referent.save()
    trace(
        user=referent,
        plie=monde.plie1,
        participant_id=42,
        objet_type="parcours",
        objet_id=17,
        detail="Dossier du parcours",
    )
    page = lignes(client, monde.user(Role.ADMIN)).content.decode()
    for texte in (
        "Rémi Férent",
        referent.username,
        "P000042",
        "Dossier n° 17",  # l'objet en français, pas son code (« parcours »)
        "Dossier du parcours",
    ):
        assert escape(texte) in page


@pytest.mark.parametrize(
    ("objet_type", "attendu"),
    [
        ("parcours", "Dossier"),
        ("piece-entree", "Pièce d'entrée"),
        ("adhesion", "Adhésion"),
        ("prescription", "Prescription"),  # un modèle : son nom
        ("participants:dossier", "participants:dossier"),  # une page refusée : son nom de vue
    ],
)
def test_l_objet_d_une_trace_en_francais(objet_type, attendu):
    from workflows.journal import libelle_objet

    assert libelle_objet(objet_type) == attendu


# — Filtres —


def test_filtres(client, monde):
    referent = monde.user(Role.REFERENT)
    referent.last_name = "Dupontel"
    referent.save()
    animateur = monde.user(Role.ANIMATEUR)
    ancienne = trace(user=referent, plie=monde.plie1, participant_id=5)
    Trace.objects.filter(pk=ancienne.pk).update(
        at=timezone.make_aware(datetime.datetime(2026, 1, 10, 12))
    )
    recente = trace(user=animateur, plie=monde.plie1, participant_id=6)
    connexion = trace(TypeTrace.CONNEXION, user=referent)
    admin = monde.user(Role.ADMIN)

    def pks(**params):
        return {t.pk for t in lignes(client, admin, **params).context["traces"]}

    assert pks(type="connexion") == {connexion.pk}
    assert pks(utilisateur="dupont") == {ancienne.pk, connexion.pk}
    assert pks(utilisateur=animateur.username) == {recente.pk}
    assert pks(participant="P000005") == {ancienne.pk}
    assert pks(participant="6") == {recente.pk}
    assert pks(du="2026-01-10", au="2026-01-10") == {ancienne.pk}
    assert pks(du="2026-01-11") == {recente.pk, connexion.pk}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"du": "0000-01-01"}, "Saisissez une date valide."),
        (
            {"du": "1800-01-01"},
            "« Du » : la date doit être comprise entre 1900 et 2100",
        ),
        (
            {"au": "9999-12-31"},
            "« Au » : la date doit être comprise entre 1900 et 2100",
        ),
        ({"du": "2026-02-01", "au": "2026-01-01"}, "Au : la fin de la période précède son début."),
        ({"participant": "abc"}, "Participant : numéro invalide « abc » (ex. P000123 ou 123)."),
        ({"type": "piratage"}, "Sélectionnez un choix valide."),
    ],
)
def test_filtre_invalide_signale_en_francais(client, monde, params, message):
    trace(plie=monde.plie1)
    reponse = lignes(client, monde.user(Role.ADMIN), **params)
    assert escape(message) in reponse.content.decode()
    # Le filtre fautif est ignoré : la liste reste lisible.
    assert len(reponse.context["traces"]) == 1


@pytest.mark.parametrize("page", ["x", "0", "99999999999999"])
def test_page_illisible_premiere_page(client, monde, page):
    trace(plie=monde.plie1)
    reponse = lignes(client, monde.user(Role.ADMIN), page=page)
    assert (reponse.context["page"], len(reponse.context["traces"])) == (1, 1)


# — Pages et nombre de requêtes —


def test_pages_sans_compter_toute_la_table(client, monde):
    Trace.objects.bulk_create(
        Trace(type=TypeTrace.CONSULTATION, plie=monde.plie1, participant_id=i) for i in range(120)
    )
    admin = monde.user(Role.ADMIN)
    premiere = lignes(client, admin)
    assert len(premiere.context["traces"]) == 50
    assert (premiere.context["page_precedente"], premiere.context["page_suivante"]) == (None, 2)
    assert "Plus anciens" in premiere.content.decode()
    derniere = lignes(client, admin, page=3, type="consultation")
    assert len(derniere.context["traces"]) == 20
    assert (derniere.context["page_precedente"], derniere.context["page_suivante"]) == (2, None)
    assert "type=consultation&amp;page=2" in derniere.content.decode()
    vus = {t.pk for p in (1, 2, 3) for t in lignes(client, admin, page=p).context["traces"]}
    assert len(vus) == 120


def _requetes(client) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(JOURNAL).status_code == 200
    return len(requetes)


def test_nombre_de_requetes_constant(client, monde):
    users = [monde.user(role) for role in (Role.REFERENT, Role.ANIMATEUR, Role.CRE)]
    lignes(client, monde.user(Role.ADMIN))
    trace(user=users[0], plie=monde.plie1)
    peu = _requetes(client)
    for i in range(60):
        trace(user=users[i % 3], plie=monde.plie1, participant_id=i)
        trace(TypeTrace.CONNEXION, user=users[i % 3])
    assert _requetes(client) == peu
