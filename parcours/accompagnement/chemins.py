"""Le chemin de transitions le plus court menant à chaque état, depuis « prescrit ».

Sert à construire des dossiers réalistes (données de démonstration, tests) en passant par les
vraies transitions : chaque étape nomme la transition, l'acteur attendu et ses arguments.
"""

from parcours.accompagnement.enums import Statut, TypeSortie

# (transition, acteur, arguments) ; l'acteur est un rôle, « referent » désignant le référent
# du parcours. `referent=True` : le référent à désigner est fourni par l'appelant.
_ADMISSION = [
    ("declarer_recevable", "animateur", {}),
    ("inscrire_en_commission", "animateur", {}),
    ("admettre", "commission", {"referent": True}),
]
_ENGAGEMENT = [*_ADMISSION, ("engager", "referent", {})]
_EMPLOI = [*_ENGAGEMENT, ("entrer_en_emploi", "referent", {})]
_SORTIE_PROPOSEE = [
    *_EMPLOI,
    ("proposer_sortie", "referent", {"type_sortie": TypeSortie.EMPLOI_DURABLE}),
]

CHEMINS = {
    Statut.PRESCRIT: [],
    Statut.INCOMPLET: [
        ("demander_complements", "animateur", {"motif": "Justificatif RSA manquant"})
    ],
    Statut.RECEVABLE: [("declarer_recevable", "animateur", {})],
    Statut.IRRECEVABLE: [
        ("declarer_irrecevable", "animateur", {"motif": "Domicile hors du territoire du PLIE"})
    ],
    Statut.ANNULE: [("annuler", "prescripteur", {"motif": "La personne a retrouvé un emploi"})],
    Statut.EN_COMMISSION_ENTREE: _ADMISSION[:2],
    Statut.AJOURNE: [
        *_ADMISSION[:2],
        ("ajourner", "commission", {"motif": "Projet professionnel à préciser"}),
    ],
    Statut.REFUSE: [
        *_ADMISSION[:2],
        ("refuser", "commission", {"motif": "Relève de l'accompagnement Mission locale"}),
    ],
    Statut.ADMIS: _ADMISSION,
    Statut.EN_ACCOMPAGNEMENT: _ENGAGEMENT,
    Statut.SUSPENDU: [*_ENGAGEMENT, ("suspendre", "referent", {"motif": "Raisons de santé"})],
    Statut.EN_EMPLOI: _EMPLOI,
    Statut.SORTIE_PROPOSEE: _SORTIE_PROPOSEE,
    Statut.SORTI: [*_SORTIE_PROPOSEE, ("valider_sortie", "commission", {})],
}


def amener(parcours, statut, acteurs, referent, quand=None):
    """Fait passer `parcours` (prescrit) jusqu'à `statut` par les transitions réelles.

    `acteurs` : rôle → utilisateur ; `referent` : celui désigné à l'admission ;
    `quand(transition)` : appelé après chaque enregistrement (pour dater l'historique, par ex.).
    """
    for nom, acteur, kwargs in CHEMINS[statut]:
        kwargs = dict(kwargs)
        if kwargs.pop("referent", False):
            kwargs["referent"] = referent
        par = parcours.referent if acteur == "referent" else acteurs[acteur]
        getattr(parcours, nom)(par=par, **kwargs)
        parcours.save()
        if quand is not None:
            quand(nom)
    return parcours
