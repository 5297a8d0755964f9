"""L'engagement au premier entretien : contrat d'engagement réciproque, questionnaire FSE+ d'entrée,
pièces justificatives d'entrée (docs/engagement.md).

Le parcours admis ne passe « en accompagnement » que lorsque les trois sont complets : la
transition `Parcours.engager` porte la condition `engagement_complet`, qui s'appuie sur
`etat_engagement` et dit ce qui manque. Les règles propres au PLIE (signataires du contrat, liste
des pièces) viennent de la section `engagement` de son référentiel en vigueur.

Chaque service d'écriture prend l'acteur (`par`) : seuls le référent du parcours (ou qui la
politique d'accès laisse agir comme lui : intérim, référent d'étape) et l'équipe d'animation du
PLIE le peuvent (`par.has_perm("accompagnement.suivre_parcours", parcours)`). Les erreurs de
saisie lèvent une `ValidationError` de Django dont chaque message, en français, est rangé sous le
nom du champ concerné.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.models.engagement import (
    CHAMPS_SIGNATURE,
    ContratEngagement,
    PieceEntree,
    Signataire,
)
from parcours.accompagnement.models.questionnaire import QuestionnaireFSE, SituationMarcheTravail
from parcours.core.errors import TransitionInterdite, TransitionNonAutorisee
from parcours.core.fichiers import verifier_fichier
from parcours.referentiel.sections.engagement import PieceAttendue
from parcours.referentiel.sections.engagement import de as regles_engagement

# L'engagement se prépare une fois le parcours admis ; il reste consultable et ses pièces
# complétables tant que le parcours est dans la file active.
STATUTS_ENGAGEMENT = STATUTS_FILE_ACTIVE


def date_admission(parcours: Parcours) -> datetime.date:
    """Le jour de la décision d'admission (journal des transitions), à défaut la prescription."""
    admission = parcours.transitions.filter(transition="admettre").order_by("-at", "-id").first()
    if admission is None:
        return parcours.date_prescription
    return timezone.localdate(admission.at)


# — Droits et état —


def _verifier(parcours: Parcours, par, action: str) -> Statut:
    """Droits de l'acteur puis état du parcours (relu et verrouillé : appeler en transaction)."""
    if not par.has_perm("accompagnement.suivre_parcours", parcours):
        raise TransitionNonAutorisee(
            f"Vous n'avez pas le droit de {action} : seuls le référent du parcours et l'équipe "
            "d'animation du PLIE le peuvent."
        )
    statut = Statut(
        Parcours.objects.select_for_update().values_list("statut", flat=True).get(pk=parcours.pk)
    )
    if statut not in STATUTS_ENGAGEMENT:
        raise TransitionInterdite(
            f"Impossible de {action} : le parcours est à l'état « {statut.label} » "
            "(l'engagement se prépare une fois le parcours admis)."
        )
    return statut


def _remplacer_fichier(champ, nom: str, contenu) -> None:
    """Enregistre `contenu` dans le champ fichier ; l'ancien fichier est effacé après validation
    de la transaction (rien n'est perdu si elle échoue)."""
    ancien = champ.name
    champ.save(nom, contenu, save=False)
    if ancien and ancien != champ.name:
        stockage = champ.storage
        transaction.on_commit(lambda: stockage.delete(ancien))


# — Contrat d'engagement réciproque —


def contrat_de(parcours: Parcours) -> ContratEngagement | None:
    return ContratEngagement.objects.filter(parcours=parcours).first()


def _contrat(parcours: Parcours) -> ContratEngagement:
    contrat = contrat_de(parcours)
    if contrat is None:
        contrat = ContratEngagement.objects.create(
            parcours=parcours, signataires=list(regles_engagement(parcours.plie).signataires)
        )
    contrat.parcours = parcours
    return contrat


def _contrat_modifiable(contrat: ContratEngagement, statut: Statut) -> None:
    if statut != Statut.ADMIS:
        raise TransitionInterdite(
            "L'accompagnement est engagé : le contrat d'engagement signé n'est plus modifiable."
        )


@transaction.atomic
def generer_contrat(parcours: Parcours, par, *, objectifs: str | None = None) -> ContratEngagement:
    """Produit le PDF du contrat (WeasyPrint, gabarit engagement/contrat.html).

    `objectifs` : les objectifs convenus au premier entretien (None : inchangés). Le contrat
    se régénère tant qu'aucune signature ni copie signée n'est enregistrée.
    """
    from parcours.accompagnement.pdf import pdf_contrat

    statut = _verifier(parcours, par, "générer le contrat d'engagement")
    contrat = _contrat(parcours)
    _contrat_modifiable(contrat, statut)
    if contrat.a_une_signature:
        raise TransitionInterdite(
            "Le contrat a déjà des signatures : le régénérer changerait le document signé. "
            "Effacez les dates de signature avant de le régénérer."
        )
    if objectifs is not None:
        contrat.objectifs = objectifs.strip()
    contrat.genere_le = timezone.now()
    contrat.genere_par = par
    _remplacer_fichier(contrat.fichier, "contrat.pdf", ContentFile(pdf_contrat(contrat)))
    contrat.save()
    return contrat


def _en_date(valeur) -> datetime.date | None:
    if valeur in (None, ""):
        return None
    if isinstance(valeur, datetime.datetime):
        return timezone.localdate(valeur) if timezone.is_aware(valeur) else valeur.date()
    if isinstance(valeur, datetime.date):
        return valeur
    if isinstance(valeur, str):
        return datetime.date.fromisoformat(valeur)
    raise ValueError(valeur)


@transaction.atomic
def enregistrer_signatures(
    contrat: ContratEngagement, par, dates: dict, copie_signee=None
) -> ContratEngagement:
    """Enregistre les dates de signature et, le cas échéant, la copie signée.

    `dates` : signataire (`participant`, `referent`, `animation`) → date de signature, ou None
    pour l'effacer ; un signataire absent du dictionnaire garde sa date. Chaque date : pas dans
    le futur, pas avant l'admission. `copie_signee` : le scan du contrat signé (PDF, JPEG ou PNG,
    10 Mo au plus ; None : inchangée). Erreurs : ValidationError par signataire / `copie_signee`.
    """
    parcours = contrat.parcours
    statut = _verifier(parcours, par, "enregistrer les signatures du contrat d'engagement")
    contrat = ContratEngagement.objects.select_for_update().get(pk=contrat.pk)
    contrat.parcours = parcours
    _contrat_modifiable(contrat, statut)
    erreurs: dict[str, list[str]] = {}
    aujourdhui = timezone.localdate()
    admission = date_admission(parcours)
    nouvelles = {}
    for signataire, valeur in dates.items():
        try:
            code = Signataire(signataire)
        except ValueError:
            erreurs[str(signataire)] = [
                f"Signataire inconnu « {signataire} » "
                f"(signataires : {', '.join(Signataire.values)})."
            ]
            continue
        if code.value not in contrat.signataires:
            erreurs[code.value] = [
                f"Dans ce PLIE, {code.label} ne signe pas le contrat d'engagement "
                f"(signataires : {', '.join(Signataire(s).label for s in contrat.signataires)})."
            ]
            continue
        try:
            date = _en_date(valeur)
        except (TypeError, ValueError):
            erreurs[code.value] = [
                f"Date de signature illisible pour {code.label} : « {valeur} » (AAAA-MM-JJ)."
            ]
            continue
        if date is not None and date > aujourdhui:
            erreurs[code.value] = [
                f"La date de signature {_de(code.label)} ne peut pas être dans le futur "
                f"({date:%d/%m/%Y})."
            ]
        elif date is not None and date < admission:
            erreurs[code.value] = [
                f"La date de signature {_de(code.label)} ({date:%d/%m/%Y}) ne peut pas précéder "
                f"l'admission du {admission:%d/%m/%Y}."
            ]
        else:
            nouvelles[code] = date
    if copie_signee is not None:
        try:
            verifier_fichier(copie_signee, champ="Copie signée du contrat")
        except ValidationError as exc:
            erreurs["copie_signee"] = exc.messages
    if erreurs:
        raise ValidationError(erreurs)
    for code, date in nouvelles.items():
        setattr(contrat, CHAMPS_SIGNATURE[code], date)
    if copie_signee is not None:
        _remplacer_fichier(contrat.copie_signee, copie_signee.name, copie_signee)
        contrat.copie_deposee_le = timezone.now()
        contrat.copie_deposee_par = par
    contrat.full_clean(exclude=["parcours", "fichier", "copie_signee"])
    contrat.save()
    return contrat


def ouvrir_contrat(parcours: Parcours, par) -> ContratEngagement:
    """Le contrat du parcours, créé au besoin (signataires d'après le référentiel en vigueur),
    pour enregistrer des signatures sans avoir généré le PDF (contrat papier du PLIE)."""
    with transaction.atomic():
        _verifier(parcours, par, "ouvrir le contrat d'engagement")
        return _contrat(parcours)


# — Questionnaire FSE+ d'entrée —


def questionnaire_de(parcours: Parcours) -> QuestionnaireFSE | None:
    return QuestionnaireFSE.objects.filter(parcours=parcours).first()


def _valeur(champ: str, valeur):
    field = QuestionnaireFSE._meta.get_field(champ)
    if valeur is None or (isinstance(valeur, str) and not valeur.strip()):
        return None if field.null else ""
    if isinstance(valeur, str):
        valeur = valeur.strip()
    if champ == "date_entree" and isinstance(valeur, datetime.datetime):
        valeur = _en_date(valeur)
    return field.to_python(valeur)


@transaction.atomic
def enregistrer_questionnaire(parcours: Parcours, par, donnees: dict) -> QuestionnaireFSE:
    """Enregistre (en une ou plusieurs fois) les réponses du questionnaire FSE+ d'entrée.

    `donnees` : champ → réponse (voir `QuestionnaireFSE.CHAMPS` ; None ou "" efface). Changer
    la situation sur le marché du travail efface le type d'emploi / les mois de recherche qui
    ne s'y appliquent plus, sauf s'ils sont fournis. Une réponse invalide (date d'entrée après
    aujourd'hui, « ne souhaite pas répondre » là où la question ne l'accepte pas…) lève une
    ValidationError par champ, et rien n'est enregistré. Une fois l'accompagnement engagé, le
    questionnaire se rectifie mais doit rester complet.
    """
    statut = _verifier(parcours, par, "renseigner le questionnaire FSE+")
    questionnaire = questionnaire_de(parcours) or QuestionnaireFSE(parcours=parcours)
    questionnaire.parcours = parcours
    erreurs: dict[str, list[str]] = {}
    valeurs = {}
    for champ, valeur in donnees.items():
        if champ not in QuestionnaireFSE.CHAMPS:
            erreurs[str(champ)] = ["Question inconnue du questionnaire FSE+."]
            continue
        try:
            valeurs[champ] = _valeur(champ, valeur)
        except ValidationError as exc:
            erreurs[champ] = [
                f"{QuestionnaireFSE.libelle(champ).capitalize()} : {m}" for m in exc.messages
            ]
    if erreurs:
        raise ValidationError(erreurs)
    situation = valeurs.get("situation_marche_travail")
    if "situation_marche_travail" in valeurs:
        if situation != SituationMarcheTravail.EN_EMPLOI and "type_emploi" not in valeurs:
            valeurs["type_emploi"] = ""
        if (
            situation != SituationMarcheTravail.DEMANDEUR_EMPLOI
            and "mois_recherche_emploi" not in valeurs
        ):
            valeurs["mois_recherche_emploi"] = None
    for champ, valeur in valeurs.items():
        setattr(questionnaire, champ, valeur)
    questionnaire.renseigne_par = par
    questionnaire.full_clean(exclude=["parcours", "renseigne_par"])
    if statut != Statut.ADMIS and not questionnaire.complet:
        raise ValidationError(
            {
                champ: [
                    "Réponse exigée : l'accompagnement est engagé, le questionnaire doit rester "
                    "complet."
                ]
                for champ in questionnaire.champs_manquants_codes()
            }
        )
    questionnaire.save()
    return questionnaire


def donnees_initiales(parcours: Parcours) -> dict:
    """Des réponses suggérées d'après la prescription, pour pré-remplir le questionnaire.

    Seulement ce que la prescription établit : la personne confirme ou corrige au premier
    entretien (la situation s'apprécie à la date d'entrée dans l'opération).
    """
    from parcours.referentiel.calendrier import mois_revolus

    prescription = getattr(parcours, "prescription", None)
    if prescription is None:
        return {}
    suggestions = {}
    if prescription.niveau_qualification is not None:
        suggestions["niveau_diplome"] = prescription.niveau_qualification
    if prescription.sans_emploi_depuis:
        suggestions["situation_marche_travail"] = SituationMarcheTravail.DEMANDEUR_EMPLOI.value
        suggestions["mois_recherche_emploi"] = mois_revolus(
            prescription.sans_emploi_depuis, timezone.localdate()
        )
    statuts = {s.code for s in prescription.statuts.all()}
    if statuts & {"rsa", "rsa_majore", "ass", "aah"}:
        suggestions["minima_sociaux"] = "oui"
    rqth = prescription.rqth_jusqu_au
    if "aah" in statuts or (rqth and rqth >= timezone.localdate()):
        suggestions["handicap_reconnu"] = "oui"
    return suggestions


# — Pièces justificatives d'entrée —


@dataclass(frozen=True)
class LignePiece:
    """Une ligne de la liste des pièces : la pièce attendue et, si elle l'est, la pièce déposée."""

    attendue: PieceAttendue
    deposee: PieceEntree | None


def pieces_attendues(parcours: Parcours) -> list[PieceAttendue]:
    return list(regles_engagement(parcours.plie).pieces)


def pieces_entree(parcours: Parcours) -> list[LignePiece]:
    """La liste du référentiel en vigueur, avec ce qui a été déposé (obligatoires d'abord)."""
    deposees = {p.code: p for p in PieceEntree.objects.filter(parcours=parcours)}
    attendues = sorted(pieces_attendues(parcours), key=lambda p: not p.obligatoire)
    return [LignePiece(p, deposees.get(p.code)) for p in attendues]


def pieces_manquantes(parcours: Parcours) -> list[PieceAttendue]:
    """Les pièces obligatoires du référentiel en vigueur qui n'ont pas été déposées."""
    deposees = set(PieceEntree.objects.filter(parcours=parcours).values_list("code", flat=True))
    return [p for p in pieces_attendues(parcours) if p.obligatoire and p.code not in deposees]


@transaction.atomic
def deposer_piece(parcours: Parcours, code: str, fichier, par) -> PieceEntree:
    """Dépose une pièce de la liste d'entrée ; un nouveau dépôt du même code remplace l'ancien.

    Erreurs : ValidationError sous `code` (pièce inconnue du référentiel) ou `fichier` (type,
    taille).
    """
    _verifier(parcours, par, "déposer une pièce d'entrée")
    attendue = regles_engagement(parcours.plie).piece(code)
    if attendue is None:
        connues = ", ".join(p.code for p in pieces_attendues(parcours)) or "aucune"
        raise ValidationError(
            {
                "code": [
                    f"« {code} » n'est pas une pièce de la liste d'entrée de ce PLIE "
                    f"(pièces : {connues})."
                ]
            }
        )
    try:
        verifier_fichier(fichier, champ=f"Pièce « {attendue.libelle} »")
    except ValidationError as exc:
        raise ValidationError({"fichier": exc.messages}) from exc
    piece = PieceEntree.objects.filter(parcours=parcours, code=code).first() or PieceEntree(
        parcours=parcours, code=code
    )
    piece.parcours = parcours
    piece.libelle = attendue.libelle
    piece.deposee_par = par
    piece.le = timezone.now()
    _remplacer_fichier(piece.fichier, fichier.name, fichier)
    piece.save()
    return piece


# — Complétude —


def _minuscule(libelle: str) -> str:
    """« Justificatif de domicile » → « justificatif de domicile » ; « CV » reste « CV »."""
    if len(libelle) > 1 and libelle[0].isupper() and libelle[1].islower():
        return libelle[0].lower() + libelle[1:]
    return libelle


@dataclass(frozen=True)
class EtatEngagement:
    """Ce qui est fait et ce qui manque pour engager l'accompagnement."""

    contrat_signe: bool
    signatures_manquantes: tuple[str, ...]  # codes des signataires sans date
    copie_signee_manquante: bool
    questionnaire_complet: bool
    questionnaire_manquants: tuple[str, ...]  # codes des champs sans réponse
    pieces_manquantes: tuple[PieceAttendue, ...]

    @property
    def complet(self) -> bool:
        return self.contrat_signe and self.questionnaire_complet and not self.pieces_manquantes

    def manquants(self) -> list[str]:
        """Une phrase en français par élément manquant, dans l'ordre du premier entretien."""
        phrases = [
            f"Contrat d'engagement : signature {_de(Signataire(s).label)} manquante"
            for s in self.signatures_manquantes
        ]
        if self.copie_signee_manquante:
            phrases.append("Contrat d'engagement : copie signée non déposée")
        for champ in self.questionnaire_manquants:
            accord = "manquante" if QuestionnaireFSE.CHAMPS[champ] == "f" else "manquant"
            phrases.append(f"Questionnaire FSE+ : {QuestionnaireFSE.libelle(champ)} {accord}")
        phrases += [f"Pièce manquante : {_minuscule(p.libelle)}" for p in self.pieces_manquantes]
        return phrases


def _de(groupe: str) -> str:
    """« le participant » → « du participant » ; « l'équipe d'animation » → « de l'équipe… »."""
    if groupe.startswith("le "):
        return "du " + groupe[3:]
    return "de " + groupe


def etat_engagement(parcours: Parcours) -> EtatEngagement:
    """Relu en base à chaque appel : la condition de `engager` juge l'état réel du dossier."""
    contrat = contrat_de(parcours)
    if contrat is None:
        signatures = regles_engagement(parcours.plie).signataires
        copie_manquante = True
    else:
        signatures = tuple(s.value for s in contrat.signatures_manquantes())
        copie_manquante = not contrat.copie_signee
    questionnaire = questionnaire_de(parcours) or QuestionnaireFSE(parcours=parcours)
    manquants_questionnaire = tuple(questionnaire.champs_manquants_codes())
    return EtatEngagement(
        contrat_signe=not signatures and not copie_manquante,
        signatures_manquantes=signatures,
        copie_signee_manquante=copie_manquante,
        questionnaire_complet=not manquants_questionnaire,
        questionnaire_manquants=manquants_questionnaire,
        pieces_manquantes=tuple(pieces_manquantes(parcours)),
    )


@transaction.atomic
def engager_parcours(parcours: Parcours, par, *, motif: str = "") -> Parcours:
    """Passe le parcours « en accompagnement » ; la date d'entrée est celle du questionnaire
    FSE+ (date d'entrée dans l'opération). Refusé, avec ce qui manque, si l'engagement est
    incomplet (TransitionInterdite)."""
    questionnaire = questionnaire_de(parcours)
    parcours.engager(
        par=par, motif=motif, date_entree=questionnaire.date_entree if questionnaire else None
    )
    parcours.save()
    return parcours
