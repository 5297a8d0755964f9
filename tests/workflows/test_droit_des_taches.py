"""Le droit du domaine d'agir sur une tâche (`workflows.nodes.View.Droit`), revérifié à chaque
prise et à chaque exécution, même par l'URL exacte de la tâche et même par qui voit le dossier :
une permission globale de modèle n'ouvre plus une file, une tâche assignée ne s'exécute plus quand
son responsable n'a plus le rôle qu'elle exige."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import get_resolver
from django.utils import timezone
from viewflow.workflow.status import STATUS

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.core.models import Membership
from parcours.emploi import services
from tests.emploi.fabrique_emploi import cdi, referentiel
from tests.factories import membre, parcours_en
from tests.workflows.test_entree_recevabilite import prescrire, tache
from workflows.emploi.flows import SuiviContratFlow
from workflows.entree.flows import EntreeFlow

pytestmark = pytest.mark.django_db


def url(t, action):
    get_resolver().url_patterns  # noqa: B018 — charge les URL : les flux y apprennent leur espace de noms
    return t.flow_task.reverse(action, args=[t.process_id, t.pk])


def permission_globale(user, perm):
    app_label, codename = perm.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return type(user).objects.get(pk=user.pk)  # sans le cache des permissions


def test_une_permission_globale_n_ouvre_pas_la_file_de_l_animation(client, acteurs):
    """Le prescripteur voit son dossier ; la permission globale `core.animer_plie` ne lui fait
    pas prendre la vérification de recevabilité."""
    parcours = prescrire(client, acteurs.prescripteur)
    t = tache(parcours, "verifier_recevabilite")
    prescripteur = permission_globale(acteurs.prescripteur, "core.animer_plie")
    client.force_login(prescripteur)
    assert client.post(url(t, "assign")).status_code == 403
    t.refresh_from_db()
    assert (t.status, t.owner) == (STATUS.NEW, None)
    assert not t.flow_task.can_assign(prescripteur, t)


def test_l_animateur_du_plie_prend_la_tache(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    t = tache(parcours, "verifier_recevabilite")
    client.force_login(acteurs.animateur)
    assert client.post(url(t, "assign")).status_code == 302
    t.refresh_from_db()
    assert (t.status, t.owner) == (STATUS.ASSIGNED, acteurs.animateur)


def test_une_tache_assignee_ne_s_execute_plus_sans_le_role(client, acteurs):
    """L'animateur prend la tâche, puis quitte l'animation pour la structure prescriptrice : il
    voit toujours le dossier (comme prescripteur) et la tâche reste à son nom, mais il ne peut
    plus décider de la recevabilité."""
    parcours = prescrire(client, acteurs.prescripteur)
    t = tache(parcours, "verifier_recevabilite")
    client.force_login(acteurs.animateur)
    client.post(url(t, "assign"))
    assert client.get(url(t, "execute")).status_code == 200
    Membership.objects.filter(user=acteurs.animateur, role=Role.ANIMATEUR).update(
        fin=timezone.localdate() - datetime.timedelta(days=1)
    )
    structure = acteurs.prescripteur.memberships.get().structure
    membre(Role.PRESCRIPTEUR, structure, user=acteurs.animateur)
    assert client.get(url(t, "execute")).status_code == 403
    reponse = client.post(url(t, "execute"), {"decision": "recevable", "motif": "ok"})
    assert reponse.status_code == 403
    parcours.refresh_from_db()
    assert parcours.statut == Statut.PRESCRIT


def test_le_referent_qui_voit_le_dossier_n_execute_pas_la_tache_du_cre(client, monde):
    """Une tâche de la file des CRE : ni la permission globale, ni la vue du dossier ne suffisent
    au référent ; le CRE du PLIE la prend et l'exécute."""
    referentiel(monde.plie1)
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    services.enregistrer_contrat(parcours, par=parcours.referent, **cdi())
    appel = SuiviContratFlow.task_class.objects.get(
        process__artifact_object_id=parcours.pk, flow_task=SuiviContratFlow.appel
    )
    referent = permission_globale(parcours.referent, "core.suivre_emploi_plie")
    client.force_login(referent)
    assert client.post(url(appel, "assign")).status_code == 403
    appel.refresh_from_db()
    assert appel.owner is None
    cre = monde.user(Role.CRE)
    client.force_login(cre)
    assert client.post(url(appel, "assign")).status_code == 302
    reponse = client.post(
        url(appel, "execute"),
        {"date_contact": timezone.localdate().isoformat(), "compte_rendu": "Appel passé."},
    )
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    appel.refresh_from_db()
    assert appel.status == STATUS.DONE


def test_le_cre_d_un_autre_plie_ne_prend_pas_la_tache(client, monde):
    referentiel(monde.plie1)
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    services.enregistrer_contrat(parcours, par=parcours.referent, **cdi())
    appel = SuiviContratFlow.task_class.objects.get(
        process__artifact_object_id=parcours.pk, flow_task=SuiviContratFlow.appel
    )
    cre_voisin = permission_globale(monde.user(Role.CRE, plie=2), "core.suivre_emploi_plie")
    client.force_login(cre_voisin)
    assert client.post(url(appel, "assign")).status_code == 404
    assert not appel.flow_task.can_assign(cre_voisin, appel)


def test_entree_process_de_la_mauvaise_classe_repond_404(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    t = tache(parcours, "verifier_recevabilite")
    client.force_login(acteurs.animateur)
    assert EntreeFlow.instance.reverse("process_detail", args=[t.process_id])
    reponse = client.get(f"/app/sortie/{t.process_id}/")
    assert reponse.status_code == 404
