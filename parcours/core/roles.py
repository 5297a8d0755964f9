"""Les ensembles de rôles, déclarés une seule fois : la politique d'accès (`parcours/acces/`) et
les services du domaine s'y réfèrent par leur nom. Un même ensemble peut porter plusieurs noms
quand il sert des décisions différentes (l'une pourrait changer sans l'autre)."""

from parcours.core.enums import Role

# Voient tout le PLIE (listes, dossiers) : l'animation, la direction, l'administrateur.
ROLES_PILOTAGE = frozenset({Role.ANIMATEUR, Role.DIRECTION, Role.ADMIN})
# Accompagnent une file active.
ROLES_REFERENT = frozenset({Role.REFERENT, Role.REFERENT_ETAPE})
# Animent le PLIE : recevabilité, dérogations, séances, portefeuilles.
ROLES_ANIMATION = frozenset({Role.ANIMATEUR, Role.DIRECTION})
ROLES_GESTION_SESSIONS = ROLES_ANIMATION
ROLES_GESTION_PORTEFEUILLES = ROLES_ANIMATION
ROLES_DEROGATION = ROLES_ANIMATION
# Décident en commission (admission, sortie) ; peuvent y siéger.
ROLES_DECISION = frozenset({Role.COMMISSION, Role.ANIMATEUR, Role.DIRECTION})
ROLES_SIEGE = ROLES_DECISION
# Suivent le parcours au quotidien : engagement, étapes, entretiens, suspension, sortie proposée.
ROLES_SUIVI = frozenset({Role.REFERENT, Role.REFERENT_ETAPE, Role.ANIMATEUR})
# Le suivi, et le CRE pour l'emploi : contrats, contacts dans l'emploi.
ROLES_CONTRAT = ROLES_SUIVI | {Role.CRE}
# Prescrivent : le prescripteur, et l'animation pour une venue spontanée.
ROLES_PRESCRIPTION = frozenset({Role.PRESCRIPTEUR, Role.ANIMATEUR, Role.DIRECTION})
# Le réseau d'entreprises d'un PLIE : le CRE, l'animation, la direction ; le facilitateur aussi
# (guichet unique des entreprises attributaires de clauses).
ROLES_ENTREPRISES = frozenset(
    {Role.CRE, Role.ANIMATEUR, Role.DIRECTION, Role.FACILITATEUR, Role.ADMIN}
)
# Les offres d'emploi et les événements : le CRE, l'animation, la direction du PLIE.
ROLES_OFFRES = frozenset({Role.CRE, Role.ANIMATEUR, Role.DIRECTION, Role.ADMIN})
# Gèrent les clauses : le facilitateur du PLIE (002:L547 : guichet unique des entreprises).
ROLES_FACILITATION = frozenset({Role.FACILITATEUR, Role.ADMIN})
# Lisent tout ce qui concerne les clauses de leur PLIE, sans agir : l'animation, la direction.
ROLES_LECTURE_CLAUSES = ROLES_FACILITATION | {Role.ANIMATEUR, Role.DIRECTION}
# Proposent des candidats sur les besoins ouverts (opportunités diffusées : 001:L4343).
ROLES_PROPOSITION = frozenset({Role.REFERENT, Role.PRESCRIPTEUR})
# Les écrans de l'emploi et de la sortie : ceux qui suivent ou décident le parcours ; pas le
# prescripteur (docs/emploi.md).
ROLES_EMPLOI = frozenset({*ROLES_REFERENT, *ROLES_PILOTAGE, Role.CRE, Role.COMMISSION})
# Le suivi complet d'un dossier (docs/dossier.md) : pas le prescripteur (DOMAIN §1).
ROLES_SUIVI_DOSSIER = frozenset({*ROLES_PILOTAGE, *ROLES_REFERENT, Role.COMMISSION, Role.CRE})
# Ceux dont le périmètre par défaut contient des dossiers (le menu « Participants »).
ROLES_MENU_PARTICIPANTS = frozenset(
    {*ROLES_PILOTAGE, *ROLES_REFERENT, Role.PRESCRIPTEUR, Role.COMMISSION, Role.CRE}
)
# Structures, comptes, adhésions, référentiel d'un PLIE : son administrateur.
ROLES_ADMINISTRATION = frozenset({Role.ADMIN})
# Le journal des accès et l'export « droit d'accès » : qui répond des traitements du PLIE.
ROLES_JOURNAL = frozenset({Role.ADMIN, Role.DIRECTION})
# Lisent, le temps d'un contrôle de service fait, les dossiers tirés au sort qui leur sont
# ouverts, et rien d'autre (docs/controle.md).
ROLES_CONTROLE = frozenset({Role.CONTROLEUR})
