from django.db import models


class Statut(models.TextChoices):
    PRESCRIT = "prescrit", "Prescrit"
    INCOMPLET = "incomplet", "Incomplet (à compléter)"
    RECEVABLE = "recevable", "Recevable"
    IRRECEVABLE = "irrecevable", "Irrecevable"
    ANNULE = "annule", "Annulé"
    EN_COMMISSION_ENTREE = "en_commission_entree", "En commission d'entrée"
    AJOURNE = "ajourne", "Ajourné"
    REFUSE = "refuse", "Refusé"
    ADMIS = "admis", "Admis"
    EN_ACCOMPAGNEMENT = "en_accompagnement", "En accompagnement"
    SUSPENDU = "suspendu", "Suspendu (veille)"
    EN_EMPLOI = "en_emploi", "En emploi (suivi)"
    SORTIE_PROPOSEE = "sortie_proposee", "Sortie proposée"
    SORTI = "sorti", "Sorti"


# Ce que fait chaque transition, pour les messages de refus (parcours/core/fsm.py) : « Ce dossier
# est déjà admis : il n'est plus possible de prononcer l'admission. »
ACTIONS_TRANSITIONS = {
    "demander_complements": "demander des compléments au prescripteur",
    "completer": "compléter la prescription",
    "declarer_recevable": "déclarer la prescription recevable",
    "declarer_irrecevable": "déclarer la prescription irrecevable",
    "annuler": "annuler la prescription",
    "inscrire_en_commission": "inscrire la personne en commission d'entrée",
    "admettre": "prononcer l'admission",
    "ajourner": "ajourner la décision d'admission",
    "refuser": "refuser l'admission",
    "engager": "engager l'accompagnement (entretien d'engagement)",
    "suspendre": "suspendre l'accompagnement",
    "reprendre": "reprendre l'accompagnement",
    "entrer_en_emploi": "enregistrer l'entrée en emploi",
    "rompre_emploi": "enregistrer la rupture de l'emploi",
    "proposer_sortie": "proposer la sortie",
    "refuser_sortie": "refuser la sortie proposée",
    "valider_sortie": "valider la sortie",
}

# « Ce dossier est … » : chaque état dit simplement.
ETATS_EN_CLAIR = {
    Statut.PRESCRIT: "prescrit (recevabilité à examiner)",
    Statut.INCOMPLET: "en attente de compléments",
    Statut.RECEVABLE: "recevable",
    Statut.IRRECEVABLE: "irrecevable",
    Statut.ANNULE: "annulé",
    Statut.EN_COMMISSION_ENTREE: "inscrit en commission d'entrée",
    Statut.AJOURNE: "ajourné",
    Statut.REFUSE: "refusé",
    Statut.ADMIS: "admis",
    Statut.EN_ACCOMPAGNEMENT: "en accompagnement",
    Statut.SUSPENDU: "suspendu (en veille)",
    Statut.EN_EMPLOI: "en emploi",
    Statut.SORTIE_PROPOSEE: "proposé à la sortie",
    Statut.SORTI: "sorti du PLIE",
}


# Un parcours dans l'un de ces états est clos : la personne peut en ouvrir un nouveau.
STATUTS_CLOS = (Statut.IRRECEVABLE, Statut.ANNULE, Statut.REFUSE, Statut.SORTI)
# États où le parcours compte dans la file active du référent.
STATUTS_FILE_ACTIVE = (
    Statut.ADMIS,
    Statut.EN_ACCOMPAGNEMENT,
    Statut.SUSPENDU,
    Statut.EN_EMPLOI,
    Statut.SORTIE_PROPOSEE,
)


class CategorieSortie(models.TextChoices):
    POSITIVE = "positive", "Sortie positive"
    AUTRE = "autre", "Autre sortie (administrative)"
    NEGATIVE = "negative", "Sortie négative"


class TypeSortie(models.TextChoices):
    EMPLOI_DURABLE = "emploi_durable", "Emploi durable"
    FORMATION_QUALIFIANTE = "formation_qualifiante", "Formation qualifiante"
    CREATION_ENTREPRISE = "creation_entreprise", "Création d'entreprise"
    DEMENAGEMENT = "demenagement", "Déménagement"
    DECES = "deces", "Décès"
    INCARCERATION = "incarceration", "Incarcération de plus de 3 mois"
    MATERNITE = "maternite", "Maternité sans projet de reprise"
    SANTE = "sante", "Raisons de santé"
    REORIENTATION = "reorientation", "Réorientation vers un autre dispositif"
    ABANDON = "abandon", "Abandon"
    NON_RESPECT_CONTRAT = "non_respect_contrat", "Non-respect du contrat d'engagement"

    @property
    def categorie(self) -> CategorieSortie:
        if self in (self.EMPLOI_DURABLE, self.FORMATION_QUALIFIANTE, self.CREATION_ENTREPRISE):
            return CategorieSortie.POSITIVE
        if self in (self.ABANDON, self.NON_RESPECT_CONTRAT):
            return CategorieSortie.NEGATIVE
        return CategorieSortie.AUTRE


# — Suivi : étapes, entretiens, suspensions (docs/accompagnement.md) —


class StatutEtape(models.TextChoices):
    PREVUE = "prevue", "Prévue"
    EN_COURS = "en_cours", "En cours"
    REALISEE = "realisee", "Réalisée"
    ABANDONNEE = "abandonnee", "Abandonnée"


# Une étape engagée (en cours ou réalisée) doit être justifiée par ses preuves.
STATUTS_ETAPE_A_JUSTIFIER = (StatutEtape.EN_COURS, StatutEtape.REALISEE)


class CanalContact(models.TextChoices):
    """Les canaux de contact (seed 000:L540)."""

    PHYSIQUE_INDIVIDUEL = "physique_individuel", "Entretien physique individuel"
    PHYSIQUE_COLLECTIF = "physique_collectif", "Entretien physique collectif"
    TELEPHONE = "telephone", "Téléphone"
    VISIO = "visio", "Visioconférence"
    COURRIER = "courrier", "Courrier"
    COURRIEL = "courriel", "Courriel"
    SMS = "sms", "SMS"


# Les entretiens physiques comptent pour la règle « un entretien physique par mois » ; leur
# feuille d'émargement en est la preuve.
CANAUX_PHYSIQUES = (CanalContact.PHYSIQUE_INDIVIDUEL, CanalContact.PHYSIQUE_COLLECTIF)


class Presence(models.TextChoices):
    PRESENT = "present", "Présent"
    ABSENT_JUSTIFIE = "absent_justifie", "Absent (absence justifiée)"
    ABSENT_INJUSTIFIE = "absent_injustifie", "Absent (absence injustifiée)"


class MotifSuspension(models.TextChoices):
    """Motifs de suspension (veille) du parcours (seed 001:L500)."""

    SANTE = "sante", "Santé"
    FAMILLE = "famille", "Problèmes familiaux"
    INCARCERATION = "incarceration", "Incarcération (moins de 3 mois)"
    AUTRE = "autre", "Autre"
