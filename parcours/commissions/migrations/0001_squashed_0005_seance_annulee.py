"""Les migrations 0001 à 0005 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les index, contraintes et changements de champ qui suivaient chaque
création de modèle y sont repliés. Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.db.models.deletion
import django.utils.timezone
import django_fsm
import parcours.commissions.models
import parcours.core.documents
import parcours.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('commissions', '0001_initial'), ('commissions', '0002_documents_noms_aleatoires'), ('commissions', '0003_textes_sans_caracteres_de_controle'), ('commissions', '0004_seance_en_machine_a_etats'), ('commissions', '0005_seance_annulee')]

    initial = True

    dependencies = [
        ('accompagnement', '0003_prescription'),
        ('core', '0002_permission_animer_plie'),
        ('core', '0006_passes_periodiques'),
        ('core', '0007_cles_api'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SessionCommission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type', models.CharField(choices=[('entree', "Commission d'entrée"), ('sortie', 'Commission de sortie'), ('mixte', "Commission d'entrée et de sortie")], max_length=10, verbose_name='type')),
                ('date', models.DateTimeField(verbose_name='date et heure')),
                ('lieu', models.CharField(blank=True, max_length=200, verbose_name='lieu')),
                ('statut', models.CharField(choices=[('planifiee', 'Planifiée'), ('ordre_du_jour_envoye', 'Ordre du jour envoyé'), ('tenue', 'Tenue (décisions en cours)'), ('cloturee', 'Clôturée')], default='planifiee', max_length=25, verbose_name='statut')),
                ('ordre_du_jour_envoye_le', models.DateTimeField(blank=True, null=True, verbose_name='ordre du jour envoyé le')),
                ('cloturee_le', models.DateTimeField(blank=True, null=True, verbose_name='clôturée le')),
                ('proces_verbal', models.FileField(blank=True, upload_to=parcours.commissions.models.chemin_proces_verbal, verbose_name='procès-verbal')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('cloturee_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('membres', models.ManyToManyField(blank=True, related_name='sessions_commission', to=settings.AUTH_USER_MODEL)),
                ('planifiee_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='core.plie')),
                ('presents', models.ManyToManyField(blank=True, help_text='Relevé à la clôture ; le procès-verbal les nomme.', related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='membres présents')),
                ('president', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sessions_presidees', to=settings.AUTH_USER_MODEL, verbose_name='président·e')),
                ('territoire', models.ForeignKey(blank=True, help_text='Vide quand la commission du PLIE couvre tout son territoire.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='core.territoire')),
            ],
            options={
                'verbose_name': 'session de commission',
                'verbose_name_plural': 'sessions de commission',
                'ordering': ['date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='InscriptionSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('objet', models.CharField(choices=[('entree', 'Entrée'), ('sortie', 'Sortie')], max_length=10, verbose_name='examen')),
                ('ordre', models.PositiveIntegerField(verbose_name='ordre de passage')),
                ('inscrite_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='inscrite le')),
                ('annoncee_le', models.DateTimeField(blank=True, help_text="Envoi de l'ordre du jour : le prescripteur est informé une fois par dossier.", null=True, verbose_name='prescripteur informé le')),
                ('inscrite_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inscriptions_commission', to='accompagnement.parcours')),
                ('reportee_de', models.ForeignKey(blank=True, help_text="L'inscription de la session où le dossier a été ajourné.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='commissions.inscriptionsession', verbose_name='reportée de')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='inscriptions', to='commissions.sessioncommission')),
            ],
            options={
                'verbose_name': "inscription à l'ordre du jour",
                'verbose_name_plural': "inscriptions à l'ordre du jour",
                'ordering': ['session', 'ordre', 'id'],
                'constraints': [models.UniqueConstraint(fields=('session', 'parcours'), name='inscription_une_fois_par_session'), models.CheckConstraint(condition=models.Q(('objet__in', ['entree', 'sortie'])), name='inscription_objet_connu')],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type', models.CharField(choices=[('admis', 'Admis'), ('ajourne', 'Ajourné'), ('refuse', 'Refusé'), ('sortie_validee', 'Sortie validée'), ('sortie_refusee', 'Sortie refusée')], max_length=20, verbose_name='décision')),
                ('motif', models.TextField(blank=True, verbose_name='motif')),
                ('le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions_commission', to='accompagnement.parcours')),
                ('referent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='référent désigné')),
                ('structure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.structure', verbose_name='structure du référent')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='commissions.sessioncommission')),
            ],
            options={
                'verbose_name': 'décision de commission',
                'verbose_name_plural': 'décisions de commission',
                'ordering': ['session', 'le', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='sessioncommission',
            index=models.Index(fields=['plie', 'date'], name='session_plie_date'),
        ),
        migrations.AddIndex(
            model_name='sessioncommission',
            index=models.Index(fields=['plie', 'statut', 'date'], name='session_plie_statut_date'),
        ),
        migrations.AddConstraint(
            model_name='sessioncommission',
            constraint=models.CheckConstraint(condition=models.Q(('type__in', ['entree', 'sortie', 'mixte'])), name='session_type_connu'),
        ),
        migrations.AddConstraint(
            model_name='sessioncommission',
            constraint=models.CheckConstraint(condition=models.Q(('statut__in', ['planifiee', 'ordre_du_jour_envoye', 'tenue', 'cloturee'])), name='session_statut_connu'),
        ),
        migrations.AddConstraint(
            model_name='sessioncommission',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('statut', 'cloturee'), _negated=True), models.Q(('cloturee_le__isnull', False), models.Q(('proces_verbal', ''), _negated=True)), _connector='OR'), name='session_cloturee_a_son_proces_verbal'),
        ),
        migrations.AddConstraint(
            model_name='sessioncommission',
            constraint=models.UniqueConstraint(fields=('plie', 'territoire', 'type', 'date'), name='session_une_par_creneau', nulls_distinct=False),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.UniqueConstraint(fields=('session', 'parcours'), name='decision_une_par_dossier_et_session'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.CheckConstraint(condition=models.Q(('type__in', ['admis', 'ajourne', 'refuse', 'sortie_validee', 'sortie_refusee'])), name='decision_type_connu'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('type__in', ('ajourne', 'refuse', 'sortie_refusee')), _negated=True), models.Q(('motif', ''), _negated=True), _connector='OR'), name='decision_motivee'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('referent__isnull', False), ('structure__isnull', False), ('type', 'admis')), models.Q(models.Q(('type', 'admis'), _negated=True), ('referent__isnull', True), ('structure__isnull', True)), _connector='OR'), name='decision_referent_si_admis'),
        ),
        migrations.RunSQL(
            sql='ALTER TABLE commissions_decision ADD CONSTRAINT decision_sur_l_ordre_du_jour FOREIGN KEY (session_id, parcours_id) REFERENCES commissions_inscriptionsession (session_id, parcours_id)',
            reverse_sql='ALTER TABLE commissions_decision DROP CONSTRAINT decision_sur_l_ordre_du_jour',
        ),
        migrations.AlterField(
            model_name='sessioncommission',
            name='proces_verbal',
            field=parcours.core.documents.ChampDocument(blank=True, type_document='proces-verbal', upload_to=parcours.core.documents.NomAleatoire('proces-verbal'), verbose_name='procès-verbal'),
        ),
        migrations.AlterField(
            model_name='decision',
            name='motif',
            field=models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif'),
        ),
        migrations.AlterField(
            model_name='sessioncommission',
            name='lieu',
            field=models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='lieu'),
        ),
        migrations.CreateModel(
            name='TransitionSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transition', models.CharField(max_length=50, validators=[parcours.core.validators.TexteControle()], verbose_name='transition')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('motif', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif')),
                ('source', models.CharField(choices=[('planifiee', 'Planifiée'), ('ordre_du_jour_envoye', 'Ordre du jour envoyé'), ('en_cours', 'En cours (décisions)'), ('tenue', 'Tenue (à clôturer)'), ('cloturee', 'Clôturée')], max_length=25, verbose_name='de')),
                ('target', models.CharField(choices=[('planifiee', 'Planifiée'), ('ordre_du_jour_envoye', 'Ordre du jour envoyé'), ('en_cours', 'En cours (décisions)'), ('tenue', 'Tenue (à clôturer)'), ('cloturee', 'Clôturée')], max_length=25, verbose_name='vers')),
            ],
            options={
                'verbose_name': 'transition de séance',
                'verbose_name_plural': 'transitions de séance',
                'ordering': ['at', 'id'],
                'abstract': False,
            },
        ),
        migrations.RemoveConstraint(
            model_name='sessioncommission',
            name='session_statut_connu',
        ),
        migrations.AlterField(
            model_name='sessioncommission',
            name='statut',
            field=django_fsm.FSMField(choices=[('planifiee', 'Planifiée'), ('ordre_du_jour_envoye', 'Ordre du jour envoyé'), ('en_cours', 'En cours (décisions)'), ('tenue', 'Tenue (à clôturer)'), ('cloturee', 'Clôturée')], default='planifiee', max_length=25, protected=True, verbose_name='statut'),
        ),
        migrations.AddConstraint(
            model_name='sessioncommission',
            constraint=models.CheckConstraint(condition=models.Q(('statut__in', ['planifiee', 'ordre_du_jour_envoye', 'en_cours', 'tenue', 'cloturee'])), name='session_statut_connu'),
        ),
        migrations.AddField(
            model_name='transitionsession',
            name='par',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AddField(
            model_name='transitionsession',
            name='session',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='commissions.sessioncommission'),
        ),
        migrations.AddIndex(
            model_name='transitionsession',
            index=models.Index(fields=['session', 'at'], name='transition_session_at'),
        ),
        migrations.RemoveConstraint(
            model_name='sessioncommission',
            name='session_une_par_creneau',
        ),
        migrations.RemoveConstraint(
            model_name='sessioncommission',
            name='session_statut_connu',
        ),
        migrations.AlterField(
            model_name='sessioncommission',
            name='statut',
            field=django_fsm.FSMField(choices=[('planifiee', 'Planifiée'), ('ordre_du_jour_envoye', 'Ordre du jour envoyé'), ('en_cours', 'En cours (décisions)'), ('tenue', 'Tenue (à clôturer)'), ('cloturee', 'Clôturée'), ('annulee', 'Annulée')], default='planifiee', max_length=25, protected=True, verbose_name='statut'),
        ),
        migrations.AlterField(
            model_name='transitionsession',
            name='source',
            field=models.CharField(choices=[('planifiee', 'Planifiée'), ('ordre_du_jour_envoye', 'Ordre du jour envoyé'), ('en_cours', 'En cours (décisions)'), ('tenue', 'Tenue (à clôturer)'), ('cloturee', 'Clôturée'), ('annulee', 'Annulée')], max_length=25, verbose_name='de'),
        ),
        migrations.AlterField(
            model_name='transitionsession',
            name='target',
            field=models.CharField(choices=[('planifiee', 'Planifiée'), ('ordre_du_jour_envoye', 'Ordre du jour envoyé'), ('en_cours', 'En cours (décisions)'), ('tenue', 'Tenue (à clôturer)'), ('cloturee', 'Clôturée'), ('annulee', 'Annulée')], max_length=25, verbose_name='vers'),
        ),
        migrations.AddConstraint(
            model_name='sessioncommission',
            constraint=models.CheckConstraint(condition=models.Q(('statut__in', ['planifiee', 'ordre_du_jour_envoye', 'en_cours', 'tenue', 'cloturee', 'annulee'])), name='session_statut_connu'),
        ),
        migrations.AddConstraint(
            model_name='sessioncommission',
            constraint=models.UniqueConstraint(condition=models.Q(('statut', 'annulee'), _negated=True), fields=('plie', 'territoire', 'type', 'date'), name='session_une_par_creneau', nulls_distinct=False),
        ),
    ]
