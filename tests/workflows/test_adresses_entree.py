"""Les adresses de l'entrée, de l'accueil et des participants ne bougent pas quand leurs écrans
changent de module (workflows/entree, workflows/accueil, workflows/participants) : gabarits,
courriels et favoris s'en servent. Et la référence du flux d'entrée que viewflow range en base
(`flow_class`, `flow_task`) : la déplacer demande une migration des processus existants."""

import pytest
from django.urls import reverse
from viewflow.workflow.fields import get_flow_ref, get_task_ref

from config.site import site
from workflows.accueil.application import AccueilApplication
from workflows.entree.application import EntreeApplication
from workflows.entree.flows import EntreeFlow
from workflows.participants.application import ParticipantsApplication
from workflows.viewsets import FluxViewset


@pytest.mark.parametrize(
    ("nom", "args", "adresse"),
    [
        ("accueil:index", [], "/app/accueil/"),
        ("participants:index", [], "/app/participants/"),
        ("participants:detail", [3], "/app/participants/3/"),
        ("participants:prescrire", [], "/app/participants/prescrire/"),
        ("participants:dossier", [5], "/app/participants/parcours/5/"),
        ("participants:notice", [], "/app/participants/prescrire/notice/"),
        ("participants:droit_acces", [3, "pdf"], "/app/participants/3/droit-d-acces/pdf/"),
        ("entree:index", [], "/app/entree/"),
        ("entree:process_detail", [7], "/app/entree/7/"),
        (
            "entree:verifier_recevabilite:execute",
            [7, 9],
            "/app/entree/7/verifier_recevabilite/9/execute/",
        ),
        ("entree:completer:assign", [7, 9], "/app/entree/7/completer/9/assign/"),
        ("entree:premier_entretien:index", [7, 9], "/app/entree/7/premier_entretien/9/"),
    ],
)
def test_les_adresses_ne_changent_pas(nom, args, adresse):
    assert reverse(nom, args=args) == adresse


def test_le_site_monte_les_applications_de_leur_paquet():
    classes = {type(v) for v in site.viewsets}
    assert {AccueilApplication, ParticipantsApplication, EntreeApplication} <= classes
    entree = next(v for v in site.viewsets if isinstance(v, EntreeApplication))
    # Un FluxViewset : listes de viewflow retirées, chaque adresse limitée par la politique.
    assert isinstance(entree, FluxViewset) and entree._flow_class is EntreeFlow
    assert entree.inbox_path is None and entree.process_list_path is None


def test_reference_du_flux_d_entree_en_base():
    # Ancienne référence (avant workflows/entree/) : « workflows/flows.EntreeFlow ».
    assert get_flow_ref(EntreeFlow) == "workflows/entree.flows.EntreeFlow"
    assert (
        get_task_ref(EntreeFlow.verifier_recevabilite)
        == "workflows/entree.flows.EntreeFlow.verifier_recevabilite"
    )
