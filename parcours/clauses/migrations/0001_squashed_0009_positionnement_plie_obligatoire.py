"""Les migrations 0001 à 0009 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les index, contraintes et changements de champ qui suivaient chaque
création de modèle y sont repliés. Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.db.models.deletion
import django.utils.timezone
import django_fsm
import parcours.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('clauses', '0001_clauses'), ('clauses', '0002_embauche'), ('clauses', '0003_journal_heures'), ('clauses', '0004_positionnement_contrat'), ('clauses', '0005_textes_sans_caracteres_de_controle'), ('clauses', '0006_libelles_accentues'), ('clauses', '0007_besoin_modifie_le'), ('clauses', '0008_positionnement_plie'), ('clauses', '0009_positionnement_plie_obligatoire')]

    initial = True

    dependencies = [
        ('core', '0002_permission_animer_plie'),
        ('emploi', '0001_initial'),
        ('entreprises', '0001_entreprise'),
        ('participants', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CandidatExterne',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nom', models.CharField(max_length=150, verbose_name='nom')),
                ('prenom', models.CharField(max_length=150, verbose_name='prénom')),
                ('date_naissance', models.DateField(verbose_name='date de naissance')),
                ('sexe', models.CharField(choices=[('F', 'Femme'), ('H', 'Homme')], max_length=1, verbose_name='sexe')),
                ('commune_insee', models.CharField(blank=True, max_length=5, verbose_name='commune (code INSEE)')),
                ('commune_nom', models.CharField(blank=True, max_length=200, verbose_name='commune')),
                ('rsa', models.BooleanField(default=False, verbose_name='allocataire du RSA')),
                ('qpv', models.BooleanField(default=False, verbose_name="résident d'un quartier prioritaire (QPV)")),
                ('rqth', models.BooleanField(default=False, verbose_name='RQTH')),
                ('rqth_jusqu_au', models.DateField(blank=True, null=True, verbose_name="RQTH valable jusqu'au")),
                ('deld', models.BooleanField(default=False, verbose_name="demandeur d'emploi de longue durée (12 mois et plus)")),
                ('salarie_iae', models.BooleanField(default=False, help_text='Embauché par une SIAE (ACI, EI, AI, ETTI) avec un parcours IAE en cours.', verbose_name='salarié en insertion (parcours IAE en cours)')),
                ('niveau_qualification', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Niveau 1-2 : sans diplôme / maîtrise des savoirs de base'), (3, 'Niveau 3 : CAP, BEP'), (4, 'Niveau 4 : baccalauréat'), (5, 'Niveau 5 : bac + 2 (BTS, DUT)'), (6, 'Niveau 6 : bac + 3 (licence, BUT)'), (7, 'Niveau 7 : bac + 5 (master)'), (8, 'Niveau 8 : doctorat')], null=True, verbose_name='niveau de qualification')),
                ('recherche', models.CharField(db_index=True, editable=False, max_length=400)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='enregistré le')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='enregistré par')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='candidats_externes', to='core.plie')),
                ('structure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='candidats_externes', to='core.structure', verbose_name="structure qui l'a proposé")),
            ],
            options={
                'verbose_name': 'candidat externe',
                'verbose_name_plural': 'candidats externes',
                'ordering': ['nom', 'prenom', 'id'],
            },
        ),
        migrations.CreateModel(
            name='DonneurOrdre',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nom', models.CharField(max_length=200, verbose_name='nom')),
                ('type', models.CharField(choices=[('etat', 'État'), ('collectivite', 'Collectivité territoriale'), ('bailleur_social', 'Bailleur social'), ('epa', 'Établissement public administratif (EPA)'), ('entreprise_publique', 'SNCF, entreprise publique'), ('autre', 'Autre')], max_length=30, verbose_name='type')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='donneurs_ordre', to='core.plie')),
                ('structure', models.ForeignKey(blank=True, help_text="Les utilisateurs « donneur d'ordre » de cette structure lisent ses bilans.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='donneurs_ordre', to='core.structure', verbose_name="structure des comptes du donneur d'ordre")),
            ],
            options={
                'verbose_name': "donneur d'ordre",
                'verbose_name_plural': "donneurs d'ordre",
                'ordering': ['nom', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Marche',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('numero', models.CharField(help_text='Référence du marché, unique dans le PLIE (ex. 2025-BAT-014).', max_length=50, verbose_name='numéro')),
                ('intitule', models.CharField(max_length=300, verbose_name='intitulé')),
                ('modalite_clause', models.CharField(choices=[('condition_execution', "Condition d'exécution"), ('critere_attribution', "Critère d'attribution"), ('marche_reserve', 'Marché réservé (SIAE, EA, ESAT)'), ('marche_insertion', "Marché d'insertion")], max_length=30, verbose_name='modalité de la clause')),
                ('heures_prevues', models.DecimalField(decimal_places=2, max_digits=9, verbose_name="heures d'insertion prévues")),
                ('date_debut', models.DateField(verbose_name='début')),
                ('date_fin', models.DateField(blank=True, null=True, verbose_name='fin')),
                ('modalite_execution', models.CharField(blank=True, choices=[('embauche_directe', 'Embauche directe'), ('etti', 'Mise à disposition par une ETTI (SIAE)'), ('ai', 'Mise à disposition par une AI (SIAE)'), ('geiq', "Groupement d'employeurs (GEIQ)"), ('interim', 'Entreprise de travail temporaire (intérim)')], help_text="Choisie librement par l'attributaire.", max_length=30, verbose_name="modalité d'exécution")),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                ('attributaire', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='marches_attribues', to='entreprises.entreprise', verbose_name='entreprise attributaire')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='marches', to='core.plie')),
                ('sous_traitants', models.ManyToManyField(blank=True, related_name='marches_sous_traites', to='entreprises.entreprise', verbose_name='sous-traitants')),
            ],
            options={
                'verbose_name': 'marché',
                'ordering': ['numero', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Lot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('numero', models.CharField(max_length=20, verbose_name='numéro')),
                ('intitule', models.CharField(max_length=300, verbose_name='intitulé')),
                ('heures_prevues', models.DecimalField(decimal_places=2, max_digits=9, verbose_name="heures d'insertion prévues")),
                ('marche', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lots', to='clauses.marche')),
            ],
            options={
                'verbose_name': 'lot',
                'ordering': ['marche', 'numero', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HeuresRealisees',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('mois', models.DateField(help_text='Premier jour du mois.', verbose_name='mois')),
                ('heures', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='heures')),
                ('siret', models.CharField(max_length=14, verbose_name='SIRET du déclarant')),
                ('source', models.CharField(choices=[('saisie', "Saisie à l'écran"), ('import', 'Import de fichier')], max_length=10, verbose_name='source')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='enregistrées le')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('candidat_externe', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='heures', to='clauses.candidatexterne')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='enregistrées par')),
                ('entreprise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='heures_clauses', to='entreprises.entreprise', verbose_name='entreprise déclarante')),
                ('participant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='heures_clauses', to='participants.participant')),
                ('marche', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='heures', to='clauses.marche')),
            ],
            options={
                'verbose_name': 'heures réalisées',
                'verbose_name_plural': 'heures réalisées',
                'ordering': ['marche', 'mois', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Besoin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('poste', models.CharField(max_length=200, verbose_name='poste')),
                ('description', models.TextField(blank=True, verbose_name='description du poste')),
                ('nb_postes', models.PositiveSmallIntegerField(default=1, verbose_name='nombre de postes')),
                ('type_contrat', models.CharField(choices=[('cdi', 'CDI'), ('cdd', 'CDD'), ('interim', 'Intérim (contrat de travail temporaire)'), ('contrat_aide', 'Contrat aidé hors IAE (CUI-CIE, PEC)'), ('cddi_aci', "CDDI en atelier et chantier d'insertion (ACI)"), ('cddi_ei', "CDDI en entreprise d'insertion (EI)"), ('ai', 'Association intermédiaire (AI)'), ('etti', "Entreprise de travail temporaire d'insertion (ETTI)"), ('apprentissage', "Contrat d'apprentissage"), ('professionnalisation', 'Contrat de professionnalisation'), ('cesu', 'CESU (chèque emploi service universel)'), ('creation_entreprise', "Création d'entreprise"), ('formation_qualifiante', 'Formation qualifiante'), ('fonction_publique', 'Fonction publique')], max_length=30, verbose_name='type de contrat')),
                ('date_debut', models.DateField(verbose_name='début souhaité')),
                ('date_fin', models.DateField(blank=True, null=True, verbose_name='fin prévue')),
                ('statut', models.CharField(choices=[('ouvert', 'Ouvert'), ('pourvu', 'Pourvu'), ('clos', 'Clos sans suite')], default='ouvert', max_length=20, verbose_name='statut')),
                ('diffuse_le', models.DateTimeField(blank=True, null=True, verbose_name='diffusé le')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='enregistré le')),
                ('facilitateur', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='besoins_clauses', to=settings.AUTH_USER_MODEL, verbose_name='facilitateur')),
                ('lot', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='besoins', to='clauses.lot')),
                ('marche', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='besoins', to='clauses.marche')),
            ],
            options={
                'verbose_name': 'besoin',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Operation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nom', models.CharField(max_length=200, verbose_name='nom')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('date_debut', models.DateField(blank=True, null=True, verbose_name='début')),
                ('date_fin', models.DateField(blank=True, null=True, verbose_name='fin')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créée le')),
                ('donneur_ordre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='operations', to='clauses.donneurordre')),
            ],
            options={
                'verbose_name': 'opération',
                'ordering': ['nom', 'id'],
            },
        ),
        migrations.AddField(
            model_name='marche',
            name='operation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='marches', to='clauses.operation'),
        ),
        migrations.CreateModel(
            name='Positionnement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('statut', django_fsm.FSMField(choices=[('proposee', 'Candidature proposée'), ('eligibilite_verifiee', 'Éligibilité vérifiée'), ('non_eligible', 'Non éligible'), ('positionnee', "Positionnée auprès de l'entreprise"), ('retenue', "Retenue par l'entreprise"), ('non_retenue', 'Non retenue'), ('embauchee', 'Embauchée')], default='proposee', max_length=30, protected=True, verbose_name='statut')),
                ('role_proposant', models.CharField(choices=[('referent', 'Référent de parcours'), ('prescripteur', 'Prescripteur'), ('facilitateur', 'Facilitateur clauses sociales')], max_length=20, verbose_name='au titre de')),
                ('commentaire', models.TextField(blank=True, verbose_name='commentaire du proposant')),
                ('eligibilite', models.JSONField(blank=True, null=True, verbose_name="évaluation de l'éligibilité")),
                ('eligibilite_evaluee_le', models.DateTimeField(blank=True, null=True)),
                ('motif_non_retenue', models.TextField(blank=True, verbose_name='motif (non retenue)')),
                ('date_embauche', models.DateField(blank=True, null=True, verbose_name="date d'embauche")),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='proposée le')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('besoin', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='positionnements', to='clauses.besoin')),
                ('candidat_externe', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='positionnements', to='clauses.candidatexterne')),
                ('participant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='positionnements_clauses', to='participants.participant')),
                ('propose_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposée par')),
                ('structure_proposante', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.structure', verbose_name='structure qui propose')),
            ],
            options={
                'verbose_name': 'positionnement',
                'ordering': ['created_at', 'id'],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name='TransitionPositionnement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transition', models.CharField(max_length=50, validators=[parcours.core.validators.TexteControle()], verbose_name='transition')),
                ('source', models.CharField(choices=[('proposee', 'Candidature proposée'), ('eligibilite_verifiee', 'Éligibilité vérifiée'), ('non_eligible', 'Non éligible'), ('positionnee', "Positionnée auprès de l'entreprise"), ('retenue', "Retenue par l'entreprise"), ('non_retenue', 'Non retenue'), ('embauchee', 'Embauchée')], max_length=30, verbose_name='de')),
                ('target', models.CharField(choices=[('proposee', 'Candidature proposée'), ('eligibilite_verifiee', 'Éligibilité vérifiée'), ('non_eligible', 'Non éligible'), ('positionnee', "Positionnée auprès de l'entreprise"), ('retenue', "Retenue par l'entreprise"), ('non_retenue', 'Non retenue'), ('embauchee', 'Embauchée')], max_length=30, verbose_name='vers')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('motif', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('positionnement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='clauses.positionnement')),
            ],
            options={
                'verbose_name': 'transition de candidature',
                'verbose_name_plural': 'transitions de candidature',
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['positionnement', 'at'], name='clauses_tra_positio_9563b2_idx')],
            },
        ),
        migrations.AddConstraint(
            model_name='candidatexterne',
            constraint=models.CheckConstraint(condition=models.Q(('rqth', True), ('rqth_jusqu_au__isnull', True), _connector='OR'), name='candidat_externe_rqth_coherente', violation_error_message='Une date de validité RQTH suppose une RQTH.'),
        ),
        migrations.AddConstraint(
            model_name='donneurordre',
            constraint=models.UniqueConstraint(fields=('plie', 'nom'), name='donneur_ordre_nom_unique_par_plie', violation_error_message="Un donneur d'ordre de ce PLIE porte déjà ce nom."),
        ),
        migrations.AddConstraint(
            model_name='lot',
            constraint=models.UniqueConstraint(fields=('marche', 'numero'), name='lot_numero_unique_par_marche', violation_error_message='Ce marché a déjà un lot de ce numéro.'),
        ),
        migrations.AddConstraint(
            model_name='lot',
            constraint=models.CheckConstraint(condition=models.Q(('heures_prevues__gte', 0)), name='lot_heures_prevues_positives'),
        ),
        migrations.AddIndex(
            model_name='heuresrealisees',
            index=models.Index(fields=['marche', 'mois'], name='clauses_heu_marche__b9758d_idx'),
        ),
        migrations.AddIndex(
            model_name='heuresrealisees',
            index=models.Index(fields=['participant'], name='clauses_heu_partici_92a2e8_idx'),
        ),
        migrations.AddIndex(
            model_name='heuresrealisees',
            index=models.Index(fields=['candidat_externe'], name='clauses_heu_candida_88c222_idx'),
        ),
        migrations.AddConstraint(
            model_name='heuresrealisees',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('participant__isnull', False), ('candidat_externe__isnull', True)), models.Q(('participant__isnull', True), ('candidat_externe__isnull', False)), _connector='OR'), name='heures_participant_xor_externe', violation_error_message='Indiquez soit un participant du PLIE, soit un candidat externe (un seul des deux).'),
        ),
        migrations.AddConstraint(
            model_name='heuresrealisees',
            constraint=models.UniqueConstraint(condition=models.Q(('participant__isnull', False)), fields=('marche', 'participant', 'mois'), name='heures_participant_une_ligne_par_mois', violation_error_message='Des heures sont déjà saisies pour ce mois.'),
        ),
        migrations.AddConstraint(
            model_name='heuresrealisees',
            constraint=models.UniqueConstraint(condition=models.Q(('candidat_externe__isnull', False)), fields=('marche', 'candidat_externe', 'mois'), name='heures_externe_une_ligne_par_mois', violation_error_message='Des heures sont déjà saisies pour ce mois.'),
        ),
        migrations.AddConstraint(
            model_name='heuresrealisees',
            constraint=models.CheckConstraint(condition=models.Q(('mois__day', 1)), name='heures_mois_premier_jour', violation_error_message='Le mois est enregistré au premier jour du mois.'),
        ),
        migrations.AddConstraint(
            model_name='heuresrealisees',
            constraint=models.CheckConstraint(condition=models.Q(('heures__gte', 0)), name='heures_positives', violation_error_message='Les heures ne peuvent pas être négatives.'),
        ),
        migrations.AddConstraint(
            model_name='heuresrealisees',
            constraint=models.CheckConstraint(condition=models.Q(('siret__regex', '^[0-9]{14}$')), name='heures_siret_14_chiffres'),
        ),
        migrations.AddIndex(
            model_name='besoin',
            index=models.Index(fields=['marche', 'statut'], name='clauses_bes_marche__b7e8ce_idx'),
        ),
        migrations.AddConstraint(
            model_name='besoin',
            constraint=models.CheckConstraint(condition=models.Q(('date_fin__isnull', True), ('date_debut__isnull', True), ('date_fin__gte', models.F('date_debut')), _connector='OR'), name='besoin_fin_apres_debut', violation_error_message='La date de fin doit être postérieure ou égale à la date de début.'),
        ),
        migrations.AddConstraint(
            model_name='besoin',
            constraint=models.CheckConstraint(condition=models.Q(('nb_postes__gte', 1)), name='besoin_au_moins_un_poste', violation_error_message='Un besoin porte au moins un poste.'),
        ),
        migrations.AddConstraint(
            model_name='operation',
            constraint=models.CheckConstraint(condition=models.Q(('date_fin__isnull', True), ('date_debut__isnull', True), ('date_fin__gte', models.F('date_debut')), _connector='OR'), name='operation_fin_apres_debut', violation_error_message='La date de fin doit être postérieure ou égale à la date de début.'),
        ),
        migrations.AddConstraint(
            model_name='operation',
            constraint=models.UniqueConstraint(fields=('donneur_ordre', 'nom'), name='operation_nom_unique_par_donneur_ordre', violation_error_message="Ce donneur d'ordre a déjà une opération de ce nom."),
        ),
        migrations.AddIndex(
            model_name='marche',
            index=models.Index(fields=['plie', 'date_debut'], name='clauses_mar_plie_id_84aaf0_idx'),
        ),
        migrations.AddConstraint(
            model_name='marche',
            constraint=models.CheckConstraint(condition=models.Q(('date_fin__isnull', True), ('date_debut__isnull', True), ('date_fin__gte', models.F('date_debut')), _connector='OR'), name='marche_fin_apres_debut', violation_error_message='La date de fin doit être postérieure ou égale à la date de début.'),
        ),
        migrations.AddConstraint(
            model_name='marche',
            constraint=models.UniqueConstraint(fields=('plie', 'numero'), name='marche_numero_unique_par_plie', violation_error_message='Un marché de ce PLIE porte déjà ce numéro.'),
        ),
        migrations.AddConstraint(
            model_name='marche',
            constraint=models.CheckConstraint(condition=models.Q(('heures_prevues__gte', 0)), name='marche_heures_prevues_positives', violation_error_message='Les heures prévues ne peuvent pas être négatives.'),
        ),
        migrations.AddIndex(
            model_name='positionnement',
            index=models.Index(fields=['besoin', 'statut'], name='clauses_pos_besoin__02d0fb_idx'),
        ),
        migrations.AddIndex(
            model_name='positionnement',
            index=models.Index(fields=['participant', 'statut'], name='clauses_pos_partici_5a0e85_idx'),
        ),
        migrations.AddConstraint(
            model_name='positionnement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('participant__isnull', False), ('candidat_externe__isnull', True)), models.Q(('participant__isnull', True), ('candidat_externe__isnull', False)), _connector='OR'), name='positionnement_participant_xor_externe', violation_error_message='Indiquez soit un participant du PLIE, soit un candidat externe (un seul des deux).'),
        ),
        migrations.AddConstraint(
            model_name='positionnement',
            constraint=models.UniqueConstraint(condition=models.Q(('participant__isnull', False), models.Q(('statut__in', ['non_eligible', 'non_retenue', 'embauchee']), _negated=True)), fields=('besoin', 'participant'), name='positionnement_participant_en_cours_unique', violation_error_message='Cette personne est déjà candidate sur ce besoin.'),
        ),
        migrations.AddConstraint(
            model_name='positionnement',
            constraint=models.UniqueConstraint(condition=models.Q(('candidat_externe__isnull', False), models.Q(('statut__in', ['non_eligible', 'non_retenue', 'embauchee']), _negated=True)), fields=('besoin', 'candidat_externe'), name='positionnement_externe_en_cours_unique', violation_error_message='Cette personne est déjà candidate sur ce besoin.'),
        ),
        migrations.AddConstraint(
            model_name='positionnement',
            constraint=models.CheckConstraint(condition=models.Q(('statut__in', ['proposee', 'eligibilite_verifiee', 'non_eligible', 'positionnee', 'retenue', 'non_retenue', 'embauchee'])), name='positionnement_statut_connu'),
        ),
        migrations.AddConstraint(
            model_name='positionnement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('statut', 'non_retenue'), _negated=True), models.Q(('motif_non_retenue', ''), _negated=True), _connector='OR'), name='positionnement_non_retenue_motivee'),
        ),
        migrations.AddField(
            model_name='positionnement',
            name='date_fin_contrat',
            field=models.DateField(blank=True, null=True, verbose_name='fin du contrat'),
        ),
        migrations.AddField(
            model_name='positionnement',
            name='employeur',
            field=models.CharField(blank=True, help_text="L'attributaire, ou la SIAE, le GEIQ, l'agence d'intérim qui embauche.", max_length=200, verbose_name='employeur'),
        ),
        migrations.AddField(
            model_name='positionnement',
            name='heures_hebdo',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='heures par semaine'),
        ),
        migrations.AddField(
            model_name='positionnement',
            name='inscrite_au_parcours_le',
            field=models.DateTimeField(blank=True, null=True, verbose_name='embauche inscrite au parcours le'),
        ),
        migrations.AddField(
            model_name='positionnement',
            name='inscrite_au_parcours_par',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='embauche inscrite au parcours par'),
        ),
        migrations.AddField(
            model_name='positionnement',
            name='type_contrat',
            field=models.CharField(blank=True, choices=[('cdi', 'CDI'), ('cdd', 'CDD'), ('interim', 'Intérim (contrat de travail temporaire)'), ('contrat_aide', 'Contrat aidé hors IAE (CUI-CIE, PEC)'), ('cddi_aci', "CDDI en atelier et chantier d'insertion (ACI)"), ('cddi_ei', "CDDI en entreprise d'insertion (EI)"), ('ai', 'Association intermédiaire (AI)'), ('etti', "Entreprise de travail temporaire d'insertion (ETTI)"), ('apprentissage', "Contrat d'apprentissage"), ('professionnalisation', 'Contrat de professionnalisation'), ('cesu', 'CESU (chèque emploi service universel)'), ('creation_entreprise', "Création d'entreprise"), ('formation_qualifiante', 'Formation qualifiante'), ('fonction_publique', 'Fonction publique')], max_length=30, verbose_name='type de contrat'),
        ),
        migrations.AddConstraint(
            model_name='positionnement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('statut', 'embauchee'), _negated=True), models.Q(('date_embauche__isnull', False), models.Q(('type_contrat', ''), _negated=True), models.Q(('employeur', ''), _negated=True)), _connector='OR'), name='positionnement_embauche_renseignee'),
        ),
        migrations.AddConstraint(
            model_name='positionnement',
            constraint=models.CheckConstraint(condition=models.Q(('date_fin_contrat__isnull', True), ('date_fin_contrat__gte', models.F('date_embauche')), _connector='OR'), name='positionnement_fin_contrat_apres_embauche'),
        ),
        migrations.AlterField(
            model_name='besoin',
            name='description',
            field=models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='description du poste'),
        ),
        migrations.AlterField(
            model_name='besoin',
            name='poste',
            field=models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='poste'),
        ),
        migrations.AlterField(
            model_name='candidatexterne',
            name='commune_insee',
            field=models.CharField(blank=True, max_length=5, validators=[parcours.core.validators.TexteControle()], verbose_name='commune (code INSEE)'),
        ),
        migrations.AlterField(
            model_name='candidatexterne',
            name='commune_nom',
            field=models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='commune'),
        ),
        migrations.AlterField(
            model_name='candidatexterne',
            name='nom',
            field=models.CharField(max_length=150, validators=[parcours.core.validators.TexteControle()], verbose_name='nom'),
        ),
        migrations.AlterField(
            model_name='candidatexterne',
            name='prenom',
            field=models.CharField(max_length=150, validators=[parcours.core.validators.TexteControle()], verbose_name='prénom'),
        ),
        migrations.AlterField(
            model_name='donneurordre',
            name='nom',
            field=models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='nom'),
        ),
        migrations.AlterField(
            model_name='heuresrealisees',
            name='siret',
            field=models.CharField(max_length=14, validators=[parcours.core.validators.TexteControle()], verbose_name='SIRET du déclarant'),
        ),
        migrations.CreateModel(
            name='JournalHeures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ancien', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='heures avant')),
                ('nouveau', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='heures après')),
                ('ancien_siret', models.CharField(blank=True, max_length=14, validators=[parcours.core.validators.TexteControle()], verbose_name='SIRET avant')),
                ('nouveau_siret', models.CharField(max_length=14, validators=[parcours.core.validators.TexteControle()], verbose_name='SIRET après')),
                ('source', models.CharField(choices=[('saisie', "Saisie à l'écran"), ('import', 'Import de fichier')], max_length=10, verbose_name='source')),
                ('fichier', models.CharField(blank=True, max_length=255, validators=[parcours.core.validators.TexteControle()], verbose_name='fichier importé')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('ligne', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='journal', to='clauses.heuresrealisees', verbose_name='heures')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='enregistrées par')),
            ],
            options={
                'verbose_name': "modification d'heures",
                'verbose_name_plural': 'journal des heures',
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['ligne', 'at'], name='clauses_jou_ligne_i_c4fa17_idx')],
            },
        ),
        migrations.AlterField(
            model_name='lot',
            name='intitule',
            field=models.CharField(max_length=300, validators=[parcours.core.validators.TexteControle()], verbose_name='intitulé'),
        ),
        migrations.AlterField(
            model_name='lot',
            name='numero',
            field=models.CharField(max_length=20, validators=[parcours.core.validators.TexteControle()], verbose_name='numéro'),
        ),
        migrations.AlterField(
            model_name='marche',
            name='intitule',
            field=models.CharField(max_length=300, validators=[parcours.core.validators.TexteControle()], verbose_name='intitulé'),
        ),
        migrations.AlterField(
            model_name='marche',
            name='numero',
            field=models.CharField(help_text='Référence du marché, unique dans le PLIE (ex. 2025-BAT-014).', max_length=50, validators=[parcours.core.validators.TexteControle()], verbose_name='numéro'),
        ),
        migrations.AlterField(
            model_name='operation',
            name='description',
            field=models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='operation',
            name='nom',
            field=models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='nom'),
        ),
        migrations.AlterField(
            model_name='positionnement',
            name='commentaire',
            field=models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='commentaire du proposant'),
        ),
        migrations.AlterField(
            model_name='positionnement',
            name='employeur',
            field=models.CharField(blank=True, help_text="L'attributaire, ou la SIAE, le GEIQ, l'agence d'intérim qui embauche.", max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='employeur'),
        ),
        migrations.AlterField(
            model_name='positionnement',
            name='motif_non_retenue',
            field=models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif (non retenue)'),
        ),
        migrations.AlterField(
            model_name='besoin',
            name='marche',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='besoins', to='clauses.marche', verbose_name='marché'),
        ),
        migrations.AlterField(
            model_name='heuresrealisees',
            name='marche',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='heures', to='clauses.marche', verbose_name='marché'),
        ),
        migrations.AlterField(
            model_name='lot',
            name='marche',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lots', to='clauses.marche', verbose_name='marché'),
        ),
        migrations.AlterField(
            model_name='marche',
            name='operation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='marches', to='clauses.operation', verbose_name='opération'),
        ),
        migrations.AddField(
            model_name='besoin',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, db_index=True, verbose_name='modifié le'),
        ),
        migrations.AddField(
            model_name='positionnement',
            name='contrat',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='positionnements', to='emploi.contrat', verbose_name='contrat inscrit au parcours'),
        ),
        migrations.AddField(
            model_name='positionnement',
            name='plie',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.plie'),
        ),
    ]
