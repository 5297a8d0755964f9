import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from parcours.courriels.models import Courriel
from parcours.referentiel.models import Referentiel
from tests.workflows.test_entree_recevabilite import prendre_et_decider, prescrire, tache
from workflows.models import Relance
from workflows.relances import envoyer_relances

pytestmark = pytest.mark.django_db
ACCUEIL = reverse("accueil:index")


def vieillir(t, jours):
    type(t).objects.filter(pk=t.pk).update(created=timezone.now() - datetime.timedelta(days=jours))


@pytest.mark.parametrize(("jours", "en_retard"), [(9, False), (11, True)])
def test_echeance_de_recevabilite_selon_le_referentiel(client, acteurs, jours, en_retard):
    parcours = prescrire(client, acteurs.prescripteur)
    t = tache(parcours, "verifier_recevabilite")
    vieillir(t, jours)
    client.force_login(acteurs.animateur)
    (ligne,) = client.get(ACCUEIL).context["a_prendre"]
    assert (
        timezone.localtime(ligne.echeance).date()
        == (timezone.localtime(ligne.created) + datetime.timedelta(days=10)).date()
    )
    assert ligne.en_retard is en_retard
    filtre = client.get(ACCUEIL, {"retard": "1"}).context["a_prendre"]
    assert [x.pk for x in filtre] == ([t.pk] if en_retard else [])


def test_delai_propre_au_plie(client, acteurs):
    referentiel = Referentiel.objects.en_vigueur(acteurs.agenais)
    referentiel.contenu["delais"]["recevabilite_jours"] = 3
    referentiel.save()
    parcours = prescrire(client, acteurs.prescripteur)
    vieillir(tache(parcours, "verifier_recevabilite"), 4)
    client.force_login(acteurs.animateur)
    (ligne,) = client.get(ACCUEIL).context["a_prendre"]
    assert ligne.en_retard


def test_filtres_type_et_territoire(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    prendre_et_decider(
        client, acteurs.animateur, parcours
    )  # prise, pas décidée : dans « Mes tâches »
    client.force_login(acteurs.animateur)
    recevabilite = {"type": "EntreeFlow.verifier_recevabilite"}
    assert len(client.get(ACCUEIL, recevabilite).context["taches"]) == 1
    assert client.get(ACCUEIL, {"type": "EntreeFlow.completer"}).context["taches"] == []
    # Un type que l'animation ne reçoit jamais : ignoré, et l'écran le dit.
    ignore = client.get(ACCUEIL, {"type": "EntreeFlow.premier_entretien"})
    assert len(ignore.context["taches"]) == 1
    assert "Filtre ignoré : ce type de tâche ne vous est jamais adressé" in ignore.content.decode()
    assert len(client.get(ACCUEIL, {"territoire": parcours.territoire_id}).context["taches"]) == 1
    # Le territoire d'un autre PLIE, ou une valeur écrite à la main : ignoré avec un message.
    for inconnu in (acteurs.flandre.territoires.first().pk, "abc"):
        reponse = client.get(ACCUEIL, {"territoire": inconnu})
        assert len(reponse.context["taches"]) == 1
        assert "Filtre ignoré : territoire inconnu" in reponse.content.decode()
    vide = client.get(ACCUEIL, {"type": "EntreeFlow.completer"})
    assert "Aucune tâche en attente pour ces filtres" in vide.content.decode()


def test_relance_une_seule_fois_aux_animateurs(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    assert envoyer_relances() == 0
    vieillir(tache(parcours, "verifier_recevabilite"), 11)
    mail.outbox.clear()
    call_command("envoyer_relances")
    (courriel,) = mail.outbox
    assert courriel.to == [acteurs.animateur.email]
    assert courriel.subject.startswith("Relance : Prescription en attente de recevabilité")
    assert Courriel.objects.filter(parcours=parcours, sujet__startswith="Relance").count() == 1
    assert envoyer_relances() == 0
    assert Relance.objects.count() == 1


def test_relance_du_prescripteur_pour_les_complements(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    prendre_et_decider(
        client, acteurs.animateur, parcours, decision="incomplet", motif="Pièce manquante"
    )
    vieillir(tache(parcours, "completer"), 16)
    mail.outbox.clear()
    assert envoyer_relances() == 1
    assert mail.outbox[0].to == [acteurs.prescripteur.email]


def test_tache_terminee_jamais_relancee(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    t = tache(parcours, "verifier_recevabilite")
    prendre_et_decider(
        client, acteurs.animateur, parcours, decision="irrecevable", motif="Hors critères"
    )
    vieillir(t, 30)
    assert envoyer_relances() == 0


def test_echeance_selon_le_plie_du_dossier_puis_celle_posee(client, acteurs):
    """`echeances.annoter` : le délai du PLIE du dossier (deux PLIE, deux délais), rien pour un
    PLIE dont le référentiel n'est pas lu, sinon l'échéance posée par le flux (jamais avant la
    création de la tâche)."""
    from workflows import echeances

    flandre = Referentiel.objects.en_vigueur(acteurs.flandre)
    flandre.contenu["delais"]["recevabilite_jours"] = 4
    flandre.save()
    agenais_t = tache(prescrire(client, acteurs.prescripteur), "verifier_recevabilite")
    ailleurs = prescrire(client, acteurs.prescripteur, **{"identite-nom": "Autre"})
    flandre_t = tache(ailleurs, "verifier_recevabilite")
    type(ailleurs).objects.filter(pk=ailleurs.pk).update(plie=acteurs.flandre)
    taches = type(agenais_t).objects.filter(pk__in=[agenais_t.pk, flandre_t.pk])

    def echeances_de(plies):
        lues = echeances.annoter(taches, plies)
        return {t.pk: t.echeance - t.created for t in lues}

    jours = datetime.timedelta(days=1)
    deux = echeances_de([acteurs.agenais.pk, acteurs.flandre.pk])
    assert deux == {agenais_t.pk: 10 * jours, flandre_t.pk: 4 * jours}
    assert echeances.annoter(taches, [acteurs.agenais.pk]).get(pk=flandre_t.pk).echeance is None
    # Hors des délais lus : l'échéance posée, ramenée à la création si elle la précède.
    posee = flandre_t.created + 2 * jours
    type(flandre_t).objects.filter(pk=flandre_t.pk).update(data={"echeance": posee.isoformat()})
    seul = echeances.annoter(taches, [acteurs.agenais.pk])
    assert seul.get(pk=flandre_t.pk).echeance == posee
    assert seul.get(pk=agenais_t.pk).echeance - agenais_t.created == 10 * jours
    avant = flandre_t.created - 5 * jours
    type(flandre_t).objects.filter(pk=flandre_t.pk).update(data={"echeance": avant.isoformat()})
    assert echeances.annoter(taches, [acteurs.agenais.pk]).get(pk=flandre_t.pk).echeance == (
        flandre_t.created
    )
