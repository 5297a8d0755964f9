"""Les personnes déjà connues de l'instance : liées par la détection de doublons existante,
jamais fusionnées ni réécrites, et listées au rapport."""

import datetime

import pytest

from parcours.participants.models import Participant
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.service import reprendre
from tests.factories import ParticipantFactory
from tests.reprise.export import ecrire_export, generer

pytestmark = pytest.mark.django_db


def _naissance(personne):
    return datetime.datetime.strptime(personne["Date de naissance"], "%d/%m/%Y").date()


def test_la_meme_personne_est_liee_sans_etre_reecrite(monde, referents, viesion, tmp_path):
    personnes, dossiers = generer(14, referents=(referents[0].username,))
    cible = personnes[5]
    # Même personne saisie autrement (accents, casse) dans un autre PLIE, avec son courriel.
    connue = ParticipantFactory(
        nom=cible["Nom"].upper(),
        prenom=cible["Prénom"],
        date_naissance=_naissance(cible),
        email="connue@exemple.fr",
        commune_nom="Nérac",
    )
    dossier = ecrire_export(tmp_path / "export", personnes, dossiers)

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert Participant.objects.count() == 14  # 13 créées + 1 liée, aucune en double
    prov = Provenance.objects.get(entite=Entite.PARTICIPANT, source_id=cible["N° participant"])
    assert prov.participant == connue and prov.liee_a_existant
    connue.refresh_from_db()
    assert (connue.email, connue.commune_nom) == ("connue@exemple.fr", "Nérac")
    (lien,) = rapport.liens
    assert lien.lie and lien.numeros == (connue.numero,) and lien.ligne == 7
    assert "même date de naissance" in lien.raisons
    assert f"→ {connue.numero}" in rapport.texte()
    # Le parcours repris de cette personne est rattaché à la personne connue.
    assert connue.parcours.filter(plie=monde.plie1).count() >= 1

    # Une relance ne réécrit toujours pas son identité, même si l'export a changé.
    cible["Courriel"] = "autre@exemple.fr"
    ecrire_export(dossier, personnes, dossiers)
    reprendre(monde.plie1, viesion, dossier)
    connue.refresh_from_db()
    assert connue.email == "connue@exemple.fr"


def test_une_personne_seulement_proche_est_creee_et_signalee(monde, referents, viesion, tmp_path):
    personnes, dossiers = generer(14, referents=(referents[0].username,))
    cible = personnes[2]
    # Une faute de frappe dans le nom : doublon possible, pas certain.
    proche = ParticipantFactory(
        nom=cible["Nom"] + "e", prenom=cible["Prénom"], date_naissance=_naissance(cible)
    )
    dossier = ecrire_export(tmp_path / "export", personnes, dossiers)

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert Participant.objects.count() == 15
    prov = Provenance.objects.get(entite=Entite.PARTICIPANT, source_id=cible["N° participant"])
    assert prov.participant != proche and not prov.liee_a_existant
    (lien,) = rapport.liens
    assert not lien.lie and lien.numeros == (proche.numero,)
    assert "Doublons possibles à vérifier (1)" in rapport.texte()
