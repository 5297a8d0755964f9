"""Les migrations 0001 à 0002 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
import parcours.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('courriels', '0001_initial'), ('courriels', '0002_textes_sans_caracteres_de_controle')]

    initial = True

    dependencies = [
        ('accompagnement', '0003_prescription'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Courriel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('destinataires', django.contrib.postgres.fields.ArrayField(base_field=models.EmailField(max_length=254), size=None, verbose_name='destinataires')),
                ('sujet', models.CharField(max_length=250, validators=[parcours.core.validators.TexteControle()], verbose_name='sujet')),
                ('corps', models.TextField(validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='message')),
                ('envoye_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='envoyé le')),
                ('erreur', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name="erreur d'envoi")),
                ('envoye_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parcours', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='courriels', to='accompagnement.parcours')),
            ],
            options={
                'verbose_name': 'courriel',
                'ordering': ['-envoye_le', '-id'],
                'indexes': [models.Index(fields=['parcours', 'envoye_le'], name='courriels_c_parcour_c6f8e2_idx')],
            },
        ),
    ]
