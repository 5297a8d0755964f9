"""Les migrations 0001 à 0008 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.db.models.deletion
import django.utils.timezone
import parcours.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('reprise', '0001_provenance'), ('reprise', '0002_provenance_des_autres_entites'), ('reprise', '0003_provenance_clauses'), ('reprise', '0004_entites_reunies'), ('reprise', '0005_travail_reprise'), ('reprise', '0006_decisions_sortie'), ('reprise', '0007_participations_fse'), ('reprise', '0008_suspensions')]

    initial = True

    dependencies = [
        ('accompagnement', '0011_index_parcours_ouverts'),
        ('accompagnement', '0014_motif_fin_action'),
        ('core', '0006_passes_periodiques'),
        ('core', '0007_cles_api'),
        ('core', '0008_role_controleur'),
        ('courriels', '0002_textes_sans_caracteres_de_controle'),
        ('participants', '0004_index_de_recherche_et_de_liste'),
        ('participants', '0005_trigrammes_de_recherche'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TravailReprise',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lance_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='lancé le')),
                ('etat', models.CharField(choices=[('en_attente', 'En attente'), ('en_cours', 'En cours'), ('terminee', 'Terminée'), ('echouee', 'Échouée')], default='en_attente', max_length=20, verbose_name='état')),
                ('jeton', models.CharField(max_length=64, validators=[parcours.core.validators.TexteControle()], verbose_name="jeton de l'aperçu")),
                ('correspondance', models.TextField(validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='correspondance (YAML)')),
                ('correspondance_nom', models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='nom de la correspondance')),
                ('fichiers', models.JSONField(default=dict, verbose_name='fichiers déposés')),
                ('noms', models.JSONField(default=list, verbose_name='noms des fichiers')),
                ('lignes', models.PositiveIntegerField(default=0, verbose_name="lignes de l'aperçu")),
                ('pris_le', models.DateTimeField(blank=True, null=True, verbose_name='pris le')),
                ('pris_par', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='pris par (nœud)')),
                ('fini_le', models.DateTimeField(blank=True, null=True, verbose_name='fini le')),
                ('rapport', models.JSONField(blank=True, null=True, verbose_name='rapport')),
                ('rapport_xlsx', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='rapport XLSX (stockage)')),
                ('motif', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name="motif de l'échec")),
                ('courriel', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='courriels.courriel')),
                ('lance_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.plie')),
            ],
            options={
                'verbose_name': 'travail de reprise',
                'verbose_name_plural': 'travaux de reprise',
                'ordering': ['-lance_le', '-pk'],
                'indexes': [models.Index(condition=models.Q(('etat', 'en_attente')), fields=['lance_le'], name='travail_reprise_en_attente'), models.Index(fields=['plie', '-lance_le'], name='travail_reprise_plie')],
            },
        ),
        migrations.CreateModel(
            name='ProvenanceClause',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=50, verbose_name='source')),
                ('entite', models.CharField(choices=[('participant', 'Participants'), ('parcours', 'Parcours'), ('structure', 'Structures'), ('utilisateur', 'Utilisateurs'), ('prescription', 'Prescriptions et décisions'), ('decision_sortie', 'Décisions de sortie'), ('etape', 'Étapes'), ('entretien', 'Entretiens et contacts'), ('contrat', 'Contrats'), ('participation_fse', 'Participations FSE+'), ('reponse_fse', 'Réponses FSE+'), ('suspension', 'Suspensions'), ('donneur_ordre', "Donneurs d'ordre"), ('operation', 'Opérations'), ('marche', 'Marchés'), ('besoin', 'Besoins (lots et postes)'), ('candidat_externe', 'Candidats externes'), ('positionnement', 'Positionnements et embauches'), ('heures', 'Heures mensuelles')], max_length=30, verbose_name='entité')),
                ('source_id', models.CharField(max_length=100, verbose_name='identifiant dans la source')),
                ('objet_id', models.PositiveBigIntegerField(verbose_name="identifiant de l'objet")),
                ('empreinte', models.CharField(max_length=64, verbose_name='empreinte des valeurs lues')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.plie')),
            ],
            options={
                'verbose_name': 'provenance reprise (clauses)',
                'verbose_name_plural': 'provenances reprises (clauses)',
                'constraints': [models.UniqueConstraint(fields=('plie', 'source', 'entite', 'source_id'), name='provenance_clause_unique')],
            },
        ),
        migrations.CreateModel(
            name='Provenance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=50, verbose_name='source')),
                ('entite', models.CharField(choices=[('participant', 'Participants'), ('parcours', 'Parcours'), ('structure', 'Structures'), ('utilisateur', 'Utilisateurs'), ('prescription', 'Prescriptions et décisions'), ('decision_sortie', 'Décisions de sortie'), ('etape', 'Étapes'), ('entretien', 'Entretiens et contacts'), ('contrat', 'Contrats'), ('participation_fse', 'Participations FSE+'), ('reponse_fse', 'Réponses FSE+'), ('suspension', 'Suspensions'), ('donneur_ordre', "Donneurs d'ordre"), ('operation', 'Opérations'), ('marche', 'Marchés'), ('besoin', 'Besoins (lots et postes)'), ('candidat_externe', 'Candidats externes'), ('positionnement', 'Positionnements et embauches'), ('heures', 'Heures mensuelles')], max_length=30, verbose_name='entité')),
                ('source_id', models.CharField(max_length=100, verbose_name='identifiant dans la source')),
                ('liee_a_existant', models.BooleanField(default=False, verbose_name='liée à une personne déjà connue')),
                ('empreinte', models.CharField(max_length=64, verbose_name='empreinte des valeurs lues')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('parcours', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='provenances', to='accompagnement.parcours')),
                ('participant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='provenances', to='participants.participant')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.plie')),
                ('objet_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name="identifiant de l'objet")),
            ],
            options={
                'verbose_name': 'provenance reprise',
                'verbose_name_plural': 'provenances reprises',
                'constraints': [models.UniqueConstraint(fields=('plie', 'source', 'entite', 'source_id'), name='provenance_unique'), models.CheckConstraint(condition=models.Q(models.Q(('entite', 'participant'), ('participant__isnull', False)), models.Q(('entite', 'parcours'), ('parcours__isnull', False)), models.Q(('entite__in', ['structure', 'utilisateur', 'prescription', 'decision_sortie', 'etape', 'entretien', 'contrat', 'participation_fse', 'reponse_fse', 'suspension']), ('objet_id__isnull', False)), _connector='OR'), name='provenance_objet_renseigne')],
            },
        ),
    ]
