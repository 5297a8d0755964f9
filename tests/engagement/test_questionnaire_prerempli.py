"""Le questionnaire FSE+ d'entrée est pré-rempli d'après la prescription (ce qu'on sait déjà),
au premier affichage comme après un premier enregistrement partiel : seules les questions sans
réponse reçoivent une suggestion, une réponse donnée n'est jamais remplacée."""

import datetime
import re

import pytest
from django.utils import timezone

from parcours.accompagnement import engagement
from parcours.participants.enums import NiveauQualification
from tests.workflows.test_entree_commission_engagement import (
    commission,  # noqa: F401
    decider,
    recevable,
)
from tests.workflows.test_entree_recevabilite import tache, url


def test_suggestions_pour_les_seules_questions_sans_reponse(admis):
    prescription = admis.prescription
    prescription.niveau_qualification = NiveauQualification.BAC
    prescription.sans_emploi_depuis = timezone.localdate() - datetime.timedelta(days=400)
    prescription.save()
    prescription.statuts.create(code="rsa")
    engagement.enregistrer_questionnaire(
        admis, admis.referent, {"niveau_diplome": NiveauQualification.CAP_BEP}
    )
    questionnaire = engagement.questionnaire_de(admis)
    suggestions = engagement.donnees_initiales(admis, questionnaire)
    assert "niveau_diplome" not in suggestions  # la réponse donnée reste
    assert suggestions["situation_marche_travail"] == "demandeur_emploi"
    assert suggestions["minima_sociaux"] == "oui"

    # Une autre situation déclarée : plus de mois de recherche suggérés.
    engagement.enregistrer_questionnaire(
        admis, admis.referent, {"situation_marche_travail": "inactif"}
    )
    questionnaire.refresh_from_db()
    assert "mois_recherche_emploi" not in engagement.donnees_initiales(admis, questionnaire)


@pytest.mark.parametrize(
    ("statuts", "rqth_jusqu_au", "attendu"),
    [
        (["ass"], None, {"situation_marche_travail": "demandeur_emploi", "minima_sociaux": "oui"}),
        (["rqth"], None, {"handicap_reconnu": "oui"}),
        (["rqth"], -1, {}),  # RQTH échue : rien n'est supposé
        (["aah"], None, {"handicap_reconnu": "oui", "minima_sociaux": "oui"}),
        ([], None, {}),
    ],
)
def test_suggestions_selon_les_statuts_declares(admis, statuts, rqth_jusqu_au, attendu):
    prescription = admis.prescription
    prescription.niveau_qualification = None
    prescription.sans_emploi_depuis = None
    prescription.rqth_jusqu_au = (
        timezone.localdate() + datetime.timedelta(days=rqth_jusqu_au) if rqth_jusqu_au else None
    )
    prescription.save()
    prescription.statuts.all().delete()
    for code in statuts:
        prescription.statuts.create(code=code)
    assert engagement.donnees_initiales(admis) == attendu


def _selectionne(page: str, nom: str) -> str | None:
    select = re.search(rf'<select name="{nom}"[^>]*>(.*?)</select>', page, re.S)
    choisi = re.search(r'<option value="([^"]*)" selected', select.group(1)) if select else None
    return choisi.group(1) if choisi else None


def test_l_ecran_du_premier_entretien_est_pre_rempli(client, acteurs, commission):  # noqa: F811
    """Prescription de l'écran (niveau 3, sans emploi depuis 2022, RSA) → questionnaire."""
    session, president = commission
    parcours = recevable(client, acteurs)
    decider(client, president, session, parcours, decision="admis", referent=acteurs.referent.pk)
    parcours.refresh_from_db()
    execute = url(tache(parcours, "premier_entretien"), "execute")
    client.force_login(acteurs.referent)
    page = client.get(execute).content.decode()
    assert _selectionne(page, "niveau_diplome") == "3"
    assert _selectionne(page, "situation_marche_travail") == "demandeur_emploi"
    assert _selectionne(page, "minima_sociaux") == "oui"
    assert re.search(r'name="mois_recherche_emploi"[^>]*value="\d+"', page)
    assert "Pré-rempli d'après la prescription, à confirmer avec la personne" in page

    # Enregistré en partie (date d'entrée seule) : les suggestions restent sur le reste.
    aujourdhui = timezone.localdate()
    engagement.enregistrer_questionnaire(parcours, acteurs.referent, {"date_entree": aujourdhui})
    page = client.get(execute).content.decode()
    assert _selectionne(page, "niveau_diplome") == "3"
    assert re.search(rf'name="date_entree"[^>]*value="{aujourdhui.isoformat()}"', page)
    # Tout répondu : plus de mention de pré-remplissage.
    engagement.enregistrer_questionnaire(
        parcours,
        acteurs.referent,
        {**engagement.donnees_initiales(parcours), "handicap_reconnu": "non"},
    )
    page = client.get(execute).content.decode()
    assert _selectionne(page, "niveau_diplome") == "3"
    assert "Pré-rempli d'après la prescription" not in page
