"""Les écrans FSE+ : qui voit quelles opérations (404 ailleurs), le financeur sans noms, le
contrôle avec ses liens, l'export depuis l'écran, la correction du questionnaire, et un nombre
de requêtes constant (docs/fse.md)."""

import datetime

import pytest
from django.core.validators import EmailValidator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.accompagnement.models import ParticipationFse, QuestionnaireFSE
from parcours.core.enums import Role
from parcours.reporting.models import ExportFse

pytestmark = pytest.mark.django_db


def _periode():
    aujourdhui = timezone.localdate()
    return {"du": f"{aujourdhui - datetime.timedelta(days=30)}", "au": f"{aujourdhui}"}


def _visibles(client, user):
    client.force_login(user)
    reponse = client.get(reverse("fse:index"))
    assert reponse.status_code == 200
    return {o.pk for o in reponse.context["operations"]}


@pytest.mark.parametrize(
    ("role", "structure", "plie", "attendues"),
    [
        (Role.ANIMATEUR, "a", 1, {"a", "b", "action"}),
        (Role.DIRECTION, "a", 1, {"a", "b", "action"}),
        (Role.REFERENT, "a", 1, {"a"}),
        (Role.REFERENT, "b", 1, {"b", "action"}),
        (Role.REFERENT_ETAPE, "b", 1, {"b", "action"}),
        (Role.ANIMATEUR, "a", 2, {"voisine"}),
    ],
)
def test_qui_voit_quelles_operations(client, monde, operations, role, structure, plie, attendues):
    user = monde.user(role, structure, plie)
    assert _visibles(client, user) == {getattr(operations, n).pk for n in attendues}


def test_le_financeur_voit_ses_operations_seulement(client, operations):
    assert _visibles(client, operations.financeur()) == {operations.a.pk}
    assert _visibles(client, operations.financeur(operations.region)) == {operations.b.pk}


@pytest.mark.parametrize("role", [Role.PRESCRIPTEUR, Role.CRE, Role.COMMISSION])
def test_sans_role_fse_la_page_n_existe_pas(client, monde, operations, role):
    client.force_login(monde.user(role))
    assert client.get(reverse("fse:index")).status_code == 404
    assert client.get(reverse("fse:operation", args=[operations.a.pk])).status_code == 404


@pytest.mark.parametrize(
    ("qui", "operation"),
    [
        ("referent_b", "a"),
        ("animateur_plie2", "a"),
        ("animateur_plie1", "voisine"),
        ("financeur_departement", "b"),
    ],
)
def test_hors_perimetre_404_sur_la_fiche_l_export_et_le_questionnaire(
    client, monde, operations, qui, operation
):
    users = {
        "referent_b": monde.user(Role.REFERENT, "b"),
        "animateur_plie2": monde.user(Role.ANIMATEUR, "a", 2),
        "animateur_plie1": monde.user(Role.ANIMATEUR),
        "financeur_departement": operations.financeur(),
    }
    op = getattr(operations, operation)
    parcours = operations.engage(plie=1 if op.plie == monde.plie1 else 2)
    participation = ParticipationFse.objects.get(parcours=parcours)
    client.force_login(users[qui])
    assert client.get(reverse("fse:operation", args=[op.pk])).status_code == 404
    assert client.get(reverse("fse:export", args=[op.pk]), _periode()).status_code == 404
    questionnaire = reverse("fse:questionnaire", args=[participation.pk])
    assert client.get(questionnaire).status_code == 404


def test_le_financeur_lit_les_chiffres_sans_aucun_nom(client, operations):
    parcours = operations.engage(nom="Confidentiel", prenom="Personne")
    client.force_login(operations.financeur())
    reponse = client.get(reverse("fse:operation", args=[operations.a.pk]), _periode())
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert reponse.context["chiffres"]["total"] == 1
    assert "CONFIDENTIEL" not in contenu.upper()
    assert "anomalies" not in reponse.context
    participation = ParticipationFse.objects.get(parcours=parcours)
    assert client.get(reverse("fse:export", args=[operations.a.pk]), _periode()).status_code == 404
    url = reverse("fse:questionnaire", args=[participation.pk])
    assert client.get(url).status_code == 404


def test_le_controle_a_l_ecran_donne_un_lien_pour_corriger(client, monde, operations):
    operations.engage()
    incomplet = operations.engage(nom="Durand", prenom="Léa")
    QuestionnaireFSE.objects.filter(parcours=incomplet).update(diplome_dgefp="")
    participation = ParticipationFse.objects.get(parcours=incomplet)
    client.force_login(monde.user(Role.REFERENT))
    url = reverse("fse:operation", args=[operations.a.pk])
    reponse = client.get(url, _periode())
    assert reponse.status_code == 200
    (anomalie,) = reponse.context["anomalies"]
    assert anomalie.nom == "DURAND Léa"
    lien = reverse("fse:questionnaire", args=[participation.pk])
    assert anomalie.liens == [
        ("Questionnaire FSE+ : plus haut niveau de diplôme manquant(e)", lien)
    ]
    assert f'href="{lien}"' in reponse.content.decode()

    # Exporter sans corriger : retour au contrôle avec le message.
    export = client.get(reverse("fse:export", args=[operations.a.pk]), _periode(), follow=True)
    assert "1 participant(s) ont des données incomplètes" in export.content.decode()
    assert not ExportFse.objects.exists()

    # Corriger depuis le lien, puis exporter.
    reponse = client.post(lien, {**_reponses(participation), "diplome_dgefp": "2b"})
    assert reponse.status_code == 302
    export = client.get(reverse("fse:export", args=[operations.a.pk]), _periode())
    assert export.status_code == 200
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in export["Content-Disposition"]
    contenu = b"".join(export.streaming_content).decode("utf-8")
    assert contenu.count("\r\n") == 3  # l'en-tête et deux participants
    assert ExportFse.objects.get().par == monde.user(Role.REFERENT)


def _reponses(participation):
    q = QuestionnaireFSE.objects.get(participation=participation)
    valeurs = {c: getattr(q, c) for c in QuestionnaireFSE.CHAMPS}
    return {k: ("" if v is None else v) for k, v in valeurs.items()}


def test_export_partiel_depuis_l_ecran(client, monde, operations):
    operations.engage()
    incomplet = operations.engage()
    QuestionnaireFSE.objects.filter(parcours=incomplet).update(handicap_reconnu="")
    client.force_login(monde.user(Role.ANIMATEUR))
    reponse = client.get(
        reverse("fse:export", args=[operations.a.pk]), {**_periode(), "partiel": "1"}
    )
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content).decode().count("\r\n") == 2
    assert (ExportFse.objects.get().lignes, ExportFse.objects.get().ecartees) == (1, 1)


def test_periode_inversee_a_l_ecran_message_clair(client, monde, operations):
    client.force_login(monde.user(Role.ANIMATEUR))
    url = reverse("fse:operation", args=[operations.a.pk])
    reponse = client.get(url, {"du": "2025-03-01", "au": "2025-01-01"})
    assert reponse.status_code == 200
    assert "La période est inversée" in reponse.content.decode()
    assert reponse.context["form"]["du"].value() == "2025-03-01"
    reponse = client.get(reverse("fse:export", args=[operations.a.pk]), {"du": "2025-03-01"})
    assert reponse.status_code == 302
    suivie = client.get(reponse["Location"])
    assert "période ouverte" in suivie.content.decode()


def test_questionnaire_mauvaise_saisie_reaffiche_sans_rien_perdre(client, monde, operations):
    parcours = operations.engage()
    participation = ParticipationFse.objects.get(parcours=parcours)
    client.force_login(monde.user(Role.REFERENT))
    url = reverse("fse:questionnaire", args=[participation.pk])
    assert client.get(url).status_code == 200
    demain = timezone.localdate() + datetime.timedelta(days=1)
    donnees = {**_reponses(participation), "date_entree": f"{demain}", "commune_naissance": "Nérac"}
    reponse = client.post(url, donnees)
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "ne peut pas être postérieure à aujourd" in contenu
    assert 'value="Nérac"' in contenu
    assert QuestionnaireFSE.objects.get(participation=participation).commune_naissance == "Agen"


def _requetes(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_nombre_de_requetes_constant(client, monde, operations):
    client.force_login(monde.user(Role.ANIMATEUR))
    fiche = reverse("fse:operation", args=[operations.a.pk])
    operations.engage()
    avant = (_requetes(client, reverse("fse:index")), _requetes(client, fiche, _periode()))
    for _ in range(4):
        operations.engage(complet=False)
    apres = (_requetes(client, reverse("fse:index")), _requetes(client, fiche, _periode()))
    assert avant == apres


def test_completer_l_adresse_depuis_le_controle(client, monde, operations):
    parcours = operations.engage(complet=False, nom="Martin", prenom="Paul")
    participation = ParticipationFse.objects.get(parcours=parcours)
    from parcours.core.models import Commune

    commune = Commune.objects.create(
        plie=monde.plie1, territoire=monde.territoire1, insee="47157", nom="Marmande"
    )
    client.force_login(monde.user(Role.REFERENT))
    fiche = client.get(reverse("fse:operation", args=[operations.a.pk]), _periode())
    (anomalie,) = fiche.context["anomalies"]
    lien = reverse("fse:coordonnees", args=[participation.pk])
    assert {adresse for _, adresse in anomalie.liens} == {lien}

    # Courriel invalide : message en français, rien de perdu, rien d'enregistré.
    mauvais = {"adresse": "3 rue des Lilas", "commune": "47157", "email": "pas-un-courriel"}
    reponse = client.post(lien, mauvais)
    assert reponse.status_code == 200
    # Le message français de Django (sa traduction varie : « e-mail », « courriel »).
    message = str(EmailValidator.message)
    assert message.startswith("Saisissez une adresse")
    assert reponse.context["form"].errors["email"] == [message]
    assert 'value="3 rue des Lilas"' in reponse.content.decode()
    parcours.participant.refresh_from_db()
    assert parcours.participant.adresse == ""

    reponse = client.post(lien, {**mauvais, "email": "paul@exemple.fr"})
    assert reponse.status_code == 302
    parcours.participant.refresh_from_db()
    assert (parcours.participant.adresse, parcours.participant.commune_insee) == (
        "3 rue des Lilas",
        commune.insee,
    )
    assert parcours.participant.commune_nom == "Marmande"
    fiche = client.get(reverse("fse:operation", args=[operations.a.pk]), _periode())
    assert fiche.context["anomalies"] == []


@pytest.mark.parametrize("qui", ["referent_b", "financeur", "animateur_plie2"])
def test_coordonnees_hors_perimetre_404(client, monde, operations, qui):
    parcours = operations.engage(complet=False)
    participation = ParticipationFse.objects.get(parcours=parcours)
    user = {
        "referent_b": monde.user(Role.REFERENT, "b"),
        "financeur": operations.financeur(),
        "animateur_plie2": monde.user(Role.ANIMATEUR, "a", 2),
    }[qui]
    client.force_login(user)
    url = reverse("fse:coordonnees", args=[participation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"adresse": "x"}).status_code == 404


def test_le_porteur_d_une_action_liste_ses_etapes_et_leurs_participants(client, monde, operations):
    from parcours.accompagnement.models import Etape

    parcours = operations.engage(nom="Bernard", prenom="Lucie")
    Etape.objects.create(
        parcours=parcours,
        type_code="immersion-pmsmp",
        type_libelle="Immersion (PMSMP)",
        categorie="2 Orientation",
        date_debut=timezone.localdate(),
        operation=operations.action,
        created_by=monde.user(Role.REFERENT),
    )
    client.force_login(monde.user(Role.REFERENT, "b"))
    reponse = client.get(reverse("fse:operation", args=[operations.action.pk]))
    assert reponse.status_code == 200
    assert [e.parcours_id for e in reponse.context["etapes"]] == [parcours.pk]
    assert "BERNARD Lucie" in reponse.content.decode()
    # Le porteur de l'accompagnement A ne voit pas l'action de B.
    client.force_login(monde.user(Role.REFERENT, "a"))
    assert client.get(reverse("fse:operation", args=[operations.action.pk])).status_code == 404


def test_participation_sans_questionnaire_message_clair(client, monde, operations):
    parcours = operations.engage()
    orpheline = ParticipationFse.objects.create(
        parcours=parcours,
        operation=operations.action,
        structure=operations.action.structure_porteuse,
        date_entree=timezone.localdate(),
    )
    client.force_login(monde.user(Role.ANIMATEUR))
    url = reverse("fse:questionnaire", args=[orpheline.pk])
    assert "n'a pas de questionnaire" in client.get(url).content.decode()
    reponse = client.post(url, {"commune_naissance": "Agen"})
    assert reponse.status_code == 200
    assert reponse.context["form"].non_field_errors() == [
        "Cette participation n'a pas de questionnaire FSE+."
    ]
    assert "Cette participation n&#x27;a pas de questionnaire FSE+." in reponse.content.decode()
