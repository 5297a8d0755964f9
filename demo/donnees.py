"""Les données fixes de la démonstration : PLIE, structures, comptes (un par rôle), noms et
états visés. Mot de passe de tous les comptes : DEMO_PASSWORD."""

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role, TypeStructure
from parcours.emploi.enums import TypeContrat

DEMO_PASSWORD = "demo-plie-2026"
PLIE_DEMO = ("agenais", "flandre-lys")
PARTICIPANTS_PAR_PLIE = 100

STRUCTURES = [
    ("porteur", TypeStructure.PORTEUR),
    ("operateur-1", TypeStructure.OPERATEUR),
    ("operateur-2", TypeStructure.OPERATEUR),
    ("france-travail", TypeStructure.PRESCRIPTEUR),
    ("departement", TypeStructure.PRESCRIPTEUR),
    ("siae", TypeStructure.SIAE),
    ("entreprise", TypeStructure.ENTREPRISE),
    ("donneur-ordre", TypeStructure.DONNEUR_ORDRE),
    ("financeur", TypeStructure.FINANCEUR),
]
NOMS_STRUCTURES = {
    "porteur": "Équipe d'animation {plie}",
    "operateur-1": "Accompagnement Emploi {plie}",
    "operateur-2": "Insertion Solidaire {plie}",
    "france-travail": "France Travail {plie}",
    "departement": "Conseil départemental — {plie}",
    "siae": "Chantier d'insertion {plie}",
    "entreprise": "Bâtiment Réuni {plie}",
    "donneur-ordre": "Office HLM {plie}",
    "financeur": "Département financeur {plie}",
}
# (identifiant, rôle, structure, prénom, nom)
COMPTES = [
    ("animateur", Role.ANIMATEUR, "porteur", "Camille", "Roux"),
    ("direction", Role.DIRECTION, "porteur", "Dominique", "Lefèvre"),
    ("referent", Role.REFERENT, "operateur-1", "Élodie", "Martin"),
    ("referent2", Role.REFERENT, "operateur-2", "Karim", "Benali"),
    ("referent-etape", Role.REFERENT_ETAPE, "operateur-2", "Sophie", "Garnier"),
    ("prescripteur", Role.PRESCRIPTEUR, "france-travail", "Julien", "Moreau"),
    ("prescripteur2", Role.PRESCRIPTEUR, "departement", "Nadia", "Haddad"),
    ("cre", Role.CRE, "porteur", "Thomas", "Petit"),
    ("facilitateur", Role.FACILITATEUR, "porteur", "Inès", "Fontaine"),
    ("commission", Role.COMMISSION, "porteur", "Hélène", "Dubois"),
    ("financeur", Role.FINANCEUR, "financeur", "Marc", "Girard"),
    ("donneur-ordre", Role.DONNEUR_ORDRE, "donneur-ordre", "Claire", "Lambert"),
    ("admin", Role.ADMIN, "porteur", "Paul", "Mercier"),
]

PRENOMS_F = [
    "Amélie",
    "Chloé",
    "Fatou",
    "Inès",
    "Léa",
    "Manon",
    "Nathalie",
    "Océane",
    "Sandrine",
    "Zoé",
    "Hélène",
    "Aïcha",
    "Brigitte",
    "Céline",
    "Émilie",
    "Gaëlle",
    "Joëlle",
    "Maëlys",
    "Noémie",
    "Sylvie",
]
PRENOMS_H = [
    "Adrien",
    "Bastien",
    "Cédric",
    "Désiré",
    "Éric",
    "François",
    "Jérôme",
    "Kévin",
    "Loïc",
    "Mehdi",
    "Nicolas",
    "Olivier",
    "Raphaël",
    "Sébastien",
    "Thierry",
    "Yannick",
    "Benoît",
    "Grégory",
    "Hervé",
    "Noël",
]
NOMS = [
    "Bernard",
    "Dubois",
    "Durand",
    "Lefèbvre",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Michel",
    "Garcia",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Müller",
    "Hénin",
    "Caron",
    "Ndiaye",
    "Nguyen",
    "Benoît",
    "Châtelain",
    "Lemaître",
    "Besnard",
    "Dufrêne",
    "Ouédraogo",
]

# États finaux visés et leur poids : une file active réaliste, surtout en accompagnement.
REPARTITION = [
    (Statut.PRESCRIT, 8),
    (Statut.INCOMPLET, 3),
    (Statut.RECEVABLE, 6),
    (Statut.IRRECEVABLE, 3),
    (Statut.ANNULE, 2),
    (Statut.EN_COMMISSION_ENTREE, 7),
    (Statut.AJOURNE, 3),
    (Statut.REFUSE, 2),
    (Statut.ADMIS, 6),
    (Statut.EN_ACCOMPAGNEMENT, 30),
    (Statut.SUSPENDU, 4),
    (Statut.EN_EMPLOI, 10),
    (Statut.SORTIE_PROPOSEE, 4),
    (Statut.SORTI, 12),
]


MOTIFS = [
    "Recherche d'emploi longue, besoin d'un accompagnement renforcé.",
    "Reprise d'activité après une longue interruption (santé, famille).",
    "Projet professionnel à construire, freins périphériques importants.",
    "Orientée par le référent RSA : accompagnement vers l'emploi durable.",
]
FREINS = ["mobilite", "logement", "sante", "garde_enfants", "competences_base", "experience"]
# Les contrats des dossiers « en emploi » : (type, employeur).
CONTRATS = [
    (TypeContrat.CDI, "Boulangerie Martin"),
    (TypeContrat.CDD, "Mairie (services techniques)"),
    (TypeContrat.CDD, "Clinique du Parc"),
    (TypeContrat.CDDI_ACI, "Chantier d'insertion Espaces verts"),
    (TypeContrat.CDI, "Transports Régionaux"),
    (TypeContrat.CDD, "Supermarché du Centre"),
]
# États atteints sans passer par la recevabilité : pas besoin de dérogation.
AVANT_RECEVABILITE = (Statut.PRESCRIT, Statut.INCOMPLET, Statut.IRRECEVABLE, Statut.ANNULE)
