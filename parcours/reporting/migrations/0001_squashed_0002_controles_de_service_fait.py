"""Les migrations 0001 à 0002 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les index, contraintes et changements de champ qui suivaient chaque
création de modèle y sont repliés. Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.db.models.deletion
import django.utils.timezone
import parcours.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('reporting', '0001_journal_exports_fse'), ('reporting', '0002_controles_de_service_fait')]

    initial = True

    dependencies = [
        ('accompagnement', '0013_questionnaires_diplome_dgefp'),
        ('fse', '0001_operations_fse'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ExportFse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('du', models.DateField(verbose_name='du')),
                ('au', models.DateField(verbose_name='au')),
                ('sorties', models.BooleanField(default=False, verbose_name='fichier des sorties')),
                ('partiel', models.BooleanField(default=False, verbose_name='partiel')),
                ('lignes', models.PositiveIntegerField(verbose_name='lignes écrites')),
                ('ecartees', models.PositiveIntegerField(default=0, verbose_name='lignes écartées (incomplètes)')),
                ('operation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='exports', to='fse.operationfse')),
                ('par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
            ],
            options={
                'verbose_name': 'export Ma Démarche FSE',
                'verbose_name_plural': 'exports Ma Démarche FSE',
                'ordering': ['-le', '-pk'],
                'indexes': [models.Index(fields=['operation', '-le'], name='export_fse_operation_le')],
            },
        ),
        migrations.CreateModel(
            name='ControleFse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('du', models.DateField(verbose_name='du')),
                ('au', models.DateField(verbose_name='au')),
                ('mode', models.CharField(choices=[('tirage', 'Tirage au sort'), ('designation', 'Participants désignés')], max_length=20, verbose_name='mode')),
                ('graine', models.BigIntegerField(blank=True, null=True, verbose_name='graine du tirage')),
                ('taille', models.PositiveIntegerField(verbose_name="taille de l'échantillon")),
                ('population', models.PositiveIntegerField(verbose_name='participations de la période')),
                ('motif', models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='motif ou référence du contrôle')),
                ('le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('operation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='controles', to='fse.operationfse')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('participations', models.ManyToManyField(related_name='controles', to='accompagnement.participationfse', verbose_name='échantillon')),
            ],
            options={
                'verbose_name': 'contrôle de service fait',
                'verbose_name_plural': 'contrôles de service fait',
                'ordering': ['-le', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('au__gte', models.F('du'))), name='controle_fse_periode_ordonnee'), models.CheckConstraint(condition=models.Q(('mode', 'designation'), ('graine__isnull', False), _connector='OR'), name='controle_fse_tirage_a_graine')],
            },
        ),
        migrations.CreateModel(
            name='AccesControle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('expire_le', models.DateField(verbose_name="ouvert jusqu'au")),
                ('ouvert_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ouvert le')),
                ('controleur', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='controles_ouverts', to=settings.AUTH_USER_MODEL, verbose_name='contrôleur')),
                ('ouvert_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('controle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acces', to='reporting.controlefse')),
            ],
            options={
                'verbose_name': "accès d'un contrôleur",
                'verbose_name_plural': 'accès des contrôleurs',
                'ordering': ['-ouvert_le', '-pk'],
                'indexes': [models.Index(fields=['controleur', 'expire_le'], name='acces_controleur')],
                'constraints': [models.UniqueConstraint(fields=('controle', 'controleur'), name='acces_controle_unique')],
            },
        ),
    ]
