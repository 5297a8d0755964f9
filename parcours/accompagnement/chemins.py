"""Le chemin de transitions le plus court menant à chaque état, depuis « prescrit ».

Sert à construire des dossiers réalistes (données de démonstration, tests) en passant par les
vraies transitions : chaque étape nomme la transition, l'acteur attendu et ses arguments.
L'engagement (contrat signé, questionnaire FSE+, pièces) se complète entre l'admission et
`engager` : `amener(..., engagement=completer_engagement)`.
"""

from django.core.files.base import ContentFile

from parcours.accompagnement.enums import Statut, TypeSortie

# (transition, acteur, arguments) ; l'acteur est un rôle, « referent » désignant le référent
# du parcours. `referent=True` : le référent à désigner est fourni par l'appelant.
# Les décisions de commission sont prises ici par l'animation : un membre de commission ne décide
# que les dossiers d'une session où il siège (parcours/commissions, docs/commissions.md).
_ADMISSION = [
    ("declarer_recevable", "animateur", {}),
    ("inscrire_en_commission", "animateur", {}),
    ("admettre", "animateur", {"referent": True}),
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
        ("ajourner", "animateur", {"motif": "Projet professionnel à préciser"}),
    ],
    Statut.REFUSE: [
        *_ADMISSION[:2],
        ("refuser", "animateur", {"motif": "Relève de l'accompagnement Mission locale"}),
    ],
    Statut.ADMIS: _ADMISSION,
    Statut.EN_ACCOMPAGNEMENT: _ENGAGEMENT,
    Statut.SUSPENDU: [*_ENGAGEMENT, ("suspendre", "referent", {"motif": "Raisons de santé"})],
    Statut.EN_EMPLOI: _EMPLOI,
    Statut.SORTIE_PROPOSEE: _SORTIE_PROPOSEE,
    Statut.SORTI: [*_SORTIE_PROPOSEE, ("valider_sortie", "animateur", {})],
}


def amener(parcours, statut, acteurs, referent, quand=None, engagement=None):
    """Fait passer `parcours` (prescrit) jusqu'à `statut` par les transitions réelles.

    `acteurs` : rôle → utilisateur ; `referent` : celui désigné à l'admission ;
    `quand(transition)` : appelé après chaque enregistrement (pour dater l'historique, par ex.) ;
    `engagement(parcours)` : appelé juste après l'admission, pour préparer l'engagement (sans
    lui, `engager` est refusé : l'engagement est incomplet).
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
        if nom == "admettre" and engagement is not None:
            engagement(parcours)
    return parcours


# Un PDF minimal mais valide : la « copie signée » et les pièces des dossiers construits.
PDF_MINIMAL = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
QUESTIONNAIRE_TYPE = {
    "commune_naissance": "Agen",
    "code_postal_naissance": "47000",
    "situation_marche_travail": "demandeur_emploi",
    "mois_recherche_emploi": 14,
    "niveau_diplome": 3,
    "diplome_dgefp": "2c",
    "handicap_reconnu": "non",
    "minima_sociaux": "non",
    "sans_domicile": "non",
    "parent_ne_etranger": "nsp",
}
PARTIES_ENGAGEMENT = ("contrat", "questionnaire", "pieces")


def completer_engagement(parcours, par=None, le=None, parties=PARTIES_ENGAGEMENT):
    """Complète l'engagement d'un parcours admis par les vrais services : contrat signé par
    chacun le jour `le` (par défaut celui de l'admission) avec sa copie signée, questionnaire
    FSE+ (d'après la prescription), pièces obligatoires du référentiel. `parties` : pour ne
    faire qu'une partie (dossiers de démonstration en cours d'engagement)."""
    from parcours.accompagnement import engagement

    par = par or parcours.referent
    le = le or engagement.date_admission(parcours)
    if "contrat" in parties:
        contrat = engagement.ouvrir_contrat(parcours, par)
        engagement.enregistrer_signatures(
            contrat,
            par,
            dict.fromkeys(contrat.signataires, le),
            copie_signee=ContentFile(PDF_MINIMAL, name="contrat-signe.pdf"),
        )
    if "questionnaire" in parties:
        engagement.enregistrer_questionnaire(
            parcours,
            par,
            {**QUESTIONNAIRE_TYPE, **engagement.donnees_initiales(parcours), "date_entree": le},
        )
    if "pieces" in parties:
        for piece in engagement.pieces_attendues(parcours):
            if piece.obligatoire:
                fichier = ContentFile(PDF_MINIMAL, name=f"{piece.code}.pdf")
                engagement.deposer_piece(parcours, piece.code, fichier, par)
    return parcours
