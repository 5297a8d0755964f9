"""La reprise d'un export façon VIeSION : comptes, états, journaux « repris », relance, contrôle
sans enregistrement (docs/reprise.md)."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from parcours.accompagnement.models import Parcours, TransitionParcours
from parcours.core.models import User
from parcours.participants.models import Participant
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.service import reprendre
from tests.reprise.export import ETATS, ecrire_export, generer

pytestmark = pytest.mark.django_db

LIBELLE_VERS_CODE = {libelle: code for libelle, code, _, _ in ETATS}


def _export(tmp_path, referents, nombre=500, format="csv"):
    a, b = referents
    participants, parcours = generer(nombre, referents=(a.username, b.email.upper()))
    dossier = ecrire_export(tmp_path / "export", participants, parcours, format)
    return dossier, participants, parcours


def _etat_de_la_base():
    return (
        Participant.objects.count(),
        Parcours.objects.count(),
        TransitionParcours.objects.count(),
        Provenance.objects.count(),
        User.objects.filter(username__startswith="reprise-").count(),
    )


def test_reprise_de_500_participants_etats_et_journaux(monde, referents, viesion, tmp_path):
    dossier, participants, lignes = _export(tmp_path, referents)
    rapport = reprendre(monde.plie1, viesion, dossier)

    assert len(participants) == 500 and len(lignes) == 600
    assert rapport.comptes[Entite.PARTICIPANT].crees == 500
    assert rapport.comptes[Entite.PARCOURS].crees == 600
    assert rapport.refus == [] and rapport.liens == []
    attendus = Counter(LIBELLE_VERS_CODE[ligne["Statut"]] for ligne in lignes)
    assert len(attendus) == len(ETATS)  # chaque état est repris
    obtenus = Counter(Parcours.objects.filter(plie=monde.plie1).values_list("statut", flat=True))
    assert obtenus == attendus

    compte = User.objects.get(username="reprise-viesion")
    assert not compte.is_active and not compte.has_usable_password()
    assert not compte.memberships.exists()
    # Chaque parcours a ses lignes « repris », au nom de l'import, aux dates d'origine.
    sans_journal = Parcours.objects.exclude(transitions__transition="repris")
    assert not sans_journal.exists()
    assert not TransitionParcours.objects.exclude(par=compte).exists()
    prov = Provenance.objects.get(source="viesion", entite=Entite.PARCOURS, source_id="R00013")
    sorti = prov.parcours
    assert sorti.statut == "sorti" and sorti.type_sortie
    journal = list(sorti.transitions.order_by("at"))
    assert [(j.source, j.target) for j in journal] == [
        ("prescrit", "prescrit"),
        ("prescrit", "en_accompagnement"),
        ("en_accompagnement", "sorti"),
    ]
    ligne = next(x for x in lignes if x["N° parcours"] == "R00013")
    date_sortie = datetime.datetime.strptime(ligne["Date de sortie"], "%d/%m/%Y").date()
    assert timezone.localtime(journal[-1].at).date() == date_sortie == sorti.date_sortie
    assert "Repris de ABC VIeSION (parcours R00013)" in journal[-1].motif
    _le_travail_reprend(monde)


def _le_travail_reprend(monde):
    """Chaque parcours ouvert qui attend quelqu'un a une tâche active au nœud de son état, et
    les alertes des accompagnements sont calculées (workflows/reprise, docs/reprise.md)."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.alertes.flows import AlerteFlow
    from workflows.emploi.flows import SortieFlow
    from workflows.entree.flows import EntreeFlow

    noeuds = {
        "prescrit": EntreeFlow.verifier_recevabilite,
        "recevable": EntreeFlow.decision_commission,
        "en_commission_entree": EntreeFlow.decision_commission,
        "ajourne": EntreeFlow.decision_commission,
        "admis": EntreeFlow.premier_entretien,
        "en_emploi": SortieFlow.attente,
        "sortie_proposee": SortieFlow.decision,
    }
    actives = Task.objects.exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).exclude(
        process__flow_class=AlerteFlow
    )
    par_parcours = {}
    for parcours_id, noeud in actives.values_list("process__artifact_object_id", "flow_task"):
        par_parcours.setdefault(parcours_id, []).append(noeud)
    for parcours in Parcours.objects.filter(plie=monde.plie1, statut__in=noeuds):
        if parcours.statut == "admis" and parcours.referent_id is None:
            continue
        assert noeuds[parcours.statut] in par_parcours.get(parcours.pk, []), parcours
    accompagnes = Parcours.objects.filter(plie=monde.plie1, statut="en_accompagnement")
    alertes = AlerteFlow.process_class.objects.filter(
        flow_class=AlerteFlow, artifact_object_id__in=accompagnes.values("pk")
    )
    assert accompagnes.exists() and alertes.exists()


def test_les_referents_sont_retrouves_par_identifiant_ou_courriel(
    monde, referents, viesion, tmp_path
):
    a, b = referents
    dossier, _, _ = _export(tmp_path, referents, nombre=28)
    reprendre(monde.plie1, viesion, dossier)
    suivis = Parcours.objects.filter(statut__in=["admis", "en_accompagnement", "en_emploi"])
    assert suivis.exists()
    assert set(suivis.values_list("referent", flat=True)) == {a.pk, b.pk}
    for parcours in suivis.select_related("structure_referente"):
        attendue = monde.structure("operateur", "a" if parcours.referent == a else "b")
        assert parcours.structure_referente == attendue


def test_relancer_la_meme_reprise_ne_cree_rien(monde, referents, viesion, tmp_path):
    dossier, _, _ = _export(tmp_path, referents, nombre=60)
    reprendre(monde.plie1, viesion, dossier)
    avant = _etat_de_la_base()

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert _etat_de_la_base() == avant
    for entite, total in ((Entite.PARTICIPANT, 60), (Entite.PARCOURS, 72)):
        comptes = rapport.comptes[entite]
        assert (comptes.crees, comptes.mis_a_jour, comptes.inchanges) == (0, 0, total)


def test_une_relance_met_a_jour_ce_qui_a_change(monde, referents, viesion, tmp_path):
    a, _ = referents
    participants, parcours = generer(14, referents=(a.username,))
    dossier = ecrire_export(tmp_path / "export", participants, parcours)
    reprendre(monde.plie1, viesion, dossier)
    # R00009 était « En parcours » : l'autre outil l'a mis en veille ; une personne a déménagé.
    ligne = next(x for x in parcours if x["N° parcours"] == "R00009")
    assert ligne["Statut"] == "En parcours"
    ligne["Statut"] = "En veille"
    participants[3]["Commune"] = "Boé"
    ecrire_export(dossier, participants, parcours)

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert rapport.comptes[Entite.PARCOURS].mis_a_jour == 1
    assert rapport.comptes[Entite.PARTICIPANT].mis_a_jour == 1
    assert rapport.comptes[Entite.PARCOURS].crees == 0
    dossier_repris = Provenance.objects.get(entite=Entite.PARCOURS, source_id="R00009").parcours
    assert dossier_repris.statut == "suspendu"
    derniere = dossier_repris.transitions.order_by("at", "id").last()
    assert (derniere.source, derniere.target, derniere.transition) == (
        "en_accompagnement",
        "suspendu",
        "repris",
    )
    assert Participant.objects.get(provenances__source_id="VS00003").commune_nom == "Boé"


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_le_controle_sans_enregistrement_n_ecrit_rien(monde, referents, viesion, tmp_path, format):
    dossier, _, _ = _export(tmp_path, referents, nombre=30, format=format)
    avant = _etat_de_la_base()

    rapport = reprendre(monde.plie1, viesion, dossier, dry_run=True)

    assert _etat_de_la_base() == avant
    assert rapport.dry_run
    assert rapport.comptes[Entite.PARTICIPANT].crees == 30
    assert rapport.comptes[Entite.PARCOURS].crees == 36
    # La vraie reprise donne les mêmes comptes.
    vrai = reprendre(monde.plie1, viesion, dossier)
    assert vrai.comptes == rapport.comptes
    assert Participant.objects.count() == 30


def test_la_reprise_est_par_plie(monde, referents, viesion, tmp_path):
    """Le même export repris dans un autre PLIE n'y retrouve pas les provenances du premier."""
    dossier, _, _ = _export(tmp_path, referents, nombre=14)
    reprendre(monde.plie1, viesion, dossier)
    assert not Parcours.objects.filter(plie=monde.plie2).exists()
    assert set(Provenance.objects.values_list("plie", flat=True)) == {monde.plie1.pk}


@pytest.mark.parametrize("nombre", [14, 56])
def test_une_relance_sans_changement_fait_un_nombre_de_requetes_constant(
    monde, referents, viesion, tmp_path, nombre, django_assert_num_queries
):
    """Aucune requête par ligne quand rien n'a changé : le même compte pour 14 et 56 personnes."""
    dossier, _, _ = _export(tmp_path, referents, nombre=nombre)
    reprendre(monde.plie1, viesion, dossier)
    with django_assert_num_queries(9):
        rapport = reprendre(monde.plie1, viesion, dossier)
    assert rapport.comptes[Entite.PARTICIPANT].inchanges == nombre


def test_le_dossier_d_un_parcours_repris_montre_son_histoire(monde, referents, viesion, tmp_path):
    from parcours.dossier.chargement import charger_parcours
    from parcours.dossier.chronologie import frise

    dossier, _, _ = _export(tmp_path, referents, nombre=14)
    reprendre(monde.plie1, viesion, dossier)
    sorti = Provenance.objects.get(entite=Entite.PARCOURS, source_id="R00013").parcours

    evenements = frise(charger_parcours(Parcours.objects.all(), sorti.pk), suivi=True)

    repris = [e for e in evenements if e.titre == "Repris d'un autre outil"]
    assert [e.vers for e in repris] == ["Prescrit", "En accompagnement", "Sorti"]
    assert timezone.localtime(repris[-1].le).date() == sorti.date_sortie
    assert all(e.par == "Reprise ABC VIeSION" for e in repris)


def test_les_alertes_se_calculent_sur_les_parcours_repris(monde, referents, viesion, tmp_path):
    """Les parcours repris sont vus par la vérification incrémentale de la nuit (modifiés depuis
    sa dernière passe) et les alertes de durée tiennent selon leurs dates d'origine."""
    from parcours.dossier.alertes.changements import parcours_modifies_depuis
    from parcours.dossier.alertes.constats import constats
    from parcours.dossier.alertes.definitions import TypeAlerte

    avant = timezone.now()
    dossier, _, _ = _export(tmp_path, referents, nombre=42)
    reprendre(monde.plie1, viesion, dossier)
    ouverts = Parcours.objects.ouverts().filter(plie=monde.plie1)

    assert set(ouverts.values_list("pk", flat=True)) <= parcours_modifies_depuis(avant)
    longs = {c.parcours_id for c in constats(ouverts, types=[TypeAlerte.DUREE_PARCOURS])}
    entres_il_y_a_plus_d_un_an = set(
        ouverts.filter(
            statut__in=["en_accompagnement", "suspendu", "en_emploi"],
            date_entree__lte=timezone.localdate() - datetime.timedelta(days=366),
        ).values_list("pk", flat=True)
    )
    assert entres_il_y_a_plus_d_un_an and longs == entres_il_y_a_plus_d_un_an


def test_un_classeur_aux_cellules_date_et_aux_identifiants_numeriques(
    monde, referents, viesion, tmp_path
):
    """Un XLSX enregistré par un tableur : dates en cellules date, identifiants en nombres."""
    from openpyxl import Workbook

    from tests.reprise.export import COLONNES_PARCOURS, COLONNES_PARTICIPANTS

    dossier = tmp_path / "export"
    dossier.mkdir()
    classeur = Workbook()
    classeur.active.append(COLONNES_PARTICIPANTS)
    classeur.active.append([1042, "Dupré", "Zoé", "", datetime.datetime(1988, 2, 29), "Femme"])
    classeur.save(dossier / "participants.xlsx")
    classeur = Workbook()
    classeur.active.append(COLONNES_PARCOURS)
    classeur.active.append(
        [7, 1042, "Sorti", datetime.date(2020, 1, 6), datetime.date(2020, 2, 3),
         datetime.date(2021, 3, 1), "Formation qualifiante", ""]
    )  # fmt: skip
    classeur.save(dossier / "parcours.xlsx")

    reprendre(monde.plie1, viesion, dossier)

    personne = Participant.objects.get(provenances__source_id="1042")
    assert personne.date_naissance == datetime.date(1988, 2, 29)
    parcours = Parcours.objects.get(provenances__source_id="7")
    assert (parcours.date_entree, parcours.date_sortie, parcours.type_sortie) == (
        datetime.date(2020, 2, 3),
        datetime.date(2021, 3, 1),
        "formation_qualifiante",
    )
