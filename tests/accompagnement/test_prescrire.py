import datetime
from pathlib import Path

import pytest
from django.conf import settings

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.services import (
    DoublonPossible,
    accorder_derogation,
    evaluer_eligibilite,
    prescrire,
)
from parcours.core.enums import Role, TypeStructure
from parcours.core.errors import DonneesTransitionInvalides, TransitionNonAutorisee
from parcours.core.models import PLIE
from parcours.participants.models import Participant
from parcours.referentiel.services import importer_referentiel
from tests.factories import StructureFactory, membre

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenais():
    importer_referentiel(Path(settings.BASE_DIR) / "referentiels" / "agenais.yaml")
    return PLIE.objects.get(code="agenais")


@pytest.fixture
def prescripteur(agenais):
    return membre(
        Role.PRESCRIPTEUR,
        StructureFactory(plie=agenais, type=TypeStructure.PRESCRIPTEUR, nom="France Travail Agen"),
    )


@pytest.fixture
def animateur(agenais):
    return membre(
        Role.ANIMATEUR,
        StructureFactory(plie=agenais, type=TypeStructure.PORTEUR, nom="Agglo Emploi"),
    )


def identite(**kwargs):
    return {
        "nom": "Lefèvre",
        "prenom": "Éloïse",
        "date_naissance": datetime.date(1980, 5, 17),
        "sexe": "F",
        "commune_insee": "47001",
        "commune_nom": "Agen",
        **kwargs,
    }


SITUATION = {
    "motif": "Recherche d'emploi depuis deux ans, freins de mobilité.",
    "sans_emploi_depuis": datetime.date(2022, 6, 1),
    "niveau_qualification": 3,
    "freins": ["mobilite"],
}


def test_prescription_cree_personne_parcours_et_situation(agenais, prescripteur):
    parcours = prescrire(
        par=prescripteur,
        plie=agenais,
        identite=identite(),
        situation=SITUATION,
        statuts=[("rsa", datetime.date(2022, 1, 1))],
    )
    parcours = Parcours.objects.get(pk=parcours.pk)
    assert parcours.statut == Statut.PRESCRIT
    assert parcours.prescripteur == prescripteur
    assert parcours.structure_prescriptrice.nom == "France Travail Agen"
    assert parcours.territoire.code == "agglomeration-agen"
    prescription = parcours.prescription
    assert not prescription.auto_prescription
    assert [(s.code, s.depuis) for s in prescription.statuts.all()] == [
        ("rsa", datetime.date(2022, 1, 1))
    ]
    assert prescription.eligibilite is not None
    assert {"eligible", "criteres"} <= set(prescription.eligibilite)


def test_auto_prescription_par_l_animateur(agenais, animateur):
    parcours = prescrire(
        par=animateur, plie=agenais, identite=identite(), situation=SITUATION, statuts=[]
    )
    assert parcours.prescription.auto_prescription
    assert parcours.structure_prescriptrice.nom == "Agglo Emploi"


@pytest.mark.parametrize("role", [Role.REFERENT, Role.CRE, Role.FINANCEUR])
def test_autres_roles_ne_prescrivent_pas(agenais, role):
    user = membre(role, StructureFactory(plie=agenais))
    with pytest.raises(TransitionNonAutorisee):
        prescrire(par=user, plie=agenais, identite=identite(), situation=SITUATION, statuts=[])
    assert not Participant.objects.exists()


def test_doublon_jamais_silencieux(agenais, prescripteur):
    premiere = prescrire(
        par=prescripteur, plie=agenais, identite=identite(), situation=SITUATION, statuts=[]
    )
    with pytest.raises(DoublonPossible) as exc:
        prescrire(
            par=prescripteur,
            plie=agenais,
            identite=identite(nom="LEFEBVRE", prenom="Eloise"),
            situation=SITUATION,
            statuts=[],
        )
    assert [c.participant for c in exc.value.correspondances] == [premiere.participant]
    assert Participant.objects.count() == 1


def test_nouvelle_personne_confirmee_malgre_la_ressemblance(agenais, prescripteur):
    prescrire(par=prescripteur, plie=agenais, identite=identite(), situation=SITUATION, statuts=[])
    prescrire(
        par=prescripteur,
        plie=agenais,
        identite=identite(prenom="Eloisa"),
        situation=SITUATION,
        statuts=[],
        nouvelle_personne_confirmee=True,
    )
    assert Participant.objects.count() == 2


def test_rattachement_a_la_personne_existante_apres_une_sortie(agenais, prescripteur, animateur):
    premiere = prescrire(
        par=prescripteur, plie=agenais, identite=identite(), situation=SITUATION, statuts=[]
    )
    with pytest.raises(DonneesTransitionInvalides, match="déjà un parcours en cours"):
        prescrire(
            par=prescripteur,
            plie=agenais,
            identite=identite(),
            situation=SITUATION,
            statuts=[],
            participant=premiere.participant,
        )
    premiere.annuler(par=prescripteur, motif="Erreur d'orientation")
    premiere.save()
    seconde = prescrire(
        par=prescripteur,
        plie=agenais,
        identite=identite(telephone="0612345678"),
        situation=SITUATION,
        statuts=[],
        participant=premiere.participant,
    )
    assert seconde.participant == premiere.participant
    assert seconde.precedent == premiere
    assert Participant.objects.get().telephone == "0612345678"


def test_hors_territoire_pas_de_territoire(agenais, prescripteur):
    parcours = prescrire(
        par=prescripteur,
        plie=agenais,
        identite=identite(commune_insee="33063", commune_nom="Bordeaux"),
        situation=SITUATION,
        statuts=[],
    )
    assert parcours.territoire is None
    assert parcours.prescription.eligible is False


def test_derogation_tracee(agenais, prescripteur, animateur):
    parcours = prescrire(
        par=prescripteur, plie=agenais, identite=identite(), situation=SITUATION, statuts=[]
    )
    with pytest.raises(TransitionNonAutorisee):
        accorder_derogation(parcours.prescription, par=prescripteur, motif="Situation particulière")
    with pytest.raises(DonneesTransitionInvalides, match="motif de la dérogation est obligatoire"):
        accorder_derogation(parcours.prescription, par=animateur, motif="  ")
    accorder_derogation(
        parcours.prescription, par=animateur, motif="Sortie de détention récente, validé en équipe"
    )
    prescription = Parcours.objects.get(pk=parcours.pk).prescription
    assert prescription.derogation_par == animateur
    assert prescription.derogation_motif == "Sortie de détention récente, validé en équipe"
    assert prescription.derogation_le is not None


def test_sans_referentiel_d_eligibilite_l_explique(monde):
    from tests.factories import parcours_en

    parcours = parcours_en(monde, Statut.PRESCRIT)
    prescription = parcours.prescription
    resultat = evaluer_eligibilite(prescription)
    assert resultat["eligible"] is False
    assert "Aucun critère d'éligibilité en vigueur" in resultat["criteres"][0]["explication"]
