"""Deux lignes nouvelles d'un même fichier de participants, seulement proches l'une de l'autre :
la détection de doublons de l'instance les compare aussi ; les deux personnes sont créées, la
seconde signalée au rapport (jamais fusionnée)."""

import datetime

import pytest

from parcours.participants.models import Participant
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.service import reprendre
from tests.factories import ParticipantFactory
from tests.reprise.export import _d, ecrire_export, generer

pytestmark = pytest.mark.django_db


def _personne(source_id):
    return Provenance.objects.get(entite=Entite.PARTICIPANT, source_id=source_id).participant


def test_deux_lignes_proches_du_meme_fichier_sont_creees_et_signalees(
    monde, referents, viesion, tmp_path
):
    personnes, dossiers = generer(14, referents=(referents[0].username,))
    premiere, seconde = personnes[2], personnes[9]
    # Même personne saisie deux fois, autrement écrite, le jour et le mois inversés.
    premiere.update({"Nom": "Lefebvre", "Prénom": "Eloise", "Date de naissance": "03/04/1985"})
    seconde.update({"Nom": "LEFEBVRE", "Prénom": "Éloïse", "Date de naissance": "04/03/1985"})

    rapport = reprendre(monde.plie1, viesion, ecrire_export(tmp_path / "v1", personnes, dossiers))

    assert Participant.objects.count() == 14  # les deux sont créées, rien n'est fusionné
    a, b = _personne(premiere["N° participant"]), _personne(seconde["N° participant"])
    assert a != b
    (lien,) = rapport.liens
    assert (lien.fichier, lien.ligne, lien.source_id) == ("participants.csv", 11, "VS00009")
    assert not lien.lie and lien.numeros == (a.numero,)
    assert "ligne 4 du fichier" in lien.raisons
    assert "date de naissance proche (03/04/1985)" in lien.raisons
    assert (
        f"participants.csv, ligne 11 (VS00009) : nouvelle personne créée ; proche de {a.numero}"
        in rapport.texte()
    )

    # Une relance ne les signale plus (elles sont reprises) et ne crée personne.
    rapport = reprendre(monde.plie1, viesion, ecrire_export(tmp_path / "v2", personnes, dossiers))
    assert rapport.liens == [] and Participant.objects.count() == 14


def test_une_ligne_proche_d_une_personne_connue_et_d_une_autre_ligne_cite_les_deux(
    monde, referents, viesion, tmp_path
):
    personnes, dossiers = generer(14, referents=(referents[0].username,))
    naissance = datetime.date(1990, 6, 15)
    connue = ParticipantFactory(nom="Martin", prenom="Hugo", date_naissance=naissance)
    personnes[1].update({"Nom": "Martinn", "Prénom": "Hugo", "Date de naissance": _d(naissance)})
    personnes[5].update({"Nom": "Martim", "Prénom": "Hugo", "Date de naissance": _d(naissance)})

    rapport = reprendre(monde.plie1, viesion, ecrire_export(tmp_path / "v1", personnes, dossiers))

    assert Participant.objects.count() == 15
    premiere = _personne(personnes[1]["N° participant"])
    lien = next(x for x in rapport.liens if x.ligne == 7)
    assert lien.numeros == (connue.numero, premiere.numero)
    assert "ligne 3 du fichier" in lien.raisons
    # La première n'est proche que de la personne connue.
    (autre,) = [x for x in rapport.liens if x.ligne == 3]
    assert autre.numeros == (connue.numero,)
