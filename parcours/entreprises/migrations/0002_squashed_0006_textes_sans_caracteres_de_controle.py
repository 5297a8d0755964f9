"""Les migrations 0002 à 0006 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les index, contraintes et changements de champ qui suivaient chaque
création de modèle y sont repliés. Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import django_fsm
import parcours.core.documents
import parcours.core.validators
import parcours.entreprises.siret
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('entreprises', '0002_offres_mises_en_relation_evenements'), ('entreprises', '0003_contrat_de_l_embauche'), ('entreprises', '0004_version_entreprise'), ('entreprises', '0005_documents_noms_aleatoires'), ('entreprises', '0006_textes_sans_caracteres_de_controle')]

    dependencies = [
        ('accompagnement', '0004_engagement'),
        ('accompagnement', '0005_suivi'),
        ('core', '0002_permission_animer_plie'),
        ('emploi', '0001_initial'),
        ('entreprises', '0001_entreprise'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Evenement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type', models.CharField(choices=[('job_dating', 'Job dating'), ('forum', 'Forum emploi'), ('visite', "Visite d'entreprise"), ('information', "Réunion d'information collective")], max_length=20, verbose_name='type')),
                ('titre', models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='titre')),
                ('date', models.DateTimeField(verbose_name='date et heure')),
                ('lieu', models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='lieu')),
                ('feuille_emargement', parcours.core.documents.ChampDocument(blank=True, type_document='emargement-evenement', upload_to=parcours.core.documents.NomAleatoire('emargement-evenement'), verbose_name="feuille d'émargement signée")),
                ('emargement_depose_le', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('emargement_depose_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('entreprises', models.ManyToManyField(blank=True, related_name='evenements', to='entreprises.entreprise', verbose_name='entreprises présentes')),
                ('organise_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='organisé par')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evenements', to='core.plie')),
            ],
            options={
                'verbose_name': 'événement',
                'ordering': ['-date', '-id'],
                'indexes': [models.Index(fields=['plie', 'date'], name='entreprises_plie_id_4c2b38_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('type__in', ['job_dating', 'forum', 'visite', 'information'])), name='evenement_type_connu')],
            },
        ),
        migrations.CreateModel(
            name='OffreEmploi',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('intitule', models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='intitulé du poste')),
                ('description', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='description')),
                ('type_contrat', models.CharField(blank=True, choices=[('cdi', 'CDI'), ('cdd', 'CDD'), ('interim', 'Intérim (contrat de travail temporaire)'), ('contrat_aide', 'Contrat aidé hors IAE (CUI-CIE, PEC)'), ('cddi_aci', "CDDI en atelier et chantier d'insertion (ACI)"), ('cddi_ei', "CDDI en entreprise d'insertion (EI)"), ('ai', 'Association intermédiaire (AI)'), ('etti', "Entreprise de travail temporaire d'insertion (ETTI)"), ('apprentissage', "Contrat d'apprentissage"), ('professionnalisation', 'Contrat de professionnalisation'), ('cesu', 'CESU (chèque emploi service universel)'), ('creation_entreprise', "Création d'entreprise"), ('formation_qualifiante', 'Formation qualifiante'), ('fonction_publique', 'Fonction publique')], max_length=30, verbose_name='type de contrat')),
                ('lieu', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='lieu de travail')),
                ('heures_hebdo', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.5'), 'Heures par semaine : au moins une demi-heure.'), django.core.validators.MaxValueValidator(48, 'Heures par semaine : 48 au plus (durée maximale légale).')], verbose_name='heures par semaine')),
                ('nb_postes', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1, "L'offre porte au moins un poste.")], verbose_name='nombre de postes')),
                ('date_limite', models.DateField(blank=True, null=True, verbose_name='date limite de candidature')),
                ('statut', django_fsm.FSMField(choices=[('collectee', 'Collectée'), ('qualifiee', 'Qualifiée'), ('diffusee', 'Diffusée'), ('pourvue', 'Pourvue'), ('cloturee', 'Clôturée')], default='collectee', max_length=20, protected=True, verbose_name='statut')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='collectée le')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='collectée par')),
                ('entreprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='offres', to='entreprises.entreprise')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='offres', to='core.plie')),
            ],
            options={
                'verbose_name': "offre d'emploi",
                'verbose_name_plural': "offres d'emploi",
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['plie', 'statut'], name='entreprises_plie_id_57f887_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('statut__in', ['collectee', 'qualifiee', 'diffusee', 'pourvue', 'cloturee'])), name='offre_statut_connu'), models.CheckConstraint(condition=models.Q(('nb_postes__gte', 1)), name='offre_au_moins_un_poste'), models.CheckConstraint(condition=models.Q(('heures_hebdo__isnull', True), models.Q(('heures_hebdo__gt', 0), ('heures_hebdo__lte', 48)), _connector='OR'), name='offre_heures_hebdo_plausibles'), models.CheckConstraint(condition=models.Q(('type_contrat', ''), ('type_contrat__in', ['cdi', 'cdd', 'interim', 'contrat_aide', 'cddi_aci', 'cddi_ei', 'ai', 'etti', 'apprentissage', 'professionnalisation', 'cesu', 'creation_entreprise', 'formation_qualifiante', 'fonction_publique']), _connector='OR'), name='offre_type_contrat_connu'), models.CheckConstraint(condition=models.Q(('statut', 'collectee'), ('statut', 'cloturee'), models.Q(models.Q(('type_contrat', ''), _negated=True), models.Q(('lieu', ''), _negated=True)), _connector='OR'), name='offre_qualifiee_complete')],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name='MiseEnRelation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('statut', django_fsm.FSMField(choices=[('proposee', 'Candidature proposée'), ('entretien', 'Entretien prévu'), ('retenue', 'Retenue'), ('non_retenue', 'Non retenue'), ('embauche', 'Embauche')], default='proposee', max_length=20, protected=True, verbose_name='statut')),
                ('date_entretien', models.DateTimeField(blank=True, null=True, verbose_name="date de l'entretien")),
                ('motif_non_retenue', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif (non retenue)')),
                ('note', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='proposée le')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mises_en_relation', to='accompagnement.parcours')),
                ('proposee_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposée par')),
                ('offre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mises_en_relation', to='entreprises.offreemploi')),
                ('contrat', models.OneToOneField(blank=True, help_text="Le contrat enregistré dans le dossier de la personne à l'embauche.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='mise_en_relation', to='emploi.contrat', verbose_name='contrat signé')),
            ],
            options={
                'verbose_name': 'mise en relation',
                'verbose_name_plural': 'mises en relation',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['statut', 'updated_at'], name='entreprises_statut_0967c8_idx')],
                'constraints': [models.UniqueConstraint(fields=('offre', 'parcours'), name='une_mise_en_relation_par_offre_et_parcours', violation_error_message='Cette personne est déjà proposée sur cette offre.'), models.CheckConstraint(condition=models.Q(('statut__in', ['proposee', 'entretien', 'retenue', 'non_retenue', 'embauche'])), name='mer_statut_connu'), models.CheckConstraint(condition=models.Q(models.Q(('statut', 'non_retenue'), _negated=True), models.Q(('motif_non_retenue', ''), _negated=True), _connector='OR'), name='mer_non_retenue_motivee'), models.CheckConstraint(condition=models.Q(models.Q(('statut', 'embauche'), _negated=True), ('contrat__isnull', False), _connector='OR'), name='mer_embauche_avec_contrat')],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name='DiffusionOffre',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('canal', models.CharField(choices=[('application', "Dans l'application (boîte du référent)"), ('courriel', 'Par courriel'), ('reunion', "En réunion d'équipe"), ('telephone', 'Par téléphone')], max_length=20, verbose_name='comment')),
                ('note', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='note')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('referent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='offres_recues', to=settings.AUTH_USER_MODEL, verbose_name='référent destinataire')),
                ('structure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='offres_recues', to='core.structure', verbose_name='structure destinataire')),
                ('offre', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='diffusions', to='entreprises.offreemploi')),
            ],
            options={
                'verbose_name': "diffusion d'offre",
                'verbose_name_plural': "diffusions d'offre",
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['offre', 'at'], name='entreprises_offre_i_5705f0_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('referent__isnull', False), ('structure__isnull', False), _connector='OR'), name='diffusion_a_un_destinataire')],
            },
        ),
        migrations.CreateModel(
            name='PresenceEvenement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('evenement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='presences', to='entreprises.evenement')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='presences_evenements', to='accompagnement.parcours')),
            ],
            options={
                'verbose_name': 'présence à un événement',
                'verbose_name_plural': 'présences aux événements',
                'constraints': [models.UniqueConstraint(fields=('evenement', 'parcours'), name='une_presence_par_evenement_et_parcours')],
            },
        ),
        migrations.CreateModel(
            name='TransitionMiseEnRelation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transition', models.CharField(max_length=50, validators=[parcours.core.validators.TexteControle()], verbose_name='transition')),
                ('source', models.CharField(choices=[('proposee', 'Candidature proposée'), ('entretien', 'Entretien prévu'), ('retenue', 'Retenue'), ('non_retenue', 'Non retenue'), ('embauche', 'Embauche')], max_length=20, verbose_name='de')),
                ('target', models.CharField(choices=[('proposee', 'Candidature proposée'), ('entretien', 'Entretien prévu'), ('retenue', 'Retenue'), ('non_retenue', 'Non retenue'), ('embauche', 'Embauche')], max_length=20, verbose_name='vers')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('motif', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif')),
                ('mise_en_relation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='entreprises.miseenrelation')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
            ],
            options={
                'verbose_name': 'transition de mise en relation',
                'verbose_name_plural': 'transitions de mise en relation',
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['mise_en_relation', 'at'], name='entreprises_mise_en_aa7fb8_idx')],
            },
        ),
        migrations.CreateModel(
            name='TransitionOffre',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transition', models.CharField(max_length=50, validators=[parcours.core.validators.TexteControle()], verbose_name='transition')),
                ('source', models.CharField(choices=[('collectee', 'Collectée'), ('qualifiee', 'Qualifiée'), ('diffusee', 'Diffusée'), ('pourvue', 'Pourvue'), ('cloturee', 'Clôturée')], max_length=20, verbose_name='de')),
                ('target', models.CharField(choices=[('collectee', 'Collectée'), ('qualifiee', 'Qualifiée'), ('diffusee', 'Diffusée'), ('pourvue', 'Pourvue'), ('cloturee', 'Clôturée')], max_length=20, verbose_name='vers')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('motif', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif')),
                ('offre', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='entreprises.offreemploi')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
            ],
            options={
                'verbose_name': "transition d'offre",
                'verbose_name_plural': "transitions d'offre",
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['offre', 'at'], name='entreprises_offre_i_3d8675_idx')],
            },
        ),
        migrations.CreateModel(
            name='ContactEntreprise',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(default=django.utils.timezone.localdate, verbose_name='date')),
                ('canal', models.CharField(choices=[('visite', "Visite ou rencontre dans l'entreprise"), ('rendez_vous', 'Rendez-vous dans nos locaux'), ('telephone', 'Téléphone'), ('visio', 'Visioconférence'), ('courriel', 'Courriel'), ('courrier', 'Courrier'), ('evenement', "Lors d'un événement (forum, job dating…)")], max_length=20, verbose_name='canal')),
                ('interlocuteur', models.CharField(blank=True, help_text="Nom et fonction dans l'entreprise.", max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='interlocuteur')),
                ('note', models.TextField(validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='compte rendu')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('auteur', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur')),
                ('entreprise', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='entreprises.entreprise')),
            ],
            options={
                'verbose_name': 'contact entreprise',
                'verbose_name_plural': 'contacts entreprise',
                'ordering': ['-date', '-id'],
                'indexes': [models.Index(fields=['entreprise', 'date'], name='entreprises_entrepr_cbf5ae_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('canal__in', ['visite', 'rendez_vous', 'telephone', 'visio', 'courriel', 'courrier', 'evenement'])), name='contact_canal_connu')],
            },
        ),
        migrations.AddField(
            model_name='entreprise',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AlterField(
            model_name='entreprise',
            name='adresse',
            field=models.CharField(blank=True, max_length=300, validators=[parcours.core.validators.TexteControle()], verbose_name='adresse'),
        ),
        migrations.AlterField(
            model_name='entreprise',
            name='commune',
            field=models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='commune'),
        ),
        migrations.AlterField(
            model_name='entreprise',
            name='raison_sociale',
            field=models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='raison sociale'),
        ),
        migrations.AlterField(
            model_name='entreprise',
            name='secteur',
            field=models.CharField(blank=True, help_text='Code NAF (ex. 43.21A) ou libellé libre.', max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name="secteur d'activité"),
        ),
        migrations.AlterField(
            model_name='entreprise',
            name='siret',
            field=models.CharField(help_text="14 chiffres : SIREN (9) et numéro d'établissement (5).", max_length=14, validators=[parcours.core.validators.TexteControle(), parcours.entreprises.siret.valider_siret], verbose_name='SIRET'),
        ),
    ]
