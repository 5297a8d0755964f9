"""Une seule lecture des contrats (issue 12, point 4) : la page des contrats, le minuteur de
sortie et la commande `evaluer_sortie` donnent la même prévision pour les mêmes contrats, y
compris ceux qui commencent après la date d'évaluation ; « la plus proche » est une règle d'un
type de contrat que la personne a ; les mois cumulés ne sont jamais atteints avant les mêmes
périodes comptées de date à date. Exemples sur les deux PLIE de la démo (demo.donnees.PLIE_DEMO).
"""

import datetime
import json
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from demo.donnees import PLIE_DEMO
from parcours.accompagnement.enums import Statut
from parcours.emploi import services
from parcours.emploi.qualification import evaluer_sortie
from parcours.referentiel import calendrier
from parcours.referentiel.sections.sortie.mesures import DureeMin
from tests.emploi.fabrique_emploi import cdi, il_y_a, referentiel
from tests.emploi.outils import (
    REFERENTIELS,
    contrat,
    d,
    referentiels_avec_sortie,
    regle,
    section,
    situation,
    sortie,
)
from tests.factories import parcours_en
from workflows.emploi.flows import HEURE_MINUTEUR, SortieFlow

UN_JOUR = datetime.timedelta(days=1)
# La règle de chaque PLIE de la démo qui qualifie un CDI, et un CDD, à temps plein.
REGLE_CDI = {"agenais": "cdi", "flandre-lys": "contrat-6-mois"}
REGLE_CDD = {"agenais": "cdd", "flandre-lys": "contrat-6-mois"}


def test_les_plie_de_la_demo_sont_couverts():
    assert set(REGLE_CDI) == set(REGLE_CDD) == set(PLIE_DEMO)


# --- Exemples du moteur --------------------------------------------------------------------------


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_cdi_continu_qualifie_par_ses_6_mois_de_date_a_date(plie):
    """CDI du 08/01/2024 : 180 jours le 05/07/2024, mais 6 mois de date à date le 07/07/2024 ;
    aucune règle (pas même « contrats successifs : 6 mois cumulés ») ne qualifie avant."""
    cdi_gifi = contrat("cdi", "gifi", "2024-01-08")
    for jour in ("2024-07-05", "2024-07-06"):
        q = evaluer_sortie(sortie(plie), situation(jour, cdi_gifi))
        assert (q.qualifie, q.regle, q.previsionnel_le) == (
            False,
            REGLE_CDI[plie],
            d("2024-07-07"),
        ), q.explication
    q = evaluer_sortie(sortie(plie), situation("2024-07-07", cdi_gifi))
    assert (q.qualifie, q.regle, q.atteint_le) == (True, REGLE_CDI[plie], d("2024-07-07"))


@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_cdd_qui_commence_demain_a_une_date_prevue(plie):
    """CDD 35 h du 07/12/2026 au 30/06/2027 saisi le 06/12/2026 : 6 mois le 06/06/2027."""
    cdd = contrat("cdd", "mairie", "2026-12-07", "2027-06-30")
    q = evaluer_sortie(sortie(plie), situation("2026-12-06", cdd))
    assert (q.qualifie, q.regle, q.atteint_le, q.previsionnel_le) == (
        False,
        REGLE_CDD[plie],
        None,
        d("2027-06-06"),
    )
    assert "aucun contrat compté" not in q.explication
    assert q.explication.endswith(
        "Atteinte prévue le 06/06/2027 si les contrats en cours se poursuivent."
    )


@pytest.mark.parametrize(
    ("plie", "contrats", "attendue"),
    [
        # CDD à 20 h sans accord pour un temps partiel : écarté de toutes les règles ; la plus
        # proche est celle des CDD (qui dit pourquoi il n'est pas compté), pas celle des CDI.
        ("agenais", [contrat("cdd", "mairie", "2024-01-01", "2024-12-31", hebdo=20)], "cdd"),
        # Intérim court et terminé, jamais 1 215 h : la règle de l'intérim, pas la première.
        (
            "flandre-lys",
            [contrat("interim", "adecco", "2024-01-01", "2024-01-31")],
            "interim-1215h",
        ),
    ],
)
def test_la_plus_proche_est_d_un_type_que_la_personne_a(plie, contrats, attendue):
    q = evaluer_sortie(sortie(plie), situation("2024-06-30", *contrats))
    assert (q.qualifie, q.previsionnel_le, q.regle) == (False, None, attendue), q.explication
    assert contrats[0].type in regle(plie, q.regle).types


def _regles_en_mois_cumules():
    for ref in referentiels_avec_sortie():
        for r in sortie(ref).regles:
            for mesure, valeur in r.mesures:
                if isinstance(mesure, DureeMin) and not valeur.sans_interruption:
                    yield pytest.param(ref, r.code, valeur.mois, id=f"{ref}-{r.code}")


@pytest.mark.parametrize(("ref", "code", "mois"), list(_regles_en_mois_cumules()))
def test_mois_cumules_jamais_avant_les_mois_de_date_a_date(ref, code, mois):
    """Un contrat continu commencé n'importe quel jour d'une année (fins de mois, février,
    année bissextile) : la règle en mois cumulés est atteinte le jour même où les mois sont
    complets de date à date, jamais avant."""
    r = regle(ref, code)
    type_contrat = sorted(r.types)[0]
    debut = datetime.date(2023, 12, 20)
    while debut < datetime.date(2025, 1, 10):
        continu = contrat(type_contrat, "e", debut.isoformat(), client="airbus")
        bilan = r.evaluer(situation(debut + relativedelta(years=2), continu, age=60))
        assert bilan.atteint_le == calendrier.terme(debut, mois), (debut, bilan.explication)
        debut += datetime.timedelta(days=3)


# --- La page, le minuteur et la commande -----------------------------------------------------


def _json_des_contrats(parcours, date) -> dict:
    """Ce qu'une personne écrirait dans le fichier de la commande pour ces contrats."""
    return {
        "date": date.isoformat(),
        "age": services.age_a(parcours.participant.date_naissance, date),
        "accord_temps_partiel": False,
        "contrats": [
            {
                "type": c.type,
                "employeur": c.employeur,
                "debut": c.debut.isoformat(),
                "fin": c.fin.isoformat() if c.fin else None,
                "heures_hebdo": float(c.heures_hebdo),
            }
            for c in parcours.contrats.order_by("debut")
        ],
    }


def _commande(plie, donnees, tmp_path) -> dict:
    chemin = tmp_path / "contrats.json"
    chemin.write_text(json.dumps(donnees), encoding="utf-8")
    sortie_standard = StringIO()
    call_command(
        "evaluer_sortie",
        "--referentiel",
        str(REFERENTIELS / f"{plie}.yaml"),
        "--contrats",
        str(chemin),
        stdout=sortie_standard,
    )
    return json.loads(sortie_standard.getvalue())


@pytest.mark.django_db
@pytest.mark.parametrize("plie", PLIE_DEMO)
def test_contrat_qui_commence_demain_page_minuteur_et_commande_d_accord(
    client, monde, plie, tmp_path
):
    referentiel(monde.plie1, sortie=section(plie))
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    aujourdhui = timezone.localdate()
    demain = aujourdhui + UN_JOUR
    services.enregistrer_contrat(
        parcours,
        par=parcours.referent,
        **cdi("Mairie", type="cdd", debut=demain, fin=demain + relativedelta(months=7)),
    )
    prevu = calendrier.terme(demain, 6)

    client.force_login(parcours.referent)
    reponse = client.get(reverse("emploi:contrats", args=[parcours.pk]))
    assert reponse.status_code == 200
    page = reponse.context["qualification"]
    assert (page.qualifie, page.regle, page.previsionnel_le) == (False, REGLE_CDD[plie], prevu)
    html = reponse.content.decode()
    assert f'<strong id="previsionnel">{prevu:%d/%m/%Y}</strong>' in html
    assert "Non atteignable" not in html

    assert _commande(plie, _json_des_contrats(parcours, aujourdhui), tmp_path) == page.as_dict()

    minuteur = SortieFlow.task_class.objects.get(
        process__flow_class=SortieFlow,
        process__artifact_object_id=parcours.pk,
        flow_task=SortieFlow.attente,
    )
    assert timezone.localtime(minuteur.scheduled) == timezone.make_aware(
        datetime.datetime.combine(prevu, HEURE_MINUTEUR)
    )


@pytest.mark.django_db
def test_la_page_nomme_la_regle_par_son_libelle(client, monde):
    referentiel(monde.plie1)
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    services.enregistrer_contrat(parcours, par=parcours.referent, **cdi(debut=il_y_a(months=7)))
    client.force_login(parcours.referent)
    html = client.get(reverse("emploi:contrats", args=[parcours.pk])).content.decode()
    assert "(règle « CDI ou CDD, 6 mois chez le même employeur »)" in html
    assert "cdi-cdd-6-mois" not in html
