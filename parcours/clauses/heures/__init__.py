"""Heures d'insertion réalisées : saisie à l'écran (facilitateur) et import mensuel d'un fichier.

NOTE POUR LE LEAD — numéro de participant : `Participant` n'a pas de champ « numéro » en base ;
son numéro affiché est la propriété `Participant.numero` = « P » + clé primaire sur 6 chiffres
(`P000123`). L'import l'accepte donc sous cette forme (ou la clé seule, `123`) : c'est un
numéro dérivé de la clé primaire, pas un identifiant métier stable d'une base à l'autre. Un champ
`numero` unique et indexé (attribué à la création) serait à ajouter dans `participants`.

Un fichier (CSV séparé par `;`, UTF-8 avec ou sans BOM, virgule décimale ; ou XLSX) porte les
colonnes `marche`, `siret`, `personne`, `mois` (AAAA-MM), `heures`. Tout ou rien : une seule
ligne fautive et rien n'est enregistré ; chaque erreur est listée avec son numéro de ligne (celui
du tableur : l'en-tête est la ligne 1). Réimporter un mois remplace les heures de ce mois
(clé unique marché × personne × mois) au lieu de les additionner. Voir docs/heures.md.

Un module par étape : `fichier` (lire le fichier, borné, sans la base), `lignes` (interpréter
une ligne), `controles` (contre la base), `enregistrement` (import et saisie, tout ou rien,
journalisés), `ensembles` (les requêtes qui joignent toutes les lignes du fichier à la base),
`marche` (ce que l'écran de saisie montre d'un marché pour un mois).
"""

from parcours.clauses.heures.controles import (
    ImportRefuse,
    Resultat,
    controler,
    erreurs_resumees,
    verifier_en_base,
)
from parcours.clauses.heures.enregistrement import (
    SaisieNonAutorisee,
    enregistrer_controle,
    importer_heures,
    importer_lignes,
    peut_enregistrer_heures,
    saisir_heures,
)
from parcours.clauses.heures.fichier import (
    COLONNES,
    ERREURS_AFFICHEES_MAX,
    TAILLE_MAX_FICHIER,
    FichierIllisible,
    LigneLue,
    lire_fichier,
    modele_csv,
)
from parcours.clauses.heures.lignes import (
    HEURES_MAX_PAR_MOIS,
    ErreurLigne,
    LigneHeures,
    Personne,
    interpreter,
    lire_heures,
    lire_mois,
    lire_personne,
)
from parcours.clauses.heures.marche import (
    PersonneEmbauchee,
    historique_heures,
    personnes_embauchees,
)

__all__ = [
    "COLONNES",
    "ERREURS_AFFICHEES_MAX",
    "HEURES_MAX_PAR_MOIS",
    "TAILLE_MAX_FICHIER",
    "ErreurLigne",
    "FichierIllisible",
    "ImportRefuse",
    "LigneHeures",
    "LigneLue",
    "Personne",
    "PersonneEmbauchee",
    "Resultat",
    "SaisieNonAutorisee",
    "controler",
    "enregistrer_controle",
    "erreurs_resumees",
    "historique_heures",
    "importer_heures",
    "importer_lignes",
    "interpreter",
    "lire_fichier",
    "lire_heures",
    "lire_mois",
    "lire_personne",
    "modele_csv",
    "personnes_embauchees",
    "peut_enregistrer_heures",
    "saisir_heures",
    "verifier_en_base",
]
