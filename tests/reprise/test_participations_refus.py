"""Les participations FSE+ refusées (docs/reprise.md, « Lignes refusées ») : chaque refus avec son
fichier, sa ligne, sa colonne et sa raison ; rien n'est enregistré."""

import datetime

import pytest

from parcours.accompagnement.models import ParticipationFse, QuestionnaireFSE
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import reprendre
from tests.reprise import export_participations as ep
from tests.reprise.export_participations import EN_COURS, SORTI

pytestmark = pytest.mark.django_db

JOUR = datetime.timedelta(days=1)


@pytest.fixture
def ops(monde):
    return ep.operations(monde)


@pytest.fixture
def genere(referents):
    return ep.generer_parcours(referents[0].username)


def _dates(dossier):
    return (
        ep.date(dossier["Date de prescription"]),
        ep.date(dossier["Date d'entrée"]) if dossier["Date d'entrée"] else None,
        ep.date(dossier["Date de sortie"]) if dossier["Date de sortie"] else None,
    )


def _refus(rapport) -> list[str]:
    return [str(r) for r in rapport.refus]


def test_chaque_ligne_fautive_est_refusee_avec_sa_ligne_et_sa_colonne(
    monde, viesion, ops, genere, tmp_path
):
    personnes, lignes, dossiers = genere
    _, e1, _ = _dates(dossiers[EN_COURS])
    _, e2, s2 = _dates(dossiers[SORTI])
    p8, _, _ = _dates(dossiers["R00008"])  # admis
    _, e10, _ = _dates(dossiers["R00010"])  # suspendu
    p11, _, _ = _dates(dossiers["R00011"])  # en emploi
    _, e12, _ = _dates(dossiers["R00012"])  # sortie proposée
    a, b, action = ops.a.numero, ops.b.numero, ops.action.numero
    fin_a = e1 + 100 * JOUR
    participations = [
        ep.participation("P2", EN_COURS, a, e1, fin_a, "Changement de structure"),
        ep.participation("P3", EN_COURS, b, e1 + 50 * JOUR),
        # Une action financée court pendant l'accompagnement : pas de refus.
        ep.participation("P4", EN_COURS, action, e1 + 10 * JOUR, e1 + 20 * JOUR, "Fin de l'action"),
        ep.participation("P5", SORTI, a, e2),
        ep.participation("P6", SORTI, b, s2 + JOUR, s2 + 2 * JOUR, "Sortie du PLIE"),
        ep.participation("P7", "R00011", "202100999", p11),
        ep.participation("P8", "R00011", a, p11 - JOUR),
        ep.participation("P9", "R00012", a, e12, e12 + 10 * JOUR),
        ep.participation("P10", "R00012", b, e12 + 20 * JOUR, motif="Changement de structure"),
        ep.participation("P11", "R00010", a, e10, e10 + 5 * JOUR, "Démission"),
        ep.participation("P12", "R00010", b, e10 + 10 * JOUR, structure="Nulle part"),
        ep.participation("P13", "R00008", a, p8 + 10 * JOUR, p8 + 5 * JOUR, "Sortie du PLIE"),
    ]
    # Le questionnaire daté d'un jour qu'aucune participation à l'opération ne couvre.
    reponses = [ep.reponse("Q1", dossiers[EN_COURS], a, fin_a + 50 * JOUR)]
    dossier = ep.ecrire(tmp_path / "export", personnes, lignes, participations, reponses)

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)

    entree, sortie, motif = (
        "colonne « Date d'entrée dans l'opération »",
        "colonne « Date de sortie de l'opération »",
        "colonne « Motif de fin »",
    )
    attendus = [
        f"participations.csv, ligne 3, {entree} : chevauche la participation de la ligne 2 "
        f"(opération {a}, du {e1:%d/%m/%Y} au {fin_a:%d/%m/%Y})",
        f"participations.csv, ligne 5, {sortie} : participation en cours sur un parcours clos "
        "(« sorti ») : date de sortie obligatoire",
        f"participations.csv, ligne 6, {entree} : entrée ({s2 + JOUR:%d/%m/%Y}) après la sortie "
        f"du parcours ({s2:%d/%m/%Y})",
        f"participations.csv, ligne 6, {sortie} : sortie ({s2 + 2 * JOUR:%d/%m/%Y}) après la "
        f"sortie du parcours ({s2:%d/%m/%Y})",
        "participations.csv, ligne 7, colonne « N° opération FSE » : opération FSE+ "
        "« 202100999 » inconnue de ce PLIE",
        f"participations.csv, ligne 8, {entree} : entrée ({p11 - JOUR:%d/%m/%Y}) avant la "
        f"prescription du parcours ({p11:%d/%m/%Y})",
        f"participations.csv, ligne 9, {motif} : motif de fin obligatoire pour une participation "
        "close",
        f"participations.csv, ligne 10, {motif} : motif de fin sans date de sortie",
        f"participations.csv, ligne 11, {motif} : valeur « Démission » sans correspondance",
        "participations.csv, ligne 12, colonne « Structure » : structure « Nulle part » inconnue "
        "de ce PLIE",
        f"participations.csv, ligne 13, {sortie} : sortie ({p8 + 5 * JOUR:%d/%m/%Y}) avant "
        f"l'entrée ({p8 + 10 * JOUR:%d/%m/%Y})",
        f"reponses_fse.csv, ligne 2, {entree} : aucune participation du parcours à l'opération "
        f"{a} ne couvre le {fin_a + 50 * JOUR:%d/%m/%Y}",
    ]
    rapport = refus.value.rapport
    assert sorted(_refus(rapport)) == sorted(attendus)
    assert rapport.comptes[Entite.PARTICIPATION_FSE].refuses == 10
    # Tout ou rien : pas même les participants et les parcours justes.
    assert not ParticipationFse.objects.exists() and not Provenance.objects.exists()


def test_une_participation_qui_chevauche_la_base_refuse_tout_le_passage(
    monde, viesion, ops, genere, tmp_path
):
    personnes, lignes, dossiers = genere
    participations, reponses = ep.successives(dossiers, ops)
    dossier = ep.ecrire(tmp_path / "export", personnes, lignes, participations, reponses)
    reprendre(monde.plie1, viesion, dossier)
    avant = (
        list(ParticipationFse.objects.order_by("pk").values()),
        list(QuestionnaireFSE.objects.order_by("pk").values()),
        Provenance.objects.count(),
    )
    _, e1, _ = _dates(dossiers[EN_COURS])
    # Un export suivant : une participation nouvelle pendant celle à A déjà reprise, et un
    # questionnaire corrigé, qui ne doit pas être écrit.
    nouvelle = ep.participation("PZ", EN_COURS, ops.b.numero, e1 + 10 * JOUR, e1 + 20 * JOUR)
    nouvelle["Motif de fin"] = "Changement de structure"
    reponses[0]["Commune de naissance"] = "Villeneuve-sur-Lot"
    ep.ecrire(dossier, personnes, lignes, [nouvelle], reponses)

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)

    fin_a = e1 + 100 * JOUR
    assert _refus(refus.value.rapport) == [
        "participations.csv, ligne 2, colonne « Date d'entrée dans l'opération » : chevauche la "
        f"participation déjà enregistrée (opération {ops.a.numero}, du {e1:%d/%m/%Y} au "
        f"{fin_a:%d/%m/%Y})"
    ]
    assert (
        list(ParticipationFse.objects.order_by("pk").values()),
        list(QuestionnaireFSE.objects.order_by("pk").values()),
        Provenance.objects.count(),
    ) == avant
