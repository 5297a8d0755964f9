"""Les migrations 0001 à 0002 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('tracabilite', '0001_initial'), ('tracabilite', '0002_trace_type_controle')]

    initial = True

    dependencies = [
        ('core', '0003_permission_suivre_emploi_plie'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Trace',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('type', models.CharField(choices=[('connexion', 'Connexion'), ('echec_connexion', 'Échec de connexion'), ('verrouillage', "Compte verrouillé (trop d'échecs)"), ('deconnexion', 'Déconnexion'), ('refus', 'Accès refusé'), ('consultation', "Consultation d'un dossier"), ('telechargement', "Téléchargement d'un document"), ('export', "Export d'une liste"), ('droit_acces', "Export au titre du droit d'accès"), ('anonymisation', 'Anonymisation ou suppression (conservation)'), ('administration', 'Administration du PLIE'), ('controle', 'Contrôle de service fait (tirage, ouverture, téléchargement)')], max_length=20, verbose_name='type')),
                ('identifiant', models.CharField(blank=True, max_length=150, verbose_name='identifiant')),
                ('participant_id', models.BigIntegerField(blank=True, null=True, verbose_name='participant')),
                ('objet_type', models.CharField(blank=True, max_length=50, verbose_name='objet')),
                ('objet_id', models.CharField(blank=True, max_length=50, verbose_name="identifiant de l'objet")),
                ('chemin', models.CharField(blank=True, max_length=500, verbose_name='adresse')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='adresse IP')),
                ('detail', models.CharField(blank=True, max_length=500, verbose_name='détail')),
                ('plie', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.plie')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
            ],
            options={
                'verbose_name': "trace d'accès",
                'verbose_name_plural': 'journal des accès',
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(fields=['plie', '-at'], name='trace_plie_at'), models.Index(fields=['participant_id', '-at'], name='trace_participant_at'), models.Index(fields=['user', '-at'], name='trace_user_at'), models.Index(fields=['at'], name='trace_at')],
            },
        ),
    ]
