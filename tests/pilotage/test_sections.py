"""Les sections du tableau de bord (`?section=`) : chacune ne calcule que ses indicateurs, en
un nombre de requêtes constant ; une section inconnue est signalée et la première affichée ;
changer de section garde les filtres, filtrer garde la section."""

from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.core.enums import Role
from parcours.reporting.indicateurs import INDICATEURS
from tests.pilotage.conftest import dossier
from workflows.pilotage.sections import SECTIONS, section_de

pytestmark = pytest.mark.django_db


def _url(plie, **params):
    from urllib.parse import urlencode

    return reverse("pilotage:tableau", args=[plie.pk]) + ("?" + urlencode(params) if params else "")


def test_chaque_indicateur_du_registre_a_une_section_et_chaque_section_des_indicateurs():
    par_section = {
        s.code: [c for c, i in INDICATEURS.items() if section_de(i) == s] for s in SECTIONS
    }
    assert all(par_section.values()), par_section
    assert par_section["entrees"][0] == "entrees_par_mois"


def test_une_section_ne_calcule_que_ses_indicateurs_a_requetes_constantes(client, monde):
    client.force_login(monde.user(Role.DIRECTION))
    dossier(monde, "a")
    url = _url(monde.plie1, section="activite")
    client.get(url)
    with CaptureQueriesContext(connection) as petit:
        reponse = client.get(url)
    codes = [i["tableau"].code for i in reponse.context["indicateurs"]]
    assert codes == ["etapes_par_categorie", "etapes_par_participant", "entretiens_par_mois"]
    with CaptureQueriesContext(connection) as tout:
        for section in SECTIONS:
            client.get(_url(monde.plie1, section=section.code))
    assert len(petit) < len(tout) / 2
    for _ in range(3):
        dossier(monde, "a"), dossier(monde, "b")
    with CaptureQueriesContext(connection) as grand:
        client.get(url)
    assert len(grand) == len(petit)


def test_section_inconnue_signalee_et_premiere_affichee(client, monde):
    client.force_login(monde.user(Role.DIRECTION))
    reponse = client.get(_url(monde.plie1, section="<b>rien</b>"))
    assert reponse.status_code == 200
    assert reponse.context["section"] == SECTIONS[0]
    messages = [str(m) for m in get_messages(reponse.wsgi_request)]
    assert messages == ["Section « <b>rien</b> » inconnue : « Entrées et décisions » est affichée."]
    assert "<b>rien</b>" not in reponse.content.decode()  # échappé


def test_les_liens_de_section_gardent_les_filtres_et_le_formulaire_la_section(client, monde):
    client.force_login(monde.user(Role.DIRECTION))
    params = {"du": "2025-01-01", "au": "2025-06-30", "section": "sorties"}
    html = unescape(client.get(_url(monde.plie1, **params)).content.decode())
    assert 'href="?du=2025-01-01&au=2025-06-30' in html
    assert "section=activite" in html
    assert '<input type="hidden" name="section" value="sorties">' in html
    assert '<span aria-current="page"><strong>Sorties et durées</strong></span>' in html
