"""Le territoire du parcours repris (colonne `territoire`, table `valeurs.territoire`) : il
range le dossier dans les séances de son territoire, comme un dossier saisi."""

import pytest
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS, STATUS

from parcours.commissions.enums import TypeDecision
from parcours.commissions.errors import DonneesCommissionInvalides
from parcours.commissions.services import decider, inscrire_a_la_session, prochaine_session
from parcours.core.enums import Role
from parcours.reprise.correspondance import lire_correspondance
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import reprendre
from tests.commissions.conftest import Commission
from tests.reprise.export import (
    COLONNES_PARCOURS,
    COLONNES_PARTICIPANTS,
    CORRESPONDANCE_VIESION,
    ecrire_csv,
    generer,
)
from workflows.commissions.reactions import avancer_flux_entree
from workflows.entree.flows import EntreeFlow

pytestmark = pytest.mark.django_db


def _export(dossier, personnes, dossiers):
    dossier.mkdir(parents=True, exist_ok=True)
    ecrire_csv(dossier / "participants.csv", COLONNES_PARTICIPANTS, personnes)
    ecrire_csv(dossier / "parcours.csv", [*COLONNES_PARCOURS, "Territoire"], dossiers)
    return dossier


def _recevables(territoires):
    """Autant de personnes que de territoires, chacune avec un parcours recevable (R00000…)."""
    personnes, dossiers = generer(len(territoires))
    dossiers = [d for d in dossiers if d["N° parcours"].startswith("R")]
    for dossier, territoire in zip(dossiers, territoires, strict=True):
        dossier.update({"Statut": "Recevable", "Territoire": territoire, "Référent": ""})
        dossier.update({"Date d'entrée": "", "Date de sortie": "", "Motif de sortie": ""})
    return personnes, dossiers


def _repris(source_id):
    return Provenance.objects.get(entite=Entite.PARCOURS, source_id=source_id).parcours


def test_le_territoire_est_retrouve_par_son_code_ou_son_nom_et_vide_reste_vide(
    monde, viesion, tmp_path
):
    monde.territoire1.nom = "Agen centre"
    monde.territoire1.save()
    personnes, dossiers = _recevables(["t1", "AGEN Centre", ""])

    reprendre(monde.plie1, viesion, _export(tmp_path / "v1", personnes, dossiers))

    assert _repris("R00000").territoire == monde.territoire1
    assert _repris("R00001").territoire == monde.territoire1
    assert _repris("R00002").territoire is None

    # Une relance qui donne un territoire au dossier sans territoire le met à jour.
    dossiers[2]["Territoire"] = "t1"
    rapport = reprendre(monde.plie1, viesion, _export(tmp_path / "v2", personnes, dossiers))
    assert rapport.comptes[Entite.PARCOURS].mis_a_jour == 1
    assert _repris("R00002").territoire == monde.territoire1

    # Vidée à la relance suivante, la colonne ne retire pas le territoire du parcours.
    dossiers[0]["Territoire"] = ""
    rapport = reprendre(monde.plie1, viesion, _export(tmp_path / "v3", personnes, dossiers))
    assert rapport.comptes[Entite.PARCOURS].mis_a_jour == 1
    assert _repris("R00000").territoire == monde.territoire1


def test_la_table_de_valeurs_traduit_les_libelles_de_l_autre_outil(monde, tmp_path):
    texte = CORRESPONDANCE_VIESION.read_text(encoding="utf-8").replace(
        "  valeurs:\n    statut:",
        '  valeurs:\n    territoire: {"Antenne d\'Agen": t1}\n    statut:',
        1,
    )
    correspondance = lire_correspondance(texte)
    personnes, dossiers = _recevables(["Antenne d'Agen", "t1"])

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, correspondance, _export(tmp_path / "v1", personnes, dossiers))
    # Avec une table, une valeur absente de la table est refusée, même un code du PLIE.
    (r,) = refus.value.rapport.refus
    assert (r.ligne, r.colonne, r.raison) == (3, "Territoire", "valeur « t1 » sans correspondance")

    del dossiers[1]
    reprendre(monde.plie1, correspondance, _export(tmp_path / "v2", personnes[:1], dossiers))
    assert _repris("R00000").territoire == monde.territoire1


def test_un_territoire_inconnu_du_plie_est_refuse(monde, viesion, tmp_path):
    # t2 est un territoire du PLIE 2.
    personnes, dossiers = _recevables(["t1", "Nulle part", "t2"])

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, _export(tmp_path / "v1", personnes, dossiers))

    assert [str(r) for r in refus.value.rapport.refus] == [
        "parcours.csv, ligne 3, colonne « Territoire » : territoire « Nulle part » inconnu de ce "
        "PLIE",
        "parcours.csv, ligne 4, colonne « Territoire » : territoire « t2 » inconnu de ce PLIE",
    ]
    assert not Provenance.objects.exists()


def test_le_dossier_repris_attend_la_seance_de_son_territoire(monde, viesion, tmp_path):
    """PLIE 2 : un comité d'entrée par territoire (t2 et t2b). Le dossier repris en t2b attend
    la décision au nœud « Décision de la commission d'entrée » ; la séance de t2b le reçoit,
    pas celle de t2, et sa décision fait avancer le flux repris."""
    commission = Commission(monde)
    membre = monde.user(Role.COMMISSION, "a", 2)
    referent = monde.user(Role.REFERENT, "a", 2)
    seance_t2 = commission.session(jours=3, plie=2, membres=[membre], president=membre)
    seance_t2b = commission.session(
        jours=10, plie=2, territoire=commission.territoire2b, membres=[membre], president=membre
    )
    personnes, dossiers = _recevables(["Territoire B"])

    reprendre(monde.plie2, viesion, _export(tmp_path / "v1", personnes, dossiers))

    parcours = _repris("R00000")
    assert parcours.territoire == commission.territoire2b
    process = Process.objects.get(artifact_object_id=parcours.pk, status=PROCESS.NEW)
    attente = process.task_set.exclude(status=STATUS.DONE).get()
    assert attente.flow_task == EntreeFlow.decision_commission
    assert prochaine_session(parcours) == seance_t2b
    animateur = monde.user(Role.ANIMATEUR, "a", 2)
    with pytest.raises(DonneesCommissionInvalides, match="territoire"):
        inscrire_a_la_session(seance_t2, parcours, par=animateur)

    inscrire_a_la_session(seance_t2b, parcours, par=animateur)
    decider(seance_t2b, parcours, TypeDecision.ADMIS, par=membre, referent=referent)
    parcours.refresh_from_db()
    avancer_flux_entree(parcours)  # ce que fait l'écran de séance après la décision

    tache = process.task_set.get(flow_task=EntreeFlow.premier_entretien)
    assert (parcours.statut, tache.owner) == ("admis", referent)
