"""La démo de `make run` donne des tableaux de bord non vides : entrées réparties sur les mois de
l'année, sorties par type, et un financeur qui voit des chiffres."""

import pytest
from django.urls import reverse

from parcours.core.models import PLIE
from parcours.reporting.indicateurs import Filtres, calculer
from parcours.reporting.periode import periode
from tests.demo_du_module import demo_du_module
from workflows.pilotage.filtres import annee_en_cours

pytestmark = pytest.mark.django_db

demo = demo_du_module()


@pytest.mark.parametrize("code", ["agenais", "flandre-lys"])
def test_la_demo_remplit_les_graphiques_de_l_annee(demo, code):
    plie = PLIE.objects.get(code=code)
    filtres = Filtres(plies=frozenset({plie.pk}), periode=periode(*annee_en_cours()))
    entrees = calculer("entrees_par_mois", filtres).lignes
    mois_avec_entrees = [mois for mois, n in entrees if n]
    assert len(mois_avec_entrees) >= 6, entrees
    assert sum(n for _, n in calculer("sorties_par_type", filtres).lignes) >= 2


def test_le_financeur_de_la_demo_voit_des_chiffres(client, demo):
    from django.contrib.auth import get_user_model

    financeur = get_user_model().objects.get(username="financeur.agenais")
    client.force_login(financeur)
    reponse = client.get(reverse("accueil:index"), follow=True)
    assert reponse.status_code == 200
    (entrees,) = [
        i["tableau"]
        for i in reponse.context["indicateurs"]
        if i["tableau"].code == "entrees_par_mois"
    ]
    assert sum(n for _, n in entrees.lignes) > 0
