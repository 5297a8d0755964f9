"""Envoyer une prescription par l'API : les contrôles de l'écran (formulaires réutilisés), la
détection des doublons, l'éligibilité évaluée par le référentiel, le flux d'entrée démarré ;
clé d'idempotence ; lire le statut et la décision ; mauvaise saisie : 400 nommant le champ."""

import copy
import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Process

from parcours.accompagnement.models import Parcours
from parcours.core.cles import creer_cle
from parcours.core.enums import DroitCle, Role
from parcours.core.models import EcritureApi, Structure
from parcours.participants.models import Participant
from tests.api.conftest import ClientApi
from tests.factories import membre

URL = "/api/v1/prescriptions/"

ENVOI = {
    "personne": {
        "nom": "Lefèvre",
        "prenom": "Éloïse",
        "date_naissance": "1980-05-17",
        "sexe": "F",
        "telephone": "0612345678",
        "commune_insee": "47001",
    },
    "situation": {
        "motif": "Recherche d'emploi depuis deux ans.",
        "sans_emploi_depuis": "2022-06-01",
        "niveau_qualification": 3,
        "freins": ["mobilite"],
        "statuts": [{"code": "rsa", "depuis": "2022-01-01"}],
    },
    "notice_remise": True,
}


def envoi(**surcharges):
    donnees = copy.deepcopy(ENVOI)
    for chemin, valeur in surcharges.items():
        cible = donnees
        *parents, feuille = chemin.split("__")
        for p in parents:
            cible = cible[p]
        if valeur is None:
            cible.pop(feuille, None)
        else:
            cible[feuille] = valeur
    return donnees


def cle_de(acteurs, structure_nom="France Travail Agen", droits=None, plie=None):
    plie = plie or acteurs.agenais
    admin = membre(Role.ADMIN, Structure.objects.get(plie=plie, nom="Agglo Emploi"))
    cle, jeton = creer_cle(
        par=admin,
        plie=plie,
        structure=Structure.objects.get(plie=plie, nom=structure_nom),
        role=Role.PRESCRIPTEUR,
        droits=droits or list(DroitCle.values),
        nom="Logiciel du partenaire",
        expire_le=timezone.localdate() + datetime.timedelta(days=30),
    )
    return ClientApi(jeton), cle


@pytest.fixture
def partenaire(acteurs):
    return cle_de(acteurs)


def test_creer_une_prescription_comme_a_l_ecran(acteurs, partenaire):
    api, cle = partenaire
    reponse = api.post(URL, ENVOI)
    assert reponse.status_code == 201, reponse.content
    corps = reponse.json()
    parcours = Parcours.objects.get(pk=corps["id"])
    assert (parcours.plie, parcours.statut, parcours.prescripteur) == (
        acteurs.agenais,
        "prescrit",
        cle.compte,
    )
    assert parcours.structure_prescriptrice == cle.structure
    assert parcours.participant.commune_nom  # la commune du PLIE, reconnue par son code INSEE
    assert parcours.prescription.notice_remise_par == cle.compte
    assert [s.code for s in parcours.prescription.statuts.all()] == ["rsa"]
    # L'éligibilité évaluée par le référentiel du PLIE, rendue avec son explication.
    assert corps["eligibilite"]["eligible"] is True
    assert corps["eligibilite"]["criteres"]
    assert corps["statut"] == "prescrit" and corps["decision"] is None
    assert corps["participant"]["nom"] == "Lefèvre"
    # Le flux d'entrée démarre : la recevabilité attend l'équipe d'animation.
    assert Process.objects.filter(
        flow_class__endswith="EntreeFlow", artifact_object_id=parcours.pk
    ).exists()
    # L'écriture est journalisée avec la clé.
    ecriture = EcritureApi.objects.get()
    assert (ecriture.cle, ecriture.user, ecriture.action, ecriture.objet_id) == (
        cle,
        cle.compte,
        "prescription",
        str(parcours.pk),
    )


def test_la_cle_d_idempotence_rejoue_sans_creer_deux_fois(partenaire):
    api, _ = partenaire
    premiere = api.post(URL, ENVOI, idempotence="fiche-2026-001")
    assert premiere.status_code == 201
    seconde = api.post(URL, ENVOI, idempotence="fiche-2026-001")
    assert seconde.status_code == 201
    assert seconde["Idempotent-Replayed"] == "true"
    assert seconde.json()["id"] == premiere.json()["id"]
    assert Parcours.objects.count() == 1 and EcritureApi.objects.count() == 1
    # La même clé pour une autre requête : 409, rien de créé.
    autre = api.post(URL, envoi(personne__nom="Martin"), idempotence="fiche-2026-001")
    assert autre.status_code == 409
    assert "fiche-2026-001" in autre.json()["detail"]
    assert Parcours.objects.count() == 1


def test_idempotence_propre_a_chaque_cle(acteurs, partenaire):
    api, _ = partenaire
    assert api.post(URL, ENVOI, idempotence="k1").status_code == 201
    autre, _ = cle_de(acteurs, "CCAS Agen")
    # Une autre structure, même clé d'idempotence : une écriture à elle (ici un doublon).
    reponse = autre.post(URL, ENVOI, idempotence="k1")
    assert reponse.status_code == 409
    assert reponse.json()["code"] == "doublon_possible"


def test_doublon_possible_409_puis_confirmation(acteurs, partenaire):
    api, _ = partenaire
    assert api.post(URL, ENVOI).status_code == 201
    # Une autre structure envoie la même personne (accents et casse changés) : 409, rien créé ;
    # elle ne voit pas la fiche de l'autre prescripteur, seulement qu'il y en a une.
    autre, _ = cle_de(acteurs, "CCAS Agen")
    reponse = autre.post(URL, envoi(personne__nom="LEFEVRE", personne__prenom="Eloise"))
    assert reponse.status_code == 409
    corps = reponse.json()
    assert corps["code"] == "doublon_possible"
    assert (corps["correspondances"], corps["hors_perimetre"]) == ([], 1)
    assert Participant.objects.count() == 1
    # Le même prescripteur voit la correspondance et peut rattacher ou confirmer.
    reponse = api.post(URL, envoi(personne__nom="LEFEVRE"))
    assert reponse.status_code == 409
    assert [c["nom"] for c in reponse.json()["correspondances"]] == ["Lefèvre"]
    confirme = autre.post(URL, envoi(personne__nom="LEFEVRE", doublon={"nouvelle_personne": True}))
    assert confirme.status_code == 201
    assert Participant.objects.count() == 2


def test_rattacher_a_une_personne_hors_perimetre_400(acteurs, partenaire):
    api, _ = partenaire
    autre, _ = cle_de(acteurs, "CCAS Agen")
    cree = autre.post(URL, ENVOI).json()
    reponse = api.post(URL, envoi(doublon={"rattacher_a": cree["participant"]["id"]}))
    assert reponse.status_code == 400
    assert list(reponse.json()["champs"]) == ["doublon.rattacher_a"]


@pytest.mark.parametrize(
    "surcharges, champ",
    [
        ({"personne__nom": None}, "personne.nom"),
        ({"personne__date_naissance": "17/05/1980"}, "personne.date_naissance"),
        ({"personne__date_naissance": "2999-01-01"}, "personne.date_naissance"),
        ({"personne__sexe": "X"}, "personne.sexe"),
        ({"personne__commune_insee": "99999"}, "personne.commune_insee"),
        ({"personne__nom": "Le\nfèvre"}, "personne.nom"),
        ({"personne__surnom": "Lolo"}, "personne.surnom"),
        ({"situation__motif": ""}, "situation.motif"),
        ({"situation__niveau_qualification": "haut"}, "situation.niveau_qualification"),
        ({"situation__freins": "mobilite"}, "situation.freins"),
        ({"situation__freins": ["voler"]}, "situation.freins.0"),
        ({"situation__sans_emploi_depuis": "2999-01-01"}, "situation.sans_emploi_depuis"),
        ({"situation__statuts": [{"code": "rsa", "depuis": "2999-01-01"}]}, "situation.statuts"),
        ({"situation__statuts": [{"code": "rsa", "jour": "x"}]}, "situation.statuts.0.jour"),
        ({"notice_remise": False}, "notice_remise"),
        ({"notice_remise": "peut-être"}, "notice_remise"),
        ({"champ_inconnu": 1}, "champ_inconnu"),
    ],
)
def test_mauvaise_saisie_400_nommant_le_champ(partenaire, surcharges, champ):
    api, _ = partenaire
    reponse = api.post(URL, envoi(**surcharges))
    assert reponse.status_code == 400, reponse.content
    corps = reponse.json()
    assert champ in corps["champs"], corps
    assert corps["detail"].startswith("Requête invalide")
    assert not Parcours.objects.exists() and not EcritureApi.objects.exists()


@pytest.mark.parametrize("corps", [[], "texte", 12, None])
def test_un_corps_qui_n_est_pas_un_objet_400(partenaire, corps):
    api, _ = partenaire
    reponse = api.post(URL, corps)
    assert reponse.status_code == 400
    assert reponse.json()["champs"]


def test_json_illisible_400(partenaire):
    api, _ = partenaire
    reponse = api.client.post(
        URL, "{pas du json", content_type="application/json", headers=api.entetes
    )
    assert reponse.status_code == 400
    assert "JSON" in reponse.json()["detail"]


def test_idempotency_key_trop_longue_400(partenaire):
    api, _ = partenaire
    reponse = api.post(URL, ENVOI, idempotence="x" * 101)
    assert reponse.status_code == 400
    assert list(reponse.json()["champs"]) == ["Idempotency-Key"]


def test_une_cle_n_agit_pas_dans_un_autre_plie(acteurs, partenaire):
    api, _ = partenaire
    reponse = api.post(URL, envoi(plie="flandre-lys"))
    assert reponse.status_code == 404
    assert api.post(URL, envoi(plie="agenais")).status_code == 201


def test_lire_le_statut_et_la_decision(acteurs, partenaire):
    api, _ = partenaire
    pk = api.post(URL, ENVOI).json()["id"]
    parcours = Parcours.objects.get(pk=pk)
    parcours.declarer_irrecevable(par=acteurs.animateur, motif="Hors critères d'âge.")
    parcours.save()
    corps = api.get(f"{URL}{pk}/").json()
    assert corps["statut"] == "irrecevable"
    assert corps["decision"]["transition"] == "declarer_irrecevable"
    assert corps["decision"]["motif"] == "Hors critères d'âge."
    # Dans la liste aussi, préchargée.
    (ligne,) = api.get(URL).json()["results"]
    assert ligne["decision"] == corps["decision"]


def test_une_autre_structure_ne_lit_pas_la_prescription_404(acteurs, partenaire):
    api, _ = partenaire
    pk = api.post(URL, ENVOI).json()["id"]
    autre, _ = cle_de(acteurs, "CCAS Agen")
    assert autre.get(f"{URL}{pk}/").status_code == 404
    assert autre.get(URL).json()["count"] == 0


def test_une_personne_deja_en_parcours_400(partenaire):
    api, _ = partenaire
    premier = api.post(URL, ENVOI).json()
    reponse = api.post(URL, envoi(doublon={"rattacher_a": premier["participant"]["id"]}))
    assert reponse.status_code == 400
    assert "a déjà un parcours en cours dans ce PLIE" in reponse.json()["champs"]["detail"][0]
    assert Parcours.objects.count() == 1 and EcritureApi.objects.count() == 1
