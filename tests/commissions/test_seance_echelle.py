"""L'écran de séance à l'échelle : nombre de requêtes constant quel que soit l'ordre du jour,
suggestions calculées par lot, candidats repliés (les meilleurs, puis l'autocomplétion)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.commissions.enums import TypeDecision
from parcours.commissions.models import Decision
from parcours.commissions.services import (
    decider,
    suggerer_referents,
    suggerer_referents_par_lot,
)
from parcours.core.enums import Role
from tests.factories import StructureFactory, membre
from workflows.commissions.lignes import CANDIDATS_PAR_LIGNE

pytestmark = pytest.mark.django_db


def _page(client, session):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("commissions:detail", args=[session.pk]))
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


@pytest.mark.parametrize("qui", ["animateur", "president", "membre", "direction"])
def test_requetes_constantes_de_2_a_10_dossiers(client, commission, qui):
    """L'animation (inscrire, retirer, envoyer, annuler) comme les membres (décider) et la
    direction : même nombre de requêtes pour 2 ou 10 dossiers."""
    session = commission.session()
    client.force_login(getattr(commission, qui))
    for _ in range(2):
        commission.inscrit(session)
    commission.dossier(Statut.RECEVABLE)  # un dossier prêt, hors ordre du jour
    response, avec_2 = _page(client, session)
    assert len(response.context["lignes"]) == 2
    for _ in range(8):
        commission.inscrit(session)
    commission.dossier(Statut.RECEVABLE)
    response, avec_10 = _page(client, session)
    assert len(response.context["lignes"]) == 10
    if qui in ("president", "membre"):
        assert response.context["decide"]
    if response.context["decide"]:
        assert all(ligne.suggestions for ligne in response.context["lignes"])
    assert avec_10 == avec_2


def test_suggestions_par_lot_identiques_a_l_unite(commission, django_assert_max_num_queries):
    dossiers = [commission.dossier(Statut.EN_COMMISSION_ENTREE) for _ in range(3)]
    with django_assert_max_num_queries(2):
        lot = suggerer_referents_par_lot(dossiers)
    for dossier in dossiers:
        assert lot[dossier.pk] == suggerer_referents(dossier)


def test_candidats_replies_et_autre_referent_par_autocompletion(client, commission):
    monde = commission.monde
    nouveaux = [
        membre(Role.REFERENT, StructureFactory(plie=monde.plie1, nom=f"Opérateur {i}"))
        for i in range(CANDIDATS_PAR_LIGNE + 2)
    ]
    session = commission.session()
    dossier = commission.inscrit(session)
    client.force_login(commission.animateur)
    response, _ = _page(client, session)
    (ligne,) = response.context["lignes"]
    assert len(ligne.suggestions) == CANDIDATS_PAR_LIGNE
    assert ligne.autres_candidats == 4  # 2 référents du monde + 7 nouveaux - 5 montrés
    page = response.content.decode()
    assert page.count("<option value=") < 3 + CANDIDATS_PAR_LIGNE + 4
    assert 'name="autre_referent"' in page
    assert f"?plie={monde.plie1.pk}" in page
    # Un référent absent des 5 proposés, choisi par l'autocomplétion.
    montres = {s.referent for s in ligne.suggestions}
    autre = next(u for u in nouveaux if u not in montres)
    client.force_login(commission.president)
    client.post(
        reverse("commissions:detail", args=[session.pk]),
        {
            "action": "decider",
            "parcours": dossier.pk,
            "decision": "admis",
            "autre_referent": f"{autre.get_full_name()} (n° {autre.pk})",
        },
    )
    assert Decision.objects.get(parcours=dossier).referent == autre


def test_autre_referent_illisible_refuse_avec_un_message(client, commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    client.force_login(commission.president)
    response = client.post(
        reverse("commissions:detail", args=[session.pk]),
        {"action": "decider", "parcours": dossier.pk, "decision": "admis", "autre_referent": "xx"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Autre référent : choisissez une proposition de la liste." in response.content.decode()
    assert not Decision.objects.filter(parcours=dossier).exists()


def _requetes(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_ecran_de_cloture_en_requetes_constantes(client, commission):
    """Les dossiers sans décision listés et les membres cochés : même nombre de requêtes avec
    1 ou 6 dossiers oubliés."""
    compte = {}
    for jours, oublies in ((7, 1), (8, 6)):
        session = commission.session(jours=jours)
        decide = commission.inscrit(session)
        for _ in range(oublies):
            commission.inscrit(session)
        decider(session, decide, TypeDecision.REFUSE, par=commission.president, motif="Non")
        client.force_login(commission.animateur)
        url = reverse("commissions:cloturer", args=[session.pk])
        response, compte[oublies] = _requetes(client, url)
        assert len(response.context["sans_decision"]) == oublies
    assert compte[1] == compte[6]


def test_liste_des_seances_et_comptes_a_placer_en_requetes_constantes(client, commission):
    commission.session()
    client.force_login(commission.animateur)
    url = reverse("commissions:index")
    commission.dossier(Statut.RECEVABLE)
    response, avec_1 = _requetes(client, url)
    for _ in range(4):
        commission.dossier(Statut.RECEVABLE)
    commission.session(jours=9)  # reçoit les 5 dossiers en attente
    commission.dossier(Statut.SORTIE_PROPOSEE)
    response, ensuite = _requetes(client, url)
    assert response.context["a_placer"] == [(commission.monde.plie1, {"entree": 0, "sortie": 1})]
    assert ensuite == avec_1
