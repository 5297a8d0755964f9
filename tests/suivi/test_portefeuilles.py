import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours import acces
from parcours.accompagnement import suivi
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import (
    ChangementReferent,
    JournalDelegation,
    ParcoursUserObjectPermission,
)
from parcours.core.enums import Role
from parcours.core.errors import TransitionNonAutorisee
from tests.factories import StructureFactory, membre, parcours_en


@pytest.fixture
def collegue(monde):
    """Un second référent de la structure A du PLIE 1."""
    return membre(Role.REFERENT, monde.structure("operateur", "a", 1))


def test_changer_le_referent_d_un_dossier(dossier, referent, animateur, collegue):
    (changement,) = suivi.changer_referent(dossier, collegue, animateur, "Départ en formation")
    dossier.refresh_from_db()
    assert dossier.referent == collegue and dossier.statut == Statut.EN_ACCOMPAGNEMENT
    assert (changement.ancien, changement.nouveau, changement.par, changement.en_masse) == (
        referent,
        collegue,
        animateur,
        False,
    )
    assert acces.peut_voir(collegue, dossier) and not acces.peut_voir(referent, dossier)


def test_changer_tout_un_portefeuille(monde, catalogue, referent, animateur, collegue):
    dossiers = [parcours_en(monde, Statut.EN_ACCOMPAGNEMENT) for _ in range(3)]
    sorti = parcours_en(monde, Statut.SORTI)
    changements = suivi.changer_referent(
        monde.plie1.parcours.filter(referent=referent), collegue, animateur, "Départ du référent"
    )
    assert {c.parcours_id for c in changements} == {d.pk for d in dossiers}
    assert all(c.en_masse for c in changements)
    sorti.refresh_from_db()
    assert sorti.referent == referent  # un dossier clos reste à son référent
    assert ChangementReferent.objects.count() == 3


@pytest.mark.parametrize("role", [Role.REFERENT, Role.PRESCRIPTEUR, Role.COMMISSION])
def test_changer_le_referent_reserve_a_l_animation(monde, dossier, collegue, role):
    with pytest.raises(TransitionNonAutorisee):
        suivi.changer_referent(dossier, collegue, monde.user(role), "Réorganisation")
    assert not ChangementReferent.objects.exists()


def test_animateur_d_un_autre_plie(monde, dossier, collegue):
    with pytest.raises(TransitionNonAutorisee):
        suivi.changer_referent(dossier, collegue, monde.user(Role.ANIMATEUR, plie=2), "x")


def test_nouveau_referent_hors_plie(monde, dossier, animateur):
    etranger = monde.user(Role.REFERENT, plie=2)
    with pytest.raises(ValidationError, match="n'est pas référent"):
        suivi.changer_referent(dossier, etranger, animateur, "Réorganisation")
    dossier.refresh_from_db()
    assert dossier.referent == monde.user(Role.REFERENT)


def test_motif_obligatoire(dossier, animateur, collegue):
    with pytest.raises(ValidationError):
        suivi.changer_referent(dossier, collegue, animateur, "  ")


def _interim(monde, titulaire, suppleant, animateur, debut=None, fin=None):
    aujourd_hui = timezone.localdate()
    return suivi.deleguer_portefeuille(
        titulaire,
        suppleant,
        animateur,
        plie=monde.plie1,
        debut=debut or aujourd_hui,
        fin=fin or aujourd_hui + datetime.timedelta(days=20),
        motif="Congé maternité",
    )


def test_interim_donne_puis_retire_l_acces(monde, dossier, referent, animateur):
    suppleant = monde.user(Role.REFERENT, "b")
    assert not acces.peut_voir(suppleant, dossier)
    delegation = _interim(monde, referent, suppleant, animateur)
    # Les droits explicites sont lus avec le périmètre, une fois par requête : compte relu.
    suppleant = type(suppleant).objects.get(pk=suppleant.pk)
    assert acces.peut_voir(suppleant, dossier)
    assert acces.peut_effectuer(suppleant, dossier, {Role.REFERENT})
    assert list(delegation.parcours_couverts.all()) == [dossier]
    # Le suppléant tient le suivi : il ajoute une étape au dossier du titulaire.
    suivi.ajouter_etape(dossier, suppleant, type_code="accueil", date_debut=timezone.localdate())

    suivi.lever_delegation(delegation, animateur)
    suppleant = type(suppleant).objects.get(pk=suppleant.pk)  # sans cache de périmètre
    assert not acces.peut_voir(suppleant, dossier)
    assert not ParcoursUserObjectPermission.objects.filter(user=suppleant).exists()
    evenements = list(delegation.journal.values_list("evenement", flat=True))
    assert evenements == ["creee", "droits_accordes", "levee", "droits_retires"]


def test_interim_futur_puis_echu(monde, dossier, referent, animateur):
    suppleant = monde.user(Role.REFERENT, "b")
    aujourd_hui = timezone.localdate()
    delegation = _interim(
        monde,
        referent,
        suppleant,
        animateur,
        debut=aujourd_hui + datetime.timedelta(days=2),
        fin=aujourd_hui + datetime.timedelta(days=5),
    )
    assert not acces.peut_voir(suppleant, dossier)
    suivi.expirer_delegations(aujourd_hui + datetime.timedelta(days=2))
    suppleant = type(suppleant).objects.get(pk=suppleant.pk)  # périmètre et droits relus
    assert acces.peut_voir(suppleant, dossier)
    assert suivi.expirer_delegations(aujourd_hui + datetime.timedelta(days=6)) == 1
    assert not ParcoursUserObjectPermission.objects.filter(user=suppleant).exists()
    assert delegation.journal.filter(evenement=JournalDelegation.Evenement.EXPIREE).exists()
    # Une fois échu et ses droits retirés, il n'est plus repris.
    assert suivi.expirer_delegations(aujourd_hui + datetime.timedelta(days=7)) == 0


def test_interim_suit_le_portefeuille(monde, dossier, referent, animateur):
    suppleant = monde.user(Role.REFERENT, "b")
    _interim(monde, referent, suppleant, animateur)
    nouveau = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    assert not acces.peut_voir(suppleant, nouveau)
    suivi.expirer_delegations()
    assert acces.peut_voir(suppleant, nouveau)


def test_interim_garde_un_droit_couvert_par_un_autre(monde, dossier, referent, animateur):
    suppleant = monde.user(Role.REFERENT, "b")
    premier = _interim(monde, referent, suppleant, animateur)
    _interim(monde, referent, suppleant, animateur)
    suivi.lever_delegation(premier, animateur)
    assert acces.peut_voir(type(suppleant).objects.get(pk=suppleant.pk), dossier)


@pytest.mark.parametrize(
    "champ, suppleant_de",
    [("suppleant", lambda m: m.user(Role.REFERENT, plie=2)), ("suppleant", None)],
)
def test_interim_suppleant_invalide(monde, dossier, referent, animateur, champ, suppleant_de):
    suppleant = suppleant_de(monde) if suppleant_de else referent
    with pytest.raises(ValidationError) as exc:
        _interim(monde, referent, suppleant, animateur)
    assert champ in exc.value.message_dict


def test_interim_reserve_a_l_animation(monde, dossier, referent):
    with pytest.raises(TransitionNonAutorisee):
        _interim(monde, referent, monde.user(Role.REFERENT, "b"), referent)


def test_interim_dates(monde, dossier, referent, animateur):
    aujourd_hui = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        _interim(
            monde,
            referent,
            monde.user(Role.REFERENT, "b"),
            animateur,
            debut=aujourd_hui,
            fin=aujourd_hui - datetime.timedelta(days=1),
        )
    assert "fin" in exc.value.message_dict


def test_referent_d_une_autre_structure_comme_suppleant(monde, dossier, referent, animateur):
    # Un référent d'une structure d'un autre PLIE ne peut pas suppléer, même avec un compte.
    autre = membre(Role.REFERENT, StructureFactory(plie=monde.plie2))
    with pytest.raises(ValidationError):
        _interim(monde, referent, autre, animateur)


# — Intérim : les tâches du titulaire, tenues par le suppléant sans réassignation —


def _tache_du_titulaire(dossier, referent):
    from parcours.accompagnement.enums import CanalContact, Presence
    from workflows.suivi.flows import SuiviAbsenceFlow

    suivi.enregistrer_entretien(
        dossier,
        referent,
        date=timezone.now() - datetime.timedelta(days=1),
        canal=CanalContact.PHYSIQUE_INDIVIDUEL,
        presence=Presence.ABSENT_INJUSTIFIE,
    )
    courrier, appel = SuiviAbsenceFlow.task_class.objects.filter(
        process__artifact_object_id=dossier.pk, flow_task=SuiviAbsenceFlow.relancer_absence
    ).order_by("data__delai_jours")
    assert courrier.owner == referent
    return courrier, appel


def _execute(tache):
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — charge les URL : les flux y apprennent leur espace de noms
    return tache.flow_task.reverse("execute", args=[tache.process_id, tache.pk])


def _frais(user):
    return type(user).objects.get(pk=user.pk)  # sans cache de périmètre


def test_interim_le_suppleant_tient_les_taches_du_titulaire(
    client, monde, dossier, referent, animateur, collegue
):
    from django.urls import reverse
    from viewflow.workflow.status import STATUS

    from parcours.accompagnement.models import Entretien
    from workflows import access as workflows_access

    suppleant = monde.user(Role.REFERENT, "b")
    courrier, appel = _tache_du_titulaire(dossier, referent)
    assert courrier not in workflows_access.mes_taches(suppleant)
    client.force_login(suppleant)
    assert client.get(_execute(courrier)).status_code == 404

    delegation = _interim(monde, referent, suppleant, animateur)
    assert set(workflows_access.mes_taches(_frais(suppleant))) == {courrier, appel}
    assert set(workflows_access.taches_en_interim(_frais(suppleant))) == {courrier, appel}
    accueil = client.get(reverse("accueil:index"))
    assert {t.pk for t in accueil.context["taches"]} == {courrier.pk, appel.pk}
    assert client.get(_execute(courrier)).status_code == 200
    # Le dossier lui propose aussi de les faire.
    page = client.get(reverse("participants:dossier", args=[dossier.pk])).content.decode()
    assert _execute(courrier) in page and _execute(appel) in page
    reponse = client.post(_execute(courrier), {"canal": "courrier", "note": "Courrier envoyé."})
    assert reponse.status_code == 302
    courrier.refresh_from_db()
    # Faite par le suppléant, sans lui être réassignée ; le contact est à son nom.
    assert courrier.status == STATUS.DONE and courrier.owner == referent
    contact = Entretien.objects.get(parcours=dossier, canal="courrier")
    assert contact.auteur == suppleant
    # Le titulaire garde ses tâches pendant l'intérim.
    assert set(workflows_access.mes_taches(referent)) == {appel}
    # Un autre référent, ni titulaire ni suppléant, n'y a jamais accès.
    client.force_login(referent)
    page = client.get(reverse("participants:dossier", args=[dossier.pk])).content.decode()
    assert _execute(appel) in page
    client.force_login(collegue)
    assert client.get(_execute(appel)).status_code == 404
    assert appel not in workflows_access.mes_taches(collegue)

    # À la levée, le titulaire retrouve seul ses tâches.
    suivi.lever_delegation(delegation, animateur)
    client.force_login(suppleant)
    assert client.get(_execute(appel)).status_code == 404
    assert appel not in workflows_access.mes_taches(_frais(suppleant))
    appel.refresh_from_db()
    assert appel.owner == referent and appel.status == STATUS.ASSIGNED
    assert set(workflows_access.mes_taches(referent)) == {appel}


def test_interim_pas_encore_commence(client, monde, dossier, referent, animateur):
    from workflows import access as workflows_access

    suppleant = monde.user(Role.REFERENT, "b")
    courrier, _ = _tache_du_titulaire(dossier, referent)
    aujourd_hui = timezone.localdate()
    _interim(
        monde,
        referent,
        suppleant,
        animateur,
        debut=aujourd_hui + datetime.timedelta(days=2),
        fin=aujourd_hui + datetime.timedelta(days=5),
    )
    assert courrier not in workflows_access.mes_taches(suppleant)
    client.force_login(suppleant)
    assert client.get(_execute(courrier)).status_code == 404
    assert client.post(_execute(courrier), {"canal": "courrier", "note": "x"}).status_code == 404


def test_interim_echu_avant_le_retrait_des_droits(client, monde, dossier, referent, animateur):
    """Le soir de la fin, avant la commande d'échéance : le suppléant voit encore le dossier
    (droits pas encore retirés) mais plus les tâches du titulaire (403)."""
    from viewflow.workflow.status import STATUS

    from parcours.accompagnement.models import Delegation
    from workflows import access as workflows_access

    suppleant = monde.user(Role.REFERENT, "b")
    courrier, _ = _tache_du_titulaire(dossier, referent)
    delegation = _interim(monde, referent, suppleant, animateur)
    hier = timezone.localdate() - datetime.timedelta(days=1)
    Delegation.objects.filter(pk=delegation.pk).update(debut=hier, fin=hier)
    assert acces.peut_voir(suppleant, dossier)
    assert courrier not in workflows_access.mes_taches(suppleant)
    client.force_login(suppleant)
    assert client.get(_execute(courrier)).status_code == 403
    assert client.post(_execute(courrier), {"canal": "courrier", "note": "x"}).status_code == 403
    courrier.refresh_from_db()
    assert courrier.status == STATUS.ASSIGNED


def test_interim_d_un_autre_titulaire_ne_couvre_pas(client, monde, dossier, referent, animateur):
    """Une délégation d'un autre titulaire au même suppléant ne donne pas les tâches du
    titulaire du dossier."""
    from workflows import access as workflows_access

    suppleant = monde.user(Role.REFERENT, "b")
    autre = membre(Role.REFERENT, monde.structure("operateur", "a", 1))
    courrier, _ = _tache_du_titulaire(dossier, referent)
    _interim(monde, autre, suppleant, animateur)
    assert courrier not in workflows_access.mes_taches(suppleant)
    client.force_login(suppleant)
    assert client.get(_execute(courrier)).status_code == 404
