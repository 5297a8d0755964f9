"""Les migrations 0001 à 0003 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les index, contraintes et changements de champ qui suivaient chaque
création de modèle y sont repliés. Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.contrib.auth.models
import django.contrib.auth.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('core', '0001_initial'), ('core', '0002_permission_animer_plie'), ('core', '0003_permission_suivre_emploi_plie')]

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='PLIE',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(unique=True, verbose_name='code')),
                ('nom', models.CharField(max_length=200, verbose_name='nom')),
                ('structure_porteuse', models.CharField(blank=True, max_length=200, verbose_name='structure porteuse')),
            ],
            options={
                'verbose_name': 'PLIE',
                'verbose_name_plural': 'PLIE',
                'ordering': ['nom'],
                'permissions': [('animer_plie', 'Animer le PLIE (recevabilité, commissions)'), ('suivre_emploi_plie', 'Suivre les personnes en emploi du PLIE (CRE)')],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
            ],
            options={
                'verbose_name': 'utilisateur',
                'ordering': ['last_name', 'first_name'],
            },
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='Territoire',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(verbose_name='code')),
                ('nom', models.CharField(max_length=200, verbose_name='nom')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='territoires', to='core.plie')),
            ],
            options={
                'verbose_name': 'territoire',
                'ordering': ['plie', 'nom'],
                'constraints': [models.UniqueConstraint(fields=('plie', 'code'), name='territoire_code_unique_par_plie')],
            },
        ),
        migrations.CreateModel(
            name='Structure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nom', models.CharField(max_length=200, verbose_name='nom')),
                ('type', models.CharField(choices=[('porteur', 'Structure porteuse'), ('operateur', 'Opérateur'), ('prescripteur', 'Prescripteur'), ('siae', 'SIAE'), ('entreprise', 'Entreprise'), ('donneur_ordre', "Donneur d'ordre"), ('financeur', 'Financeur')], max_length=20, verbose_name='type')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='structures', to='core.plie')),
                ('territoire', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='structures', to='core.territoire')),
            ],
            options={
                'verbose_name': 'structure',
                'ordering': ['plie', 'nom'],
                'constraints': [models.UniqueConstraint(fields=('plie', 'nom'), name='structure_nom_unique_par_plie')],
            },
        ),
        migrations.CreateModel(
            name='Commune',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('insee', models.CharField(max_length=5, verbose_name='code INSEE')),
                ('nom', models.CharField(max_length=200, verbose_name='nom')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='communes', to='core.plie')),
                ('territoire', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='communes', to='core.territoire')),
            ],
            options={
                'verbose_name': 'commune',
                'ordering': ['nom'],
                'constraints': [models.UniqueConstraint(fields=('plie', 'insee'), name='commune_insee_unique_par_plie'), models.CheckConstraint(condition=models.Q(('insee__regex', '^[0-9][0-9AB][0-9]{3}$')), name='commune_insee_format')],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('prescripteur', 'Prescripteur'), ('animateur', "Animateur (équipe d'animation)"), ('referent', 'Référent de parcours'), ('referent_etape', "Référent d'étape"), ('cre', 'Chargé·e de relations entreprises'), ('facilitateur', 'Facilitateur clauses sociales'), ('commission', 'Membre de commission'), ('direction', 'Direction du PLIE'), ('financeur', 'Financeur (lecture)'), ('donneur_ordre', "Donneur d'ordre (lecture)"), ('admin', 'Administrateur')], max_length=20, verbose_name='rôle')),
                ('debut', models.DateField(default=django.utils.timezone.localdate, verbose_name='début')),
                ('fin', models.DateField(blank=True, null=True, verbose_name='fin')),
                ('etp', models.DecimalField(decimal_places=2, default=1, help_text='Temps de travail (1 = temps plein)', max_digits=3, verbose_name='ETP')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                ('structure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='core.structure')),
            ],
            options={
                'verbose_name': 'adhésion',
                'ordering': ['user', 'structure', 'role'],
                'indexes': [models.Index(fields=['user', 'role'], name='core_member_user_id_65ee01_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('fin__isnull', True), ('fin__gte', models.F('debut')), _connector='OR'), name='membership_fin_apres_debut'), models.UniqueConstraint(fields=('user', 'structure', 'role', 'debut'), name='membership_unique')],
            },
        ),
    ]
