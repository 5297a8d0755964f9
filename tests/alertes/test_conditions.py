"""Les conditions d'alerte, calculées en SQL : chacune allumée et éteinte à ses dates limites,
pour deux référentiels aux délais différents."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db.models import Q

from parcours.accompagnement import suivi
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours, Prescription, QuestionnaireFSE
from parcours.dossier.alertes import TypeAlerte, constats, questionnaire_incomplet
from parcours.emploi.models import DonneesSortieFSE
from parcours.referentiel.models import Referentiel
from tests.alertes.conftest import ENTREE, accompagne, entretien, etape, tenues

pytestmark = pytest.mark.django_db
UN_JOUR = datetime.timedelta(days=1)


def mois(n):
    return relativedelta(months=n)


# — Entretien physique mensuel —


def test_entretien_mensuel_du_a_l_echeance_depuis_l_entree(monde, delais):
    parcours = accompagne(monde)
    limite = ENTREE + mois(delais.entretien_physique_mois)
    assert tenues(parcours, limite - UN_JOUR, TypeAlerte.ENTRETIEN_MENSUEL) is None
    constat = tenues(parcours, limite, TypeAlerte.ENTRETIEN_MENSUEL)
    assert constat.echeance == limite
    assert constat.cle == limite.isoformat()
    assert "aucun entretien physique depuis l'entrée le 15/01/2025" in constat.raison


def test_un_entretien_physique_repousse_l_echeance(monde, delais):
    parcours = accompagne(monde)
    tenu = ENTREE + datetime.timedelta(days=20)
    entretien(parcours, tenu)
    limite = tenu + mois(delais.entretien_physique_mois)
    assert tenues(parcours, limite - UN_JOUR, TypeAlerte.ENTRETIEN_MENSUEL) is None
    constat = tenues(parcours, limite, TypeAlerte.ENTRETIEN_MENSUEL)
    assert constat.echeance == limite
    assert f"dernier entretien physique le {tenu:%d/%m/%Y}" in constat.raison


@pytest.mark.parametrize(
    ("canal", "presence"),
    [("telephone", "present"), ("physique_individuel", "absent_injustifie")],
)
def test_ni_un_appel_ni_une_absence_ne_valent_entretien_physique(monde, delais, canal, presence):
    parcours = accompagne(monde)
    entretien(parcours, ENTREE + datetime.timedelta(days=20), canal=canal, presence=presence)
    limite = ENTREE + mois(delais.entretien_physique_mois)
    assert tenues(parcours, limite, TypeAlerte.ENTRETIEN_MENSUEL).echeance == limite


@pytest.mark.parametrize(("emploi_ou_formation", "alerte"), [(True, False), (False, True)])
def test_pas_d_entretien_mensuel_pendant_une_etape_emploi_ou_formation(
    monde, delais, emploi_ou_formation, alerte
):
    parcours = accompagne(monde)
    jour = ENTREE + mois(delais.entretien_physique_mois + 1)
    etape(parcours, ENTREE, jour + UN_JOUR, emploi_ou_formation=emploi_ou_formation)
    assert (tenues(parcours, jour, TypeAlerte.ENTRETIEN_MENSUEL) is not None) is alerte
    # L'étape terminée, l'entretien mensuel est de nouveau dû.
    assert tenues(parcours, jour + 2 * UN_JOUR, TypeAlerte.ENTRETIEN_MENSUEL) is not None


def test_en_emploi_pas_d_entretien_mensuel_mais_le_contact_reste_du(monde, delais):
    parcours = accompagne(monde, Statut.EN_EMPLOI)
    jour = ENTREE + mois(delais.sans_contact_mois)
    alertes = tenues(parcours, jour)
    assert TypeAlerte.ENTRETIEN_MENSUEL not in alertes
    assert TypeAlerte.SANS_CONTACT in alertes


# — Sans contact —


def test_sans_contact_a_l_echeance_tout_canal(monde, delais):
    parcours = accompagne(monde)
    appel = ENTREE + datetime.timedelta(days=10)
    entretien(parcours, appel, canal="telephone")
    limite = appel + mois(delais.sans_contact_mois)
    assert tenues(parcours, limite - UN_JOUR, TypeAlerte.SANS_CONTACT) is None
    constat = tenues(parcours, limite, TypeAlerte.SANS_CONTACT)
    assert constat.echeance == limite
    assert f"dernier contact le {appel:%d/%m/%Y}" in constat.raison


def test_un_rendez_vous_manque_n_est_pas_un_contact(monde, delais):
    parcours = accompagne(monde)
    entretien(parcours, ENTREE + datetime.timedelta(days=10), presence="absent_injustifie")
    limite = ENTREE + mois(delais.sans_contact_mois)
    assert tenues(parcours, limite, TypeAlerte.SANS_CONTACT).echeance == limite


# — Sans étape —


def test_sans_etape_depuis_l_entree(monde, delais):
    parcours = accompagne(monde)
    limite = ENTREE + mois(delais.sans_etape_mois)
    assert tenues(parcours, limite - UN_JOUR, TypeAlerte.SANS_ETAPE) is None
    assert tenues(parcours, limite, TypeAlerte.SANS_ETAPE).echeance == limite


def test_sans_etape_depuis_la_fin_de_la_derniere_etape(monde, delais):
    parcours = accompagne(monde)
    fin = ENTREE + datetime.timedelta(days=40)
    etape(parcours, ENTREE + UN_JOUR, fin, statut="realisee")
    etape(parcours, ENTREE, ENTREE + mois(12), statut="abandonnee")  # ne compte pas
    etape(parcours, ENTREE, ENTREE + mois(12), statut="realisee", compte=False)  # accueil
    limite = fin + mois(delais.sans_etape_mois)
    assert tenues(parcours, limite - UN_JOUR, TypeAlerte.SANS_ETAPE) is None
    constat = tenues(parcours, limite, TypeAlerte.SANS_ETAPE)
    assert constat.echeance == limite
    assert f"dernière étape terminée le {fin:%d/%m/%Y}" in constat.raison


def test_une_etape_en_cours_sans_fin_empeche_l_alerte(monde, delais):
    parcours = accompagne(monde)
    etape(parcours, ENTREE + UN_JOUR)
    assert tenues(parcours, ENTREE + mois(24), TypeAlerte.SANS_ETAPE) is None


# — Durée du parcours —


def test_seuils_de_duree_du_parcours(monde, delais):
    parcours = accompagne(monde)
    premier, second = delais.alertes_duree_parcours_mois
    assert tenues(parcours, ENTREE + mois(premier) - UN_JOUR, TypeAlerte.DUREE_PARCOURS) is None
    constat = tenues(parcours, ENTREE + mois(premier), TypeAlerte.DUREE_PARCOURS)
    assert constat.cle == str(premier)
    assert f"Parcours de plus de {premier} mois" in constat.raison
    assert tenues(parcours, ENTREE + mois(second) - UN_JOUR, TypeAlerte.DUREE_PARCOURS).cle == str(
        premier
    )
    assert tenues(parcours, ENTREE + mois(second), TypeAlerte.DUREE_PARCOURS).cle == str(second)


def test_la_duree_compte_aussi_pendant_une_suspension(monde, delais):
    parcours = accompagne(monde, Statut.SUSPENDU)
    jour = ENTREE + mois(delais.alertes_duree_parcours_mois[0])
    assert set(tenues(parcours, jour)) == {TypeAlerte.DUREE_PARCOURS}


# — RQTH —


def test_rqth_arrivant_a_echeance(monde, delais):
    parcours = accompagne(monde)
    jour = ENTREE + mois(3)
    fin = jour + datetime.timedelta(days=delais.rqth_echeance_jours)
    Prescription.objects.filter(parcours=parcours).update(rqth_jusqu_au=fin + UN_JOUR)
    assert tenues(parcours, jour, TypeAlerte.RQTH) is None
    Prescription.objects.filter(parcours=parcours).update(rqth_jusqu_au=fin)
    constat = tenues(parcours, jour, TypeAlerte.RQTH)
    assert (constat.echeance, constat.cle) == (fin, fin.isoformat())
    assert f"expire le {fin:%d/%m/%Y} (dans {delais.rqth_echeance_jours} jours)" in constat.raison
    # Échue, elle reste signalée ; sans date de validité, rien.
    assert "a expiré le" in tenues(parcours, fin + UN_JOUR, TypeAlerte.RQTH).raison
    Prescription.objects.filter(parcours=parcours).update(rqth_jusqu_au=None)
    assert tenues(parcours, jour, TypeAlerte.RQTH) is None


# — Données FSE+ —


def test_questionnaire_fse_d_entree_incomplet(monde, delais):
    parcours = accompagne(monde)
    jour = ENTREE + UN_JOUR
    assert tenues(parcours, jour, TypeAlerte.FSE_ENTREE) is None
    QuestionnaireFSE.objects.filter(parcours=parcours).update(sans_domicile="")
    constat = tenues(parcours, jour, TypeAlerte.FSE_ENTREE)
    assert constat.cle == "entree"
    QuestionnaireFSE.objects.filter(parcours=parcours).delete()
    assert tenues(parcours, jour, TypeAlerte.FSE_ENTREE) is not None


@pytest.mark.parametrize(
    "valeurs",
    [
        {},
        {"commune_naissance": ""},
        {"date_entree": None},
        {"situation_marche_travail": "en_emploi"},  # type d'emploi exigé, absent
        {"situation_marche_travail": "en_emploi", "type_emploi": "durable"},
        {"situation_marche_travail": "demandeur_emploi", "mois_recherche_emploi": None},
        {"situation_marche_travail": "inactif", "mois_recherche_emploi": None},
        {"niveau_diplome": None, "parent_ne_etranger": ""},
        {"niveau_diplome": None},  # facultatif : la catégorie DGEFP est la réponse exigée
        {"diplome_dgefp": ""},
    ],
)
def test_le_predicat_sql_du_questionnaire_suit_le_modele(monde, valeurs):
    parcours = accompagne(monde)
    q = QuestionnaireFSE.objects.get(parcours=parcours)
    for champ, valeur in valeurs.items():
        setattr(q, champ, valeur)
    if q.situation_marche_travail != "demandeur_emploi":
        q.mois_recherche_emploi = None
    q.save()
    en_sql = QuestionnaireFSE.objects.filter(Q(pk=q.pk) & questionnaire_incomplet()).exists()
    assert en_sql is (not q.complet)


def test_donnees_fse_de_sortie_a_saisir(monde, delais):
    parcours = accompagne(monde, Statut.SORTI)
    sortie = parcours.date_sortie
    assert tenues(parcours, sortie - UN_JOUR, TypeAlerte.FSE_SORTIE) is None
    constat = tenues(parcours, sortie, TypeAlerte.FSE_SORTIE)
    assert constat.echeance == sortie + datetime.timedelta(weeks=delais.fse_sortie_semaines)
    DonneesSortieFSE.objects.create(
        parcours=parcours, situation="recherche", saisie_par=parcours.referent
    )
    assert tenues(parcours, sortie, TypeAlerte.FSE_SORTIE) is None


# — Suspensions : les horloges s'arrêtent —


def test_la_suspension_repousse_les_echeances_de_sa_duree(monde, delais):
    parcours = accompagne(monde)
    referent = parcours.referent
    debut = ENTREE + datetime.timedelta(days=5)
    suivi.suspendre_parcours(parcours, referent, motif="sante", debut=debut)
    suivi.lever_suspension(parcours, referent, le=debut + datetime.timedelta(days=12))
    for type_alerte, duree in (
        (TypeAlerte.ENTRETIEN_MENSUEL, delais.entretien_physique_mois),
        (TypeAlerte.SANS_CONTACT, delais.sans_contact_mois),
        (TypeAlerte.SANS_ETAPE, delais.sans_etape_mois),
    ):
        limite = ENTREE + mois(duree) + datetime.timedelta(days=12)
        assert tenues(parcours, limite - UN_JOUR, type_alerte) is None, type_alerte
        constat = tenues(parcours, limite, type_alerte)
        assert constat.echeance == limite
        assert "(12 jours de suspension décomptés)" in constat.raison


def test_une_suspension_anterieure_a_la_reference_ne_compte_pas(monde, delais):
    parcours = accompagne(monde)
    referent = parcours.referent
    suivi.suspendre_parcours(parcours, referent, motif="famille", debut=ENTREE)
    suivi.lever_suspension(parcours, referent, le=ENTREE + datetime.timedelta(days=10))
    tenu = ENTREE + datetime.timedelta(days=30)
    entretien(parcours, tenu)
    limite = tenu + mois(delais.entretien_physique_mois)
    assert tenues(parcours, limite, TypeAlerte.ENTRETIEN_MENSUEL).echeance == limite


def test_pendant_la_suspension_pas_d_alerte_de_suivi(monde, delais):
    parcours = accompagne(monde)
    suivi.suspendre_parcours(parcours, parcours.referent, motif="sante", debut=ENTREE)
    jour = ENTREE + mois(delais.sans_etape_mois + 1)
    alertes = tenues(parcours, jour)
    assert not {
        TypeAlerte.ENTRETIEN_MENSUEL,
        TypeAlerte.SANS_CONTACT,
        TypeAlerte.SANS_ETAPE,
    } & set(alertes)


# — Une requête par type, quel que soit le nombre de parcours —


def test_une_requete_par_type_d_alerte(monde, delais, django_assert_num_queries):
    for _ in range(3):
        accompagne(monde)
    accompagne(monde, plie=2)
    parcours = Parcours.objects.all()
    lus = {monde.plie1.pk: delais, monde.plie2.pk: delais}
    jour = ENTREE + mois(30)
    with django_assert_num_queries(len(TypeAlerte)):
        resultat = constats(parcours, jour, delais=lus)
    assert {c.parcours_id for c in resultat if c.type == TypeAlerte.DUREE_PARCOURS} == set(
        parcours.values_list("pk", flat=True)
    )


def test_parcours_hors_accompagnement_sans_alerte(monde, delais):
    for statut in (Statut.PRESCRIT, Statut.ADMIS):
        parcours = accompagne(monde, statut)
        assert tenues(parcours, ENTREE + mois(30)) == {}


def test_chaque_plie_avec_ses_delais_dans_la_meme_requete(monde):
    Referentiel.objects.create(
        plie=monde.plie1,
        date_effet=datetime.date(2020, 1, 1),
        contenu={"suivi": {"entretien_physique_mois": 2}},
    )
    ici, voisin = accompagne(monde), accompagne(monde, plie=2)
    jour = ENTREE + mois(1)
    tenus = {
        c.parcours_id
        for c in constats(Parcours.objects.all(), jour, types=[TypeAlerte.ENTRETIEN_MENSUEL])
    }
    assert tenus == {voisin.pk}
    tenus = {
        c.parcours_id
        for c in constats(Parcours.objects.all(), ENTREE + mois(2), [TypeAlerte.ENTRETIEN_MENSUEL])
    }
    assert tenus == {ici.pk, voisin.pk}
