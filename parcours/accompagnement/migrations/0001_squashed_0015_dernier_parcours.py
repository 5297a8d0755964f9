"""Les migrations 0001 à 0015 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). Les index, contraintes et changements de champ qui suivaient chaque
création de modèle y sont repliés. Les conversions de données existantes (`elidable`) n'y sont pas."""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
import django_fsm
import parcours.core.documents
import parcours.core.validators
from django.conf import settings
from django.db import migrations, models

# Déclencheurs de `dernier_du_plie`, recopiés de 0015_dernier_parcours.
FONCTIONS = r"""
CREATE FUNCTION parcours_derniers_de(personnes bigint[], plies bigint[])
RETURNS TABLE (id bigint, participant_id bigint, plie_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (p.participant_id, p.plie_id) p.id, p.participant_id, p.plie_id
    FROM accompagnement_parcours p
    JOIN unnest(personnes, plies) AS c(participant_id, plie_id)
      ON c.participant_id = p.participant_id AND c.plie_id = p.plie_id
    ORDER BY p.participant_id, p.plie_id, p.date_prescription DESC, p.id DESC
$$;

CREATE FUNCTION parcours_derniers_recalcules(personnes bigint[], plies bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM participants_participant
    WHERE id = ANY(personnes) ORDER BY id FOR NO KEY UPDATE;
    -- D'abord retirer, puis poser : l'unicité partielle est vérifiée ligne à ligne.
    UPDATE accompagnement_parcours p SET dernier_du_plie = false
    FROM parcours_derniers_de(personnes, plies) d
    WHERE p.dernier_du_plie AND p.participant_id = d.participant_id AND p.plie_id = d.plie_id
      AND p.id <> d.id;
    UPDATE accompagnement_parcours p SET dernier_du_plie = true
    FROM parcours_derniers_de(personnes, plies) d WHERE p.id = d.id AND NOT p.dernier_du_plie;
END
$$;

CREATE FUNCTION parcours_dernier_garde() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Seul le recalcul (déclencheur imbriqué) écrit le marqueur.
    IF pg_trigger_depth() = 1 THEN
        IF TG_OP = 'INSERT' THEN
            NEW.dernier_du_plie := false;
        ELSE
            NEW.dernier_du_plie := OLD.dernier_du_plie;
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION parcours_derniers_crees() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[]; plies bigint[];
BEGIN
    SELECT array_agg(participant_id), array_agg(plie_id) INTO personnes, plies
    FROM (SELECT DISTINCT participant_id, plie_id FROM nouveaux) c;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_derniers_recalcules(personnes, plies);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION parcours_derniers_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[]; plies bigint[];
BEGIN
    SELECT array_agg(participant_id), array_agg(plie_id) INTO personnes, plies
    FROM (
        SELECT a.participant_id, a.plie_id FROM anciens a JOIN nouveaux n ON n.id = a.id
        WHERE (a.participant_id, a.plie_id, a.date_prescription)
              IS DISTINCT FROM (n.participant_id, n.plie_id, n.date_prescription)
        UNION
        SELECT n.participant_id, n.plie_id FROM anciens a JOIN nouveaux n ON n.id = a.id
        WHERE (a.participant_id, a.plie_id, a.date_prescription)
              IS DISTINCT FROM (n.participant_id, n.plie_id, n.date_prescription)
    ) c;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_derniers_recalcules(personnes, plies);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION parcours_derniers_supprimes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[]; plies bigint[];
BEGIN
    SELECT array_agg(participant_id), array_agg(plie_id) INTO personnes, plies
    FROM (SELECT DISTINCT participant_id, plie_id FROM anciens) c;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_derniers_recalcules(personnes, plies);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER parcours_dernier_garde
BEFORE INSERT OR UPDATE ON accompagnement_parcours
FOR EACH ROW EXECUTE FUNCTION parcours_dernier_garde();

CREATE TRIGGER parcours_derniers_crees
AFTER INSERT ON accompagnement_parcours
REFERENCING NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_derniers_crees();

CREATE TRIGGER parcours_derniers_changes
AFTER UPDATE ON accompagnement_parcours
REFERENCING OLD TABLE AS anciens NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_derniers_changes();

CREATE TRIGGER parcours_derniers_supprimes
AFTER DELETE ON accompagnement_parcours
REFERENCING OLD TABLE AS anciens
FOR EACH STATEMENT EXECUTE FUNCTION parcours_derniers_supprimes();
"""

SUPPRESSION = """
DROP TRIGGER IF EXISTS parcours_dernier_garde ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_derniers_crees ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_derniers_changes ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_derniers_supprimes ON accompagnement_parcours;
DROP FUNCTION IF EXISTS parcours_derniers_crees();
DROP FUNCTION IF EXISTS parcours_derniers_changes();
DROP FUNCTION IF EXISTS parcours_derniers_supprimes();
DROP FUNCTION IF EXISTS parcours_dernier_garde();
DROP FUNCTION IF EXISTS parcours_derniers_recalcules(bigint[], bigint[]);
DROP FUNCTION IF EXISTS parcours_derniers_de(bigint[], bigint[]);
"""


class Migration(migrations.Migration):

    replaces = [('accompagnement', '0001_initial'), ('accompagnement', '0002_initial'), ('accompagnement', '0003_prescription'), ('accompagnement', '0004_engagement'), ('accompagnement', '0005_suivi'), ('accompagnement', '0006_journal_etape'), ('accompagnement', '0007_documents_noms_aleatoires'), ('accompagnement', '0008_prescription_notice_information'), ('accompagnement', '0009_textes_sans_caracteres_de_controle'), ('accompagnement', '0010_index_modifications'), ('accompagnement', '0011_index_parcours_ouverts'), ('accompagnement', '0012_participations_fse'), ('accompagnement', '0013_questionnaires_diplome_dgefp'), ('accompagnement', '0014_motif_fin_action'), ('accompagnement', '0015_dernier_parcours')]

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('core', '0001_initial'),
        ('core', '0002_permission_animer_plie'),
        ('core', '0005_textes_sans_caracteres_de_controle'),
        ('core', '0006_passes_periodiques'),
        ('fse', '0001_operations_fse'),
        ('participants', '0001_initial'),
        ('participants', '0003_textes_sans_caracteres_de_controle'),
        ('participants', '0005_trigrammes_de_recherche'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Parcours',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('statut', django_fsm.FSMField(choices=[('prescrit', 'Prescrit'), ('incomplet', 'Incomplet (à compléter)'), ('recevable', 'Recevable'), ('irrecevable', 'Irrecevable'), ('annule', 'Annulé'), ('en_commission_entree', "En commission d'entrée"), ('ajourne', 'Ajourné'), ('refuse', 'Refusé'), ('admis', 'Admis'), ('en_accompagnement', 'En accompagnement'), ('suspendu', 'Suspendu (veille)'), ('en_emploi', 'En emploi (suivi)'), ('sortie_proposee', 'Sortie proposée'), ('sorti', 'Sorti')], default='prescrit', max_length=30, protected=True, verbose_name='statut')),
                ('date_prescription', models.DateField(default=django.utils.timezone.localdate, verbose_name='date de prescription')),
                ('date_entree', models.DateField(blank=True, null=True, verbose_name="date d'entrée")),
                ('date_sortie', models.DateField(blank=True, null=True, verbose_name='date de sortie')),
                ('type_sortie', models.CharField(blank=True, choices=[('emploi_durable', 'Emploi durable'), ('formation_qualifiante', 'Formation qualifiante'), ('creation_entreprise', "Création d'entreprise"), ('demenagement', 'Déménagement'), ('deces', 'Décès'), ('incarceration', 'Incarcération de plus de 3 mois'), ('maternite', 'Maternité sans projet de reprise'), ('sante', 'Raisons de santé'), ('reorientation', 'Réorientation vers un autre dispositif'), ('abandon', 'Abandon'), ('non_respect_contrat', "Non-respect du contrat d'engagement")], max_length=30, verbose_name='type de sortie')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('participant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='parcours', to='participants.participant')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='parcours', to='core.plie')),
                ('precedent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='suivants', to='accompagnement.parcours', verbose_name='parcours précédent')),
                ('prescripteur', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='parcours_prescrits', to=settings.AUTH_USER_MODEL, verbose_name='prescripteur')),
                ('referent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='parcours_suivis', to=settings.AUTH_USER_MODEL, verbose_name='référent')),
                ('structure_prescriptrice', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='parcours_prescrits', to='core.structure', verbose_name='structure prescriptrice')),
                ('structure_referente', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='parcours_suivis', to='core.structure', verbose_name='structure du référent')),
                ('territoire', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='parcours', to='core.territoire')),
                ('dernier_du_plie', models.BooleanField(default=False, editable=False, verbose_name='dernier parcours de la personne')),
            ],
            options={
                'verbose_name': 'parcours',
                'verbose_name_plural': 'parcours',
                'ordering': ['-date_prescription', '-id'],
                'indexes': [models.Index(fields=['plie', 'statut'], name='accompagnem_plie_id_cfffa5_idx'), models.Index(fields=['referent', 'statut'], name='accompagnem_referen_e1aad4_idx'), models.Index(fields=['structure_prescriptrice', 'statut'], name='accompagnem_structu_f6c74c_idx'), models.Index(fields=['updated_at'], name='parcours_modifie_le'), models.Index(condition=models.Q(('statut__in', ['irrecevable', 'annule', 'refuse', 'sorti']), _negated=True), fields=['plie', 'referent'], name='parcours_ouverts_plie_ref')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('statut__in', ['irrecevable', 'annule', 'refuse', 'sorti']), _negated=True), fields=('participant', 'plie'), name='un_parcours_ouvert_par_personne_et_plie'), models.CheckConstraint(condition=models.Q(('date_sortie__isnull', True), ('date_entree__isnull', True), ('date_sortie__gte', models.F('date_entree')), _connector='OR'), name='parcours_sortie_apres_entree'), models.CheckConstraint(condition=models.Q(('statut__in', ['prescrit', 'incomplet', 'recevable', 'irrecevable', 'annule', 'en_commission_entree', 'ajourne', 'refuse', 'admis', 'en_accompagnement', 'suspendu', 'en_emploi', 'sortie_proposee', 'sorti'])), name='parcours_statut_connu')],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name='ParcoursGroupObjectPermission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='accompagnement.parcours')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
            ],
            options={
                'abstract': False,
                'unique_together': {('group', 'permission', 'content_object')},
            },
        ),
        migrations.CreateModel(
            name='ParcoursUserObjectPermission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='accompagnement.parcours')),
                ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
                'unique_together': {('user', 'permission', 'content_object')},
            },
        ),
        migrations.CreateModel(
            name='TransitionParcours',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transition', models.CharField(max_length=50, validators=[parcours.core.validators.TexteControle()], verbose_name='transition')),
                ('source', models.CharField(choices=[('prescrit', 'Prescrit'), ('incomplet', 'Incomplet (à compléter)'), ('recevable', 'Recevable'), ('irrecevable', 'Irrecevable'), ('annule', 'Annulé'), ('en_commission_entree', "En commission d'entrée"), ('ajourne', 'Ajourné'), ('refuse', 'Refusé'), ('admis', 'Admis'), ('en_accompagnement', 'En accompagnement'), ('suspendu', 'Suspendu (veille)'), ('en_emploi', 'En emploi (suivi)'), ('sortie_proposee', 'Sortie proposée'), ('sorti', 'Sorti')], max_length=30, verbose_name='de')),
                ('target', models.CharField(choices=[('prescrit', 'Prescrit'), ('incomplet', 'Incomplet (à compléter)'), ('recevable', 'Recevable'), ('irrecevable', 'Irrecevable'), ('annule', 'Annulé'), ('en_commission_entree', "En commission d'entrée"), ('ajourne', 'Ajourné'), ('refuse', 'Refusé'), ('admis', 'Admis'), ('en_accompagnement', 'En accompagnement'), ('suspendu', 'Suspendu (veille)'), ('en_emploi', 'En emploi (suivi)'), ('sortie_proposee', 'Sortie proposée'), ('sorti', 'Sorti')], max_length=30, verbose_name='vers')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('motif', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='accompagnement.parcours')),
            ],
            options={
                'verbose_name': 'transition de parcours',
                'verbose_name_plural': 'transitions de parcours',
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['parcours', 'at'], name='accompagnem_parcour_60c2a0_idx')],
            },
        ),
        migrations.CreateModel(
            name='Prescription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('auto_prescription', models.BooleanField(default=False, verbose_name='venue de sa propre initiative')),
                ('motif', models.TextField(validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name="motifs de l'orientation vers le PLIE")),
                ('sans_emploi_depuis', models.DateField(blank=True, null=True, verbose_name='sans emploi depuis')),
                ('niveau_qualification', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Niveau 1-2 : sans diplôme / maîtrise des savoirs de base'), (3, 'Niveau 3 : CAP, BEP'), (4, 'Niveau 4 : baccalauréat'), (5, 'Niveau 5 : bac + 2 (BTS, DUT)'), (6, 'Niveau 6 : bac + 3 (licence, BUT)'), (7, 'Niveau 7 : bac + 5 (master)'), (8, 'Niveau 8 : doctorat')], null=True, verbose_name='niveau de qualification')),
                ('bac', models.BooleanField(default=False, verbose_name='titulaire du baccalauréat')),
                ('rqth_jusqu_au', models.DateField(blank=True, null=True, verbose_name="RQTH valable jusqu'au")),
                ('suivi_mission_locale', models.BooleanField(default=False, verbose_name='suivi par la Mission locale')),
                ('suivi_cap_emploi', models.BooleanField(default=False, verbose_name='suivi par Cap emploi')),
                ('via_clause', models.BooleanField(default=False, verbose_name="orientée au titre d'une clause sociale")),
                ('freins', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('mobilite', 'Mobilité'), ('logement', 'Logement'), ('sante', 'Santé'), ('garde_enfants', "Garde d'enfants"), ('situation_familiale', 'Situation familiale'), ('justice', 'Justice'), ('competences_base', 'Compétences de base (lire, écrire, compter)'), ('qualification_inadaptee', 'Qualification inadaptée'), ('experience', "Manque d'expérience professionnelle")], max_length=30), blank=True, default=list, size=None)),
                ('cv', parcours.core.documents.ChampDocument(blank=True, type_document='cv', upload_to=parcours.core.documents.NomAleatoire('cv'), verbose_name='CV')),
                ('eligibilite', models.JSONField(blank=True, null=True, verbose_name="dernière évaluation d'éligibilité")),
                ('eligibilite_evaluee_le', models.DateTimeField(blank=True, null=True)),
                ('derogation_motif', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif de la dérogation')),
                ('derogation_le', models.DateTimeField(blank=True, null=True, verbose_name='dérogation accordée le')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('derogation_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='dérogation accordée par')),
                ('parcours', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='prescription', to='accompagnement.parcours')),
                ('notice_remise_le', models.DateTimeField(blank=True, null=True, verbose_name="notice d'information remise le")),
                ('notice_remise_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name="notice d'information remise par")),
            ],
            options={
                'verbose_name': 'prescription',
                'constraints': [models.CheckConstraint(condition=models.Q(('derogation_par__isnull', True), models.Q(models.Q(('derogation_motif', ''), _negated=True), ('derogation_le__isnull', False)), _connector='OR'), name='prescription_derogation_motivee'), models.CheckConstraint(condition=models.Q(models.Q(('notice_remise_le__isnull', True), ('notice_remise_par__isnull', True)), models.Q(('notice_remise_le__isnull', False), ('notice_remise_par__isnull', False)), _connector='OR'), name='prescription_notice_datee_et_signee')],
                'indexes': [models.Index(fields=['updated_at'], name='prescription_modifiee_le')],
            },
        ),
        migrations.CreateModel(
            name='StatutDeclare',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(choices=[('rsa', 'Allocataire du RSA (socle)'), ('rsa_majore', 'Allocataire du RSA majoré'), ('ass', "Allocataire de l'ASS"), ('aah', "Allocataire de l'AAH"), ('qpv', "Résident d'un quartier prioritaire (QPV)"), ('rqth', 'Reconnaissance de la qualité de travailleur handicapé (RQTH)'), ('ppsmj', 'Personne placée sous main de justice (PPSMJ)'), ('refugie', 'Réfugié ou bénéficiaire de la protection internationale'), ('parent_isole', 'Parent isolé')], max_length=20, verbose_name='statut')),
                ('depuis', models.DateField(blank=True, null=True, verbose_name='depuis le')),
                ('prescription', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='statuts', to='accompagnement.prescription')),
            ],
            options={
                'verbose_name': 'statut déclaré',
                'verbose_name_plural': 'statuts déclarés',
                'ordering': ['code'],
                'constraints': [models.UniqueConstraint(fields=('prescription', 'code'), name='statut_unique_par_prescription')],
            },
        ),
        migrations.CreateModel(
            name='ContratEngagement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('signataires', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('participant', 'le participant'), ('referent', 'le référent'), ('animation', "l'équipe d'animation")], max_length=20), size=None, verbose_name='signataires requis')),
                ('objectifs', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='objectifs du parcours')),
                ('fichier', parcours.core.documents.ChampDocument(blank=True, type_document='contrat-engagement', upload_to=parcours.core.documents.NomAleatoire('contrat-engagement'), verbose_name='contrat généré (PDF)')),
                ('genere_le', models.DateTimeField(blank=True, null=True, verbose_name='généré le')),
                ('date_signature_participant', models.DateField(blank=True, null=True, verbose_name='date de signature du participant')),
                ('date_signature_referent', models.DateField(blank=True, null=True, verbose_name='date de signature du référent')),
                ('date_signature_animation', models.DateField(blank=True, null=True, verbose_name="date de signature de l'équipe d'animation")),
                ('copie_signee', parcours.core.documents.ChampDocument(blank=True, help_text='PDF, JPEG ou PNG, 10,0 Mo au plus.', type_document='contrat-signe', upload_to=parcours.core.documents.NomAleatoire('contrat-signe'), verbose_name='copie signée')),
                ('copie_deposee_le', models.DateTimeField(blank=True, null=True, verbose_name='copie déposée le')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('copie_deposee_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='copie déposée par')),
                ('genere_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='généré par')),
                ('parcours', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='contrat_engagement', to='accompagnement.parcours')),
            ],
            options={
                'verbose_name': "contrat d'engagement réciproque",
                'verbose_name_plural': "contrats d'engagement réciproque",
                'constraints': [models.CheckConstraint(condition=models.Q(('signataires__contains', ['participant', 'referent']), ('signataires__contained_by', ['participant', 'referent', 'animation'])), name='contrat_signataires_valides', violation_error_message="Le participant et le référent signent toujours le contrat ; seule l'équipe d'animation peut s'y ajouter."), models.CheckConstraint(condition=models.Q(('date_signature_animation__isnull', True), ('signataires__contains', ['animation']), _connector='OR'), name='contrat_signature_animation_si_signataire', violation_error_message="L'équipe d'animation ne signe pas ce contrat : pas de date de signature."), models.CheckConstraint(condition=models.Q(('copie_signee', ''), ('copie_deposee_le__isnull', False), _connector='OR'), name='contrat_copie_signee_datee')],
            },
        ),
        migrations.CreateModel(
            name='PieceEntree',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=50, validators=[parcours.core.validators.TexteControle()], verbose_name='pièce')),
                ('libelle', models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='libellé')),
                ('fichier', parcours.core.documents.ChampDocument(help_text='PDF, JPEG ou PNG, 10,0 Mo au plus.', type_document='piece-entree', upload_to=parcours.core.documents.NomAleatoire('piece-entree'), verbose_name='fichier')),
                ('le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='déposée le')),
                ('deposee_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='déposée par')),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pieces_entree', to='accompagnement.parcours')),
            ],
            options={
                'verbose_name': "pièce d'entrée",
                'verbose_name_plural': "pièces d'entrée",
                'ordering': ['parcours', 'code'],
                'constraints': [models.UniqueConstraint(fields=('parcours', 'code'), name='piece_entree_unique'), models.CheckConstraint(condition=models.Q(('fichier', ''), _negated=True), name='piece_entree_avec_fichier')],
            },
        ),
        migrations.CreateModel(
            name='Delegation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('debut', models.DateField(verbose_name='du')),
                ('fin', models.DateField(verbose_name='au')),
                ('motif', models.TextField(validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('levee_le', models.DateTimeField(blank=True, null=True, verbose_name='levée le')),
                ('levee_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='levée par')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('parcours_couverts', models.ManyToManyField(blank=True, related_name='+', to='accompagnement.parcours')),
                ('plie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='delegations', to='core.plie')),
                ('suppleant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='delegations_recues', to=settings.AUTH_USER_MODEL, verbose_name='suppléant')),
                ('titulaire', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='delegations_donnees', to=settings.AUTH_USER_MODEL, verbose_name='référent absent')),
            ],
            options={
                'verbose_name': 'délégation (intérim)',
                'verbose_name_plural': 'délégations (intérims)',
                'ordering': ['-debut', '-id'],
                'indexes': [models.Index(fields=['suppleant', 'levee_le'], name='accompagnem_supplea_72224b_idx'), models.Index(fields=['titulaire', 'levee_le'], name='accompagnem_titulai_cc17c5_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('fin__gte', models.F('debut'))), name='delegation_fin_apres_debut', violation_error_message="La fin de l'intérim ne peut pas précéder son début."), models.CheckConstraint(condition=models.Q(('titulaire', models.F('suppleant')), _negated=True), name='delegation_suppleant_distinct', violation_error_message='Le suppléant doit être une autre personne.'), models.CheckConstraint(condition=models.Q(('motif', ''), _negated=True), name='delegation_motivee')],
            },
        ),
        migrations.CreateModel(
            name='Entretien',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateTimeField(verbose_name='date et heure')),
                ('canal', models.CharField(choices=[('physique_individuel', 'Entretien physique individuel'), ('physique_collectif', 'Entretien physique collectif'), ('telephone', 'Téléphone'), ('visio', 'Visioconférence'), ('courrier', 'Courrier'), ('courriel', 'Courriel'), ('sms', 'SMS')], max_length=30, verbose_name='canal')),
                ('note', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='compte rendu')),
                ('emargement', parcours.core.documents.ChampDocument(blank=True, help_text='PDF, JPEG ou PNG, 10,0 Mo au plus.', max_length=300, type_document='emargement-entretien', upload_to=parcours.core.documents.NomAleatoire('emargement-entretien'), verbose_name="feuille d'émargement")),
                ('presence', models.CharField(choices=[('present', 'Présent'), ('absent_justifie', 'Absent (absence justifiée)'), ('absent_injustifie', 'Absent (absence injustifiée)')], default='present', max_length=20, verbose_name='présence')),
                ('motif_absence', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name="motif de l'absence")),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='saisi le')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('auteur', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur')),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entretiens', to='accompagnement.parcours')),
            ],
            options={
                'verbose_name': 'entretien',
                'verbose_name_plural': 'entretiens',
                'ordering': ['-date', '-id'],
                'indexes': [models.Index(fields=['parcours', 'date'], name='accompagnem_parcour_78e296_idx'), models.Index(fields=['updated_at'], name='entretien_modifie_le')],
                'constraints': [models.CheckConstraint(condition=models.Q(('canal__in', ['physique_individuel', 'physique_collectif', 'telephone', 'visio', 'courrier', 'courriel', 'sms'])), name='entretien_canal_connu'), models.CheckConstraint(condition=models.Q(('presence__in', ['present', 'absent_justifie', 'absent_injustifie'])), name='entretien_presence_connue'), models.CheckConstraint(condition=models.Q(('presence', 'present'), ('emargement', ''), _connector='OR'), name='entretien_emargement_si_present', violation_error_message="Pas de feuille d'émargement pour une personne absente.")],
            },
        ),
        migrations.CreateModel(
            name='Etape',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type_code', models.CharField(max_length=50, validators=[parcours.core.validators.TexteControle()], verbose_name="type d'étape")),
                ('type_libelle', models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='libellé du type')),
                ('categorie', models.CharField(max_length=100, validators=[parcours.core.validators.TexteControle()], verbose_name='catégorie')),
                ('compte', models.BooleanField(default=True, help_text="Les étapes d'accueil / accompagnement ne sont pas comptées (selon le PLIE).", verbose_name='comptée comme étape de parcours')),
                ('emploi_ou_formation', models.BooleanField(default=False, help_text="Pendant une telle étape, l'entretien physique mensuel n'est pas exigé.", verbose_name='étape emploi ou formation')),
                ('intitule', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='intitulé')),
                ('prestataire', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='prestataire')),
                ('date_debut', models.DateField(verbose_name='date de début')),
                ('date_fin', models.DateField(blank=True, null=True, verbose_name='date de fin')),
                ('statut', models.CharField(choices=[('prevue', 'Prévue'), ('en_cours', 'En cours'), ('realisee', 'Réalisée'), ('abandonnee', 'Abandonnée')], default='prevue', max_length=20, verbose_name='statut')),
                ('commentaire', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='commentaire')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créée le')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifiée le')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créée par')),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='etapes', to='accompagnement.parcours')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='modifiée par')),
                ('operation', models.ForeignKey(blank=True, help_text="L'opération FSE+ qui finance l'étape : son porteur en liste les participants.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='etapes', to='fse.operationfse', verbose_name='action financée (opération FSE+)')),
            ],
            options={
                'verbose_name': 'étape de parcours',
                'verbose_name_plural': 'étapes de parcours',
                'ordering': ['-date_debut', '-id'],
                'indexes': [models.Index(fields=['parcours', 'statut'], name='accompagnem_parcour_acbff6_idx'), models.Index(fields=['parcours', 'date_debut'], name='accompagnem_parcour_7becb2_idx'), models.Index(fields=['updated_at'], name='etape_modifiee_le')],
                'constraints': [models.CheckConstraint(condition=models.Q(('date_fin__isnull', True), ('date_fin__gte', models.F('date_debut')), _connector='OR'), name='etape_fin_apres_debut', violation_error_message='La date de fin ne peut pas précéder la date de début.'), models.CheckConstraint(condition=models.Q(('statut__in', ['prevue', 'en_cours', 'realisee', 'abandonnee'])), name='etape_statut_connu'), models.CheckConstraint(condition=models.Q(models.Q(('statut', 'realisee'), _negated=True), ('date_fin__isnull', False), _connector='OR'), name='etape_realisee_datee', violation_error_message='Une étape réalisée a une date de fin.')],
            },
        ),
        migrations.CreateModel(
            name='JournalDelegation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('evenement', models.CharField(choices=[('creee', 'Intérim créé'), ('droits_accordes', 'Accès accordé'), ('droits_retires', 'Accès retiré'), ('levee', 'Intérim levé'), ('expiree', 'Intérim arrivé à échéance')], max_length=20, verbose_name='événement')),
                ('nombre_dossiers', models.PositiveIntegerField(default=0, verbose_name='dossiers concernés')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('delegation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='journal', to='accompagnement.delegation')),
                ('par', models.ForeignKey(blank=True, help_text='Vide pour une action automatique (échéance).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
            ],
            options={
                'verbose_name': 'journal de délégation',
                'verbose_name_plural': 'journal des délégations',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PreuveEtape',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type_preuve', models.CharField(max_length=50, validators=[parcours.core.validators.TexteControle()], verbose_name='type de preuve')),
                ('libelle', models.CharField(max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='libellé')),
                ('fichier', parcours.core.documents.ChampDocument(help_text='PDF, JPEG ou PNG, 10,0 Mo au plus.', max_length=300, type_document='preuve-etape', upload_to=parcours.core.documents.NomAleatoire('preuve-etape'), verbose_name='fichier')),
                ('deposee_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='déposée le')),
                ('deposee_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='déposée par')),
                ('etape', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='preuves', to='accompagnement.etape')),
            ],
            options={
                'verbose_name': "preuve d'étape",
                'verbose_name_plural': "preuves d'étape",
                'ordering': ['etape', 'deposee_le', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('fichier', ''), _negated=True), name='preuve_etape_avec_fichier')],
            },
        ),
        migrations.CreateModel(
            name='Suspension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('motif', models.CharField(choices=[('sante', 'Santé'), ('famille', 'Problèmes familiaux'), ('incarceration', 'Incarcération (moins de 3 mois)'), ('autre', 'Autre')], max_length=20, verbose_name='motif')),
                ('precision', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='précision')),
                ('debut', models.DateField(verbose_name='début')),
                ('fin_prevue', models.DateField(verbose_name='fin prévue')),
                ('renouvellements', models.PositiveSmallIntegerField(default=0, verbose_name='renouvellements')),
                ('le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='saisie le')),
                ('levee_le', models.DateField(blank=True, null=True, verbose_name='levée le')),
                ('motif_levee', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif de la levée')),
                ('levee_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='levée par')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='suspendu par')),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suspensions', to='accompagnement.parcours')),
            ],
            options={
                'verbose_name': 'suspension de parcours',
                'verbose_name_plural': 'suspensions de parcours',
                'ordering': ['-debut', '-id'],
                'indexes': [models.Index(fields=['parcours', 'debut'], name='accompagnem_parcour_cfef3a_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('levee_le__isnull', True)), fields=('parcours',), name='une_suspension_en_cours_par_parcours', violation_error_message='Ce parcours a déjà une suspension en cours.'), models.CheckConstraint(condition=models.Q(('fin_prevue__gte', models.F('debut'))), name='suspension_fin_apres_debut', violation_error_message='La fin prévue ne peut pas précéder le début.'), models.CheckConstraint(condition=models.Q(('levee_le__isnull', True), models.Q(('levee_le__gte', models.F('debut')), ('levee_par__isnull', False)), _connector='OR'), name='suspension_levee_datee_et_signee'), models.CheckConstraint(condition=models.Q(('motif__in', ['sante', 'famille', 'incarceration', 'autre'])), name='suspension_motif_connu')],
            },
        ),
        migrations.CreateModel(
            name='RenouvellementSuspension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ancienne_fin', models.DateField(verbose_name='ancienne fin prévue')),
                ('nouvelle_fin', models.DateField(verbose_name='nouvelle fin prévue')),
                ('le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('motif', models.TextField(blank=True, validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('suspension', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='journal_renouvellements', to='accompagnement.suspension')),
            ],
            options={
                'verbose_name': 'renouvellement de suspension',
                'verbose_name_plural': 'renouvellements de suspension',
                'ordering': ['le', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('nouvelle_fin__gt', models.F('ancienne_fin'))), name='renouvellement_repousse_la_fin')],
            },
        ),
        migrations.CreateModel(
            name='ChangementReferent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('motif', models.TextField(validators=[parcours.core.validators.TexteControle(plusieurs_lignes=True)], verbose_name='motif')),
                ('en_masse', models.BooleanField(default=False, verbose_name='changement de portefeuille')),
                ('ancien', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ancien référent')),
                ('ancienne_structure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.structure')),
                ('nouveau', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='nouveau référent')),
                ('nouvelle_structure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.structure')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changements_referent', to='accompagnement.parcours')),
            ],
            options={
                'verbose_name': 'changement de référent',
                'verbose_name_plural': 'changements de référent',
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['parcours', 'at'], name='accompagnem_parcour_ffc88a_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('motif', ''), _negated=True), name='changement_referent_motive')],
            },
        ),
        migrations.CreateModel(
            name='JournalEtape',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='le')),
                ('statut_avant', models.CharField(blank=True, choices=[('prevue', 'Prévue'), ('en_cours', 'En cours'), ('realisee', 'Réalisée'), ('abandonnee', 'Abandonnée')], max_length=20, verbose_name='statut avant')),
                ('statut_apres', models.CharField(choices=[('prevue', 'Prévue'), ('en_cours', 'En cours'), ('realisee', 'Réalisée'), ('abandonnee', 'Abandonnée')], max_length=20, verbose_name='statut après')),
                ('changements', models.JSONField(blank=True, default=dict, help_text='champ → [avant, après]', verbose_name='valeurs changées')),
                ('etape', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='journal', to='accompagnement.etape')),
                ('par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
            ],
            options={
                'verbose_name': "journal d'étape",
                'verbose_name_plural': 'journal des étapes',
                'ordering': ['le', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ParticipationFse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date_entree', models.DateField(verbose_name="date d'entrée dans l'opération")),
                ('date_sortie', models.DateField(blank=True, null=True, verbose_name="date de sortie de l'opération")),
                ('motif_fin', models.CharField(blank=True, choices=[('sortie', 'Sortie du PLIE'), ('changement_structure', 'Changement de structure du référent'), ('fin_operation', "Fin de l'opération"), ('fin_action', "Fin des étapes de l'action")], max_length=30, verbose_name='motif de fin')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('operation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='participations', to='fse.operationfse', verbose_name='opération')),
                ('ouverte_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ouverte par')),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participations_fse', to='accompagnement.parcours')),
                ('structure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='participations_fse', to='core.structure', verbose_name='structure du référent')),
            ],
            options={
                'verbose_name': 'participation à une opération FSE+',
                'verbose_name_plural': 'participations aux opérations FSE+',
                'ordering': ['parcours', 'date_entree', 'pk'],
                'indexes': [models.Index(fields=['operation', 'date_entree'], name='participation_op_entree'), models.Index(fields=['operation', 'date_sortie'], name='participation_op_sortie')],
                'constraints': [models.CheckConstraint(condition=models.Q(('date_sortie__isnull', True), ('date_sortie__gte', models.F('date_entree')), _connector='OR'), name='participation_sortie_apres_entree'), models.CheckConstraint(condition=models.Q(models.Q(('date_sortie__isnull', True), ('motif_fin', '')), models.Q(('date_sortie__isnull', False), models.Q(('motif_fin', ''), _negated=True)), _connector='OR'), name='participation_motif_si_close'), models.UniqueConstraint(condition=models.Q(('date_sortie__isnull', True)), fields=('parcours', 'operation'), name='participation_ouverte_unique')],
            },
        ),
        migrations.CreateModel(
            name='QuestionnaireFSE',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('commune_naissance', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='commune de naissance')),
                ('code_postal_naissance', models.CharField(blank=True, help_text="99999 pour une naissance à l'étranger.", max_length=5, validators=[parcours.core.validators.TexteControle()], verbose_name='code postal de naissance')),
                ('date_entree', models.DateField(blank=True, help_text="Peut précéder la saisie, jamais être postérieure à aujourd'hui.", null=True, verbose_name="date d'entrée dans l'opération")),
                ('situation_marche_travail', models.CharField(blank=True, choices=[('en_emploi', 'En emploi'), ('en_formation', 'En formation, en stage ou en école'), ('demandeur_emploi', "Demandeur d'emploi (en recherche active)"), ('inactif', "Ni en emploi, ni en formation, ni en recherche active d'emploi")], max_length=20, verbose_name='situation sur le marché du travail')),
                ('type_emploi', models.CharField(blank=True, choices=[('independant', "Travailleur indépendant, chef d'entreprise"), ('durable', 'Emploi durable (CDI ou CDD de 6 mois ou plus)'), ('temporaire', 'Emploi temporaire (intérim, CDD de moins de 6 mois)'), ('aide', 'Emploi aidé (y compris IAE)')], max_length=20, verbose_name="type d'emploi occupé")),
                ('mois_recherche_emploi', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="durée de recherche d'emploi (en mois)")),
                ('niveau_diplome', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Niveau 1-2 : sans diplôme / maîtrise des savoirs de base'), (3, 'Niveau 3 : CAP, BEP'), (4, 'Niveau 4 : baccalauréat'), (5, 'Niveau 5 : bac + 2 (BTS, DUT)'), (6, 'Niveau 6 : bac + 3 (licence, BUT)'), (7, 'Niveau 7 : bac + 5 (master)'), (8, 'Niveau 8 : doctorat')], help_text='Facultatif : la catégorie DGEFP ci-dessous est la réponse exigée.', null=True, verbose_name='niveau de diplôme (nomenclature nationale)')),
                ('handicap_reconnu', models.CharField(blank=True, choices=[('oui', 'Oui'), ('non', 'Non')], max_length=3, verbose_name="reconnaissance officielle d'un handicap")),
                ('minima_sociaux', models.CharField(blank=True, choices=[('oui', 'Oui'), ('non', 'Non')], max_length=3, verbose_name='perception de minima sociaux')),
                ('sans_domicile', models.CharField(blank=True, choices=[('oui', 'Oui'), ('non', 'Non'), ('nsp', 'Ne souhaite pas répondre / ne sait pas')], max_length=3, verbose_name='sans domicile fixe ou exclusion du logement')),
                ('parent_ne_etranger', models.CharField(blank=True, choices=[('oui', 'Oui'), ('non', 'Non'), ('nsp', 'Ne souhaite pas répondre / ne sait pas')], max_length=3, verbose_name="un parent né à l'étranger")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('parcours', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questionnaires_fse', to='accompagnement.parcours')),
                ('renseigne_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='renseigné par')),
                ('diplome_dgefp', models.CharField(blank=True, choices=[('2a', "Inférieur à l'école primaire, jamais scolarisé"), ('2b', 'Primaire, collège (6e à 3e), brevet des collèges'), ('2c', 'Baccalauréat, CAP, BEP, seconde professionnelle, post-secondaire'), ('2d', 'Enseignement supérieur (BTS, DUT, licence, master, doctorat…)')], help_text='Catégorie du questionnaire DGEFP (question 2).', max_length=2, verbose_name='plus haut niveau de diplôme')),
                ('recopie_de', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='copies', to='accompagnement.questionnairefse', verbose_name='recopié du questionnaire')),
                ('participation', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='questionnaire', to='accompagnement.participationfse', verbose_name='participation')),
            ],
            options={
                'verbose_name': "questionnaire FSE+ d'entrée",
                'verbose_name_plural': "questionnaires FSE+ d'entrée",
                'constraints': [models.CheckConstraint(condition=models.Q(('handicap_reconnu__in', ['', 'oui', 'non']), ('minima_sociaux__in', ['', 'oui', 'non'])), name='questionnaire_oui_non_sans_nsp', violation_error_message="« Ne souhaite pas répondre » n'est possible que pour les questions sur le logement et sur les parents nés à l'étranger."), models.CheckConstraint(condition=models.Q(('sans_domicile__in', ['', 'oui', 'non', 'nsp']), ('parent_ne_etranger__in', ['', 'oui', 'non', 'nsp'])), name='questionnaire_reponses_nsp_connues'), models.CheckConstraint(condition=models.Q(('situation_marche_travail__in', ['', 'en_emploi', 'en_formation', 'demandeur_emploi', 'inactif'])), name='questionnaire_situation_connue'), models.CheckConstraint(condition=models.Q(('type_emploi', ''), models.Q(('situation_marche_travail', 'en_emploi'), ('type_emploi__in', ['independant', 'durable', 'temporaire', 'aide'])), _connector='OR'), name='questionnaire_type_emploi_si_en_emploi', violation_error_message="Le type d'emploi ne se renseigne que pour une personne en emploi."), models.CheckConstraint(condition=models.Q(('mois_recherche_emploi__isnull', True), models.Q(('mois_recherche_emploi__lte', 600), ('situation_marche_travail', 'demandeur_emploi')), _connector='OR'), name='questionnaire_mois_recherche_si_demandeur', violation_error_message="La durée de recherche d'emploi ne se renseigne que pour une personne en recherche active d'emploi."), models.CheckConstraint(condition=models.Q(('niveau_diplome__isnull', True), ('niveau_diplome__in', [1, 3, 4, 5, 6, 7, 8]), _connector='OR'), name='questionnaire_niveau_connu'), models.CheckConstraint(condition=models.Q(('code_postal_naissance', ''), ('code_postal_naissance__regex', '^[0-9]{5}$'), _connector='OR'), name='questionnaire_code_postal_5_chiffres', violation_error_message="Le code postal de naissance compte 5 chiffres (99999 pour une naissance à l'étranger)."), models.UniqueConstraint(condition=models.Q(('participation__isnull', True)), fields=('parcours',), name='questionnaire_engagement_unique'), models.CheckConstraint(condition=models.Q(('diplome_dgefp__in', ['', '2a', '2b', '2c', '2d'])), name='questionnaire_diplome_dgefp_connu')],
                'indexes': [models.Index(fields=['updated_at'], name='questionnaire_modifie_le')],
            },
        ),
        migrations.RunSQL(
            sql=FONCTIONS,
            reverse_sql=SUPPRESSION,
        ),
        migrations.AddConstraint(
            model_name='parcours',
            constraint=models.UniqueConstraint(condition=models.Q(('dernier_du_plie', True)), fields=('participant', 'plie'), name='un_dernier_parcours_par_personne_et_plie'),
        ),
        migrations.AddIndex(
            model_name='parcours',
            index=models.Index(condition=models.Q(('dernier_du_plie', True)), fields=['plie', 'statut'], name='parcours_derniers_plie_statut'),
        ),
    ]
