"""Le gabarit : la démo (deux PLIE) chargée par les vrais services, puis étoffée en SQL.

La démo donne des dossiers dans tous les états, avec leurs processus et tâches viewflow, des
séances, entreprises, offres, marchés, positionnements et heures, tous valides puisque créés
par les services. Elle n'a que quelques étapes et entretiens : on en ajoute en SQL aux dossiers
entrés en accompagnement (~9 entretiens et ~6 étapes chacun, comme au jeu national).
"""

import contextlib
import io

from django.core.management import call_command
from django.db import connection

ACCOMPAGNES = ("en_accompagnement", "suspendu", "en_emploi", "sortie_proposee", "sorti")
ENTRETIENS = 9
ETAPES = 6
CANAUX = ("physique_individuel", "telephone", "visio", "physique_collectif", "courriel")


def charger_demo(dossiers_par_plie: int) -> None:
    sortie = io.StringIO()
    with contextlib.redirect_stdout(sortie):  # le backend courriel de la démo écrit sur stdout
        call_command("charger_demo", participants=dossiers_par_plie, stdout=sortie)
        call_command("demo_flux", stdout=sortie)
        call_command("demo_suivi", stdout=sortie)


def etoffer() -> dict[str, int]:
    """Entretiens et étapes datés entre l'entrée et aujourd'hui (ou la sortie)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accompagnement_entretien (date, canal, note, emargement, presence,
                motif_absence, created_at, updated_at, auteur_id, parcours_id)
            SELECT jour, (%(canaux)s::text[])[1 + (p.id + i) %% cardinality(%(canaux)s::text[])],
                'Point d''étape : démarches en cours, prochain rendez-vous fixé.', '',
                CASE WHEN (p.id + i) %% 11 = 0 THEN 'absent_justifie' ELSE 'present' END,
                CASE WHEN (p.id + i) %% 11 = 0 THEN 'Rendez-vous médical' ELSE '' END,
                jour, jour, p.referent_id, p.id
            FROM accompagnement_parcours p
            CROSS JOIN generate_series(1, %(n)s) AS i
            CROSS JOIN LATERAL (SELECT p.date_entree + make_interval(days => i * 21)
                + time '10:00' AS jour) j
            WHERE p.statut = ANY(%(etats)s) AND p.date_entree IS NOT NULL
              AND p.referent_id IS NOT NULL
              AND j.jour < LEAST(COALESCE(p.date_sortie, now()::date), now()::date)
            """,
            {"canaux": list(CANAUX), "n": ENTRETIENS, "etats": list(ACCOMPAGNES)},
        )
        entretiens = cursor.rowcount
        # Les étapes reprennent les types du catalogue déjà utilisés par la démo.
        cursor.execute(
            """
            WITH types AS (
                SELECT row_number() OVER (ORDER BY min(id)) AS rang, type_code, type_libelle,
                       categorie, compte, emploi_ou_formation, min(intitule) AS intitule
                FROM accompagnement_etape
                GROUP BY type_code, type_libelle, categorie, compte, emploi_ou_formation
            ), n AS (SELECT count(*) AS total FROM types)
            INSERT INTO accompagnement_etape (type_code, type_libelle, categorie, compte,
                emploi_ou_formation, intitule, prestataire, date_debut, date_fin, statut,
                commentaire, created_at, updated_at, version, created_by_id, parcours_id)
            SELECT t.type_code, t.type_libelle, t.categorie, t.compte, t.emploi_ou_formation,
                t.intitule, '', debut, CASE WHEN debut + 30 < now()::date THEN debut + 30 END,
                CASE WHEN debut + 30 < now()::date THEN 'realisee' ELSE 'en_cours' END,
                '', now(), now(), 1, p.referent_id, p.id
            FROM accompagnement_parcours p
            CROSS JOIN generate_series(1, %(n)s) AS i
            CROSS JOIN n
            JOIN types t ON t.rang = 1 + (p.id + i) %% n.total
            CROSS JOIN LATERAL (SELECT p.date_entree + i * 35 AS debut) d
            WHERE p.statut = ANY(%(etats)s) AND p.date_entree IS NOT NULL
              AND p.referent_id IS NOT NULL AND d.debut < now()::date
            """,
            {"n": ETAPES, "etats": list(ACCOMPAGNES)},
        )
        return {"entretiens": entretiens, "etapes": cursor.rowcount}
