import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from parcours.core.enums import Role
from parcours.core.errors import (
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.entreprises.enums import CanalDiffusion, StatutOffre
from parcours.entreprises.errors import ActionEntrepriseNonAutorisee
from parcours.entreprises.models import OffreEmploi, TransitionOffre
from parcours.entreprises.services import (
    cloturer_offre,
    collecter_offre,
    diffuser_offre,
    modifier_offre,
    qualifier_offre,
)
from tests.entreprises.conftest import une_entreprise, une_offre


@pytest.mark.parametrize("role", [Role.CRE, Role.ANIMATEUR, Role.DIRECTION])
def test_cycle_de_vie_journalise(monde, role):
    acteur = monde.user(role)
    entreprise = une_entreprise(monde)
    offre = collecter_offre(entreprise, par=acteur, intitule="Agent·e d'entretien")
    assert offre.statut == StatutOffre.COLLECTEE
    with pytest.raises(TransitionInterdite, match="type de contrat et le lieu"):
        qualifier_offre(offre, par=acteur)
    offre.refresh_from_db()
    assert offre.statut == StatutOffre.COLLECTEE
    qualifier_offre(offre, par=acteur, type_contrat="cdi", lieu="Boé", motif="Vu avec la DRH")
    referent = monde.user(Role.REFERENT)
    diffuser_offre(offre, par=acteur, canal=CanalDiffusion.APPLICATION, referents=[referent])
    offre.refresh_from_db()
    assert offre.statut == StatutOffre.DIFFUSEE
    cloturer_offre(offre, par=acteur, motif="Poste supprimé")
    journal = list(
        TransitionOffre.objects.filter(offre=offre).values_list(
            "transition", "source", "target", "par", "motif"
        )
    )
    assert journal == [
        ("qualifier", "collectee", "qualifiee", acteur.pk, "Vu avec la DRH"),
        ("diffuser", "qualifiee", "diffusee", acteur.pk, ""),
        ("cloturer", "diffusee", "cloturee", acteur.pk, "Poste supprimé"),
    ]
    assert TransitionOffre.objects.filter(offre=offre).first().libelle == "Qualifier l'offre"


def test_cloturer_exige_un_motif(monde):
    offre = une_offre(monde, "qualifiee")
    with pytest.raises(DonneesTransitionInvalides, match="motif est obligatoire"):
        cloturer_offre(offre, par=monde.user(Role.CRE), motif="  ")
    offre.refresh_from_db()
    assert offre.statut == StatutOffre.QUALIFIEE
    assert not TransitionOffre.objects.filter(offre=offre, transition="cloturer").exists()


@pytest.mark.parametrize(
    ("role", "plie"), [(Role.CRE, 2), (Role.REFERENT, 1), (Role.PRESCRIPTEUR, 1)]
)
def test_transitions_refusees_hors_role_ou_autre_plie(monde, role, plie):
    offre = une_offre(monde)
    with pytest.raises(TransitionNonAutorisee):
        qualifier_offre(offre, par=monde.user(role, plie=plie))
    with pytest.raises(ActionEntrepriseNonAutorisee):
        collecter_offre(offre.entreprise, par=monde.user(role, plie=plie), intitule="X")
    offre.refresh_from_db()
    assert offre.statut == StatutOffre.COLLECTEE
    assert OffreEmploi.objects.count() == 1


def test_diffusion_tracee_par_destinataire_et_courriel(monde):
    offre = une_offre(monde, "qualifiee")
    cre = monde.user(Role.CRE)
    referent_a = monde.user(Role.REFERENT)
    referent_b = monde.user(Role.REFERENT, "b")
    structure_b = monde.structure("operateur", "b")
    traces = diffuser_offre(
        offre,
        par=cre,
        canal=CanalDiffusion.COURRIEL,
        referents=[referent_a],
        structures=[structure_b],
        note="Profil BTP",
    )
    assert [(t.referent, t.structure, t.par, t.canal) for t in traces] == [
        (referent_a, None, cre, "courriel"),
        (None, structure_b, cre, "courriel"),
    ]
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([referent_a.email, referent_b.email])
    assert "Maçon·ne VRD" in mail.outbox[0].subject
    # Une seconde diffusion ajoute une trace sans nouvelle transition.
    diffuser_offre(offre, par=cre, canal=CanalDiffusion.REUNION, referents=[referent_b])
    assert offre.diffusions.count() == 3
    assert offre.transitions.filter(transition="diffuser").count() == 1


def test_diffusion_refusee(monde):
    cre = monde.user(Role.CRE)
    collectee = une_offre(monde)
    with pytest.raises(TransitionInterdite, match="qualifiez-la d'abord"):
        diffuser_offre(collectee, par=cre, canal="courriel", referents=[monde.user(Role.REFERENT)])
    qualifiee = une_offre(monde, "qualifiee", intitule="Autre")
    with pytest.raises(ValidationError, match="au moins un référent"):
        diffuser_offre(qualifiee, par=cre, canal="courriel")
    with pytest.raises(ValidationError, match="n'est pas référent"):
        diffuser_offre(
            qualifiee, par=cre, canal="courriel", referents=[monde.user(Role.REFERENT, plie=2)]
        )
    with pytest.raises(ValidationError, match="n'appartient pas à ce PLIE"):
        diffuser_offre(
            qualifiee, par=cre, canal="courriel", structures=[monde.structure("operateur", plie=2)]
        )
    assert not qualifiee.diffusions.exists()
    assert not mail.outbox


def test_offre_donnees_invalides(monde):
    entreprise = une_entreprise(monde)
    cre = monde.user(Role.CRE)
    with pytest.raises(ValidationError) as erreur:
        collecter_offre(entreprise, par=cre, intitule="", nb_postes=0, heures_hebdo=60)
    assert set(erreur.value.message_dict) == {"intitule", "nb_postes", "heures_hebdo"}
    assert not OffreEmploi.objects.exists()
    offre = une_offre(monde, "qualifiee", entreprise=entreprise)
    with pytest.raises(ValidationError, match="garde son type de contrat"):
        modifier_offre(offre, par=cre, lieu="")
    offre.refresh_from_db()
    assert offre.lieu == "Agen"


def test_transitions_concurrentes_refusees(monde):
    """Deux personnes agissent sur la même offre lue au même état : la seconde est refusée."""
    from parcours.core.errors import ConflitTransition

    offre = une_offre(monde, "qualifiee")
    copie = OffreEmploi.objects.get(pk=offre.pk)
    cloturer_offre(offre, par=monde.user(Role.CRE), motif="Poste supprimé")
    with pytest.raises(ConflitTransition):
        diffuser_offre_sans_verrou(copie, monde)
    offre.refresh_from_db()
    assert offre.statut == StatutOffre.CLOTUREE
    assert list(offre.transitions.values_list("transition", flat=True)) == [
        "qualifier",
        "cloturer",
    ]


def diffuser_offre_sans_verrou(offre, monde):
    # La transition seule, sur l'objet périmé (le service relit l'offre sous verrou).
    offre.diffuser(par=monde.user(Role.CRE, "b"))
    offre.save()
