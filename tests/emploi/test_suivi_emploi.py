"""Suivi dans l'emploi : tâches du CRE (file du PLIE) et du référent à chaque contrat, échéances
du référentiel, minuteur de la sortie prévisionnelle recalculé quand les contrats changent."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import get_resolver, reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.emploi import services
from parcours.referentiel.validation import ReferentielInvalide, valider
from tests.emploi.fabrique_emploi import cdi, contenu, il_y_a, referentiel
from tests.factories import parcours_en
from workflows import access as flux
from workflows.emploi.flows import SortieFlow, SuiviContratFlow, instant_du_minuteur

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde_emploi(monde):
    referentiel(monde.plie1)
    referentiel(monde.plie2)
    return monde


def taches(flow_class, parcours, noeud=None, **filtres):
    qs = flow_class.task_class.objects.filter(
        process__flow_class=flow_class, process__artifact_object_id=parcours.pk, **filtres
    )
    if noeud:
        qs = qs.filter(flow_task=getattr(flow_class, noeud))
    return qs.order_by("id")


def url(t, action):
    get_resolver().url_patterns  # noqa: B018 — charge les URL : les flux y apprennent leur espace de noms
    return t.flow_task.reverse(action, args=[t.process_id, t.pk])


def echeance(t):
    return datetime.datetime.fromisoformat(t.data["echeance"]).date()


def en_emploi(monde, debut=None, **autres):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    contrat = services.enregistrer_contrat(
        parcours, par=parcours.referent, **cdi(debut=debut or timezone.localdate(), **autres)
    )
    parcours.refresh_from_db()
    return parcours, contrat


def test_un_contrat_ouvre_les_taches_du_cre_et_du_referent(monde_emploi):
    debut = timezone.localdate()
    parcours, _ = en_emploi(monde_emploi, debut, periode_essai_jours=30)
    appel = taches(SuiviContratFlow, parcours, "appel").get()
    assert appel.status == STATUS.NEW and appel.owner is None
    assert appel.owner_permission == flux.SUIVRE_EMPLOI_PLIE
    assert appel.owner_permission_obj_pk == str(parcours.plie_id)
    assert echeance(appel) == debut + datetime.timedelta(days=7)
    # Premier contact mensuel du référent : son minuteur attend un mois moins une semaine.
    attente = taches(SuiviContratFlow, parcours, "attendre_contact").get()
    assert attente.status == STATUS.SCHEDULED
    assert timezone.localtime(attente.scheduled).date() == debut + relativedelta(months=1, days=-7)
    # Le minuteur de sortie attend la date prévisionnelle du moteur.
    minuteur = taches(SortieFlow, parcours, "attente").get()
    q = services.qualification_du_parcours(parcours)
    assert timezone.localtime(minuteur.scheduled).date() == q.previsionnel_le


def test_file_des_cre_du_plie(monde_emploi):
    parcours, _ = en_emploi(monde_emploi)
    appel = taches(SuiviContratFlow, parcours, "appel").get()
    assert appel in flux.taches_a_prendre(monde_emploi.user(Role.CRE, "b"))
    for autre in (
        monde_emploi.user(Role.CRE, "a", 2),
        monde_emploi.user(Role.ANIMATEUR),
        monde_emploi.user(Role.REFERENT),
        monde_emploi.user(Role.PRESCRIPTEUR),
    ):
        assert appel not in flux.taches_a_prendre(autre), autre


def test_le_cre_prend_la_tache_et_la_termine(client, monde_emploi):
    parcours, _ = en_emploi(monde_emploi, debut=il_y_a(days=20))
    appel = taches(SuiviContratFlow, parcours, "appel").get()
    cre = monde_emploi.user(Role.CRE, "b")
    client.force_login(cre)
    accueil = client.get(reverse("accueil:index")).content.decode()
    assert "Appeler la personne" in accueil
    assert "en retard" in accueil.lower()
    assert client.post(url(appel, "assign"), {"_continue": "1"}).status_code == 302
    page = client.get(url(appel, "execute"))
    assert page.status_code == 200
    # Compte rendu obligatoire : réaffiché avec l'erreur, la tâche reste ouverte.
    response = client.post(url(appel, "execute"), {"date_contact": "", "compte_rendu": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    response = client.post(
        url(appel, "execute"),
        {"date_contact": timezone.localdate().isoformat(), "compte_rendu": "Bien intégré."},
    )
    assert response.status_code == 302
    appel.refresh_from_db()
    assert appel.status == STATUS.DONE
    assert appel.data["compte_rendu"] == "Bien intégré."
    retour = taches(SuiviContratFlow, parcours, "retour_referent").get()
    assert retour.status == STATUS.NEW


@pytest.mark.parametrize(
    ("role", "structure", "plie"),
    [
        (Role.CRE, "a", 2),
        (Role.PRESCRIPTEUR, "a", 1),
        (Role.REFERENT, "b", 1),
        (Role.ANIMATEUR, "a", 2),
    ],
)
def test_tache_de_suivi_hors_perimetre_404(client, monde_emploi, role, structure, plie):
    parcours, _ = en_emploi(monde_emploi)
    appel = taches(SuiviContratFlow, parcours, "appel").get()
    client.force_login(monde_emploi.user(role, structure, plie))
    for action in ("assign", "execute", "detail"):
        assert client.get(url(appel, action)).status_code == 404
    assert client.post(url(appel, "assign"), {"_continue": "1"}).status_code == 404
    appel.refresh_from_db()
    assert appel.owner is None


def test_animateur_voit_la_tache_mais_ne_la_prend_pas(client, monde_emploi):
    parcours, _ = en_emploi(monde_emploi)
    appel = taches(SuiviContratFlow, parcours, "appel").get()
    client.force_login(monde_emploi.user(Role.ANIMATEUR))
    assert client.post(url(appel, "assign"), {"_continue": "1"}).status_code == 403
    appel.refresh_from_db()
    assert appel.owner is None


def test_anonyme_redirige_vers_la_connexion(client, monde_emploi):
    parcours, _ = en_emploi(monde_emploi)
    appel = taches(SuiviContratFlow, parcours, "appel").get()
    response = client.get(url(appel, "execute"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_contact_mensuel_chez_le_referent_puis_le_suivant(monde_emploi):
    parcours, contrat = en_emploi(monde_emploi, debut=il_y_a(months=1))
    assert fire_due_timers() >= 1
    contact = taches(SuiviContratFlow, parcours, "contact_mensuel").get()
    assert contact.owner == parcours.referent and contact.status == STATUS.ASSIGNED
    assert echeance(contact) == contrat.debut + relativedelta(months=1)
    with contact.activation() as activation:
        activation.start(None)
        activation.execute()
    # Le deuxième contact attend le deuxième mois.
    suivant = taches(SuiviContratFlow, parcours, "attendre_contact", status=STATUS.SCHEDULED).get()
    assert timezone.localtime(suivant.scheduled).date() == contrat.debut + relativedelta(
        months=2, days=-7
    )


def test_plus_de_contact_apres_la_fin_du_contrat(monde_emploi):
    parcours, contrat = en_emploi(monde_emploi, debut=il_y_a(months=1))
    fire_due_timers()
    services.terminer_contrat(contrat, par=parcours.referent, fin=il_y_a(days=2))
    contact = taches(SuiviContratFlow, parcours, "contact_mensuel").get()
    with contact.activation() as activation:
        activation.start(None)
        activation.execute()
    assert not taches(SuiviContratFlow, parcours, "attendre_contact", status=STATUS.SCHEDULED)
    assert taches(SuiviContratFlow, parcours, "fin_contacts").exists()


def test_delais_du_referentiel(monde_emploi):
    referentiel(monde_emploi.plie1, suivi_emploi={"appel_jours": 3, "visite_sans_essai_jours": 20})
    debut = timezone.localdate()
    parcours, _ = en_emploi(monde_emploi, debut, periode_essai_jours=None)
    appel = taches(SuiviContratFlow, parcours, "appel").get()
    assert echeance(appel) == debut + datetime.timedelta(days=3)
    for nom in ("appel", "retour_referent"):
        t = taches(SuiviContratFlow, parcours, nom).get()
        with t.activation() as activation:
            activation.assign(monde_emploi.user(Role.CRE))
            activation.start(None)
            activation.execute()
    visite = taches(SuiviContratFlow, parcours, "visite").get()
    assert echeance(visite) == debut + datetime.timedelta(days=20)


def test_visite_avant_la_fin_de_l_essai(monde_emploi):
    debut = timezone.localdate()
    parcours, contrat = en_emploi(monde_emploi, debut, periode_essai_jours=45)
    for nom in ("appel", "retour_referent"):
        t = taches(SuiviContratFlow, parcours, nom).get()
        with t.activation() as activation:
            activation.assign(monde_emploi.user(Role.CRE))
            activation.start(None)
            activation.execute()
    visite = taches(SuiviContratFlow, parcours, "visite").get()
    assert echeance(visite) == contrat.fin_periode_essai == debut + datetime.timedelta(days=44)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"appel_jours": 0}, "entre 1 et 31"),
        ({"appel_jours": "7"}, "un nombre entier est attendu"),
        ({"inconnu": 3}, "clé inconnue"),
        ([], "une table"),
    ],
)
def test_section_suivi_emploi_validee(monde_emploi, section, message):
    with pytest.raises(ReferentielInvalide, match=message):
        valider(contenu(monde_emploi.plie1, suivi_emploi=section), "test.yaml")


# — Minuteur de la sortie —


def test_minuteur_recalcule_quand_les_contrats_changent(monde_emploi):
    parcours, contrat = en_emploi(monde_emploi, debut=il_y_a(months=2))
    minuteur = taches(SortieFlow, parcours, "attente").get()
    prevu = timezone.localtime(minuteur.scheduled).date()
    assert prevu == services.qualification_du_parcours(parcours).previsionnel_le
    # Le contrat s'arrête : plus de date prévisible, nouvelle vérification dans un mois.
    services.terminer_contrat(contrat, par=parcours.referent, fin=il_y_a(days=1))
    minuteur.refresh_from_db()
    assert timezone.localtime(minuteur.scheduled).date() == il_y_a(months=-1)
    # Un contrat antidaté de sept mois : critères remplis, le minuteur échoit tout de suite.
    services.enregistrer_contrat(
        parcours, par=parcours.referent, **cdi("Mairie", debut=il_y_a(months=7))
    )
    minuteur.refresh_from_db()
    assert minuteur.scheduled <= timezone.now()
    assert taches(SortieFlow, parcours, "attente").count() == 1  # le même minuteur


def test_critere_rempli_la_tache_proposer_la_sortie_chez_le_referent(monde_emploi):
    parcours, _ = en_emploi(monde_emploi, debut=il_y_a(months=7))
    assert fire_due_timers() >= 1
    proposer = taches(SortieFlow, parcours, "proposer").get()
    assert proposer.owner == parcours.referent and proposer.status == STATUS.ASSIGNED
    assert echeance(proposer) == timezone.localdate() + datetime.timedelta(days=15)


def test_minuteur_echu_sans_critere_rempli_se_rearme(monde_emploi):
    parcours, _ = en_emploi(monde_emploi, debut=il_y_a(months=2))
    minuteur = taches(SortieFlow, parcours, "attente").get()
    minuteur.scheduled = timezone.now() - datetime.timedelta(minutes=1)
    minuteur.save()
    fire_due_timers()
    assert not taches(SortieFlow, parcours, "proposer").exists()
    nouveau = taches(SortieFlow, parcours, "attente", status=STATUS.SCHEDULED).get()
    assert nouveau.pk != minuteur.pk
    assert nouveau.scheduled == instant_du_minuteur(parcours)


@pytest.mark.parametrize("code", ["agenais", "flandre-lys", "dijon"])
def test_referentiels_livres_portent_la_section(code):
    from pathlib import Path

    from django.conf import settings

    from parcours.referentiel.sections import suivi_emploi
    from parcours.referentiel.services import importer_referentiel

    ref = importer_referentiel(Path(settings.BASE_DIR) / "referentiels" / f"{code}.yaml")
    delais = suivi_emploi.de(ref.plie, ref.date_effet)
    assert ref.contenu["suivi_emploi"]["appel_jours"] == delais.appel_jours == 7
    assert delais.fse_sortie_semaines == 4


def test_admin_en_lecture(client, monde_emploi, django_user_model):
    _, contrat = en_emploi(monde_emploi)
    admin = django_user_model.objects.create_superuser("root", "root@exemple.fr", "x")
    client.force_login(admin)
    for modele in ("contrat", "propositionsortie", "donneessortiefse"):
        assert client.get(reverse(f"admin:emploi_{modele}_changelist")).status_code == 200
    page = client.get(reverse("admin:emploi_contrat_change", args=[contrat.pk]))
    assert page.status_code == 200
    assert "Boulangerie Martin" in page.content.decode()
    assert client.get(reverse("admin:emploi_contrat_add")).status_code == 403


def test_tache_de_la_file_des_cre_en_retard_relancee_aux_cre(monde_emploi):
    from django.core import mail

    from workflows.relances import envoyer_relances

    cre = monde_emploi.user(Role.CRE, "b")
    parcours, _ = en_emploi(monde_emploi, debut=il_y_a(days=10))
    mail.outbox.clear()
    assert envoyer_relances() == 1  # l'appel de la première semaine
    assert mail.outbox[0].subject.startswith("Relance : Appel de la première semaine en retard")
    assert mail.outbox[0].to == [cre.email]
    assert str(parcours.participant) in mail.outbox[0].body


# — Les contacts des tâches de suivi, enregistrés au dossier —


def _executer_par_le_client(client, tache, user, donnees):
    client.force_login(user)
    if tache.owner_id is None:
        assert client.post(url(tache, "assign"), {"_continue": "1"}).status_code == 302
    return client.post(url(tache, "execute"), donnees)


def test_l_appel_du_cre_est_un_contact_du_dossier(client, monde_emploi):
    from parcours.accompagnement.models import Entretien, Parcours
    from parcours.dossier.alertes import TypeAlerte, constats_du_parcours

    parcours, _ = en_emploi(monde_emploi, debut=il_y_a(days=3))
    # Entré il y a trois mois sans contact enregistré : l'alerte « sans contact » tient.
    Parcours.objects.filter(pk=parcours.pk).update(date_entree=il_y_a(months=3))
    types = {c.type for c in constats_du_parcours(parcours)}
    assert TypeAlerte.SANS_CONTACT in types
    appel = taches(SuiviContratFlow, parcours, "appel").get()
    cre = monde_emploi.user(Role.CRE, "b")
    hier = timezone.localdate() - datetime.timedelta(days=1)
    response = _executer_par_le_client(
        client,
        appel,
        cre,
        {"date_contact": hier.isoformat(), "compte_rendu": "Bien intégré à l'équipe."},
    )
    assert response.status_code == 302
    appel.refresh_from_db()
    assert appel.status == STATUS.DONE
    entretien = Entretien.objects.get(parcours=parcours)
    assert (entretien.auteur, entretien.canal, entretien.presence, entretien.note) == (
        cre,
        "telephone",
        "present",
        "Bien intégré à l'équipe.",
    )
    assert timezone.localtime(entretien.date).date() == hier
    assert appel.data["entretien"] == entretien.pk
    types = {c.type for c in constats_du_parcours(parcours)}
    assert TypeAlerte.SANS_CONTACT not in types
    # La chronologie du dossier le montre, avec son auteur.
    client.force_login(parcours.referent)
    page = client.get(reverse("participants:dossier", args=[parcours.pk])).content.decode()
    assert "Bien intégré à l&#x27;équipe." in page
    assert (cre.get_full_name() or cre.get_username()) in page


def test_le_retour_au_referent_n_est_pas_un_contact_avec_la_personne(client, monde_emploi):
    from parcours.accompagnement.models import Entretien

    parcours, _ = en_emploi(monde_emploi, debut=il_y_a(days=3))
    cre = monde_emploi.user(Role.CRE, "b")
    aujourd_hui = timezone.localdate().isoformat()
    appel = taches(SuiviContratFlow, parcours, "appel").get()
    _executer_par_le_client(
        client, appel, cre, {"date_contact": aujourd_hui, "compte_rendu": "Appel tenu."}
    )
    retour = taches(SuiviContratFlow, parcours, "retour_referent").get()
    response = _executer_par_le_client(
        client, retour, cre, {"date_contact": aujourd_hui, "compte_rendu": "Référent informé."}
    )
    assert response.status_code == 302
    retour.refresh_from_db()
    assert retour.status == STATUS.DONE and retour.data["compte_rendu"] == "Référent informé."
    visite = taches(SuiviContratFlow, parcours, "visite").get()
    _executer_par_le_client(
        client, visite, cre, {"date_contact": aujourd_hui, "compte_rendu": "Visite chez Martin."}
    )
    assert list(Entretien.objects.filter(parcours=parcours).values_list("canal", "note")) == [
        ("physique_individuel", "Visite chez Martin."),
        ("telephone", "Appel tenu."),
    ]


def test_contact_futur_refuse_la_tache_reste_ouverte(client, monde_emploi):
    from parcours.accompagnement.models import Entretien

    parcours, _ = en_emploi(monde_emploi, debut=il_y_a(days=3))
    appel = taches(SuiviContratFlow, parcours, "appel").get()
    demain = timezone.localdate() + datetime.timedelta(days=1)
    response = _executer_par_le_client(
        client,
        appel,
        monde_emploi.user(Role.CRE, "b"),
        {"date_contact": demain.isoformat(), "compte_rendu": "Appel."},
    )
    assert response.status_code == 200
    assert "la date est future" in response.content.decode()
    appel.refresh_from_db()
    assert appel.status != STATUS.DONE
    assert not Entretien.objects.filter(parcours=parcours).exists()


def test_contact_mensuel_du_referent_au_canal_choisi(client, monde_emploi):
    from parcours.accompagnement.models import Entretien

    parcours, _ = en_emploi(monde_emploi, debut=il_y_a(months=1))
    assert fire_due_timers() >= 1
    contact = taches(SuiviContratFlow, parcours, "contact_mensuel").get()
    response = _executer_par_le_client(
        client,
        contact,
        parcours.referent,
        {
            "date_contact": timezone.localdate().isoformat(),
            "compte_rendu": "Tout va bien.",
            "canal": "visio",
        },
    )
    assert response.status_code == 302
    entretien = Entretien.objects.get(parcours=parcours)
    assert (entretien.auteur, entretien.canal) == (parcours.referent, "visio")


def test_contact_emploi_droits(monde_emploi):
    from parcours.accompagnement import suivi
    from parcours.core.errors import TransitionNonAutorisee

    parcours, _ = en_emploi(monde_emploi)
    for intrus in (
        monde_emploi.user(Role.CRE, "a", 2),
        monde_emploi.user(Role.PRESCRIPTEUR),
        monde_emploi.user(Role.REFERENT, "b"),
    ):
        with pytest.raises(TransitionNonAutorisee):
            suivi.enregistrer_contact_emploi(
                parcours, intrus, date=timezone.now(), canal="telephone", note="x"
            )
    # Le CRE enregistre un contact dans l'emploi, pas le reste du suivi (étapes…).
    cre = monde_emploi.user(Role.CRE, "b")
    suivi.enregistrer_contact_emploi(parcours, cre, date=timezone.now(), canal="sms", note="x")
    with pytest.raises(TransitionNonAutorisee):
        suivi.enregistrer_entretien(parcours, cre, date=timezone.now(), canal="sms")
