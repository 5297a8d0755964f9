"""Les refus du kit FSM (parcours/core/fsm.py) en français courant : le message dit où en est
l'objet et ce qui n'est plus, ou pas encore, possible, à partir de l'état et de l'action ; jamais
« Transition « … » impossible depuis l'état « … » » ni un code d'état."""

import pytest

from parcours.accompagnement.enums import ACTIONS_TRANSITIONS, ETATS_EN_CLAIR, Statut
from parcours.accompagnement.models import LIBELLES_TRANSITIONS, Parcours
from parcours.core.errors import TransitionInterdite
from parcours.core.fsm import refus_d_etat, sources_de
from parcours.entreprises.enums import StatutOffre
from parcours.entreprises.models import OffreEmploi


def refus(parcours, nom: str) -> str:
    methode = getattr(Parcours, nom)
    sources = sources_de(methode._django_fsm)
    return refus_d_etat(parcours, methode.libelle, methode.action, sources)


def en(statut) -> Parcours:
    return Parcours(statut=statut)


@pytest.mark.parametrize(
    ("statut", "transition", "attendu"),
    [
        (
            Statut.ADMIS,
            "admettre",
            "Ce dossier est déjà admis : il n'est plus possible de prononcer l'admission.",
        ),
        (
            Statut.EN_ACCOMPAGNEMENT,
            "engager",
            "Ce dossier est déjà en accompagnement : il n'est plus possible d'engager "
            "l'accompagnement (entretien d'engagement).",
        ),
        (
            Statut.PRESCRIT,
            "admettre",
            "Ce dossier est prescrit (recevabilité à examiner) : il n'est pas encore possible de "
            "prononcer l'admission (possible à l'état « En commission d'entrée »).",
        ),
        (
            Statut.RECEVABLE,
            "proposer_sortie",
            "Ce dossier est recevable : il n'est pas encore possible de proposer la sortie "
            "(possible à l'état « En accompagnement », « Suspendu (veille) » ou « En emploi "
            "(suivi) »).",
        ),
        (
            Statut.SUSPENDU,
            "suspendre",
            "Ce dossier est suspendu (en veille) : il n'est pas possible de suspendre "
            "l'accompagnement dans cet état (possible à l'état « En accompagnement »).",
        ),
        (
            Statut.SORTI,
            "suspendre",
            "Ce dossier est déjà sorti du PLIE : il n'est plus possible de suspendre "
            "l'accompagnement.",
        ),
        (
            # Une autre branche du chemin : ni avant ni après, plus possible, sans « déjà ».
            Statut.IRRECEVABLE,
            "admettre",
            "Ce dossier est irrecevable : il n'est plus possible de prononcer l'admission.",
        ),
    ],
)
def test_refus_dit_l_etat_et_l_action(statut, transition, attendu):
    assert refus(en(statut), transition) == attendu


def test_le_refus_est_leve_par_la_transition():
    parcours = en(Statut.ADMIS)
    with pytest.raises(TransitionInterdite) as exc:
        parcours.admettre(par=None, referent=None)
    assert str(exc.value) == (
        "Ce dossier est déjà admis : il n'est plus possible de prononcer l'admission."
    )
    assert parcours.statut == Statut.ADMIS


TRANSITIONS = list(LIBELLES_TRANSITIONS)


@pytest.mark.parametrize("statut", list(Statut))
def test_chaque_refus_est_une_phrase_sans_code(statut):
    """Toutes les paires (état, transition interdite) : une phrase, sans code ni « Transition »."""
    # Les codes à tiret bas (« en_commission_entree », « proposer_sortie ») ; les autres sont des
    # mots français (« admis », « annuler »).
    codes = {c for c in [*Statut.values, *LIBELLES_TRANSITIONS] if "_" in c}
    for nom in TRANSITIONS:
        methode = getattr(Parcours, nom)
        if statut in sources_de(methode._django_fsm):
            continue
        message = refus(en(statut), nom)
        assert message.startswith("Ce dossier est "), message
        assert message.endswith("."), message
        assert "Transition" not in message
        assert not [c for c in codes if c in message], message
        assert ACTIONS_TRANSITIONS[nom] in message


def test_chaque_etat_et_chaque_transition_ont_leurs_mots():
    assert set(ETATS_EN_CLAIR) == set(Statut)
    assert set(ACTIONS_TRANSITIONS) == set(LIBELLES_TRANSITIONS)


def test_sans_mots_propres_le_libelle_sert():
    """Un objet sans `etats_en_clair` ni `action` : l'état et le libellé, entre guillemets."""
    offre = OffreEmploi(statut=StatutOffre.POURVUE, intitule="Maçon")
    with pytest.raises(TransitionInterdite) as exc:
        offre.diffuser(par=None)
    assert str(exc.value) == (
        "L'offre « Maçon » est à l'état « Pourvue » : « Diffuser l'offre » n'est plus possible."
    )


def test_droit_et_motif_disent_l_action(db):
    from django.contrib.auth.models import AnonymousUser

    from parcours.core.errors import DonneesTransitionInvalides, TransitionNonAutorisee

    with pytest.raises(TransitionNonAutorisee) as exc:
        en(Statut.EN_COMMISSION_ENTREE).refuser(par=AnonymousUser(), motif="x")
    assert str(exc.value) == "Vous n'avez pas le droit de refuser l'admission pour ce dossier."

    class Autorise(AnonymousUser):
        def has_perm(self, perm, obj=None):
            return True

    with pytest.raises(DonneesTransitionInvalides) as exc:
        en(Statut.EN_COMMISSION_ENTREE).refuser(par=Autorise(), motif="  ")
    assert str(exc.value) == "Un motif est obligatoire pour refuser l'admission."


def _transitions(classe):
    """Les transitions du kit d'un modèle : (nom, méthode) des méthodes qui portent `libelle`."""
    return [
        (nom, getattr(classe, nom))
        for nom in dir(classe)
        if hasattr(getattr(classe, nom, None), "_django_fsm")
        and hasattr(getattr(classe, nom), "libelle")
    ]


def _automates():
    from parcours.clauses.models import Positionnement
    from parcours.commissions.models import SessionCommission
    from parcours.entreprises.models import MiseEnRelation

    return [OffreEmploi, MiseEnRelation, Positionnement, SessionCommission]


@pytest.mark.parametrize("classe", _automates(), ids=lambda c: c.__name__)
def test_les_autres_automates_refusent_en_francais(classe):
    """Offres, mises en relation, candidatures, séances : chaque transition demandée depuis
    chaque état d'où elle ne part pas est refusée par une phrase qui nomme l'objet, son état en
    clair et l'action ; jamais « Transition … » ni un code d'état."""
    champ = classe._meta.get_field("statut")
    etats = dict(champ.flatchoices)
    codes = [c for c in etats if "_" in c]  # les codes qui ne sont pas des mots
    transitions = _transitions(classe)
    assert transitions, classe
    essais = 0
    for _nom, methode in transitions:
        sources = sources_de(methode._django_fsm)
        for etat in etats:
            if etat in sources:
                continue
            objet = classe(statut=etat)
            with pytest.raises(TransitionInterdite) as exc:
                methode(objet, par=None)
            message = str(exc.value)
            essais += 1
            assert "Transition" not in message and "impossible depuis" not in message, message
            assert f"« {etats[etat]} »" in message or "déjà" in message, message
            assert (methode.action or methode.libelle) in message, message
            assert not [c for c in codes if c in message], message
            assert message[0].isupper() and message.endswith("."), message
    assert essais > 0
