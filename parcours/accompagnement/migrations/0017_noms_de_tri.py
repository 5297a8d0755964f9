"""Le nom et le prénom de la personne recopiés sur chacun de ses parcours (`Parcours.nom_de_tri`,
`prenom_de_tri`), pour que la liste des participants d'un PLIE entier, triée par nom, se lise dans
un index (PLIE, état, nom, prénom, personne) au lieu de trier tous les dossiers du PLIE
(docs/PERFORMANCE.md, 7 décembre 2026, « La liste d'un PLIE triée par l'index »).

Tenus par PostgreSQL, comme `dernier_du_plie` (0015) : un parcours créé (ou rattaché à une autre
personne) lit le nom de sa personne en la verrouillant (`FOR NO KEY UPDATE`, le verrou que le
recalcul du dernier parcours prend déjà à la fin de l'instruction) ; une personne écrite après
ses parcours (clés différées : copie PLIE du générateur, chargement de données) le recopie à son
insertion ; un renommage (correction, anonymisation) est recopié sur tous les parcours de la
personne. Ces deux-là par instruction (tables de transition, `EXECUTE` : planifié selon leur
taille). Le verrou ordonne un renommage et une
création simultanés : l'un attend l'autre et voit son résultat. Une valeur envoyée par
l'application (`save()` d'une instance chargée avant un renommage) est ignorée.
"""

from django.db import migrations, models

FONCTIONS = r"""
CREATE FUNCTION parcours_nom_de_tri() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.participant_id = OLD.participant_id THEN
        -- Seule la recopie d'un renommage (déclencheur imbriqué) écrit la copie.
        IF pg_trigger_depth() = 1 THEN
            NEW.nom_de_tri := OLD.nom_de_tri;
            NEW.prenom_de_tri := OLD.prenom_de_tri;
        END IF;
        RETURN NEW;
    END IF;
    SELECT nom, prenom INTO NEW.nom_de_tri, NEW.prenom_de_tri
    FROM participants_participant WHERE id = NEW.participant_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        -- Personne écrite plus loin dans la transaction (clé différée) : son insertion recopie.
        NEW.nom_de_tri := '';
        NEW.prenom_de_tri := '';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION participants_noms_de_tri_crees() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- EXECUTE : planifiée à chaque appel, selon la taille de la table de transition.
    EXECUTE 'UPDATE accompagnement_parcours p
    SET nom_de_tri = n.nom, prenom_de_tri = n.prenom
    FROM nouveaux n WHERE p.participant_id = n.id';
    RETURN NULL;
END
$$;

CREATE FUNCTION participants_noms_de_tri_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- EXECUTE : planifiée à chaque appel, selon la taille des tables de transition.
    EXECUTE 'UPDATE accompagnement_parcours p
    SET nom_de_tri = n.nom, prenom_de_tri = n.prenom
    FROM anciens a JOIN nouveaux n ON n.id = a.id
    WHERE p.participant_id = n.id AND (a.nom, a.prenom) IS DISTINCT FROM (n.nom, n.prenom)';
    RETURN NULL;
END
$$;

CREATE TRIGGER parcours_nom_de_tri
BEFORE INSERT OR UPDATE ON accompagnement_parcours
FOR EACH ROW EXECUTE FUNCTION parcours_nom_de_tri();

CREATE TRIGGER participants_noms_de_tri_crees
AFTER INSERT ON participants_participant
REFERENCING NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION participants_noms_de_tri_crees();

CREATE TRIGGER participants_noms_de_tri_changes
AFTER UPDATE ON participants_participant
REFERENCING OLD TABLE AS anciens NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION participants_noms_de_tri_changes();
"""

SUPPRESSION = """
DROP TRIGGER IF EXISTS parcours_nom_de_tri ON accompagnement_parcours;
DROP TRIGGER IF EXISTS participants_noms_de_tri_crees ON participants_participant;
DROP TRIGGER IF EXISTS participants_noms_de_tri_changes ON participants_participant;
DROP FUNCTION IF EXISTS parcours_nom_de_tri();
DROP FUNCTION IF EXISTS participants_noms_de_tri_crees();
DROP FUNCTION IF EXISTS participants_noms_de_tri_changes();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accompagnement", "0016_derniers_planifies_a_chaque_appel"),
        ("participants", "0006_trigrammes_planifies_a_chaque_appel"),
    ]

    operations = [
        migrations.AddField(
            model_name="parcours",
            name="nom_de_tri",
            field=models.CharField(
                default="", editable=False, max_length=150, verbose_name="nom de la personne"
            ),
        ),
        migrations.AddField(
            model_name="parcours",
            name="prenom_de_tri",
            field=models.CharField(
                default="", editable=False, max_length=150, verbose_name="prénom de la personne"
            ),
        ),
        # Remplir avant le déclencheur (qui ignorerait cette écriture) ; elidable : une base neuve
        # n'a aucun parcours. Les personnes verrouillées jusqu'à la fin de la migration (pose des
        # déclencheurs comprise) : un renommage entre le remplissage et le déclencheur serait perdu.
        migrations.RunSQL(
            "LOCK TABLE participants_participant IN SHARE MODE;"
            " UPDATE accompagnement_parcours p SET nom_de_tri = pa.nom, prenom_de_tri = pa.prenom"
            " FROM participants_participant pa WHERE pa.id = p.participant_id",
            migrations.RunSQL.noop,
            elidable=True,
        ),
        migrations.RunSQL(FONCTIONS, SUPPRESSION),
        migrations.RemoveIndex(model_name="parcours", name="parcours_derniers_plie_statut"),
        migrations.AddIndex(
            model_name="parcours",
            index=models.Index(
                condition=models.Q(("dernier_du_plie", True)),
                fields=["plie", "statut", "nom_de_tri", "prenom_de_tri", "participant"],
                name="parcours_derniers_etat_nom",
            ),
        ),
        migrations.AddIndex(
            model_name="parcours",
            index=models.Index(
                condition=models.Q(("dernier_du_plie", True)),
                fields=["plie", "nom_de_tri", "prenom_de_tri", "participant"],
                name="parcours_derniers_nom",
            ),
        ),
    ]
