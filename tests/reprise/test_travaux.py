"""La reprise en tâche de fond (docs/reprise.md, « En tâche de fond ») : un travail n'est pris
qu'une fois par des passes concurrentes (SKIP LOCKED), exécuté par le service de la commande
`reprendre` ; un échec le marque « échouée » avec son motif et n'écrit rien."""

import threading
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction

from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.courriels.models import Courriel
from parcours.participants.models import Participant
from parcours.reprise import apercu, travaux
from parcours.reprise.models import EtatTravail, Provenance, TravailReprise
from parcours.reprise.signaux import reprise_terminee
from parcours.tracabilite.models import Trace
from tests.conftest import Monde
from tests.reprise.export import (
    COLONNES_PARCOURS,
    COLONNES_PARTICIPANTS,
    CORRESPONDANCE_VIESION,
    generer,
)


def _csv(colonnes, lignes) -> bytes:
    texte = ";".join(colonnes) + "\n"
    texte += "".join(";".join(ligne.get(c, "") for c in colonnes) + "\n" for ligne in lignes)
    return texte.encode()


def _travail(plie, admin, referent, nombre=10, casser=None) -> TravailReprise:
    """Un aperçu accepté des fichiers générés, puis mis en file."""
    personnes, dossiers = generer(nombre, referents=(referent.username,))
    fichiers = [
        ("participants.csv", _csv(COLONNES_PARTICIPANTS, personnes)),
        ("parcours.csv", _csv(COLONNES_PARCOURS, dossiers)),
    ]
    texte = CORRESPONDANCE_VIESION.read_text(encoding="utf-8")
    depot = apercu.apercevoir(plie, admin, fichiers, texte, "viesion")
    assert depot.etat == "apercu"
    travail = travaux.mettre_en_fond(plie, admin, depot)
    if casser:
        casser(travail)
    return travail


@pytest.fixture
def acteurs_reprise(transactional_db):
    monde = Monde()
    return monde, monde.user(Role.ADMIN), monde.user(Role.REFERENT, "a", 1)


def test_le_travail_attend_puis_est_fait_par_la_passe(acteurs_reprise, mailoutbox):
    monde, admin, referent = acteurs_reprise
    travail = _travail(monde.plie1, admin, referent)
    assert travail.etat == EtatTravail.EN_ATTENTE and travail.lignes == 22
    stockes = list(travail.fichiers.values())
    assert all(default_storage.exists(nom) for nom in stockes)
    assert Provenance.objects.count() == 0

    sortie = StringIO()
    call_command("executer_reprises", stdout=sortie)
    assert f"Reprise {travail.pk} : terminée." in sortie.getvalue()
    travail.refresh_from_db()
    assert travail.etat == EtatTravail.TERMINEE
    assert travail.pris_le and travail.fini_le and travail.pris_par
    assert Provenance.objects.filter(plie=monde.plie1, entite="participant").count() == 10
    comptes = {c["entite"]: c["crees"] for c in travail.rapport["comptes"]}
    assert comptes["Participants"] == 10 and comptes["Parcours"] == 12
    # Les fichiers déposés sont supprimés ; le rapport en classeur reste.
    assert travail.fichiers == {} and not any(default_storage.exists(n) for n in stockes)
    assert default_storage.exists(travail.rapport_xlsx)
    # Le courriel de fin, gardé comme les autres.
    assert travail.courriel == Courriel.objects.get()
    assert mailoutbox[0].to == [admin.email]
    assert "Reprise d'historique terminée" in mailoutbox[0].subject
    assert "Participants : 10 créé(s)" in mailoutbox[0].body
    details = Trace.objects.filter(objet_type="reprise").values_list("detail", flat=True)
    assert any(d.startswith(f"reprise en fond (travail {travail.pk})") for d in details)
    # Plus rien à faire.
    sortie = StringIO()
    call_command("executer_reprises", stdout=sortie)
    assert "Aucune reprise en attente." in sortie.getvalue()


def test_deux_passes_concurrentes_prennent_le_travail_une_seule_fois(acteurs_reprise):
    monde, admin, referent = acteurs_reprise
    travail = _travail(monde.plie1, admin, referent)
    barriere = threading.Barrier(2)
    sorties, erreurs = [], []

    def noeud():
        try:
            barriere.wait(30)
            sortie = StringIO()
            call_command("executer_reprises", stdout=sortie)
            sorties.append(sortie.getvalue())
        except Exception as exc:
            erreurs.append(exc)
        finally:
            connection.close()

    fils = [threading.Thread(target=noeud) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(120)
    assert erreurs == []
    assert sum(f"Reprise {travail.pk} : terminée." in s for s in sorties) == 1
    assert sum("Aucune reprise en attente." in s for s in sorties) == 1
    assert Participant.objects.filter(provenances__plie=monde.plie1).count() == 10
    assert Trace.objects.filter(detail__startswith="reprise en fond (").count() == 1


def test_un_travail_verrouille_par_un_noeud_est_saute_sans_attendre(acteurs_reprise):
    """SKIP LOCKED : pendant qu'un nœud tient la ligne (il est en train de la prendre), l'autre
    ne l'attend pas et prend le suivant, ou rien."""
    monde, admin, referent = acteurs_reprise
    premier = _travail(monde.plie1, admin, referent, nombre=4)
    tenu, liberer = threading.Event(), threading.Event()

    def noeud_a():
        try:
            with transaction.atomic():
                list(TravailReprise.objects.select_for_update().filter(pk=premier.pk))
                tenu.set()
                assert liberer.wait(30)
        finally:
            connection.close()

    fil = threading.Thread(target=noeud_a)
    fil.start()
    try:
        assert tenu.wait(30)
        assert travaux.prendre_un_travail("b") is None
    finally:
        liberer.set()
        fil.join(30)
    pris = travaux.prendre_un_travail("b")
    assert pris.pk == premier.pk and pris.etat == EtatTravail.EN_COURS and pris.pris_par == "b"
    assert travaux.prendre_un_travail("c") is None


def test_un_echec_marque_echouee_et_n_ecrit_rien(acteurs_reprise, mailoutbox):
    """Une erreur au milieu de l'écriture (après les participants et les parcours) : la
    transaction entière est annulée, le travail dit pourquoi en français."""
    monde, admin, referent = acteurs_reprise
    travail = _travail(monde.plie1, admin, referent)

    def panne(**kwargs):
        # Le signal part après l'écriture des personnes et des parcours, dans la transaction.
        assert Participant.objects.filter(provenances__isnull=False).exists()
        raise RuntimeError("disque plein")

    reprise_terminee.connect(panne, dispatch_uid="test-panne")
    try:
        travaux.executer_les_travaux()
    finally:
        reprise_terminee.disconnect(dispatch_uid="test-panne")
    travail.refresh_from_db()
    assert travail.etat == EtatTravail.ECHOUEE
    assert travail.motif.startswith("Erreur inattendue pendant la reprise (RuntimeError).")
    assert "Rien n'a été enregistré" in travail.motif
    assert Provenance.objects.count() == 0 and Participant.objects.count() == 0
    assert Parcours.objects.count() == 0
    assert travail.fichiers == {} and not travail.rapport_xlsx
    assert "Reprise d'historique échouée" in mailoutbox[0].subject
    assert any("échouée" in d for d in Trace.objects.values_list("detail", flat=True))


def test_une_reprise_refusee_a_l_execution_garde_ses_refus(acteurs_reprise):
    """Les données ont changé entre l'aperçu et l'exécution (le référent n'est plus actif) :
    la reprise est refusée, chaque refus est au rapport, rien n'est écrit."""
    monde, admin, referent = acteurs_reprise
    travail = _travail(monde.plie1, admin, referent)
    referent.memberships.update(debut="2000-01-01", fin="2000-01-02")
    travaux.executer_les_travaux()
    travail.refresh_from_db()
    assert travail.etat == EtatTravail.ECHOUEE
    assert travail.motif.startswith("Reprise refusée :")
    assert travail.rapport["refus"] and "référent" in travail.rapport["refus"][0]["raison"]
    assert default_storage.exists(travail.rapport_xlsx)
    assert Provenance.objects.count() == 0


def test_un_travail_abandonne_par_son_noeud_est_marque_echoue(acteurs_reprise):
    import datetime

    from django.utils import timezone

    monde, admin, referent = acteurs_reprise
    travail = _travail(monde.plie1, admin, referent, nombre=4)
    pris = travaux.prendre_un_travail("mort")
    TravailReprise.objects.filter(pk=pris.pk).update(
        pris_le=timezone.now() - travaux.DUREE_MAX - datetime.timedelta(minutes=1)
    )
    assert travaux.executer_les_travaux() == []
    travail.refresh_from_db()
    assert travail.etat == EtatTravail.ECHOUEE and travail.motif == travaux.MOTIF_INTERROMPU
    assert travail.fichiers == {}
    assert Provenance.objects.count() == 0


def test_les_rapports_anciens_sont_purges_la_ligne_reste(acteurs_reprise):
    import datetime

    from django.utils import timezone

    monde, admin, referent = acteurs_reprise
    travail = _travail(monde.plie1, admin, referent, nombre=4)
    travaux.executer_les_travaux()
    travail.refresh_from_db()
    classeur = travail.rapport_xlsx
    assert travail.rapport and default_storage.exists(classeur)
    assert travaux.purger_les_rapports(timezone.now() + datetime.timedelta(days=29)) == 0
    apres = timezone.now() + travaux.CONSERVATION_RAPPORT + datetime.timedelta(days=1)
    assert travaux.purger_les_rapports(apres) == 1
    travail.refresh_from_db()
    assert travail.rapport is None and travail.rapport_xlsx == ""
    assert not default_storage.exists(classeur)
    assert travail.etat == EtatTravail.TERMINEE and travail.lance_par == admin
    assert travaux.purger_les_rapports(apres) == 0
