"""Les migrations 0001 à 0002 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.db.models.deletion
import django.utils.timezone
import parcours.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('referentiel', '0001_initial'), ('referentiel', '0002_textes_sans_caracteres_de_controle')]

    initial = True

    dependencies = [
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Referentiel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date_effet', models.DateField(verbose_name="date d'effet")),
                ('libelle', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='libellé')),
                ('contenu', models.JSONField(verbose_name='contenu')),
                ('source', models.CharField(blank=True, max_length=300, validators=[parcours.core.validators.TexteControle()], verbose_name='fichier source')),
                ('importe_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='importé le')),
                ('importe_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='referentiels', to='core.plie')),
            ],
            options={
                'verbose_name': 'version de référentiel',
                'verbose_name_plural': 'versions de référentiel',
                'ordering': ['plie', '-date_effet'],
                'constraints': [models.UniqueConstraint(fields=('plie', 'date_effet'), name='referentiel_une_version_par_date')],
            },
        ),
    ]
