"""Le nom et le prénom de la personne recopiés sur ses parcours (`Parcours.nom_de_tri`,
`prenom_de_tri`), tenus par PostgreSQL (migration accompagnement 0017) : à la création, au
renommage (un, en masse, anonymisation), au rattachement à une autre personne ; une écriture de
l'application est ignorée ; un renommage et une création simultanés ne perdent rien. Et la liste
d'un PLIE entier, triée par nom, se lit dans l'index sans trier."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.participants.models import Participant
from parcours.rgpd.anonymisation import NOM_ANONYME, anonymiser
from tests.concurrence import pendant_que
from tests.factories import ParcoursFactory, ParticipantFactory, parcours_en
from workflows.participants.filtres import FiltresParticipants
from workflows.participants.requete import _dans_l_index, _requete


def copies() -> dict[int, tuple[str, str]]:
    return {
        pk: (nom, prenom)
        for pk, nom, prenom in Parcours.objects.values_list("pk", "nom_de_tri", "prenom_de_tri")
    }


def attendues() -> dict[int, tuple[str, str]]:
    """Le nom de la personne de chaque parcours, lu chez elle."""
    return {
        pk: (nom, prenom)
        for pk, nom, prenom in Parcours.objects.values_list(
            "pk", "participant__nom", "participant__prenom"
        )
    }


@pytest.mark.django_db
def test_creation_et_renommage(monde):
    dupont = ParticipantFactory(nom="Dupont", prenom="Léa")
    premier = ParcoursFactory(participant=dupont, plie=monde.plie1, statut=Statut.SORTI)
    second = ParcoursFactory(participant=dupont, plie=monde.plie2)
    autre = parcours_en(monde, Statut.PRESCRIT)
    assert premier.nom_de_tri == ""  # l'instance créée ne relit pas la base
    assert copies()[premier.pk] == copies()[second.pk] == ("Dupont", "Léa")
    dupont.nom, dupont.prenom = "Dupont-Martin", "Léa Marie"
    dupont.save()
    assert copies()[premier.pk] == copies()[second.pk] == ("Dupont-Martin", "Léa Marie")
    assert copies()[autre.pk] == (autre.participant.nom, autre.participant.prenom)
    assert copies() == attendues()


@pytest.mark.django_db
def test_renommage_en_masse_apres_un_renommage_d_une_ligne(monde):
    """Même session : une personne (le plan d'une requête statique serait gardé), puis toutes."""
    parcours = [parcours_en(monde, Statut.PRESCRIT) for _ in range(4)]
    Participant.objects.filter(pk=parcours[0].participant_id).update(prenom="Seul")
    assert copies()[parcours[0].pk][1] == "Seul"
    Participant.objects.update(nom="Masse")
    assert {nom for nom, _ in copies().values()} == {"Masse"}
    assert copies() == attendues()


@pytest.mark.django_db
def test_anonymisation_recopiee(monde):
    parcours = parcours_en(monde, Statut.SORTI)
    anonymiser(parcours.participant_id, fin=datetime.date(2020, 12, 31))
    personne = Participant.objects.get(pk=parcours.participant_id)
    assert copies()[parcours.pk] == (NOM_ANONYME, personne.prenom)
    assert personne.prenom == personne.numero  # plus rien de l'identité sur le parcours


@pytest.mark.django_db
def test_l_application_n_ecrit_pas_la_copie(monde):
    parcours = parcours_en(monde, Statut.PRESCRIT)
    perime = Parcours.objects.get(pk=parcours.pk)  # chargé avant le renommage
    Participant.objects.filter(pk=parcours.participant_id).update(nom="Nouveau")
    perime.save()  # écrit toutes les colonnes, dont l'ancien nom : ignoré
    Parcours.objects.filter(pk=parcours.pk).update(nom_de_tri="Faux", prenom_de_tri="Faux")
    assert copies()[parcours.pk][0] == "Nouveau"
    assert copies() == attendues()


@pytest.mark.django_db
def test_rattache_a_une_autre_personne(monde):
    parcours = parcours_en(monde, Statut.PRESCRIT)
    autre = ParticipantFactory(nom="Autre", prenom="Personne")
    Parcours.objects.filter(pk=parcours.pk).update(participant=autre)
    assert copies()[parcours.pk] == ("Autre", "Personne")


@pytest.mark.django_db
def test_personne_ecrite_apres_ses_parcours(monde):
    """Clés différées (copie PLIE du générateur, chargement de données) : le parcours d'abord,
    copie vide ; l'insertion de la personne, dans la même transaction, la remplit."""
    numero = Participant.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        parcours = ParcoursFactory.build(plie=monde.plie1, territoire=monde.territoire1)
        parcours.participant_id = numero + 1  # pas encore écrite
        parcours.save()
        assert copies()[parcours.pk] == ("", "")
        ParticipantFactory(pk=numero + 1, nom="Tardive", prenom="Zoé")
        assert copies()[parcours.pk] == ("Tardive", "Zoé")


@pytest.mark.django_db(transaction=True)
def test_renommage_et_creation_simultanes(monde):
    """Le renommage n'est pas validé quand le parcours est créé : la création attend le verrou
    de la personne et lit le nouveau nom (sans lui, la copie garderait l'ancien)."""
    personne = ParticipantFactory(nom="Avant")
    creation = {}
    pendant_que(
        lambda: Participant.objects.filter(pk=personne.pk).update(nom="Apres"),
        lambda: creation.update(parcours=ParcoursFactory(participant=personne, plie=monde.plie1)),
    )
    assert copies()[creation["parcours"].pk][0] == "Apres"


@pytest.mark.django_db
def test_la_liste_d_un_plie_se_lit_dans_l_index_sans_trier(monde):
    """La requête de la page (par nom, croissant ou décroissant, avec ou sans filtre d'état) peut
    suivre l'ordre d'un index des derniers parcours, dans un sens ou à rebours : PostgreSQL, à qui
    l'on interdit de lire toute la table et de trier, n'a rien à trier. Le tri par état, qu'aucun
    index ne sert, garde son tri."""
    for statut in (Statut.PRESCRIT, Statut.EN_ACCOMPAGNEMENT):
        parcours_en(monde, statut)
    animateur = monde.user(Role.ANIMATEUR)

    def plan(params):
        qs = _requete(FiltresParticipants(animateur, params), False, monde.plie1.pk)[:26]
        sql, valeurs = qs.query.sql_with_params()
        with transaction.atomic(), connection.cursor() as curseur:
            curseur.execute("SET LOCAL enable_seqscan = off")
            curseur.execute("SET LOCAL enable_bitmapscan = off")
            # Le plan n'a un tri que si aucun index ne donne l'ordre (coût seul sinon : les
            # statistiques des autres tests du cœur le feraient varier).
            curseur.execute("SET LOCAL enable_sort = off")
            curseur.execute("EXPLAIN " + sql, valeurs)
            return "\n".join(ligne for (ligne,) in curseur.fetchall())

    for params in [
        {},
        {"statut": Statut.EN_ACCOMPAGNEMENT},
        {"tri": "-nom"},
        {"statut": Statut.PRESCRIT, "tri": "-nom"},
    ]:
        texte = plan(params)
        assert "parcours_derniers_etat_nom" in texte or "parcours_derniers_nom" in texte, texte
        assert "Sort" not in texte, texte
    assert "Sort" in plan({"tri": "etat"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "attendu"),
    [
        ({}, True),
        ({"statut": Statut.EN_ACCOMPAGNEMENT}, True),
        ({"tri": "nom", "entree_du": "2000-01-01"}, True),
        ({"tri": "-nom"}, True),  # l'index lu à rebours
        ({"tri": "etat"}, False),  # aucun index dans cet ordre : la liste est lue puis triée
        ({"q": "Nom"}, False),
        # Filtre sur la personne : la page sonderait le PLIE personne par personne.
        ({"commune": "Agen"}, False),
        # Alerte : le compte à part hacherait les alertes du pays (sondées par ligne sinon).
        ({"alerte": "toutes"}, False),
    ],
)
def test_quand_la_page_se_lit_dans_l_index(monde, params, attendu):
    animateur, prescripteur = monde.user(Role.ANIMATEUR), monde.user(Role.PRESCRIPTEUR)
    plie = acces.plie_entier_visible(animateur)
    assert plie == monde.plie1.pk
    assert _dans_l_index(FiltresParticipants(animateur, params), plie) is attendu
    # Qui ne voit pas tout un PLIE garde le calcul de ses parcours visibles.
    plie = acces.plie_entier_visible(prescripteur)
    assert plie is None
    assert not _dans_l_index(FiltresParticipants(prescripteur, params), plie)


@pytest.mark.django_db
@pytest.mark.parametrize("tri", ["nom", "-nom"])
def test_une_page_suivante_borne_l_index_par_sa_rangee(client, monde, tri):
    """Après le curseur, la borne `(nom, prénom, personne) > (…)` est une condition d'index (pas
    un filtre des lignes lues depuis le début du PLIE) ; la page suivante est bien la suite."""
    for _ in range(3):
        parcours_en(monde, Statut.PRESCRIT)
    client.force_login(monde.user(Role.ANIMATEUR))
    liste = reverse("participants:index")
    params = {"taille": 1, "tri": tri}
    premiere = client.get(liste, params)
    params["apres"] = premiere.context["page_obj"].suivante
    with CaptureQueriesContext(connection) as ctx:
        seconde = client.get(liste, params)
    champs = ["nom_de_tri", "prenom_de_tri", "participant_id"]
    attendu = list(  # l'ordre de la base (sa collation), pas celui de Python
        Parcours.objects.filter(plie=monde.plie1, dernier_du_plie=True)
        .order_by(*(f"-{c}" if tri == "-nom" else c for c in champs))
        .values_list(*champs)
    )
    lues = [[p.pk for p in page.context["participants"]] for page in (premiere, seconde)]
    assert lues == [[attendu[0][2]], [attendu[1][2]]]
    (requete,) = [q["sql"] for q in ctx.captured_queries if "nom_de_tri" in q["sql"]]
    with transaction.atomic(), connection.cursor() as curseur:
        for reglage in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            curseur.execute(f"SET LOCAL {reglage} = off")
        curseur.execute("EXPLAIN " + requete)
        plan = "\n".join(ligne for (ligne,) in curseur.fetchall())
    conditions = [ligne for ligne in plan.splitlines() if "Index Cond" in ligne]
    assert any("ROW(" in ligne and "nom_de_tri" in ligne for ligne in conditions), plan


@pytest.mark.django_db
def test_parcours_ecrits_en_bloc_avant_leurs_personnes(monde):
    """Comme la copie des PLIE du générateur : plusieurs parcours d'abord (une instruction),
    leurs personnes ensuite (une autre), clés différées dans la même transaction."""
    debut = (Participant.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with transaction.atomic():
        parcours = [
            ParcoursFactory.build(plie=monde.plie1, territoire=monde.territoire1) for _ in range(3)
        ]
        for i, p in enumerate(parcours):
            p.participant_id = debut + i
        Parcours.objects.bulk_create(parcours)
        assert {copies()[p.pk] for p in parcours} == {("", "")}
        Participant.objects.bulk_create(
            ParticipantFactory.build(pk=debut + i, nom=f"Bloc{i}", prenom="Zoé") for i in range(3)
        )
    assert [copies()[p.pk] for p in parcours] == [(f"Bloc{i}", "Zoé") for i in range(3)]
    assert copies() == attendues()
