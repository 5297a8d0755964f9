"""Les migrations 0001 à 0004 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.contrib.postgres.constraints
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
import parcours.core.documents
import parcours.core.validators
import parcours.emploi.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('emploi', '0001_initial'), ('emploi', '0002_documents_noms_aleatoires'), ('emploi', '0003_textes_sans_caracteres_de_controle'), ('emploi', '0004_index_modifications')]

    initial = True

    dependencies = [
        ('accompagnement', '0004_engagement'),
        ('accompagnement', '0010_index_modifications'),
        ('commissions', '0001_initial'),
        ('entreprises', '0001_entreprise'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Contrat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type', models.CharField(choices=[('cdi', 'CDI'), ('cdd', 'CDD'), ('interim', 'Intérim (contrat de travail temporaire)'), ('contrat_aide', 'Contrat aidé hors IAE (CUI-CIE, PEC)'), ('cddi_aci', "CDDI en atelier et chantier d'insertion (ACI)"), ('cddi_ei', "CDDI en entreprise d'insertion (EI)"), ('ai', 'Association intermédiaire (AI)'), ('etti', "Entreprise de travail temporaire d'insertion (ETTI)"), ('apprentissage', "Contrat d'apprentissage"), ('professionnalisation', 'Contrat de professionnalisation'), ('cesu', 'CESU (chèque emploi service universel)'), ('creation_entreprise', "Création d'entreprise"), ('formation_qualifiante', 'Formation qualifiante'), ('fonction_publique', 'Fonction publique')], max_length=30, verbose_name='type de contrat')),
                ('employeur', models.CharField(help_text="Pour l'intérim : l'agence (ou l'ETTI) ; l'entreprise utilisatrice en client.", max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='employeur')),
                ('client', models.CharField(blank=True, help_text="Intérim, ETTI, AI : l'entreprise où la mission se déroule.", max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='entreprise utilisatrice')),
                ('debut', models.DateField(verbose_name='début')),
                ('fin', models.DateField(blank=True, help_text='Vide : contrat en cours.', null=True, verbose_name='fin')),
                ('heures_hebdo', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='heures par semaine')),
                ('heures', models.DecimalField(blank=True, decimal_places=2, help_text="Missions d'intérim : les heures réellement travaillées.", max_digits=7, null=True, verbose_name='heures réalisées')),
                ('periode_essai_jours', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="période d'essai (jours)")),
                ('fin_periode_essai', models.DateField(blank=True, null=True, verbose_name="fin de la période d'essai")),
                ('temps_partiel_choisi', models.BooleanField(default=False, help_text="Le participant accepte un temps partiel (règles « moins d'un mi-temps si accord »).", verbose_name='temps partiel choisi par le participant')),
                ('justificatif', parcours.core.documents.ChampDocument(blank=True, type_document='justificatif-contrat', upload_to=parcours.core.documents.NomAleatoire('justificatif-contrat'), verbose_name='justificatif')),
                ('motif_fin', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif de fin')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='saisi par')),
                ('entreprise', models.ForeignKey(blank=True, help_text="L'entreprise du réseau, quand l'embauche vient d'une mise en relation.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contrats', to='entreprises.entreprise')),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contrats', to='accompagnement.parcours')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='modifié par')),
            ],
            options={
                'verbose_name': 'contrat',
                'verbose_name_plural': 'contrats',
                'ordering': ['-debut', '-id'],
                'indexes': [models.Index(fields=['parcours', 'debut'], name='contrat_parcours_debut')],
                'constraints': [models.CheckConstraint(condition=models.Q(('type__in', ['cdi', 'cdd', 'interim', 'contrat_aide', 'cddi_aci', 'cddi_ei', 'ai', 'etti', 'apprentissage', 'professionnalisation', 'cesu', 'creation_entreprise', 'formation_qualifiante', 'fonction_publique'])), name='contrat_type_connu'), models.CheckConstraint(condition=models.Q(('fin__isnull', True), ('fin__gte', models.F('debut')), _connector='OR'), name='contrat_fin_apres_debut'), models.CheckConstraint(condition=models.Q(('heures_hebdo__isnull', True), models.Q(('heures_hebdo__gt', 0), ('heures_hebdo__lte', 48)), _connector='OR'), name='contrat_heures_hebdo_plausibles'), models.CheckConstraint(condition=models.Q(('heures__isnull', True), ('heures__gte', 0), _connector='OR'), name='contrat_heures_positives'), models.CheckConstraint(condition=models.Q(('fin_periode_essai__isnull', True), ('fin_periode_essai__gte', models.F('debut')), _connector='OR'), name='contrat_essai_apres_debut'), django.contrib.postgres.constraints.ExclusionConstraint(expressions=[(parcours.emploi.models.Singleton(models.F('parcours')), '&&'), (parcours.emploi.models.Singleton(parcours.emploi.models.HashText(django.db.models.functions.text.Lower('employeur'))), '&&'), (parcours.emploi.models.DateRange('debut', 'fin', models.Value('[]')), '&&')], name='contrat_sans_chevauchement_meme_employeur')],
            },
        ),
        migrations.CreateModel(
            name='PropositionSortie',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type_sortie', models.CharField(choices=[('emploi_durable', 'Emploi durable'), ('formation_qualifiante', 'Formation qualifiante'), ('creation_entreprise', "Création d'entreprise"), ('demenagement', 'Déménagement'), ('deces', 'Décès'), ('incarceration', 'Incarcération de plus de 3 mois'), ('maternite', 'Maternité sans projet de reprise'), ('sante', 'Raisons de santé'), ('reorientation', 'Réorientation vers un autre dispositif'), ('abandon', 'Abandon'), ('non_respect_contrat', "Non-respect du contrat d'engagement")], max_length=30, verbose_name='type de sortie')),
                ('date_sortie', models.DateField(verbose_name='date de sortie')),
                ('commentaire', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name="éléments à l'appui")),
                ('relais', models.TextField(blank=True, help_text='Obligatoire pour une sortie « autre » : vers qui la personne est orientée.', validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='accompagnement relais recherché')),
                ('justificatif', parcours.core.documents.ChampDocument(blank=True, type_document='justificatif-sortie', upload_to=parcours.core.documents.NomAleatoire('justificatif-sortie'), verbose_name='justificatif')),
                ('qualification', models.JSONField(blank=True, null=True, verbose_name='qualification calculée à la proposition')),
                ('statut', models.CharField(choices=[('en_attente', 'En attente de la commission'), ('validee', 'Validée'), ('refusee', 'Refusée')], default='en_attente', max_length=15, verbose_name='statut')),
                ('proposee_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='proposée le')),
                ('decidee_le', models.DateTimeField(blank=True, null=True, verbose_name='décidée le')),
                ('motif_refus', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif du refus')),
                ('decision', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='proposition_sortie', to='commissions.decision')),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='propositions_sortie', to='accompagnement.parcours')),
                ('proposee_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposée par')),
            ],
            options={
                'verbose_name': 'proposition de sortie',
                'verbose_name_plural': 'propositions de sortie',
                'ordering': ['-proposee_le', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('statut', 'en_attente')), fields=('parcours',), name='une_proposition_de_sortie_en_attente'), models.CheckConstraint(condition=models.Q(('type_sortie__in', ['emploi_durable', 'formation_qualifiante', 'creation_entreprise', 'demenagement', 'deces', 'incarceration', 'maternite', 'sante', 'reorientation', 'abandon', 'non_respect_contrat'])), name='proposition_type_connu'), models.CheckConstraint(condition=models.Q(models.Q(('type_sortie__in', ('demenagement', 'deces', 'incarceration', 'maternite', 'sante', 'reorientation')), _negated=True), models.Q(('relais', ''), _negated=True), _connector='OR'), name='proposition_autre_avec_relais'), models.CheckConstraint(condition=models.Q(models.Q(('statut', 'refusee'), _negated=True), models.Q(('motif_refus', ''), _negated=True), _connector='OR'), name='proposition_refus_motive')],
            },
        ),
        migrations.CreateModel(
            name='DonneesSortieFSE',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('situation', models.CharField(choices=[('emploi', "En emploi (y compris création d'entreprise)"), ('formation', 'En formation'), ('qualification', 'Qualification obtenue'), ('recherche', "En recherche d'emploi"), ('autre', 'Autre situation (inactivité, déménagement…)')], max_length=15, verbose_name='situation à la sortie')),
                ('type_contrat', models.CharField(blank=True, choices=[('cdi', 'CDI'), ('cdd', 'CDD'), ('interim', 'Intérim (contrat de travail temporaire)'), ('contrat_aide', 'Contrat aidé hors IAE (CUI-CIE, PEC)'), ('cddi_aci', "CDDI en atelier et chantier d'insertion (ACI)"), ('cddi_ei', "CDDI en entreprise d'insertion (EI)"), ('ai', 'Association intermédiaire (AI)'), ('etti', "Entreprise de travail temporaire d'insertion (ETTI)"), ('apprentissage', "Contrat d'apprentissage"), ('professionnalisation', 'Contrat de professionnalisation'), ('cesu', 'CESU (chèque emploi service universel)'), ('creation_entreprise', "Création d'entreprise"), ('formation_qualifiante', 'Formation qualifiante'), ('fonction_publique', 'Fonction publique')], max_length=30, verbose_name='type de contrat')),
                ('employeur', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='employeur')),
                ('temps_plein', models.BooleanField(blank=True, null=True, verbose_name='à temps plein')),
                ('intitule_formation', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='formation suivie')),
                ('qualification_obtenue', models.BooleanField(default=False, verbose_name='qualification obtenue (diplôme, titre, certificat)')),
                ('intitule_qualification', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='qualification')),
                ('precision', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='précisions')),
                ('saisie_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='saisie le')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('parcours', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='donnees_sortie_fse', to='accompagnement.parcours')),
                ('saisie_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='saisie par')),
            ],
            options={
                'verbose_name': 'données FSE+ de sortie',
                'verbose_name_plural': 'données FSE+ de sortie',
                'constraints': [models.CheckConstraint(condition=models.Q(('situation__in', ['emploi', 'formation', 'qualification', 'recherche', 'autre'])), name='sortie_fse_situation_connue'), models.CheckConstraint(condition=models.Q(models.Q(('situation', 'emploi'), _negated=True), models.Q(('type_contrat', ''), _negated=True), _connector='OR'), name='sortie_fse_emploi_avec_contrat'), models.CheckConstraint(condition=models.Q(models.Q(('situation', 'formation'), _negated=True), models.Q(('intitule_formation', ''), _negated=True), _connector='OR'), name='sortie_fse_formation_nommee'), models.CheckConstraint(condition=models.Q(models.Q(models.Q(('situation', 'qualification'), _negated=True), ('qualification_obtenue', False)), models.Q(('intitule_qualification', ''), _negated=True), _connector='OR'), name='sortie_fse_qualification_nommee'), models.CheckConstraint(condition=models.Q(models.Q(('situation', 'autre'), _negated=True), models.Q(('precision', ''), _negated=True), _connector='OR'), name='sortie_fse_autre_precisee')],
                'indexes': [models.Index(fields=['updated_at'], name='sortie_fse_modifiee_le')],
            },
        ),
    ]
