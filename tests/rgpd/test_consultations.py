"""Journal des consultations : chaque page qui montre les données d'une seule personne laisse une
trace (qui, quand, quel dossier) ; le dossier montre les dernières à son référent et au pilotage
du PLIE, en un nombre de requêtes constant (docs/rgpd.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from parcours.tracabilite.services import tracer
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db

# Les pages tracées : (nom d'URL, argument, objet de la trace, détail).
PAGES = [
    ("participants:dossier", "parcours", "parcours", "Dossier du parcours"),
    ("participants:detail", "participant", "participant", "Fiche de la personne"),
    ("suivi:etapes", "parcours", "parcours", "Suivi : étapes"),
    ("suivi:entretiens", "parcours", "parcours", "Suivi : entretiens"),
    ("emploi:contrats", "parcours", "parcours", "Contrats et emploi"),
]


def adresse(nom, argument, parcours):
    pk = parcours.pk if argument == "parcours" else parcours.participant_id
    return reverse(nom, args=[pk])


@pytest.mark.parametrize(("nom", "argument", "objet", "detail"), PAGES)
@pytest.mark.parametrize("role", [Role.REFERENT, Role.ANIMATEUR, Role.DIRECTION])
def test_chaque_page_de_la_personne_est_tracee(client, monde, nom, argument, objet, detail, role):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    user = monde.user(role)
    client.force_login(user)
    assert client.get(adresse(nom, argument, parcours)).status_code == 200
    trace = Trace.objects.get(type=TypeTrace.CONSULTATION)
    attendu = parcours.pk if objet == "parcours" else parcours.participant_id
    assert (trace.user, trace.identifiant, trace.plie_id, trace.participant_id) == (
        user,
        user.username,
        monde.plie1.pk,
        parcours.participant_id,
    )
    assert (trace.objet_type, trace.objet_id, trace.detail) == (objet, str(attendu), detail)
    assert trace.chemin == adresse(nom, argument, parcours)
    assert trace.ip == "127.0.0.1"


@pytest.mark.parametrize(("nom", "argument", "objet", "detail"), PAGES)
@pytest.mark.parametrize(
    ("role", "structure", "plie"),
    [(Role.REFERENT, "b", 1), (Role.ANIMATEUR, "a", 2), (Role.FINANCEUR, "a", 1)],
)
def test_un_refus_n_est_pas_une_consultation(
    client, monde, nom, argument, objet, detail, role, structure, plie
):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(monde.user(role, structure, plie))
    assert client.get(adresse(nom, argument, parcours)).status_code == 404
    assert not Trace.objects.filter(type=TypeTrace.CONSULTATION).exists()


def test_un_formulaire_renvoye_n_est_pas_trace_deux_fois(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(parcours.referent)
    reponse = client.post(reverse("emploi:contrats", args=[parcours.pk]), {"type": ""})
    assert reponse.status_code == 200
    assert not Trace.objects.filter(type=TypeTrace.CONSULTATION).exists()


def test_fiche_vue_dans_deux_plie_une_trace_par_plie(client, monde, django_user_model):
    premier = parcours_en(monde, Statut.SORTI)
    second = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, plie=2, participant=premier.participant)
    racine = django_user_model.objects.create_superuser("racine", "r@exemple.fr", "x")
    client.force_login(racine)
    reponse = client.get(reverse("participants:detail", args=[premier.participant_id]))
    assert reponse.status_code == 200
    traces = Trace.objects.filter(type=TypeTrace.CONSULTATION)
    assert sorted(traces.values_list("plie_id", flat=True)) == sorted(
        [premier.plie_id, second.plie_id]
    )


# — « Qui a consulté ce dossier » —


def bloc(page: str) -> str:
    debut = page.index('id="titre-consultations"')
    return page[debut : page.index("</section>", debut)]


@pytest.mark.parametrize(
    ("role", "voit"),
    [
        (Role.REFERENT, True),
        (Role.ANIMATEUR, True),
        (Role.DIRECTION, True),
        (Role.PRESCRIPTEUR, False),
    ],
)
def test_qui_a_consulte_le_dossier(client, monde, role, voit):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    animateur = monde.user(Role.ANIMATEUR)
    animateur.first_name, animateur.last_name = "Anne", "Imatrice"
    animateur.save()
    client.force_login(animateur)
    client.get(reverse("participants:detail", args=[parcours.participant_id]))
    client.force_login(monde.user(role))
    reponse = client.get(reverse("participants:dossier", args=[parcours.pk]))
    page = reponse.content.decode()
    assert ("Qui a consulté ce dossier" in page) is voit
    if voit:
        consultations = reponse.context["consultations"]
        # Sa propre visite d'abord, puis celle de l'animatrice.
        assert [t.user for t in consultations] == [monde.user(role), animateur]
        assert "Anne Imatrice" in bloc(page)
        assert "Fiche de la personne" in bloc(page)
    else:
        assert reponse.context["consultations"] is None


def test_le_bloc_ne_montre_que_le_plie_du_dossier(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    voisin = monde.user(Role.ANIMATEUR, plie=2)
    tracer(
        TypeTrace.CONSULTATION,
        user=voisin,
        plie=monde.plie2,
        participant_id=parcours.participant_id,
    )
    tracer(TypeTrace.CONNEXION, user=voisin, participant_id=parcours.participant_id)
    client.force_login(parcours.referent)
    reponse = client.get(reverse("participants:dossier", args=[parcours.pk]))
    assert [t.user for t in reponse.context["consultations"]] == [parcours.referent]


def test_le_bloc_compte_les_telechargements_et_les_exports(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    for type_trace in (TypeTrace.TELECHARGEMENT, TypeTrace.DROIT_ACCES, TypeTrace.EXPORT):
        tracer(
            type_trace,
            user=monde.user(Role.DIRECTION),
            plie=monde.plie1,
            participant_id=parcours.participant_id,
        )
    client.force_login(parcours.referent)
    reponse = client.get(reverse("participants:dossier", args=[parcours.pk]))
    types = [t.type for t in reponse.context["consultations"]]
    assert types == [TypeTrace.CONSULTATION, TypeTrace.DROIT_ACCES, TypeTrace.TELECHARGEMENT]


def _requetes(client, parcours) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(reverse("participants:dossier", args=[parcours.pk])).status_code == 200
    return len(requetes)


def test_le_bloc_en_un_nombre_de_requetes_constant(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(parcours.referent)
    _requetes(client, parcours)
    peu = _requetes(client, parcours)
    for i in range(40):
        tracer(
            TypeTrace.CONSULTATION,
            user=monde.user(Role.ANIMATEUR, "a" if i % 2 else "b"),
            plie=monde.plie1,
            participant_id=parcours.participant_id,
        )
    assert _requetes(client, parcours) == peu
