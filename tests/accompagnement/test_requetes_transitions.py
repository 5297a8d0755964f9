"""Ce que coûte chaque transition du chemin jusqu'à la sortie, en requêtes : ce que paie
l'utilisateur à chaque décision, et ce que paient les tests qui construisent des dossiers
(`parcours_en`). Une régression (relecture, point de sauvegarde, vérification en trop) se voit ici.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parcours.accompagnement.chemins import CHEMINS, completer_engagement
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.core.errors import ConflitTransition
from tests.factories import ParticipantFactory, parcours_en

# Requêtes au plus, par étape : l'état et sa ligne de journal (2, dans la transaction de
# l'appelant), plus ce que la transition lit (droits, référent, engagement) et la levée des alertes
# (à partir de l'admission : avant, aucune alerte ne peut être ouverte ; une lecture sans point de
# sauvegarde quand le dossier n'en a pas d'ouverte).
PLAFONDS = {
    "declarer_recevable": 3,
    "inscrire_en_commission": 2,
    "admettre": 3,
    "engagement": 23,
    "engager": 8,
    "entrer_en_emploi": 3,
    "proposer_sortie": 3,
    "valider_sortie": 5,
}


def test_chaque_transition_jusqu_a_la_sortie_reste_sous_son_plafond(monde):
    parcours = parcours_en(monde, Statut.PRESCRIT)
    acteurs = {"animateur": monde.user(Role.ANIMATEUR)}  # comptes créés hors mesure
    referent = monde.user(Role.REFERENT)
    comptes = {}
    for nom, acteur, kwargs in CHEMINS[Statut.SORTI]:
        kwargs = dict(kwargs)
        if kwargs.pop("referent", False):
            kwargs["referent"] = referent
        par = parcours.referent if acteur == "referent" else acteurs[acteur]
        with CaptureQueriesContext(connection) as ctx:
            getattr(parcours, nom)(par=par, **kwargs)
            parcours.save()
        comptes[nom] = len(ctx)
        if nom == "admettre":
            with CaptureQueriesContext(connection) as ctx:
                completer_engagement(parcours)
            comptes["engagement"] = len(ctx)
    assert parcours.statut == Statut.SORTI
    assert list(parcours.transitions.values_list("transition", flat=True)) == [
        nom for nom, _, _ in CHEMINS[Statut.SORTI]
    ]
    depasses = {nom: n for nom, n in comptes.items() if n > PLAFONDS[nom]}
    assert not depasses, f"requêtes au-delà du plafond : {depasses} (plafonds : {PLAFONDS})"


@pytest.mark.parametrize(
    ("statut", "plafond"),
    [(Statut.ADMIS, 35), (Statut.EN_ACCOMPAGNEMENT, 43), (Statut.SORTI, 54)],
)
def test_un_dossier_construit_par_les_transitions(
    monde, statut, plafond, django_assert_max_num_queries
):
    parcours_en(monde, Statut.PRESCRIT)  # comptes et structures du monde créés hors mesure
    with django_assert_max_num_queries(plafond):
        parcours_en(monde, statut)


def test_un_conflit_attrape_laisse_la_transaction_utilisable(monde):
    """Sans point de sauvegarde dans une transaction ouverte : le conflit n'écrit rien, et
    l'appelant qui l'attrape (un écran qui l'affiche) continue sa transaction (celle du test)."""
    parcours = parcours_en(monde, Statut.EN_COMMISSION_ENTREE)
    perimee = Parcours.objects.get(pk=parcours.pk)
    parcours.admettre(par=monde.user(Role.ANIMATEUR), referent=monde.user(Role.REFERENT))
    parcours.save()
    perimee.refuser(par=monde.user(Role.ANIMATEUR), motif="Non prioritaire")
    with pytest.raises(ConflitTransition):
        perimee.save()
    assert perimee._journal_en_attente == []
    relu = Parcours.objects.get(pk=parcours.pk)
    assert relu.statut == Statut.ADMIS
    assert list(relu.transitions.values_list("transition", flat=True))[-1] == "admettre"
    assert not relu.transitions.filter(transition="refuser").exists()
    # La transaction reste bonne pour écrire aussi.
    assert ParticipantFactory().pk is not None
