"""La conservation appliquée chaque jour (`manage.py appliquer_conservation`) : la simulation
liste sans rien changer ; la passe réelle anonymise exactement les personnes arrivées au terme,
supprime leurs documents et ceux des parcours échus, trace chaque action, laisse les comptes
des bilans intacts ; une seconde passe ne fait rien (docs/rgpd.md)."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from parcours.accompagnement.chemins import PDF_MINIMAL
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import (
    Entretien,
    Etape,
    Parcours,
    PieceEntree,
    PreuveEtape,
    QuestionnaireFSE,
    TransitionParcours,
)
from parcours.core.enums import Role
from parcours.courriels.models import Courriel
from parcours.emploi.models import Contrat
from parcours.participants.models import Participant
from parcours.referentiel.models import Referentiel
from parcours.rgpd import conservation
from parcours.rgpd.anonymisation import TEXTE_ANONYMISE, anonymiser
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from parcours.tracabilite.services import tracer
from tests.factories import ParticipantFactory, parcours_en

pytestmark = pytest.mark.django_db

ANNEE = timezone.localdate().year
# Un PLIE dont les données FSE ne retiennent plus personne : seules comptent les durées après
# la clôture (pièces 3 ans, identité 5 ans).
REGLES = {"documents_annees": 3, "donnees_fse_jusqu_au": "2015-12-31", "identite_annees": 5}


def referentiel(plie, **regles):
    Referentiel.objects.create(
        plie=plie,
        date_effet=datetime.date(2000, 1, 1),
        contenu={"conservation": {**REGLES, **regles}},
    )


def clore_en(parcours, annee):
    """Date la clôture (et tout l'historique) du parcours au 1er mars de `annee`."""
    quand = timezone.make_aware(datetime.datetime(annee, 3, 1, 10))
    TransitionParcours.objects.filter(parcours=parcours).update(at=quand)
    if parcours.date_sortie:
        Parcours.objects.filter(pk=parcours.pk).update(
            date_entree=datetime.date(annee - 1, 1, 1), date_sortie=datetime.date(annee, 2, 1)
        )


def avec_documents(parcours):
    """Un CV, une pièce d'entrée, une preuve d'étape, un émargement, un justificatif de contrat
    (en plus de la copie signée du contrat d'engagement), des textes libres, un courriel."""
    referent = parcours.referent
    prescription = parcours.prescription
    prescription.motif = f"Orientée par son assistante sociale, {parcours.participant.nom}"
    prescription.cv.save(f"cv-{parcours.participant.nom}.pdf", ContentFile(PDF_MINIMAL))
    PieceEntree.objects.create(
        parcours=parcours,
        code="identite",
        libelle="Justificatif d'identité",
        fichier=ContentFile(PDF_MINIMAL, name="identite.pdf"),
        deposee_par=referent,
    )
    etape = Etape.objects.create(
        parcours=parcours,
        type_code="atelier",
        type_libelle="Atelier",
        categorie="Accompagnement",
        date_debut=datetime.date(2020, 1, 1),
        commentaire="Difficultés de santé",
        created_by=referent,
    )
    PreuveEtape.objects.create(
        etape=etape,
        type_preuve="attestation",
        libelle="Attestation",
        fichier=ContentFile(PDF_MINIMAL, name="attestation.pdf"),
        deposee_par=referent,
    )
    Entretien.objects.create(
        parcours=parcours,
        date=timezone.make_aware(datetime.datetime(2020, 1, 2, 10)),
        canal="physique_individuel",
        auteur=referent,
        note="Parle de son divorce",
        emargement=ContentFile(PDF_MINIMAL, name="emargement.pdf"),
    )
    Contrat.objects.create(
        parcours=parcours,
        type="cdd",
        employeur="Boulangerie Martin",
        debut=datetime.date(2020, 2, 1),
        fin=datetime.date(2020, 3, 1),
        justificatif=ContentFile(PDF_MINIMAL, name="contrat.pdf"),
        created_by=referent,
    )
    from viewflow.workflow.models import Process

    from workflows.alertes import AlerteFlow

    Process.objects.create(
        flow_class=AlerteFlow,
        artifact=parcours,
        status="DONE",
        data={
            "type": "sans_contact",
            "libelle": "Sans contact",
            "traitement": {"commentaire": "Hospitalisé"},
        },
    )
    Courriel.objects.create(
        parcours=parcours,
        destinataires=[parcours.participant.email, "referent@exemple.fr"],
        sujet=f"Rendez-vous de {parcours.participant.nom}",
        corps="Bonjour…",
    )
    return parcours


def personne(nom, **kwargs):
    return ParticipantFactory(
        nom=nom,
        prenom="Camille",
        email=f"{nom.lower()}@exemple.fr",
        telephone="0612345678",
        adresse="3 rue des Lilas",
        commune_insee="47001",
        commune_nom="Agen",
        date_naissance=datetime.date(1980, 5, 17),
        **kwargs,
    )


@pytest.fixture
def scene(monde):
    """Dans le PLIE 1 : une personne sortie il y a 10 ans (tout est échu), une sortie il y a
    4 ans (ses pièces seules sont échues), une sortie cette année, une en accompagnement, une
    revenue (ancien parcours clos, nouveau ouvert). Dans le PLIE 2, une sortie il y a 10 ans."""
    referentiel(monde.plie1)
    referentiel(monde.plie2)
    s = type("Scene", (), {})()
    s.ancien = parcours_en(monde, Statut.SORTI, participant=personne("Ancien"))
    s.quatre_ans = parcours_en(monde, Statut.SORTI, participant=personne("Quatre"))
    s.recent = parcours_en(monde, Statut.SORTI, participant=personne("Recent", sexe="H"))
    s.ouvert = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, participant=personne("Ouvert"))
    s.revenu_ancien = parcours_en(monde, Statut.SORTI, participant=personne("Revenu"))
    s.voisin = parcours_en(monde, Statut.SORTI, plie=2, participant=personne("Voisin"))
    for p in (s.ancien, s.quatre_ans, s.recent, s.ouvert, s.revenu_ancien, s.voisin):
        avec_documents(p)
    clore_en(s.ancien, ANNEE - 10)
    clore_en(s.quatre_ans, ANNEE - 4)
    clore_en(s.revenu_ancien, ANNEE - 10)
    clore_en(s.voisin, ANNEE - 10)
    s.revenu = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, participant=s.revenu_ancien.participant)
    return s


def lancer(*args) -> str:
    sortie = io.StringIO()
    call_command("appliquer_conservation", *args, stdout=sortie)
    return sortie.getvalue()


def fichiers() -> list[str]:
    racine = Path(settings.MEDIA_ROOT)
    return sorted(str(f.relative_to(racine)) for f in racine.rglob("*") if f.is_file())


def photo():
    """Ce qu'une passe pourrait changer : identités, fichiers, traces."""
    return (
        list(Participant.objects.order_by("pk").values()),
        fichiers(),
        PieceEntree.objects.count(),
        PreuveEtape.objects.count(),
        Trace.objects.count(),
    )


def comptes():
    """Les comptes des bilans : parcours par état, personnes par sexe, étapes, contrats."""
    return (
        list(Parcours.objects.values("plie", "statut").annotate(n=Count("id")).order_by("plie")),
        list(Participant.objects.values("sexe").annotate(n=Count("id")).order_by("sexe")),
        Etape.objects.count(),
        Contrat.objects.count(),
        Entretien.objects.count(),
        list(QuestionnaireFSE.objects.values_list("situation_marche_travail", "niveau_diplome")),
    )


def test_la_simulation_liste_sans_rien_changer(scene, django_capture_on_commit_callbacks):
    avant = photo()
    assert len(avant[1]) >= 36  # 6 fichiers pour chacun des 6 parcours documentés
    with django_capture_on_commit_callbacks(execute=True):
        sortie = lancer("--dry-run")
    assert photo() == avant
    assert "simulation (--dry-run) : rien n'est modifié" in sortie
    # Pièces échues : l'ancien, celui d'il y a 4 ans, l'ancien parcours du revenu, le voisin ;
    # 6 documents chacun (CV, copie signée, pièce, preuve, émargement, justificatif).
    assert "Documents au terme de leur conservation à supprimer : 24 (4 parcours)" in sortie
    assert f"  parcours {scene.ancien.pk} : 6 document(s), conservés jusqu'au 31/12/" in sortie
    assert "Identités à anonymiser : 2" in sortie
    assert f"  {scene.ancien.participant.numero} (parcours {scene.ancien.pk})" in sortie
    assert scene.voisin.participant.numero in sortie
    for garde in (scene.quatre_ans, scene.recent, scene.ouvert, scene.revenu):
        assert f"  {garde.participant.numero} " not in sortie
    assert "Journal des accès : 0 trace(s) de plus de 365 jours à purger" in sortie


def test_la_passe_anonymise_exactement_les_personnes_echues(
    scene, django_capture_on_commit_callbacks
):
    avant = comptes()
    fichiers_recents = [scene.recent.prescription.cv.name, scene.ouvert.prescription.cv.name]
    fichier_ancien = scene.ancien.prescription.cv.name
    with django_capture_on_commit_callbacks(execute=True):
        sortie = lancer()
    assert "Identités anonymisées : 2" in sortie
    assert comptes() == avant

    ancien = Participant.objects.get(pk=scene.ancien.participant_id)
    assert (ancien.nom, ancien.prenom, ancien.nom_naissance) == ("Anonyme", ancien.numero, "")
    assert (ancien.email, ancien.telephone, ancien.adresse) == ("", "", "")
    assert ancien.date_naissance == datetime.date(1980, 7, 1)  # l'année seule
    assert (ancien.sexe, ancien.commune_insee, ancien.commune_nom) == ("F", "47001", "Agen")
    assert ancien.anonymise_le is not None
    assert "ancien" not in ancien.recherche
    for garde in (scene.quatre_ans, scene.recent, scene.ouvert, scene.revenu):
        p = Participant.objects.get(pk=garde.participant_id)
        assert p.anonymise_le is None and p.nom != "Anonyme" and p.email
    assert Participant.objects.get(pk=scene.voisin.participant_id).anonymise_le is not None

    # Textes libres effacés, données des bilans gardées.
    parcours = Parcours.objects.get(pk=scene.ancien.pk)
    assert parcours.prescription.motif == TEXTE_ANONYMISE
    assert parcours.etapes.get().commentaire == TEXTE_ANONYMISE
    assert parcours.entretiens.get().note == TEXTE_ANONYMISE
    assert parcours.questionnaire_fse.commune_naissance == ""
    assert parcours.questionnaire_fse.situation_marche_travail == "demandeur_emploi"
    courriel = parcours.courriels.get()
    assert (courriel.sujet, courriel.destinataires) == (TEXTE_ANONYMISE, ["referent@exemple.fr"])
    assert parcours.contrats.get().employeur == "Boulangerie Martin"
    from viewflow.workflow.models import Process

    traitements = {
        p.artifact_object_id: p.data["traitement"]["commentaire"] for p in Process.objects.all()
    }
    assert traitements[scene.ancien.pk] == TEXTE_ANONYMISE
    assert traitements[scene.recent.pk] == "Hospitalisé"
    assert (parcours.statut, parcours.type_sortie) == (Statut.SORTI, "emploi_durable")

    # Documents : ceux des parcours échus supprimés (fichier et champ, ou la ligne) ; les autres
    # restent.
    for echu in (scene.ancien, scene.quatre_ans, scene.revenu_ancien):
        p = Parcours.objects.get(pk=echu.pk)
        assert not p.prescription.cv and not p.contrat_engagement.copie_signee
        assert not p.pieces_entree.exists() and not PreuveEtape.objects.filter(etape__parcours=p)
        assert not p.entretiens.get().emargement and not p.contrats.get().justificatif
    assert not default_storage.exists(fichier_ancien)
    for nom in fichiers_recents:
        assert default_storage.exists(nom)
    for garde in (scene.recent, scene.ouvert):
        assert (
            garde.pieces_entree.count() == 1 and Parcours.objects.get(pk=garde.pk).prescription.cv
        )
    # Les pièces échues d'il y a 4 ans sont parties, pas son identité.
    assert Participant.objects.get(pk=scene.quatre_ans.participant_id).nom == "Quatre"

    # Chaque action est tracée, sans nom de fichier ni de personne.
    traces = Trace.objects.filter(type=TypeTrace.ANONYMISATION)
    assert traces.filter(objet_type="participant").count() == 2
    assert traces.exclude(objet_type="participant").count() == 24
    trace = traces.get(participant_id=scene.ancien.participant_id, objet_type="participant")
    assert (trace.plie_id, trace.identifiant, trace.user) == (
        scene.ancien.plie_id,
        "conservation (automatique)",
        None,
    )
    assert trace.detail.startswith("Identité anonymisée au terme de sa conservation (31/12/")
    cv = traces.get(participant_id=scene.ancien.participant_id, objet_type="prescription")
    assert (
        cv.detail.startswith("Document supprimé (conservation échue le 31/12/")
        and "CV" in cv.detail
    )
    assert not traces.filter(detail__icontains="ancien").exists()


def test_une_seconde_passe_ne_fait_rien(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lancer()
    apres = photo()
    with django_capture_on_commit_callbacks(execute=True):
        sortie = lancer()
    assert photo() == apres
    assert "supprimés : 0 (0 parcours)" in sortie and "Identités anonymisées : 0" in sortie
    assert anonymiser(scene.ancien.participant_id, fin=datetime.date(2020, 12, 31)) is None


def test_un_seul_plie(scene, django_capture_on_commit_callbacks):
    ancien_trace = tracer(TypeTrace.CONNEXION)
    Trace.objects.filter(pk=ancien_trace.pk).update(
        at=timezone.now() - datetime.timedelta(days=400)
    )
    with django_capture_on_commit_callbacks(execute=True):
        sortie = lancer("--plie", "flandre-test")
    assert "Identités anonymisées : 1" in sortie
    assert scene.voisin.participant.numero in sortie
    assert Participant.objects.get(pk=scene.ancien.participant_id).anonymise_le is None
    # La purge du journal, commune à l'instance, attend une passe sans --plie.
    assert "Journal des accès" not in sortie
    assert Trace.objects.filter(pk=ancien_trace.pk).exists()
    assert "1 trace(s) de plus de 365 jours purgées" in lancer()
    assert not Trace.objects.filter(pk=ancien_trace.pk).exists()


def test_valeurs_par_defaut_les_donnees_fse_retiennent_l_identite(monde):
    """Sans section `conservation` : aucune identité n'est effacée avant le 31/12/2033."""
    parcours = parcours_en(monde, Statut.SORTI, participant=personne("Ancien"))
    clore_en(parcours, ANNEE - 10)
    assert conservation.lister(datetime.date(2033, 12, 31)).personnes == []
    (echue,) = conservation.lister(datetime.date(2034, 1, 1)).personnes
    assert (echue.participant_id, echue.fin) == (
        parcours.participant_id,
        datetime.date(2033, 12, 31),
    )
    sortie = lancer("--dry-run", "--date", "2034-01-01")
    assert "Conservation au 01/01/2034" in sortie and parcours.participant.numero in sortie


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--plie", "inconnu"), "PLIE inconnu : « inconnu »."),
        (("--date", "2040-01-01"), "--date ne s'emploie qu'avec --dry-run"),
        (("--dry-run", "--date", "2040-13-01"), "--date : date invalide « 2040-13-01 »"),
    ],
)
def test_options_invalides(db, args, message):
    with pytest.raises(CommandError, match=message) as exc:
        lancer(*args)
    assert exc.value.returncode == 2


def test_clos_sans_sortie_compte_depuis_sa_derniere_transition(monde):
    referentiel(monde.plie1)
    annule = parcours_en(monde, Statut.ANNULE, participant=personne("Annule"))
    clore_en(annule, ANNEE - 10)
    recent = parcours_en(monde, Statut.REFUSE, participant=personne("Refuse"))
    assert [p.participant_id for p in conservation.lister().personnes] == [annule.participant_id]
    assert recent.participant_id not in [p.participant_id for p in conservation.lister().personnes]


def test_referent_et_monde_intacts(scene, monde, django_capture_on_commit_callbacks):
    """L'anonymisation ne touche qu'aux personnes : comptes et adhésions restent."""
    referent = monde.user(Role.REFERENT)
    with django_capture_on_commit_callbacks(execute=True):
        lancer()
    referent.refresh_from_db()
    assert referent.is_active and referent.memberships.exists()
