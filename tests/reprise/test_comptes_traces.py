"""Les comptes repris sont tracés au journal d'administration, comme ceux de l'écran : une
trace par compte créé ou adhésion ajoutée, au nom du compte de la reprise ; aucune pour un
contrôle ni pour une relance sans changement (docs/reprise.md, « utilisateurs »)."""

import pytest

from parcours.core.enums import Role
from parcours.core.models import Membership, User
from parcours.reprise.service import reprendre
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.reprise import export_suivi
from tests.reprise.test_entites import export_complet

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(monde, tmp_path):
    """Les seuls fichiers des structures et des comptes."""
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde, fichiers=("structures", "utilisateurs"))
    (dossier / "participants.csv").unlink()
    (dossier / "parcours.csv").unlink()
    return dossier, lignes


def _traces():
    return list(
        Trace.objects.filter(type=TypeTrace.ADMINISTRATION)
        .order_by("pk")
        .values_list("user__username", "plie_id", "objet_type", "objet_id", "detail")
    )


def test_chaque_compte_cree_est_trace_au_nom_de_la_reprise(monde, viesion, dossier):
    chemin, _ = dossier
    reprendre(monde.plie1, viesion, chemin, dry_run=True)
    assert _traces() == []

    reprendre(monde.plie1, viesion, chemin)

    jeanne, marc = (User.objects.get(username=u) for u in ("jdupont", "mlopez"))
    assert _traces() == [
        (
            "reprise-viesion",
            monde.plie1.pk,
            "compte",
            str(jeanne.pk),
            f"création ({Role.REFERENT.label}) par la reprise viesion, compte inactif",
        ),
        (
            "reprise-viesion",
            monde.plie1.pk,
            "compte",
            str(marc.pk),
            f"création ({Role.PRESCRIPTEUR.label}) par la reprise viesion, compte inactif",
        ),
    ]
    reprendre(monde.plie1, viesion, chemin)
    assert len(_traces()) == 2  # relance sans changement : rien de plus


def test_une_adhesion_ajoutee_est_tracee(monde, viesion, dossier):
    """Une relance qui change le rôle d'un compte repris, et une ligne liée à un compte déjà
    administré par le PLIE : chacune ajoute une adhésion, tracée."""
    chemin, lignes = dossier
    reprendre(monde.plie1, viesion, chemin)
    existant = monde.user(Role.ANIMATEUR)
    lignes["utilisateurs"][1]["Profil"] = "Animateur"
    lignes["utilisateurs"].append(
        {
            **lignes["utilisateurs"][0],
            "Code utilisateur": "U3",
            "Identifiant": existant.username,
            "Courriel": "",
        }
    )
    export_suivi.ecrire(chemin, "utilisateurs", lignes["utilisateurs"])

    reprendre(monde.plie1, viesion, chemin)

    ajouts = _traces()[2:]
    marc = User.objects.get(username="mlopez")
    adhesions = {
        a.user_id: a
        for a in Membership.objects.filter(
            user__in=[marc, existant], role__in=[Role.ANIMATEUR, Role.REFERENT]
        ).exclude(user=existant, role=Role.ANIMATEUR)
    }
    assert sorted(ajouts) == sorted(
        [
            (
                "reprise-viesion",
                monde.plie1.pk,
                "adhesion",
                str(adhesions[compte.pk].pk),
                f"ajout ({role.label}) pour {compte} par la reprise viesion",
            )
            for compte, role in ((marc, Role.ANIMATEUR), (existant, Role.REFERENT))
        ]
    )
