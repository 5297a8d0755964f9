"""Le dossier d'un parcours : accès par rôle, frise, données FSE+, alertes, échéances,
réentrées, nombre de requêtes constant."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from parcours.accompagnement import suivi
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours, QuestionnaireFSE
from parcours.commissions.models import Decision, InscriptionSession, SessionCommission
from parcours.core.enums import Role
from parcours.emploi.models import Contrat
from tests.alertes.conftest import ENTREE, accompagne, entretien, etape
from tests.factories import parcours_en
from workflows.alertes import verifier_alertes

pytestmark = pytest.mark.django_db
# Le plafond de requêtes d'un dossier, le même pour un historique court ou long (36 : les
# questionnaires FSE+, un par participation, sont préchargés en une requête, docs/fse.md).
REQUETES_MAX = 36


def url(parcours, **params):
    adresse = reverse("participants:dossier", args=[parcours.pk])
    if params:
        adresse += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return adresse


def historique(parcours, n, depart=ENTREE):
    """Allonge l'historique : `n` entretiens, étapes, contrats, suspensions levées."""
    referent = parcours.referent
    for i in range(n):
        jour = depart + datetime.timedelta(days=10 * i)
        entretien(parcours, jour)
        entretien(parcours, jour + datetime.timedelta(days=1), canal="telephone")
        etape(parcours, jour, jour + datetime.timedelta(days=3), statut="realisee")
        Contrat.objects.create(
            parcours=parcours,
            type="cdd",
            employeur=f"Employeur {i}",
            debut=jour,
            fin=jour + datetime.timedelta(days=5),
            heures_hebdo=20,
            created_by=referent,
        )
    parcours.refresh_from_db()
    for i in range(n):
        jour = depart + datetime.timedelta(days=10 * i + 6)
        suivi.suspendre_parcours(parcours, referent, motif="sante", debut=jour)
        suivi.lever_suspension(parcours, referent, le=jour + datetime.timedelta(days=2))
    return parcours


# — Accès —


@pytest.mark.parametrize(
    ("role", "structure", "plie", "attendu", "suivi_visible"),
    [
        (Role.REFERENT, "a", 1, 200, True),
        (Role.ANIMATEUR, "a", 1, 200, True),
        (Role.DIRECTION, "a", 1, 200, True),
        (Role.PRESCRIPTEUR, "a", 1, 200, False),
        (Role.REFERENT, "b", 1, 404, None),
        (Role.PRESCRIPTEUR, "b", 1, 404, None),
        (Role.ANIMATEUR, "a", 2, 404, None),
        (Role.REFERENT, "a", 2, 404, None),
        (Role.FINANCEUR, "a", 1, 404, None),
    ],
)
def test_acces_au_dossier_par_role(client, monde, role, structure, plie, attendu, suivi_visible):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(monde.user(role, structure, plie))
    response = client.get(url(parcours))
    assert response.status_code == attendu
    if attendu == 200:
        assert response.context["dossier"].suivi_visible is suivi_visible
        assert ('id="titre-alertes"' in response.content.decode()) is suivi_visible


def test_anonyme_renvoye_a_la_connexion(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    response = client.get(url(parcours))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_le_prescripteur_ne_voit_que_l_entree_et_son_issue(client, monde):
    parcours = accompagne(monde)
    suivi.enregistrer_entretien(
        parcours,
        parcours.referent,
        date=timezone.now() - datetime.timedelta(days=1),
        canal="telephone",
        note="Confidentiel : difficultés de santé",
    )
    suivi.suspendre_parcours(parcours, parcours.referent, motif="sante", precision="Hospitalisé")
    client.force_login(monde.user(Role.PRESCRIPTEUR))
    page = client.get(url(parcours)).content.decode()
    assert "Confidentiel" not in page
    assert "Hospitalisé" not in page
    assert "Suspendre (veille)" in page  # l'état, sans son motif
    assert "Admettre" in page
    client.force_login(parcours.referent)
    page = client.get(url(parcours)).content.decode()
    assert "Confidentiel : difficultés de santé" in page
    assert "Santé : Hospitalisé" in page


# — La frise —


def test_la_frise_rassemble_tout_le_parcours(client, monde):
    parcours = accompagne(monde)
    animateur = monde.user(Role.ANIMATEUR)
    session = SessionCommission.objects.create(
        plie=monde.plie1, type="entree", date=timezone.now() - datetime.timedelta(days=30)
    )
    InscriptionSession.objects.create(
        session=session, parcours=parcours, objet="entree", ordre=1, inscrite_par=animateur
    )
    Decision.objects.create(
        session=session,
        parcours=parcours,
        type="admis",
        referent=parcours.referent,
        structure=parcours.structure_referente,
        par=animateur,
    )
    entretien(parcours, ENTREE + datetime.timedelta(days=3))
    etape(parcours, ENTREE + datetime.timedelta(days=5), intitule="Atelier CV")
    Contrat.objects.create(
        parcours=parcours,
        type="cdi",
        employeur="Boulangerie Martin",
        debut=ENTREE + datetime.timedelta(days=60),
        heures_hebdo=35,
        created_by=parcours.referent,
    )
    suivi.suspendre_parcours(parcours, parcours.referent, motif="famille")
    suivi.lever_suspension(parcours, parcours.referent, motif="Situation réglée")
    nouveau = monde.user(Role.REFERENT, "b")
    aujourdhui = timezone.localdate()
    suivi.deleguer_portefeuille(
        parcours.referent,
        nouveau,
        animateur,
        plie=monde.plie1,
        debut=aujourdhui - datetime.timedelta(days=3),
        fin=aujourdhui + datetime.timedelta(days=10),
        motif="Congé de formation",
    )
    suivi.changer_referent(parcours, nouveau, animateur, "Rééquilibrage des portefeuilles")
    verifier_alertes(timezone.localdate(), Parcours.objects.filter(pk=parcours.pk))

    client.force_login(animateur)
    response = client.get(url(parcours))
    dossier = response.context["dossier"]
    rubriques = {e.rubrique for e in dossier.evenements}
    assert {
        "prescription",
        "etat",
        "commission",
        "engagement",
        "etape",
        "entretien",
        "suspension",
        "referent",
        "emploi",
        "document",
        "tache",
    } <= rubriques
    moments = [e.le for e in dossier.evenements]
    assert moments == sorted(moments)
    page = response.content.decode()
    for texte in (
        "Prescription",
        "Décision de la commission",
        "Inscrit à l&#x27;ordre du jour de la commission",
        "Référent désigné",
        "Entretien physique individuel",
        "Étape : Atelier CV",
        "Boulangerie Martin",
        "Suspension (problèmes familiaux)",
        "Situation réglée",
        "Rééquilibrage des portefeuilles",
        "Congé de formation",
        f"Intérim : {nouveau.get_full_name()} remplace {parcours.referent.get_full_name()}",
        "Copie signée du contrat d&#x27;engagement déposée",
    ):
        assert texte in page, texte
    # La tâche d'alerte porte dans la frise le titre des boîtes, pas « Traiter l'alerte ».
    from django.utils.html import escape

    from workflows.alertes.flows import AlerteFlow, titre_de

    (alerte, *_) = AlerteFlow.process_class.objects.filter(
        flow_class=AlerteFlow, artifact_object_id=parcours.pk
    )
    assert f"Tâche ouverte : {escape(titre_de(alerte.data))}" in page
    assert "Traiter l&#x27;alerte :" not in page
    # Une transition dit qui, quand, de quel état vers quel autre, et pourquoi.
    (suspension,) = [e for e in dossier.evenements if e.titre == "Suspendre (veille)"]
    assert (suspension.de, suspension.vers) == ("En accompagnement", "Suspendu (veille)")
    assert suspension.par == parcours.referent.get_full_name()
    assert suspension.detail == "Problèmes familiaux"
    (changement,) = [e for e in dossier.evenements if e.titre == "Changement de référent"]
    assert changement.de == parcours.referent.get_full_name()
    assert changement.vers.startswith(nouveau.get_full_name())


def test_frise_paginee_et_filtree(client, monde):
    parcours = historique(accompagne(monde), 12)
    client.force_login(parcours.referent)
    response = client.get(url(parcours))
    page = response.context["page_obj"]
    assert page.paginator.count > 50
    assert page.has_next()
    # Le plus récent d'abord.
    assert page.object_list[0].le >= page.object_list[-1].le
    suivante = client.get(url(parcours, page=2)).context["page_obj"]
    assert suivante.number == 2
    entretiens = client.get(url(parcours, rubrique="entretien")).context["page_obj"]
    assert entretiens.paginator.count == 24
    assert {e.rubrique for e in entretiens.object_list} == {"entretien"}


# — Nombre de requêtes constant —


def _requetes(client, parcours):
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url(parcours)).status_code == 200
    return len(requetes)


@pytest.mark.parametrize("role", [Role.REFERENT, Role.ANIMATEUR, Role.PRESCRIPTEUR])
def test_nombre_de_requetes_constant(client, monde, role, django_assert_max_num_queries):
    court = accompagne(monde)
    moyen = historique(accompagne(monde), 4)
    long = historique(accompagne(monde), 15)
    for p in (court, moyen, long):
        verifier_alertes(ENTREE + relativedelta(months=30), Parcours.objects.filter(pk=p.pk))
    client.force_login(monde.user(role))
    for parcours in (court, long):
        with django_assert_max_num_queries(REQUETES_MAX):
            client.get(url(parcours))
    # Au-delà des sources présentes ou absentes, la longueur de l'historique ne change rien.
    assert _requetes(client, moyen) == _requetes(client, long)


# — Données FSE+, alertes, échéances, qualification —


def test_completude_fse_et_alertes(client, monde):
    parcours = accompagne(monde)
    QuestionnaireFSE.objects.filter(parcours=parcours).update(sans_domicile="")
    verifier_alertes(timezone.localdate(), Parcours.objects.filter(pk=parcours.pk))
    client.force_login(parcours.referent)
    response = client.get(url(parcours))
    dossier = response.context["dossier"]
    assert dossier.fse.entree_manquants == ("sans domicile fixe ou exclusion du logement",)
    assert not dossier.fse.complete
    page = response.content.decode()
    assert "sans domicile fixe ou exclusion du logement : réponse manquante" in page
    alertes = {a.type: ouverte for a, ouverte in response.context["alertes"]}
    assert alertes["fse_entree"] is True  # la tâche est ouverte
    assert "Données FSE+ d&#x27;entrée incomplètes" in page
    # Prochaines actions : les tâches ouvertes, par échéance, avec leur adresse.
    titres = [t.titre for t in dossier.taches_ouvertes]
    # Le titre des boîtes, pas celui du nœud (« Traiter l'alerte : … »).
    assert "Questionnaire FSE+ d'entrée à compléter" in titres
    assert not any(t.startswith("Traiter l'alerte") for t in titres)
    assert all(t.url for t in dossier.taches_ouvertes)
    echeances = [t.echeance for t in dossier.taches_ouvertes]
    assert echeances == sorted(echeances)
    # Complété, l'alerte se lève d'elle-même ; la frise dit pourquoi.
    QuestionnaireFSE.objects.filter(parcours=parcours).update(sans_domicile="non")
    verifier_alertes(timezone.localdate(), Parcours.objects.filter(pk=parcours.pk))
    dossier = client.get(url(parcours)).context["dossier"]
    (levee,) = [e for e in dossier.evenements if e.titre.startswith("Tâche annulée")]
    assert levee.titre == "Tâche annulée : Questionnaire FSE+ d'entrée à compléter"
    assert levee.detail == "levée automatiquement : le questionnaire FSE+ d'entrée est complet"
    assert dossier.fse.complete


def test_donnees_de_sortie_attendues(client, monde):
    parcours = parcours_en(monde, Statut.SORTI)
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(url(parcours))
    fse = response.context["dossier"].fse
    assert fse.sortie_attendue and not fse.sortie_saisie
    assert fse.sortie_echeance == parcours.date_sortie + datetime.timedelta(weeks=4)
    assert f"À saisir avant le {fse.sortie_echeance:%d/%m/%Y}" in response.content.decode()


def test_qualification_de_sortie_quand_il_y_a_des_contrats(client, monde):
    parcours = accompagne(monde)
    client.force_login(parcours.referent)
    assert client.get(url(parcours)).context["dossier"].qualification is None
    Contrat.objects.create(
        parcours=parcours,
        type="cdi",
        employeur="Mairie",
        debut=ENTREE,
        heures_hebdo=35,
        created_by=parcours.referent,
    )
    response = client.get(url(parcours))
    qualification = response.context["dossier"].qualification
    assert qualification is not None
    assert escape(qualification.explication) in response.content.decode()


# — Réentrées —


def test_parcours_precedents_de_la_personne(client, monde):
    ancien = parcours_en(monde, Statut.SORTI)
    nouveau = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, participant=ancien.participant)
    Parcours.objects.filter(pk=nouveau.pk).update(precedent=ancien)
    ailleurs = parcours_en(monde, Statut.PRESCRIT, plie=2, participant=ancien.participant)
    client.force_login(monde.user(Role.REFERENT))
    response = client.get(url(nouveau))
    assert response.context["dossier"].autres_parcours == [ancien]  # l'autre PLIE est invisible
    page = response.content.decode()
    assert url(ancien) in page
    assert "précédent" in page
    assert url(ailleurs) not in page
    assert [p.pk for p in client.get(url(ancien)).context["dossier"].autres_parcours] == [
        nouveau.pk
    ]


# — Liens vers le dossier —


def test_liens_depuis_la_fiche_et_la_boite_de_taches(client, monde):
    parcours = accompagne(monde)
    verifier_alertes(ENTREE + relativedelta(months=30), Parcours.objects.filter(pk=parcours.pk))
    client.force_login(parcours.referent)
    fiche = client.get(reverse("participants:detail", args=[parcours.participant_id]))
    assert url(parcours) in fiche.content.decode()
    accueil = client.get(reverse("accueil:index")).content.decode()
    assert url(parcours) in accueil


# — Liens d'action vers les écrans des autres étapes du travail —


@pytest.mark.parametrize(
    ("role", "attendus", "absents"),
    [
        (
            Role.REFERENT,
            {"Enregistrer un entretien", "Étapes", "Suspension", "Proposer la sortie"},
            {"Changer de référent"},
        ),
        (Role.ANIMATEUR, {"Enregistrer un entretien", "Changer de référent"}, set()),
        (Role.PRESCRIPTEUR, set(), {"Enregistrer un entretien", "Contrats et emploi"}),
    ],
)
def test_liens_d_action_selon_le_role(client, monde, role, attendus, absents):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(monde.user(role))
    actions = dict(client.get(url(parcours)).context["actions"])
    assert attendus <= set(actions)
    assert not absents & set(actions)
    for adresse in actions.values():
        assert client.get(adresse).status_code == 200, adresse


def test_saisir_les_donnees_de_sortie_depuis_le_dossier(client, monde):
    parcours = parcours_en(monde, Statut.SORTI)
    client.force_login(parcours.referent)
    actions = dict(client.get(url(parcours)).context["actions"])
    assert actions["Saisir les données FSE+ de sortie"] == reverse(
        "emploi:donnees_sortie", args=[parcours.pk]
    )
    assert "Proposer la sortie" not in actions


def test_le_suppleant_voit_le_dossier_pendant_l_interim(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    suppleant = monde.user(Role.REFERENT, "b")
    client.force_login(suppleant)
    assert client.get(url(parcours)).status_code == 404
    aujourdhui = timezone.localdate()
    suivi.deleguer_portefeuille(
        parcours.referent,
        suppleant,
        monde.user(Role.ANIMATEUR),
        plie=monde.plie1,
        debut=aujourdhui,
        fin=aujourdhui + datetime.timedelta(days=14),
        motif="Arrêt maladie",
    )
    response = client.get(url(parcours))
    assert response.status_code == 200
    assert response.context["dossier"].suivi_visible


def test_le_cre_voit_le_suivi_d_un_parcours_en_emploi_de_son_plie(client, monde):
    en_emploi = parcours_en(monde, Statut.EN_EMPLOI)
    en_accompagnement = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(monde.user(Role.CRE))
    response = client.get(url(en_emploi))
    assert response.status_code == 200
    assert response.context["dossier"].suivi_visible
    assert client.get(url(en_accompagnement)).status_code == 404
    client.force_login(monde.user(Role.CRE, "a", 2))
    assert client.get(url(en_emploi)).status_code == 404


def test_le_membre_de_commission_voit_le_dossier_qu_il_examine(client, monde):
    parcours = parcours_en(monde, Statut.SORTIE_PROPOSEE)
    membre_commission = monde.user(Role.COMMISSION)
    client.force_login(membre_commission)
    assert client.get(url(parcours)).status_code == 404
    session = SessionCommission.objects.create(
        plie=monde.plie1, type="sortie", date=timezone.now() + datetime.timedelta(days=7)
    )
    session.membres.add(membre_commission)
    InscriptionSession.objects.create(session=session, parcours=parcours, objet="sortie", ordre=1)
    response = client.get(url(parcours))
    assert response.status_code == 200
    assert response.context["dossier"].suivi_visible


def test_echeances_du_dossier(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    aujourdhui = timezone.localdate()
    Contrat.objects.create(
        parcours=parcours,
        type="cdd",
        employeur="Scierie Dubois",
        debut=aujourdhui - datetime.timedelta(days=5),
        fin=aujourdhui + datetime.timedelta(days=60),
        fin_periode_essai=aujourdhui + datetime.timedelta(days=9),
        heures_hebdo=35,
        created_by=parcours.referent,
    )
    suivi.suspendre_parcours(
        parcours, parcours.referent, motif="sante", fin_prevue=aujourdhui + relativedelta(months=3)
    )
    client.force_login(parcours.referent)
    echeances = client.get(url(parcours)).context["dossier"].echeances
    assert [(e.date, e.libelle) for e in echeances] == [
        (aujourdhui + datetime.timedelta(days=9), "Fin de la période d'essai — Scierie Dubois"),
        (aujourdhui + datetime.timedelta(days=60), "Fin du contrat CDD — Scierie Dubois"),
        (
            aujourdhui + relativedelta(months=3),
            "Fin prévue de la suspension : la lever ou la renouveler",
        ),
    ]
