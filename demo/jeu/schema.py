"""Carte des tables du domaine pour le clonage : colonnes, clés étrangères, références génériques.

Lue depuis les modèles Django (y compris les tables des ManyToMany) : un modèle ajouté au domaine
est cloné sans toucher au générateur. Trois niveaux de clonage (voir clonage.py) :
- équipe : comptes, adhésions, structures (copies d'équipe dans un PLIE) ;
- dossier : tout ce qui descend d'un participant (copies de dossiers dans un PLIE) ;
- PLIE : tout le domaine (copies de PLIE).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

# Jamais clonées : tables techniques, journal d'audit (identifiants d'objet en texte libre).
GLOBALES = {
    "django_content_type",
    "django_migrations",
    "django_session",
    "django_admin_log",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "tracabilite_trace",
    # Tenue par les déclencheurs des personnes et des parcours (migration participants 0008).
    "participants_trigramme",
}
EQUIPE = {"core_user", "core_membership", "core_structure", "core_user_groups"}
EQUIPE |= {"core_user_user_permissions"}
# Racine des dossiers : tout ce qui en descend (par une clé non nulle) est cloné avec eux.
RACINES_DOSSIER = {"participants_participant"}
# Références génériques : (colonne du type de contenu, colonne de l'identifiant).
GENERIQUES = {
    "viewflow_process": [
        ("artifact_content_type_id", "artifact_object_id"),
        ("seed_content_type_id", "seed_object_id"),
    ],
    "viewflow_task": [
        ("artifact_content_type_id", "artifact_object_id"),
        ("seed_content_type_id", "seed_object_id"),
        ("owner_permission_content_type_id", "owner_permission_obj_pk"),
    ],
    "guardian_userobjectpermission": [("content_type_id", "object_pk")],
    "guardian_groupobjectpermission": [("content_type_id", "object_pk")],
}


@dataclass
class Table:
    nom: str
    pk: str
    colonnes: list[str]
    fks: dict[str, str] = field(default_factory=dict)  # colonne -> table visée
    textes: set[str] = field(
        default_factory=set
    )  # colonnes texte (pour les identifiants génériques)


def tables() -> dict[str, Table]:
    resultat = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table.startswith("axes_"):
            continue
        table = Table(meta.db_table, meta.pk.column, [])
        for champ in meta.concrete_fields:
            table.colonnes.append(champ.column)
            if champ.is_relation and champ.related_model is not None:
                table.fks[champ.column] = champ.related_model._meta.db_table
            elif champ.get_internal_type() in ("CharField", "TextField"):
                table.textes.add(champ.column)
        resultat[meta.db_table] = table
    return resultat


def types_de_contenu() -> dict[int, str]:
    """id du type de contenu -> table du modèle (les types sans modèle sont ignorés)."""
    resultat = {}
    for ct in ContentType.objects.all():
        model = ct.model_class()
        if model is not None:
            resultat[ct.pk] = model._meta.db_table
    return resultat


def tables_du_domaine(toutes: dict[str, Table]) -> list[str]:
    return sorted(nom for nom in toutes if nom not in GLOBALES)


def tables_de_dossier(toutes: dict[str, Table], types: dict[int, str]) -> list[str]:
    """Les tables qui descendent d'un participant : clé étrangère vers une table de dossier, ou
    processus viewflow dont l'artefact est un dossier. Ordre : parents avant enfants."""
    dossier = list(RACINES_DOSSIER)
    change = True
    while change:
        change = False
        for nom, table in toutes.items():
            if nom in dossier or nom in GLOBALES or nom in EQUIPE:
                continue
            cibles = set(table.fks.values())
            if nom == "viewflow_process":
                cibles |= {"accompagnement_parcours", "clauses_positionnement"}
            if cibles & set(dossier):
                dossier.append(nom)
                change = True
    return dossier
