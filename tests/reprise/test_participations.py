"""La reprise des participations FSE+ successives (docs/reprise.md, « participations ») :
créées avec leurs dates et motifs, les questionnaires rattachés à la bonne, relance inchangée,
mise à jour, contrôle sans enregistrement, participation déjà en base reprise, et l'export Ma
Démarche FSE et les indicateurs qui les lisent."""

import csv
import datetime
import io

import pytest

from parcours.accompagnement.models import ParticipationFse, QuestionnaireFSE
from parcours.reporting.indicateurs.base import Filtres, parcours_filtres
from parcours.reporting.ma_demarche_fse import preparer_export
from parcours.reporting.periode import periode
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.service import reprendre
from tests.reprise import export_participations as ep
from tests.reprise.export_participations import EN_COURS, SORTI

pytestmark = pytest.mark.django_db

JOUR = datetime.timedelta(days=1)


@pytest.fixture
def ops(monde):
    return ep.operations(monde)


@pytest.fixture
def export(referents, ops, tmp_path):
    """Le dossier d'export : parcours, participations successives et leurs questionnaires."""
    personnes, lignes, dossiers = ep.generer_parcours(referents[0].username)
    participations, reponses = ep.successives(dossiers, ops)
    ep.ecrire(tmp_path / "export", personnes, lignes, participations, reponses)
    return tmp_path / "export", personnes, lignes, dossiers, participations, reponses


def _objet(entite, source_id, modele):
    return modele.objects.get(
        pk=Provenance.objects.get(entite=entite, source_id=source_id).objet_id
    )


def _participation(source_id):
    return _objet(Entite.PARTICIPATION_FSE, source_id, ParticipationFse)


def _questionnaire(source_id):
    return _objet(Entite.REPONSE_FSE, source_id, QuestionnaireFSE)


def _etat():
    return (
        list(ParticipationFse.objects.order_by("pk").values()),
        list(QuestionnaireFSE.objects.order_by("pk").values_list("pk", "participation_id")),
        Provenance.objects.count(),
    )


def test_les_participations_successives_sont_reprises_avec_leurs_questionnaires(
    monde, viesion, referents, ops, export
):
    dossier, _, _, dossiers, _, _ = export
    controle = reprendre(monde.plie1, viesion, dossier, dry_run=True)
    assert controle.comptes[Entite.PARTICIPATION_FSE].crees == 5
    assert not ParticipationFse.objects.exists()  # le contrôle n'a rien laissé

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert rapport.comptes[Entite.PARTICIPATION_FSE].crees == 5
    assert "Participations FSE+ : 5 créé(s), 0 mis à jour" in rapport.texte()
    # Aucune participation de plus : les questionnaires se rattachent à celles reprises.
    assert ParticipationFse.objects.count() == 5
    e1 = ep.date(dossiers[EN_COURS]["Date d'entrée"])
    pa1, pb1, px1 = _participation("PA1"), _participation("PB1"), _participation("PX1")
    assert (pa1.operation, pa1.date_entree, pa1.date_sortie, pa1.motif_fin) == (
        ops.a,
        e1,
        e1 + 100 * JOUR,
        "changement_structure",
    )
    assert (pb1.operation, pb1.date_entree, pb1.ouverte, pb1.motif_fin) == (
        ops.b,
        e1 + 101 * JOUR,
        True,
        "",
    )
    # Sans structure dans le fichier : celle du référent du parcours.
    assert pa1.structure == pb1.structure == referents[0].memberships.get().structure
    assert pb1.ouverte_par.username == "reprise-viesion"
    assert (px1.operation, px1.motif_fin) == (ops.action, "fin_action")
    assert pa1.parcours == pb1.parcours == _questionnaire("QA1").parcours
    # Chaque questionnaire est celui de sa participation, la bonne par ses dates.
    assert _questionnaire("QA1").participation == pa1
    assert _questionnaire("QB1").participation == pb1
    pb2 = _participation("PB2")
    assert (pb2.date_sortie, pb2.motif_fin) == (pb2.parcours.date_sortie, "sortie")
    assert _questionnaire("QA2").participation == _participation("PA2")
    assert _questionnaire("QB2").participation == pb2  # sans date : la plus récente

    avant = _etat()
    relance = reprendre(monde.plie1, viesion, dossier)
    assert _etat() == avant
    for entite in (Entite.PARTICIPATION_FSE, Entite.REPONSE_FSE):
        assert (relance.comptes[entite].crees, relance.comptes[entite].mis_a_jour) == (0, 0)


def test_une_relance_met_a_jour_et_rattache_le_questionnaire_a_la_nouvelle_participation(
    monde, viesion, ops, export
):
    """Un export plus récent clôt la participation à B et en ouvre une nouvelle à A : le
    questionnaire daté de la nouvelle entrée, inchangé, la rejoint."""
    dossier, personnes, lignes, dossiers, participations, reponses = export
    reprendre(monde.plie1, viesion, dossier)
    e1 = ep.date(dossiers[EN_COURS]["Date d'entrée"])
    retour = e1 + 200 * JOUR
    participations[1].update(
        {
            "Date de sortie de l'opération": f"{retour - JOUR:%d/%m/%Y}",
            "Motif de fin": "Changement de structure",
        }
    )
    participations.append(ep.participation("PA1bis", EN_COURS, ops.a.numero, retour))
    reponses.append(ep.reponse("QA1bis", dossiers[EN_COURS], ops.a.numero, retour))
    ep.ecrire(dossier, personnes, lignes, participations, reponses)

    rapport = reprendre(monde.plie1, viesion, dossier)

    comptes = rapport.comptes[Entite.PARTICIPATION_FSE]
    assert (comptes.crees, comptes.mis_a_jour, comptes.inchanges) == (1, 1, 4)
    pb1 = _participation("PB1")
    assert (pb1.date_sortie, pb1.motif_fin) == (retour - JOUR, "changement_structure")
    assert _questionnaire("QA1bis").participation == _participation("PA1bis")
    assert _questionnaire("QA1").participation == _participation("PA1")  # inchangé

    # Le questionnaire QA1bis, déjà repris, change de participation sans changer lui-même.
    participations[-1]["Date d'entrée dans l'opération"] = f"{retour - 10 * JOUR:%d/%m/%Y}"
    participations[1]["Date de sortie de l'opération"] = f"{retour - 11 * JOUR:%d/%m/%Y}"
    ep.ecrire(dossier, personnes, lignes, participations, reponses)
    rapport = reprendre(monde.plie1, viesion, dossier)
    assert rapport.comptes[Entite.REPONSE_FSE].mis_a_jour == 0
    assert _questionnaire("QA1bis").participation == _participation("PA1bis")


def test_une_participation_deja_en_base_est_reprise_sans_doublon(monde, viesion, ops, export):
    """Les réponses FSE+ reprises d'abord seules créent leur participation ; le fichier des
    participations, arrivé ensuite, la reprend (même opération, même entrée) et la complète."""
    dossier, personnes, lignes, _, participations, reponses = export
    ep.ecrire(
        dossier, personnes, lignes, reponses=[r for r in reponses if r["N° questionnaire"] == "QA1"]
    )
    (dossier / "participations.csv").unlink()
    reprendre(monde.plie1, viesion, dossier)
    creee = ParticipationFse.objects.get()
    assert creee.ouverte  # créée par le questionnaire, sans fin connue

    ep.ecrire(dossier, personnes, lignes, participations, reponses)
    rapport = reprendre(monde.plie1, viesion, dossier)

    comptes = rapport.comptes[Entite.PARTICIPATION_FSE]
    assert (comptes.crees, comptes.mis_a_jour) == (4, 1)
    assert _participation("PA1") == creee
    assert _participation("PA1").motif_fin == "changement_structure"
    assert ParticipationFse.objects.count() == 5


def _lire(export) -> list[dict]:
    fichier = io.StringIO()
    export.ecrire(fichier)
    return list(csv.DictReader(io.StringIO(fichier.getvalue()), delimiter=";"))


def test_l_export_ma_demarche_fse_et_les_indicateurs_lisent_les_participations_reprises(
    monde, viesion, ops, export
):
    dossier, _, _, dossiers, _, _ = export
    reprendre(monde.plie1, viesion, dossier)
    e2 = ep.date(dossiers[SORTI]["Date d'entrée"])
    annees = periode(e2 - 400 * JOUR, e2 + 400 * JOUR)
    pa2, pb2 = _participation("PA2"), _participation("PB2")

    # Entrées : chaque opération a sa ligne, à sa date d'entrée, avec son questionnaire.
    (entree_a,) = [
        ligne
        for ligne in _lire(preparer_export(ops.a, annees))
        if ligne["identifiant_participant"] == str(pa2.pk)
    ]
    assert (entree_a["numero_operation"], entree_a["date_entree"]) == (
        "202100001",
        f"{e2:%d/%m/%Y}",
    )
    assert entree_a["q2_diplome"] == "2c"
    (entree_b,) = [
        ligne
        for ligne in _lire(preparer_export(ops.b, annees))
        if ligne["identifiant_participant"] == str(pb2.pk)
    ]
    assert entree_b["date_entree"] == f"{e2 + 51 * JOUR:%d/%m/%Y}"
    # Sorties de A : le changement de structure, sans données de sortie du PLIE.
    (sortie_a,) = [
        ligne
        for ligne in _lire(preparer_export(ops.a, annees, sorties=True))
        if ligne["identifiant_participant"] == str(pa2.pk)
    ]
    assert (sortie_a["date_sortie"], sortie_a["motif_sortie"], sortie_a["situation_sortie"]) == (
        f"{e2 + 50 * JOUR:%d/%m/%Y}",
        "changement_structure",
        "",
    )

    # Indicateurs : après le changement de structure, le parcours compte pour B, plus pour A.
    apres = periode(e2 + 60 * JOUR, e2 + 90 * JOUR)

    def filtres(op):
        return Filtres(
            plies=frozenset({monde.plie1.pk}), periode=apres, operations=frozenset({op.pk})
        )

    assert pb2.parcours in parcours_filtres(filtres(ops.b))
    assert pb2.parcours not in parcours_filtres(filtres(ops.a))


@pytest.mark.parametrize("nombre", [14, 42])
def test_la_reprise_des_participations_fait_un_nombre_de_requetes_constant(
    monde, viesion, referents, ops, tmp_path, nombre, django_assert_num_queries
):
    """Participations et questionnaires écrits par lots : autant de requêtes pour 8 que pour
    24 participations (les parcours, repris avant, sont inchangés)."""
    personnes, lignes, _ = ep.generer_parcours(referents[0].username, nombre=nombre)
    participations, reponses = ep.une_par_parcours(lignes, ops.a.numero)
    dossier = tmp_path / "export"
    ep.ecrire(dossier, personnes, lignes)
    reprendre(monde.plie1, viesion, dossier)
    ep.ecrire(dossier, personnes, lignes, participations, reponses)
    with django_assert_num_queries(35):
        rapport = reprendre(monde.plie1, viesion, dossier)
    assert rapport.comptes[Entite.PARTICIPATION_FSE].crees == len(participations)
    assert QuestionnaireFSE.objects.filter(participation__isnull=False).count() == len(reponses)
