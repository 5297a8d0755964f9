"""Le travail repris des parcours en emploi et suspendus : minuteur de la sortie et suivi des
contrats calculés depuis les contrats repris, échéance de la suspension, requêtes constantes
(docs/reprise.md, « Le travail reprend »)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.timers import fire_due_timers

from parcours.accompagnement.models import Parcours, Suspension
from parcours.core.enums import Role
from parcours.core.models import PLIE
from parcours.emploi.models import Contrat
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.service import reprendre
from tests.emploi.fabrique_emploi import SORTIE, il_y_a, referentiel
from tests.reprise.fabrique import en_emploi
from tests.reprise.test_entites import export_complet
from tests.suivi.conftest import appliquer_referentiel
from workflows import access as workflows_access
from workflows.alertes.flows import AlerteFlow
from workflows.emploi.flows import SortieFlow, SuiviContratFlow
from workflows.reprise.reactions import reprendre_le_travail
from workflows.suivi.flows import SuspensionFlow

pytestmark = pytest.mark.django_db


def _processus_de(parcours, flux=(SortieFlow, SuspensionFlow)):
    return Process.objects.filter(
        artifact_object_id=parcours.pk, flow_class__in=flux, status=PROCESS.NEW
    )


def _tache_en_attente(process):
    return process.task_set.exclude(status=STATUS.DONE).get()


def test_minuteur_du_suivi_emploi_depuis_le_contrat_repris(monde, referents):
    """CDI commencé il y a 2 mois, règle « 6 mois chez le même employeur » : le minuteur de la
    sortie sonne dans 4 mois (la veille de l'anniversaire des 6 mois), à 7 h ; sans contrat, la
    situation est reverificationiée dans un mois."""
    referentiel(monde.plie1)
    avec = en_emploi(monde, referents[0])
    debut = il_y_a(months=2)
    Contrat.objects.create(
        parcours=avec,
        type="cdi",
        employeur="Boulangerie Martin",
        debut=debut,
        heures_hebdo=35,
        created_by=referents[0],
    )
    sans = en_emploi(monde, referents[1])

    reprendre_le_travail(monde.plie1, [avec.pk, sans.pk])

    minuteur = _tache_en_attente(_processus_de(avec).get())
    # Six mois tenus la veille de la date anniversaire (moteur de sortie, docs/sortie.md).
    jour = debut + relativedelta(months=6, days=-1)
    attendu = datetime.datetime.combine(jour, datetime.time(7, 0))
    assert minuteur.flow_task == SortieFlow.attente
    assert timezone.localtime(minuteur.scheduled).replace(tzinfo=None) == attendu
    reverification = _tache_en_attente(_processus_de(sans).get()).scheduled - timezone.now()
    assert datetime.timedelta(days=27) < reverification <= datetime.timedelta(days=32)


def test_le_minuteur_repris_se_declenche_comme_un_autre(monde, referents):
    """Critères déjà remplis (CDI depuis 8 mois) : le minuteur est dû ; le répartiteur des
    minuteurs le déclenche et la tâche « Proposer la sortie » arrive chez le référent."""
    referentiel(monde.plie1)
    parcours = en_emploi(monde, referents[0])
    Contrat.objects.create(
        parcours=parcours,
        type="cdi",
        employeur="Boulangerie",
        debut=il_y_a(months=8),
        heures_hebdo=35,
        created_by=referents[0],
    )
    reprendre_le_travail(monde.plie1, [parcours.pk])

    assert fire_due_timers() == 1
    tache = Task.objects.get(flow_task=SortieFlow.proposer, process__artifact_object_id=parcours.pk)
    assert (tache.status, tache.owner) == (STATUS.ASSIGNED, referents[0])


def test_une_suspension_en_cours_a_son_echeance(monde, referents):
    parcours = en_emploi(monde, referents[0])
    Parcours.objects.filter(pk=parcours.pk).update(statut="suspendu")
    fin = timezone.localdate() + datetime.timedelta(days=40)
    suspension = Suspension.objects.create(
        parcours=parcours,
        motif="sante",
        debut=il_y_a(months=2),
        fin_prevue=fin,
        par=referents[0],
    )
    reprendre_le_travail(monde.plie1, [parcours.pk])

    process = _processus_de(parcours).get()
    assert process.flow_class is SuspensionFlow and process.data == {"suspension": suspension.pk}
    minuteur = _tache_en_attente(process)
    assert minuteur.flow_task == SuspensionFlow.attendre
    assert timezone.localtime(minuteur.scheduled) == timezone.make_aware(
        datetime.datetime.combine(fin, datetime.time(7, 0))
    )


def test_requetes_constantes_pour_reprendre_le_travail(monde, referents, django_assert_num_queries):
    """Processus, suivis de contrats et alertes se créent par lots : autant de requêtes pour 3
    parcours de chaque sorte que pour 20."""
    referentiel(monde.plie1)

    def lot(n):
        ids = []
        for i in range(n):
            emploi = en_emploi(monde, referents[0])
            _contrat(emploi, referents[0], type="cdi", debut=il_y_a(days=10 + i))
            admis = en_emploi(monde, referents[1])
            Parcours.objects.filter(pk=admis.pk).update(statut="admis")
            ids += [emploi.pk, admis.pk]
        return ids

    petits, grands = lot(3), lot(20)
    for modele in (Parcours, PLIE):  # cache des types de contenu, chargé une fois par processus
        ContentType.objects.get_for_model(modele)
    with django_assert_num_queries(34) as petit:
        crees, alertes = reprendre_le_travail(monde.plie1, petits)
    assert crees == 9 and alertes > 0  # sortie + suivi du contrat, premier entretien
    with django_assert_num_queries(len(petit.captured_queries)):
        assert reprendre_le_travail(monde.plie1, grands)[0] == 60


def _contrat(parcours, par, employeur="Boulangerie", **champs):
    return Contrat.objects.create(
        parcours=parcours, employeur=employeur, heures_hebdo=35, created_by=par, **champs
    )


def test_suivi_du_contrat_repris_a_ses_prochaines_taches(monde, referents):
    """CDI commencé il y a 50 jours, essai de 60 jours : l'appel et le retour sont échus (faits
    dans l'autre outil), la visite attend le CRE à la fin de l'essai ; le 1er contact mensuel
    est échu, le minuteur attend le 2e (une semaine avant le 2e anniversaire)."""
    referentiel(monde.plie1)
    parcours = en_emploi(monde, referents[0])
    debut = timezone.localdate() - datetime.timedelta(days=50)
    fin_essai = debut + datetime.timedelta(days=60)
    contrat = _contrat(parcours, referents[0], type="cdi", debut=debut, fin_periode_essai=fin_essai)
    # Pas de suivi du CRE ni de contacts pour une formation ; rien pour un contrat fini.
    _contrat(parcours, referents[0], "AFPA", type="formation_qualifiante", debut=debut)
    _contrat(
        parcours, referents[0], "Garage", type="cdd", debut=il_y_a(months=3), fin=il_y_a(days=2)
    )

    reprendre_le_travail(monde.plie1, [parcours.pk])

    process = _processus_de(parcours, (SuiviContratFlow,)).get()
    assert process.data == {"contrat": contrat.pk, "contacts": 2}
    ouvertes = {t.flow_task: t for t in process.task_set.exclude(status=STATUS.DONE)}
    assert set(ouvertes) == {SuiviContratFlow.visite, SuiviContratFlow.attendre_contact}
    visite = ouvertes[SuiviContratFlow.visite]
    assert (visite.status, visite.owner_permission) == (STATUS.NEW, "core.suivre_emploi_plie")
    assert visite.owner_permission_obj_pk == str(monde.plie1.pk)
    # Dans la file des CRE du PLIE repris, pas dans celle des CRE du PLIE voisin.
    for plie, attendu in ((1, True), (2, False)):
        file = workflows_access.taches_a_prendre(monde.user(Role.CRE, "a", plie))
        assert file.filter(pk=visite.pk).exists() is attendu
    assert (
        visite.data["echeance"]
        == timezone.make_aware(
            datetime.datetime.combine(fin_essai, datetime.time(18, 0))
        ).isoformat()
    )
    minuteur = ouvertes[SuiviContratFlow.attendre_contact]
    # Les jetons des branches, tels que la porte parallèle de viewflow les forme.
    porte = process.task_set.get(flow_task=SuiviContratFlow.repartir)
    assert (visite.token.token, minuteur.token.token) == (
        f"start/{porte.pk}_1",
        f"start/{porte.pk}_2",
    )
    jour = debut + relativedelta(months=2, days=-7)
    assert (minuteur.status, timezone.localtime(minuteur.scheduled)) == (
        STATUS.SCHEDULED,
        timezone.make_aware(datetime.datetime.combine(jour, datetime.time(7, 0))),
    )
    # Le minuteur repris sonne comme un autre : le 2e contact arrive chez le référent, dû au
    # 2e anniversaire du contrat.
    Task.objects.filter(pk=minuteur.pk).update(scheduled=timezone.now())
    assert fire_due_timers() >= 1
    contact = process.task_set.get(flow_task=SuiviContratFlow.contact_mensuel)
    assert (contact.status, contact.owner) == (STATUS.ASSIGNED, referents[0])
    assert timezone.localtime(
        datetime.datetime.fromisoformat(contact.data["echeance"])
    ).date() == debut + relativedelta(months=2)


def test_contrat_dont_tout_le_suivi_est_echu_sans_processus(monde, referents):
    referentiel(monde.plie1)
    parcours = en_emploi(monde, referents[0])
    _contrat(parcours, referents[0], type="cdi", debut=il_y_a(months=8))

    reprendre_le_travail(monde.plie1, [parcours.pk])

    assert not _processus_de(parcours, (SuiviContratFlow,)).exists()
    assert _processus_de(parcours, (SortieFlow,)).exists()  # la sortie, elle, se prépare


def test_reprise_complete_le_travail_suit_les_contrats_et_entretiens_repris(
    monde, viesion, tmp_path
):
    """Un export avec comptes, contrats et entretiens (docs/reprise.md) : le CDI repris, tenu
    depuis plus de 6 mois, remplit déjà la règle de sortie : le minuteur de la sortie est dû et,
    déclenché, met « Proposer la sortie » chez le référent repris ; l'entretien mensuel est
    signalé d'après le dernier entretien repris, pas d'après la date d'entrée."""
    version = appliquer_referentiel(monde.plie1)  # le catalogue des étapes reprises
    version.contenu["sortie"] = SORTIE  # « CDI ou CDD, 6 mois chez le même employeur »
    version.save(update_fields=["contenu"])
    lignes = export_complet(tmp_path / "export", monde)
    rapport = reprendre(monde.plie1, viesion, tmp_path / "export")
    assert rapport.comptes[Entite.CONTRAT].crees > 0

    en_emploi_ = [
        p.parcours
        for p in Provenance.objects.filter(entite=Entite.PARCOURS).select_related("parcours")
        if p.parcours.statut == "en_emploi"
    ]
    assert en_emploi_
    for parcours in en_emploi_:
        minuteur = _tache_en_attente(_processus_de(parcours, (SortieFlow,)).get())
        assert minuteur.scheduled <= timezone.now()
    assert fire_due_timers() >= len(en_emploi_)
    for parcours in en_emploi_:
        tache = Task.objects.get(
            flow_task=SortieFlow.proposer, process__artifact_object_id=parcours.pk
        )
        assert (tache.status, tache.owner_id) == (STATUS.ASSIGNED, parcours.referent_id)

    suivi = next(d for d in lignes["parcours"] if d["Statut"] == "En parcours")
    parcours = Provenance.objects.get(entite=Entite.PARCOURS, source_id=suivi["N° parcours"])
    alerte = Process.objects.get(
        flow_class=AlerteFlow,
        artifact_object_id=parcours.parcours_id,
        data__type="entretien_mensuel",
    )
    dernier = next(s for s in lignes["suivis"] if s["N° parcours"] == suivi["N° parcours"])
    assert dernier["Date du suivi"][:5] in alerte.data["titre"]  # « dernier le JJ/MM »
