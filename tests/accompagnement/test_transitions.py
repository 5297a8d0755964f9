import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.accompagnement.chemins import CHEMINS
from parcours.accompagnement.enums import STATUTS_CLOS, Statut, TypeSortie
from parcours.accompagnement.models import LIBELLES_TRANSITIONS, Parcours, TransitionParcours
from parcours.core.enums import Role
from parcours.core.errors import (
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from tests.factories import ParcoursFactory, membre, parcours_en

pytestmark = pytest.mark.django_db

# (état de départ, transition, rôle de l'acteur, arguments, état d'arrivée)
TRANSITIONS = [
    (
        Statut.PRESCRIT,
        "demander_complements",
        Role.ANIMATEUR,
        {"motif": "Pièce manquante"},
        Statut.INCOMPLET,
    ),
    (Statut.INCOMPLET, "completer", Role.PRESCRIPTEUR, {}, Statut.PRESCRIT),
    (Statut.PRESCRIT, "declarer_recevable", Role.ANIMATEUR, {}, Statut.RECEVABLE),
    (
        Statut.PRESCRIT,
        "declarer_irrecevable",
        Role.DIRECTION,
        {"motif": "Hors territoire"},
        Statut.IRRECEVABLE,
    ),
    (
        Statut.INCOMPLET,
        "declarer_irrecevable",
        Role.ANIMATEUR,
        {"motif": "Sans réponse"},
        Statut.IRRECEVABLE,
    ),
    (Statut.RECEVABLE, "annuler", Role.PRESCRIPTEUR, {"motif": "Déménagement"}, Statut.ANNULE),
    (Statut.RECEVABLE, "inscrire_en_commission", Role.ANIMATEUR, {}, Statut.EN_COMMISSION_ENTREE),
    (Statut.AJOURNE, "inscrire_en_commission", Role.ANIMATEUR, {}, Statut.EN_COMMISSION_ENTREE),
    (Statut.EN_COMMISSION_ENTREE, "admettre", Role.COMMISSION, {"referent": True}, Statut.ADMIS),
    (
        Statut.EN_COMMISSION_ENTREE,
        "ajourner",
        Role.COMMISSION,
        {"motif": "À revoir"},
        Statut.AJOURNE,
    ),
    (
        Statut.EN_COMMISSION_ENTREE,
        "refuser",
        Role.DIRECTION,
        {"motif": "Non prioritaire"},
        Statut.REFUSE,
    ),
    (Statut.ADMIS, "engager", Role.REFERENT, {}, Statut.EN_ACCOMPAGNEMENT),
    (Statut.EN_ACCOMPAGNEMENT, "suspendre", Role.REFERENT, {"motif": "Santé"}, Statut.SUSPENDU),
    (Statut.SUSPENDU, "reprendre", Role.REFERENT, {}, Statut.EN_ACCOMPAGNEMENT),
    (Statut.EN_ACCOMPAGNEMENT, "entrer_en_emploi", Role.CRE, {}, Statut.EN_EMPLOI),
    (
        Statut.EN_EMPLOI,
        "rompre_emploi",
        Role.REFERENT,
        {"motif": "Fin de période d'essai"},
        Statut.EN_ACCOMPAGNEMENT,
    ),
    (
        Statut.EN_EMPLOI,
        "proposer_sortie",
        Role.REFERENT,
        {"type_sortie": TypeSortie.EMPLOI_DURABLE},
        Statut.SORTIE_PROPOSEE,
    ),
    (
        Statut.SUSPENDU,
        "proposer_sortie",
        Role.REFERENT,
        {"type_sortie": TypeSortie.DEMENAGEMENT},
        Statut.SORTIE_PROPOSEE,
    ),
    (
        Statut.SORTIE_PROPOSEE,
        "refuser_sortie",
        Role.COMMISSION,
        {"motif": "Contrat trop court"},
        Statut.EN_ACCOMPAGNEMENT,
    ),
    (Statut.SORTIE_PROPOSEE, "valider_sortie", Role.COMMISSION, {}, Statut.SORTI),
]


def acteur(monde, parcours, role):
    if role == Role.REFERENT:
        return parcours.referent
    if role == Role.COMMISSION:
        # Un membre de commission décide les dossiers d'une session où il siège.
        from parcours.commissions.models import InscriptionSession, SessionCommission

        user = monde.user(Role.COMMISSION)
        session = SessionCommission.objects.create(
            plie=parcours.plie, type="mixte", date=timezone.now() + datetime.timedelta(days=1)
        )
        session.membres.add(user)
        objet = "sortie" if parcours.statut == Statut.SORTIE_PROPOSEE else "entree"
        InscriptionSession.objects.create(session=session, parcours=parcours, objet=objet, ordre=1)
        return user
    if role == Role.CRE:
        # Un CRE agit sur les dossiers partagés avec lui (droit explicite).
        from guardian.shortcuts import assign_perm

        user = monde.user(Role.CRE)
        assign_perm("accompagnement.view_parcours", user, parcours)
        return user
    return monde.user(role)


def preparer_arguments(monde, kwargs):
    kwargs = dict(kwargs)
    if kwargs.pop("referent", False):
        kwargs["referent"] = monde.user(Role.REFERENT)
    return kwargs


@pytest.mark.parametrize(("depart", "nom", "role", "kwargs", "arrivee"), TRANSITIONS)
def test_transition_change_l_etat_et_ecrit_une_ligne_de_journal(
    monde, depart, nom, role, kwargs, arrivee
):
    parcours = parcours_en(monde, depart)
    avant = parcours.transitions.count()
    par = acteur(monde, parcours, role)

    getattr(parcours, nom)(par=par, **preparer_arguments(monde, kwargs))
    parcours.save()

    parcours = Parcours.objects.get(pk=parcours.pk)
    assert parcours.statut == arrivee
    assert parcours.transitions.count() == avant + 1
    ligne = parcours.transitions.order_by("-id").first()
    assert (ligne.transition, ligne.source, ligne.target, ligne.par) == (nom, depart, arrivee, par)
    assert ligne.motif == kwargs.get("motif", "")
    assert ligne.at is not None


def test_toutes_les_transitions_du_modele_sont_couvertes():
    noms = {t.name for t in Parcours._meta.get_field("statut").get_all_transitions(Parcours)}
    assert noms == set(LIBELLES_TRANSITIONS) == {t[1] for t in TRANSITIONS}


@pytest.mark.parametrize("statut", list(Statut))
def test_chaque_etat_est_atteignable(monde, statut):
    parcours = parcours_en(monde, statut)
    assert Parcours.objects.get(pk=parcours.pk).statut == statut
    assert parcours.transitions.count() == len(CHEMINS[statut])


def test_transition_interdite_nomme_l_etat_et_la_transition(monde):
    parcours = parcours_en(monde, Statut.PRESCRIT)
    with pytest.raises(TransitionInterdite) as exc:
        parcours.admettre(par=monde.user(Role.COMMISSION), referent=monde.user(Role.REFERENT))
    assert (
        str(exc.value)
        == "Ce dossier est prescrit (recevabilité à examiner) : il n'est pas encore possible de "
        "prononcer l'admission (possible à l'état « En commission d'entrée »)."
    )
    parcours.refresh_from_db()
    assert parcours.statut == Statut.PRESCRIT
    assert not parcours.transitions.exists()


def test_condition_non_remplie_est_expliquee(monde):
    parcours = ParcoursFactory(plie=monde.plie1, territoire=None)
    with pytest.raises(TransitionInterdite, match="aucun territoire"):
        parcours.declarer_recevable(par=monde.user(Role.ANIMATEUR))


def test_statut_protege_ne_se_modifie_pas_directement(monde):
    parcours = parcours_en(monde, Statut.PRESCRIT)
    with pytest.raises(AttributeError):
        parcours.statut = Statut.SORTI


@pytest.mark.parametrize(
    ("role", "structure", "plie"),
    [
        (Role.PRESCRIPTEUR, "a", 1),  # le prescripteur ne décide pas de la recevabilité
        (Role.REFERENT, "a", 1),
        (Role.COMMISSION, "a", 1),
        (Role.ANIMATEUR, "a", 2),  # animateur d'un autre PLIE
        (Role.FINANCEUR, "a", 1),
    ],
)
def test_acteur_sans_droit_est_refuse(monde, role, structure, plie):
    parcours = parcours_en(monde, Statut.PRESCRIT)
    with pytest.raises(
        TransitionNonAutorisee,
        match="le droit de déclarer la prescription recevable pour ce dossier",
    ):
        parcours.declarer_recevable(par=monde.user(role, structure, plie))
    parcours.save()
    assert Parcours.objects.get(pk=parcours.pk).statut == Statut.PRESCRIT
    assert not parcours.transitions.exists()


def test_seul_le_referent_du_parcours_engage(monde):
    parcours = parcours_en(monde, Statut.ADMIS, structure="a")
    autre_referent = monde.user(Role.REFERENT, "b")
    with pytest.raises(TransitionNonAutorisee):
        parcours.engager(par=autre_referent)


def test_interim_permet_au_referent_remplacant_d_agir(monde):
    from guardian.shortcuts import assign_perm

    parcours = parcours_en(monde, Statut.ADMIS, structure="a")
    remplacant = monde.user(Role.REFERENT, "b")
    assign_perm("accompagnement.change_parcours", remplacant, parcours)
    assign_perm("accompagnement.view_parcours", remplacant, parcours)
    parcours.engager(par=remplacant)
    parcours.save()
    assert parcours.transitions.last().par == remplacant


@pytest.mark.parametrize("nom", ["demander_complements", "declarer_irrecevable", "annuler"])
def test_motif_obligatoire(monde, nom):
    parcours = parcours_en(monde, Statut.PRESCRIT)
    with pytest.raises(DonneesTransitionInvalides, match="motif est obligatoire"):
        getattr(parcours, nom)(par=monde.user(Role.ANIMATEUR), motif="   ")
    assert parcours.statut == Statut.PRESCRIT


def test_admettre_exige_un_referent_en_activite_dans_le_plie(monde):
    parcours = parcours_en(monde, Statut.EN_COMMISSION_ENTREE)
    referent_autre_plie = monde.user(Role.REFERENT, "a", 2)
    with pytest.raises(DonneesTransitionInvalides, match="n'est pas référent"):
        parcours.admettre(par=monde.user(Role.ANIMATEUR), referent=referent_autre_plie)
    assert parcours.statut == Statut.EN_COMMISSION_ENTREE
    assert parcours.referent_id is None


def test_admettre_renseigne_le_referent_et_sa_structure(monde):
    parcours = parcours_en(monde, Statut.ADMIS, structure="b")
    assert parcours.referent == monde.user(Role.REFERENT, "b")
    assert parcours.structure_referente == monde.structure("operateur", "b")


def test_adhesion_terminee_ne_donne_plus_de_droit(monde):
    parcours = parcours_en(monde, Statut.PRESCRIT)
    ancien = membre(Role.ANIMATEUR, monde.structure("porteur"), fin=datetime.date(2021, 1, 1))
    with pytest.raises(TransitionNonAutorisee):
        parcours.declarer_recevable(par=ancien)


def test_proposer_sortie_refuse_une_date_avant_l_entree(monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    with pytest.raises(DonneesTransitionInvalides, match="précéder la date d'entrée"):
        parcours.proposer_sortie(
            par=parcours.referent,
            type_sortie=TypeSortie.ABANDON,
            date_sortie=parcours.date_entree - datetime.timedelta(days=1),
        )


def test_un_seul_parcours_ouvert_par_personne_et_plie(monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParcoursFactory(participant=parcours.participant, plie=monde.plie1)


@pytest.mark.parametrize("clos", STATUTS_CLOS)
def test_reentree_apres_un_parcours_clos(monde, clos):
    ancien = parcours_en(monde, clos)
    nouveau = ParcoursFactory(participant=ancien.participant, plie=monde.plie1, precedent=ancien)
    assert list(ancien.participant.parcours.order_by("id")) == [ancien, nouveau]


def test_journal_non_ecrit_si_l_enregistrement_echoue(monde):
    parcours = parcours_en(monde, Statut.PRESCRIT)
    parcours.declarer_recevable(par=monde.user(Role.ANIMATEUR))
    parcours.date_prescription = None  # NOT NULL : l'enregistrement échoue
    with pytest.raises(IntegrityError), transaction.atomic():
        parcours.save()
    assert not TransitionParcours.objects.filter(parcours_id=parcours.pk).exists()


def test_recevable_exige_l_eligibilite_ou_une_derogation(monde):
    from parcours.accompagnement.services import accorder_derogation
    from tests.factories import PrescriptionFactory

    parcours = ParcoursFactory(plie=monde.plie1, territoire=monde.territoire1)
    animateur = monde.user(Role.ANIMATEUR)
    with pytest.raises(TransitionInterdite, match="aucune dérogation"):
        parcours.declarer_recevable(par=animateur)  # pas encore de prescription
    prescription = PrescriptionFactory(parcours=parcours, ineligible=True)
    parcours = Parcours.objects.get(pk=parcours.pk)
    with pytest.raises(TransitionInterdite, match="n'est pas éligible selon le référentiel"):
        parcours.declarer_recevable(par=animateur)
    accorder_derogation(prescription, par=animateur, motif="Validé en équipe")
    parcours = Parcours.objects.get(pk=parcours.pk)
    parcours.declarer_recevable(par=animateur)
    parcours.save()
    assert parcours.transitions.get().target == Statut.RECEVABLE
