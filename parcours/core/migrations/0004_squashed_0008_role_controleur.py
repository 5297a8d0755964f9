"""Les migrations 0004 à 0008 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les index, contraintes et changements de champ qui suivaient chaque
création de modèle y sont repliés. La conversion des droits (0004) y reste."""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
import parcours.core.validators
from django.conf import settings
from django.db import migrations, models


# Recopié de 0004_droits_plie_en_permissions_objet : une base arrêtée à core 0003 (toute base
# d'avant 0004) joue cette migration écrasée et a des droits globaux à convertir.
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

    replaces = [('core', '0004_droits_plie_en_permissions_objet'), ('core', '0005_textes_sans_caracteres_de_controle'), ('core', '0006_passes_periodiques'), ('core', '0007_cles_api'), ('core', '0008_role_controleur')]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_permission_suivre_emploi_plie'),
        ('guardian', '0002_generic_permissions_index'),
    ]

    operations = [
        migrations.RunPython(convertir, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='commune',
            name='insee',
            field=models.CharField(max_length=5, validators=[parcours.core.validators.TexteControle()], verbose_name='code INSEE'),
        ),
        migrations.AlterField(
            model_name='commune',
            name='nom',
            field=models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='nom'),
        ),
        migrations.AlterField(
            model_name='plie',
            name='nom',
            field=models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='nom'),
        ),
        migrations.AlterField(
            model_name='plie',
            name='structure_porteuse',
            field=models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='structure porteuse'),
        ),
        migrations.AlterField(
            model_name='structure',
            name='nom',
            field=models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='nom'),
        ),
        migrations.AlterField(
            model_name='territoire',
            name='nom',
            field=models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='nom'),
        ),
        migrations.CreateModel(
            name='PassePeriodique',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('commande', models.CharField(max_length=100, unique=True)),
                ('nombre', models.PositiveIntegerField(default=0)),
                ('debut', models.DateTimeField(blank=True, null=True, verbose_name='début de la dernière passe')),
                ('fin', models.DateTimeField(blank=True, null=True, verbose_name='fin de la dernière passe')),
                ('etat', models.JSONField(blank=True, default=dict, verbose_name='état gardé pour la passe suivante')),
            ],
            options={
                'verbose_name': 'passe périodique',
                'verbose_name_plural': 'passes périodiques',
            },
        ),
        migrations.CreateModel(
            name='CleApi',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('prescripteur', 'Prescripteur'), ('animateur', "Animateur (équipe d'animation)"), ('referent', 'Référent de parcours'), ('referent_etape', "Référent d'étape"), ('cre', 'Chargé·e de relations entreprises'), ('facilitateur', 'Facilitateur clauses sociales'), ('commission', 'Membre de commission'), ('direction', 'Direction du PLIE'), ('financeur', 'Financeur (lecture)'), ('donneur_ordre', "Donneur d'ordre (lecture)"), ('controleur', 'Contrôleur (contrôle de service fait, lecture)'), ('admin', 'Administrateur')], max_length=20, verbose_name='rôle')),
                ('droits', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('prescriptions_lire', 'Lire ses prescriptions (statut, décision)'), ('prescriptions_ecrire', 'Envoyer des prescriptions'), ('parcours_lire', 'Lire participants, parcours, étapes, entretiens, contrats'), ('contrats_ecrire', 'Enregistrer des contrats'), ('heures_ecrire', "Envoyer les heures d'insertion mensuelles"), ('besoins_lire', 'Lire les besoins des clauses'), ('offres_lire', "Lire les offres d'emploi diffusées")], max_length=30), size=None, verbose_name='droits')),
                ('nom', models.CharField(max_length=100, validators=[parcours.core.validators.TexteControle()], verbose_name='nom')),
                ('prefixe', models.CharField(editable=False, max_length=12, unique=True, verbose_name='préfixe')),
                ('empreinte', models.CharField(editable=False, max_length=64, verbose_name='empreinte SHA-256')),
                ('expire_le', models.DateField(verbose_name='expire le')),
                ('creee_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='créée le')),
                ('revoquee_le', models.DateTimeField(blank=True, null=True, verbose_name='révoquée le')),
                ('derniere_utilisation', models.DateTimeField(blank=True, null=True, verbose_name='dernière utilisation')),
                ('compte', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='cle_api', to=settings.AUTH_USER_MODEL, verbose_name='compte technique')),
                ('creee_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créée par')),
                ('revoquee_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='révoquée par')),
                ('structure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cles_api', to='core.structure')),
            ],
            options={
                'verbose_name': "clé d'API",
                'verbose_name_plural': "clés d'API",
                'ordering': ['-creee_le', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('revoquee_le__isnull', True), ('revoquee_par__isnull', True)), models.Q(('revoquee_le__isnull', False), ('revoquee_par__isnull', False)), _connector='OR'), name='cle_api_revocation_datee_et_signee'), models.CheckConstraint(condition=models.Q(('droits', []), _negated=True), name='cle_api_au_moins_un_droit')],
            },
        ),
        migrations.CreateModel(
            name='EcritureApi',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('action', models.CharField(editable=False, max_length=50, verbose_name='action')),
                ('objet_type', models.CharField(blank=True, editable=False, max_length=50, verbose_name='objet')),
                ('objet_id', models.CharField(blank=True, editable=False, max_length=50, verbose_name="identifiant de l'objet")),
                ('cle_idempotence', models.CharField(blank=True, editable=False, max_length=100, verbose_name="clé d'idempotence")),
                ('empreinte_requete', models.CharField(blank=True, editable=False, max_length=64, verbose_name='empreinte de la requête')),
                ('statut_reponse', models.PositiveSmallIntegerField(null=True, verbose_name='statut de la réponse')),
                ('detail', models.CharField(blank=True, editable=False, max_length=500, verbose_name='détail')),
                ('cle', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ecritures', to='core.cleapi')),
                ('plie', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.plie')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
            ],
            options={
                'verbose_name': "écriture par l'API",
                'verbose_name_plural': "écritures par l'API",
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(fields=['cle', '-at'], name='ecriture_api_cle_at')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('cle_idempotence', ''), _negated=True), fields=('user', 'cle_idempotence'), name='ecriture_api_idempotence_unique')],
            },
        ),
        migrations.AlterField(
            model_name='membership',
            name='role',
            field=models.CharField(choices=[('prescripteur', 'Prescripteur'), ('animateur', "Animateur (équipe d'animation)"), ('referent', 'Référent de parcours'), ('referent_etape', "Référent d'étape"), ('cre', 'Chargé·e de relations entreprises'), ('facilitateur', 'Facilitateur clauses sociales'), ('commission', 'Membre de commission'), ('direction', 'Direction du PLIE'), ('financeur', 'Financeur (lecture)'), ('donneur_ordre', "Donneur d'ordre (lecture)"), ('controleur', 'Contrôleur (contrôle de service fait, lecture)'), ('admin', 'Administrateur')], max_length=20, verbose_name='rôle'),
        ),
    ]
