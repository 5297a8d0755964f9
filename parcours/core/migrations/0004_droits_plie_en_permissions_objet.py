"""Les droits d'un PLIE ne sont jamais des permissions globales (docs/architecture.md).

Avant : la démo donnait au rôle « admin » toutes les permissions `core.*` et `referentiel.*`
(globales : valables pour tous les PLIE) et le statut d'équipe. Cette migration :
- convertit chaque permission globale `core.animer_plie` / `core.suivre_emploi_plie` d'un compte
  (directe ou par un groupe) en permission objet django-guardian sur chacun des PLIE où il a une
  adhésion, jamais au-delà ;
- retire aux comptes non superutilisateurs et aux groupes leurs permissions globales `core.*` et
  `referentiel.*`, et le statut d'équipe (l'admin Django est réservé aux superutilisateurs).
"""

from django.db import migrations

DROITS_DU_PLIE = ("animer_plie", "suivre_emploi_plie")
APPLICATIONS = ("core", "referentiel")


def convertir(apps, schema_editor):
    User = apps.get_model("core", "User")
    Membership = apps.get_model("core", "Membership")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")

    globales = Permission.objects.filter(content_type__app_label__in=APPLICATIONS)
    droits = globales.filter(content_type__app_label="core", codename__in=DROITS_DU_PLIE)
    if not globales.exists():
        return  # base neuve : aucune permission encore créée, rien à convertir
    plie_ct, _ = ContentType.objects.get_or_create(app_label="core", model="plie")

    a_convertir = {}
    for user in User.objects.filter(is_superuser=False, user_permissions__in=droits).distinct():
        a_convertir.setdefault(user.pk, set()).update(
            user.user_permissions.filter(pk__in=droits).values_list("pk", flat=True)
        )
    for group in Group.objects.filter(permissions__in=droits).distinct():
        perms = set(group.permissions.filter(pk__in=droits).values_list("pk", flat=True))
        for user_id in group.user_set.filter(is_superuser=False).values_list("pk", flat=True):
            a_convertir.setdefault(user_id, set()).update(perms)

    for user_id, perms in a_convertir.items():
        plies = set(
            Membership.objects.filter(user_id=user_id).values_list("structure__plie_id", flat=True)
        )
        for perm_id in perms:
            for plie_id in plies:
                UserObjectPermission.objects.get_or_create(
                    user_id=user_id,
                    permission_id=perm_id,
                    content_type=plie_ct,
                    object_pk=str(plie_id),
                )

    for user in User.objects.filter(is_superuser=False, user_permissions__in=globales).distinct():
        user.user_permissions.remove(*globales.filter(user=user))
    for group in Group.objects.filter(permissions__in=globales).distinct():
        group.permissions.remove(*globales.filter(group=group))
    User.objects.filter(is_superuser=False, is_staff=True).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_permission_suivre_emploi_plie"),
        ("guardian", "0002_generic_permissions_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(convertir, migrations.RunPython.noop)]
