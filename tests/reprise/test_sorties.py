"""Les décisions de la commission de sortie reprises (decisions_sortie.csv) : lignes de journal
« repris » à leurs dates, d'accord avec l'état du parcours ; une relance n'efface rien."""

import datetime

import pytest
from django.utils import timezone

from parcours.accompagnement.models import Parcours, TransitionParcours
from parcours.commissions.models import Decision, SessionCommission
from parcours.reprise.enums import Entite
from parcours.reprise.journal import TRANSITION
from parcours.reprise.models import Provenance
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import reprendre
from tests.reprise.export import _d, ecrire_csv, ecrire_export, generer

pytestmark = pytest.mark.django_db

COLONNES = [
    "N° décision",
    "N° parcours",
    "Date de proposition",
    "Motif de sortie proposé",
    "Décision commission de sortie",
    "Date de la commission",
    "Motif de la décision",
]
# Dans generer(28) : R00013 sorti (Abandon), R00009 en accompagnement, R00000 prescrit.
SORTI, EN_PARCOURS, PRESCRIT = "R00013", "R00009", "R00000"


@pytest.fixture
def export(referents):
    return generer(28, referents=(referents[0].username,))


def _entree(dossiers, source_id):
    ligne = next(d for d in dossiers if d["N° parcours"] == source_id)
    return datetime.datetime.strptime(ligne["Date d'entrée"], "%d/%m/%Y").date()


def _decision(dossiers, source_id, parcours, jours, type_sortie, decision, motif=""):
    """Une décision proposée `jours` jours après l'entrée, décidée 20 jours plus tard."""
    proposee = _entree(dossiers, parcours) + datetime.timedelta(days=jours)
    return {
        "N° décision": source_id,
        "N° parcours": parcours,
        "Date de proposition": _d(proposee),
        "Motif de sortie proposé": type_sortie,
        "Décision commission de sortie": decision,
        "Date de la commission": _d(proposee + datetime.timedelta(days=20)),
        "Motif de la décision": motif,
    }


def _decisions_justes(dossiers):
    return [
        _decision(dossiers, "DS1", SORTI, 30, "Emploi durable", "Sortie refusée", "CDD trop court"),
        _decision(dossiers, "DS2", SORTI, 90, "Abandon", "Sortie validée"),
        _decision(dossiers, "DS3", EN_PARCOURS, 30, "Santé", "Refusée", "Soins compatibles"),
    ]


def _ecrire(dossier, export, decisions):
    ecrire_export(dossier, *export)
    ecrire_csv(dossier / "decisions_sortie.csv", COLONNES, decisions)
    return dossier


def _journal(source_id):
    parcours = Provenance.objects.get(entite=Entite.PARCOURS, source_id=source_id).parcours
    lignes = parcours.transitions.filter(
        transition=TRANSITION, motif__contains="décision de sortie"
    )
    return parcours, list(lignes.order_by("at", "id"))


def test_les_decisions_de_sortie_sont_des_lignes_de_journal_a_leurs_dates(
    monde, viesion, export, tmp_path
):
    decisions = _decisions_justes(export[1])
    rapport = reprendre(monde.plie1, viesion, _ecrire(tmp_path / "v1", export, decisions))

    comptes = rapport.comptes[Entite.DECISION_SORTIE]
    assert (comptes.crees, comptes.refuses) == (3, 0)
    assert "Décisions de sortie : 3 créé(s)" in rapport.texte()
    parcours, lignes = _journal(SORTI)
    entree = parcours.date_entree
    assert [(x.source, x.target, timezone.localtime(x.at).date()) for x in lignes] == [
        ("sortie_proposee", "sortie_proposee", entree + datetime.timedelta(days=30)),
        ("sortie_proposee", "en_accompagnement", entree + datetime.timedelta(days=50)),
        ("sortie_proposee", "sortie_proposee", entree + datetime.timedelta(days=90)),
        ("sortie_proposee", "sorti", entree + datetime.timedelta(days=110)),
    ]
    assert {x.par.username for x in lignes} == {"reprise-viesion"}
    assert "sortie proposée (Emploi durable)" in lignes[0].motif
    assert "« Sortie refusée » : CDD trop court" in lignes[1].motif
    assert "« Sortie validée »" in lignes[3].motif
    # L'état reste celui du fichier des parcours ; aucune séance n'est inventée.
    assert (parcours.statut, parcours.type_sortie) == ("sorti", "abandon")
    assert not SessionCommission.objects.exists() and not Decision.objects.exists()
    prov = Provenance.objects.get(entite=Entite.DECISION_SORTIE, source_id="DS2")
    assert (prov.objet_id, prov.parcours_id) == (lignes[3].pk, parcours.pk)


def test_relancer_n_ecrit_rien_et_une_decision_changee_ajoute_une_ligne(
    monde, viesion, export, tmp_path
):
    decisions = _decisions_justes(export[1])
    reprendre(monde.plie1, viesion, _ecrire(tmp_path / "v1", export, decisions))
    avant = set(TransitionParcours.objects.values_list("pk", "motif"))

    rapport = reprendre(monde.plie1, viesion, _ecrire(tmp_path / "v2", export, decisions))
    assert rapport.comptes[Entite.DECISION_SORTIE].inchanges == 3
    assert set(TransitionParcours.objects.values_list("pk", "motif")) == avant

    decisions[2]["Motif de la décision"] = "Soins terminés avant la sortie"
    rapport = reprendre(monde.plie1, viesion, _ecrire(tmp_path / "v3", export, decisions))

    comptes = rapport.comptes[Entite.DECISION_SORTIE]
    assert (comptes.mis_a_jour, comptes.inchanges, comptes.crees) == (1, 2, 0)
    apres = set(TransitionParcours.objects.values_list("pk", "motif"))
    assert avant < apres  # rien d'effacé
    (nouvelle,) = apres - avant
    assert nouvelle[1].endswith("« Sortie refusée » : Soins terminés avant la sortie")
    _, lignes = _journal(EN_PARCOURS)
    assert len(lignes) == 3  # la proposition, inchangée, n'est pas répétée
    prov = Provenance.objects.get(entite=Entite.DECISION_SORTIE, source_id="DS3")
    assert prov.objet_id == nouvelle[0]


def test_un_fichier_de_decisions_seul_s_accorde_avec_les_parcours_repris_avant(
    monde, viesion, export, tmp_path
):
    reprendre(monde.plie1, viesion, ecrire_export(tmp_path / "v1", *export))
    seul = tmp_path / "decisions"
    seul.mkdir()
    decisions = _decisions_justes(export[1])
    ecrire_csv(seul / "decisions_sortie.csv", COLONNES, decisions[:1])
    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, seul)
    (r,) = refus.value.rapport.refus
    assert (r.ligne, r.colonne) == (2, "Décision commission de sortie")
    assert "la dernière décision d'un parcours sorti ne peut être un refus" in r.raison

    ecrire_csv(seul / "decisions_sortie.csv", COLONNES, decisions)
    rapport = reprendre(monde.plie1, viesion, seul)
    assert rapport.comptes[Entite.DECISION_SORTIE].crees == 3


def test_le_controle_n_ecrit_aucune_decision(monde, viesion, export, tmp_path):
    dossier = _ecrire(tmp_path / "v1", export, _decisions_justes(export[1]))
    rapport = reprendre(monde.plie1, viesion, dossier, dry_run=True)
    assert rapport.comptes[Entite.DECISION_SORTIE].crees == 3
    assert not TransitionParcours.objects.exists() and not Provenance.objects.exists()


def _refus_validee_sur_un_parcours_ouvert(dossiers):
    return [_decision(dossiers, "X", EN_PARCOURS, 30, "Santé", "Sortie validée")], (
        "Décision commission de sortie",
        "une sortie validée exige un parcours sorti",
    )


def _refus_type_different(dossiers):
    return [_decision(dossiers, "X", SORTI, 30, "Santé", "Sortie validée")], (
        "Motif de sortie proposé",
        "est sorti en « Abandon »",
    )


def _refus_refusee_en_dernier(dossiers):
    return [
        _decision(dossiers, "X", SORTI, 30, "Abandon", "Sortie validée"),
        _decision(dossiers, "Y", SORTI, 60, "Abandon", "Sortie refusée", "Non"),
    ], ("Date de la commission", "pas d'autre décision après une sortie validée")


def _refus_sans_motif(dossiers):
    return [_decision(dossiers, "X", EN_PARCOURS, 30, "Santé", "Sortie refusée")], (
        "Motif de la décision",
        "motif obligatoire pour une sortie refusée",
    )


def _refus_decision_avant_proposition(dossiers):
    ligne = _decision(dossiers, "X", EN_PARCOURS, 30, "Santé", "Sortie refusée", "Non")
    ligne["Date de la commission"] = _d(_entree(dossiers, EN_PARCOURS))
    return [ligne], ("Date de la commission", "avant la proposition")


def _refus_parcours_pas_entre(dossiers):
    ligne = _decision(dossiers, "X", EN_PARCOURS, 30, "Santé", "Sortie refusée", "Non")
    ligne["N° parcours"] = PRESCRIT
    return [ligne], ("N° parcours", "n'est pas entré en accompagnement (état « Prescrit »)")


def _refus_ajournement(dossiers):
    return [_decision(dossiers, "X", EN_PARCOURS, 30, "Santé", "Ajournée", "À revoir")], (
        "Décision commission de sortie",
        "valeur « Ajournée » sans correspondance",
    )


def _refus_parcours_inconnu(dossiers):
    ligne = _decision(dossiers, "X", EN_PARCOURS, 30, "Santé", "Sortie refusée", "Non")
    ligne["N° parcours"] = "R77777"
    return [ligne], ("N° parcours", "parcours « R77777 » absent des parcours repris")


@pytest.mark.parametrize(
    "cas",
    [
        _refus_validee_sur_un_parcours_ouvert,
        _refus_type_different,
        _refus_refusee_en_dernier,
        _refus_sans_motif,
        _refus_decision_avant_proposition,
        _refus_parcours_pas_entre,
        _refus_ajournement,
        _refus_parcours_inconnu,
    ],
)
def test_une_decision_incoherente_est_refusee_et_rien_n_est_repris(
    monde, viesion, export, tmp_path, cas
):
    decisions, (colonne, raison) = cas(export[1])
    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, _ecrire(tmp_path / "v1", export, decisions))

    (r,) = refus.value.rapport.refus
    assert (r.fichier, r.colonne) == ("decisions_sortie.csv", colonne)
    assert raison in r.raison
    assert r.ligne == len(decisions) + 1
    assert not Parcours.objects.exists() and not TransitionParcours.objects.exists()
