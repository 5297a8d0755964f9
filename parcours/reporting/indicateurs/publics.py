"""Les publics suivis par les indicateurs (000:L469-479) et leur filtre sur un parcours.

Sexe, âge et statuts déclarés à la prescription ; à compléter (DELD/DETLD, seniors,
niveaux de qualification) par les indicateurs de publics."""

from django.db.models import Exists, OuterRef, Q

PUBLICS = (
    ("femme", "Femmes"),
    ("homme", "Hommes"),
    ("jeune", "Moins de 26 ans à l'entrée"),
    ("senior", "50 ans et plus à l'entrée"),
    ("rsa", "Allocataires du RSA"),
    ("rqth", "Travailleurs handicapés (RQTH)"),
    ("qpv", "Résidents d'un QPV"),
)

_STATUTS = {"rsa": ("rsa", "rsa_majore"), "rqth": ("rqth",), "qpv": ("qpv",)}


def filtre_public(code: str, periode) -> Q:
    """Le Q sur Parcours qui garde le public `code` ; un code inconnu lève ValueError."""
    from parcours.accompagnement.models import StatutDeclare

    if code == "femme":
        return Q(participant__sexe="F")
    if code == "homme":
        return Q(participant__sexe="M")
    if code in ("jeune", "senior"):
        # L'âge à l'entrée (à défaut, à la prescription) : une borne sur la date de naissance
        # comparée en SQL, sans fonction par ligne.
        from django.db.models import F
        from django.db.models.functions import Coalesce

        from parcours.reporting.indicateurs.sql import ans_avant

        reference = Coalesce(F("date_entree"), F("date_prescription"))
        if code == "jeune":
            return Q(participant__date_naissance__gt=ans_avant(reference, 26))
        return Q(participant__date_naissance__lte=ans_avant(reference, 50))
    if code in _STATUTS:
        return Q(
            Exists(
                StatutDeclare.objects.filter(
                    prescription__parcours_id=OuterRef("pk"), code__in=_STATUTS[code]
                )
            )
        )
    raise ValueError(f"Public inconnu : « {code} ».")
