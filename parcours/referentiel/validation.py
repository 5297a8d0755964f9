"""Validation d'un fichier de référentiel (format décrit dans docs/referentiel.md).

Chaque erreur nomme le fichier, le chemin dans le fichier (`territoires[0].communes[3].insee`)
et le problème, en français. Rien n'est enregistré tant qu'une erreur subsiste.

La section facultative `eligibilite` (arbre de critères, docs/eligibilite.md) est vérifiée ici ;
son vocabulaire (types de critères, codes de statut et de frein) est défini dans ce module et
partagé avec le moteur (parcours/referentiel/eligibilite.py). La section facultative `engagement`
(signataires du contrat, pièces d'entrée : docs/engagement.md) l'est aussi.
"""

import datetime
import re
from dataclasses import dataclass

FORMATS_CONNUS = {1}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
TYPES_COMMISSION = ("entree", "sortie")
# Clé absente : déjà signalée comme « clé obligatoire absente », sans seconde erreur de type.
ABSENT = object()

# --- Vocabulaire de l'éligibilité (docs/eligibilite.md) ---------------------------------------
# Codes de statut et de frein du format d'entrée « personne » (issue 3), avec leur libellé.
STATUTS = {
    "rsa": "RSA",
    "rsa_majore": "RSA majoré",
    "ass": "ASS",
    "aah": "AAH",
    "qpv": "QPV (quartier prioritaire)",
    "rqth": "RQTH",
    "ppsmj": "PPSMJ (sous main de justice)",
    "refugie": "réfugié (protection internationale)",
    "parent_isole": "parent isolé",
}
FREINS = {
    "mobilite": "mobilité",
    "logement": "logement",
    "sante": "santé",
    "garde_enfants": "garde d'enfants",
    "situation_familiale": "situation familiale",
    "justice": "justice",
    "competences_base": "compétences de base",
    "qualification_inadaptee": "qualification inadaptée",
    "experience": "expérience professionnelle",
}
SUIVIS = {"mission_locale": "la Mission locale", "cap_emploi": "Cap emploi"}
# Nomenclature nationale des niveaux de diplôme (2019) : 3 = CAP/BEP, 4 = bac, 5 = bac+2…
NIVEAU_MIN, NIVEAU_MAX = 1, 8
# Un nœud de l'arbre est un groupe (une seule de ces clés) ou un critère (clé `type`).
GROUPES = ("tous", "un_parmi", "non")
# Type de critère -> (paramètres obligatoires, paramètres facultatifs).
TYPES_CRITERE = {
    "residence": ((), ()),
    "age": ((), ("min", "max")),
    "statut": (("statuts",), ("depuis_mois_min",)),
    "chomage_longue_duree": (("mois_min",), ()),
    "rqth_valide": ((), ()),
    "niveau_qualification_max": (("max",), ()),
    "bac": (("attendu",), ()),
    "non_suivi": (("par",), ()),
    "via_clause": ((), ()),
    "freins": ((), ("parmi", "au_moins")),
}
CODE_CRITERE = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")
PROFONDEUR_MAX = 20

# --- Vocabulaire de l'engagement (docs/engagement.md) ------------------------------------------
# Signataires du contrat d'engagement : le participant et le référent toujours, l'équipe
# d'animation quand le PLIE le prévoit.
SIGNATAIRES = {
    "participant": "le participant",
    "referent": "le référent",
    "animation": "l'équipe d'animation",
}
SIGNATAIRES_OBLIGATOIRES = ("participant", "referent")


@dataclass(frozen=True)
class Erreur:
    chemin: str
    probleme: str

    def format(self, fichier: str) -> str:
        return f"{fichier}: {self.chemin or '(racine)'}: {self.probleme}"


class ReferentielInvalide(Exception):
    def __init__(self, fichier: str, erreurs: list[Erreur]):
        self.fichier = fichier
        self.erreurs = erreurs
        super().__init__("\n".join(e.format(fichier) for e in erreurs))


class _Verificateur:
    def __init__(self):
        self.erreurs: list[Erreur] = []

    def erreur(self, chemin, probleme):
        self.erreurs.append(Erreur(chemin, probleme))

    def objet(self, valeur, chemin, obligatoires, facultatives=()):
        if not isinstance(valeur, dict):
            self.erreur(chemin, "une table (clé: valeur) est attendue")
            return False
        for cle in obligatoires:
            if cle not in valeur:
                self.erreur(_joindre(chemin, cle), "clé obligatoire absente")
        for cle in valeur:
            if cle not in obligatoires and cle not in facultatives:
                self.erreur(_joindre(chemin, str(cle)), "clé inconnue")
        return True

    def texte(self, valeur, chemin, motif=None, message=None):
        if valeur is ABSENT:
            return
        if not isinstance(valeur, str) or not valeur.strip():
            self.erreur(chemin, "un texte non vide est attendu")
        elif motif is not None and not motif.match(valeur):
            self.erreur(chemin, message or "format invalide")

    def entier(self, valeur, chemin, minimum=None, maximum=None):
        if valeur is ABSENT:
            return
        if isinstance(valeur, bool) or not isinstance(valeur, int):
            self.erreur(chemin, "un nombre entier est attendu")
        elif minimum is not None and valeur < minimum:
            self.erreur(chemin, f"doit être supérieur ou égal à {minimum}")
        elif maximum is not None and valeur > maximum:
            self.erreur(chemin, f"doit être inférieur ou égal à {maximum}")

    def booleen(self, valeur, chemin):
        if valeur is ABSENT:
            return
        if not isinstance(valeur, bool):
            self.erreur(chemin, "true ou false est attendu")

    def date(self, valeur, chemin):
        if valeur is ABSENT:
            return
        if isinstance(valeur, datetime.date) and not isinstance(valeur, datetime.datetime):
            return
        if isinstance(valeur, str):
            try:
                datetime.date.fromisoformat(valeur)
                return
            except ValueError:
                pass
        self.erreur(chemin, "une date AAAA-MM-JJ est attendue")


def _joindre(chemin, cle):
    return f"{chemin}.{cle}" if chemin else cle


# Délais (en jours) au-delà desquels une tâche est en retard et relancée (docs/referentiel.md).
DELAIS = {
    "recevabilite_jours": 10,  # prescription en attente de la décision de recevabilité
    "complements_jours": 15,  # prescription incomplète en attente des compléments
    "premier_entretien_jours": 15,  # contrat d'engagement non signé après l'admission
}


def valider(
    contenu, fichier: str, code_attendu: str | None = None, attendu="au nom du fichier"
) -> None:
    """Lève ReferentielInvalide avec toutes les erreurs trouvées. `attendu` dit d'où vient
    `code_attendu` dans le message (le nom du fichier, le PLIE administré…)."""
    v = _Verificateur()
    if not v.objet(
        contenu,
        "",
        ("format", "plie", "version", "territoires", "commissions", "portefeuille"),
        (
            "eligibilite",
            "engagement",
            "delais",
            "etapes",
            "suivi",
            "suivi_emploi",
            "clauses",
            "sortie",
            "conservation",
        ),
    ):
        raise ReferentielInvalide(fichier, v.erreurs)

    if "format" in contenu and contenu["format"] not in FORMATS_CONNUS:
        v.erreur("format", f"format inconnu (attendu : {', '.join(map(str, FORMATS_CONNUS))})")

    plie = contenu.get("plie", ABSENT)
    if plie is not ABSENT and v.objet(plie, "plie", ("code", "nom"), ("structure_porteuse",)):
        v.texte(
            plie.get("code", ABSENT), "plie.code", SLUG, "code en minuscules, chiffres et tirets"
        )
        code = plie.get("code", ABSENT)
        if code_attendu and isinstance(code, str) and code != code_attendu:
            v.erreur(
                "plie.code",
                f"« {plie.get('code')} » ne correspond pas {attendu} ({code_attendu})",
            )
        v.texte(plie.get("nom", ABSENT), "plie.nom")

    version = contenu.get("version", ABSENT)
    if version is not ABSENT and v.objet(version, "version", ("date_effet",), ("libelle",)):
        v.date(version.get("date_effet", ABSENT), "version.date_effet")

    territoires = contenu.get("territoires", ABSENT)
    if territoires is not ABSENT:
        _territoires(v, territoires)

    commissions = contenu.get("commissions", ABSENT)
    if commissions is not ABSENT and v.objet(commissions, "commissions", TYPES_COMMISSION):
        for type_commission in TYPES_COMMISSION:
            c = commissions.get(type_commission)
            chemin = f"commissions.{type_commission}"
            if c is not ABSENT and v.objet(
                c, chemin, ("nom", "cadence_par_an"), ("par_territoire",)
            ):
                v.texte(c.get("nom", ABSENT), f"{chemin}.nom")
                v.entier(c.get("cadence_par_an", ABSENT), f"{chemin}.cadence_par_an", minimum=1)
                if "par_territoire" in c:
                    v.booleen(c["par_territoire"], f"{chemin}.par_territoire")

    portefeuille = contenu.get("portefeuille", ABSENT)
    if portefeuille is not ABSENT and v.objet(
        portefeuille, "portefeuille", ("plafond_par_referent",)
    ):
        v.entier(
            portefeuille.get("plafond_par_referent", ABSENT), "portefeuille.plafond_par_referent", 1
        )

    if "eligibilite" in contenu:
        _eligibilite(v, contenu["eligibilite"])

    if "engagement" in contenu:
        _engagement(v, contenu["engagement"])

    if "etapes" in contenu or "suivi" in contenu:
        from parcours.referentiel import suivi  # sections du suivi (docs/accompagnement.md)

        if "etapes" in contenu:
            suivi.valider_etapes(v, contenu["etapes"])
        if "suivi" in contenu:
            suivi.valider_suivi(v, contenu["suivi"])

    if "suivi_emploi" in contenu:
        from parcours.referentiel.suivi_emploi import valider_suivi_emploi  # docs/emploi.md

        v.erreurs.extend(valider_suivi_emploi(contenu["suivi_emploi"]))

    if "delais" in contenu and v.objet(contenu["delais"], "delais", (), tuple(DELAIS)):
        for cle, valeur in contenu["delais"].items():
            if cle in DELAIS:
                v.entier(valeur, f"delais.{cle}", minimum=1)

    if "clauses" in contenu:
        from parcours.referentiel.clauses import valider_clauses  # docs/clauses.md

        valider_clauses(v, contenu["clauses"])

    if "sortie" in contenu:
        from parcours.referentiel.sortie import verifier_sortie  # docs/sortie.md

        verifier_sortie(v, contenu["sortie"])

    if "conservation" in contenu:
        from parcours.referentiel.conservation import valider_conservation  # docs/rgpd.md

        v.erreurs.extend(valider_conservation(contenu["conservation"]))

    if v.erreurs:
        raise ReferentielInvalide(fichier, v.erreurs)


def _territoires(v: _Verificateur, territoires):
    if not isinstance(territoires, list) or not territoires:
        v.erreur("territoires", "une liste non vide de territoires est attendue")
        return
    codes, insees = {}, {}
    for i, territoire in enumerate(territoires):
        chemin = f"territoires[{i}]"
        if not v.objet(territoire, chemin, ("code", "nom", "communes")):
            continue
        code = territoire.get("code", ABSENT)
        v.texte(code, f"{chemin}.code", SLUG, "code en minuscules, chiffres et tirets")
        if isinstance(code, str) and code in codes:
            v.erreur(
                f"{chemin}.code", f"code « {code} » déjà utilisé par territoires[{codes[code]}]"
            )
        codes.setdefault(code, i)
        v.texte(territoire.get("nom", ABSENT), f"{chemin}.nom")
        communes = territoire.get("communes", ABSENT)
        if communes is ABSENT:
            continue
        if not isinstance(communes, list) or not communes:
            v.erreur(f"{chemin}.communes", "une liste non vide de communes est attendue")
            continue
        for j, commune in enumerate(communes):
            cchemin = f"{chemin}.communes[{j}]"
            if not v.objet(commune, cchemin, ("insee", "nom")):
                continue
            insee = commune.get("insee", ABSENT)
            if insee is ABSENT:
                pass
            elif not isinstance(insee, str):
                v.erreur(
                    f"{cchemin}.insee",
                    'le code INSEE doit être un texte entre guillemets (ex. "47001")',
                )
            elif not INSEE.match(insee):
                v.erreur(
                    f"{cchemin}.insee",
                    f"« {insee} » n'est pas un code INSEE de commune (5 caractères)",
                )
            elif insee in insees:
                v.erreur(f"{cchemin}.insee", f"commune {insee} déjà listée en {insees[insee]}")
            else:
                insees[insee] = cchemin
            v.texte(commune.get("nom", ABSENT), f"{cchemin}.nom")


def valider_eligibilite(section) -> list[Erreur]:
    """Les erreurs de la section `eligibilite` seule (chemins préfixés par `eligibilite`)."""
    v = _Verificateur()
    _eligibilite(v, section)
    return v.erreurs


def _eligibilite(v: _Verificateur, section):
    if v.objet(section, "eligibilite", ("criteres",)) and "criteres" in section:
        _noeud(v, section["criteres"], "eligibilite.criteres", {}, 1)


def _liste_de_codes(v, valeur, chemin, connus, quoi):
    """Une liste non vide de codes connus, sans doublon (statuts, freins)."""
    if valeur is ABSENT:
        return
    if not isinstance(valeur, list) or not valeur:
        v.erreur(chemin, f"une liste non vide de codes de {quoi} est attendue")
        return
    vus = {}
    for i, code in enumerate(valeur):
        if not isinstance(code, str) or code not in connus:
            v.erreur(
                f"{chemin}[{i}]",
                f"code de {quoi} inconnu « {code} » (codes connus : {', '.join(connus)})",
            )
        elif code in vus:
            v.erreur(f"{chemin}[{i}]", f"« {code} » déjà listé en {chemin}[{vus[code]}]")
        else:
            vus[code] = i


def _noeud(v: _Verificateur, noeud, chemin, codes, profondeur, types=None):
    """Un nœud de l'arbre et ses descendants ; `types` : les types de critère admis (ceux du
    moteur par défaut ; la section `clauses` en ajoute)."""
    types = TYPES_CRITERE if types is None else types
    if profondeur > PROFONDEUR_MAX:
        v.erreur(chemin, f"arbre trop profond (plus de {PROFONDEUR_MAX} niveaux)")
        return
    if not isinstance(noeud, dict):
        v.erreur(chemin, "une table (clé: valeur) est attendue : un critère ou un groupe")
        return
    genres = [cle for cle in ("type", *GROUPES) if cle in noeud]
    if not genres:
        v.erreur(
            chemin,
            "ni critère (clé « type ») ni groupe (clé « tous », « un_parmi » ou « non »)",
        )
        return
    if len(genres) > 1:
        v.erreur(
            chemin,
            "un nœud est soit un critère (type), soit un seul groupe (tous, un_parmi, non) : "
            + ", ".join(genres)
            + " ensemble",
        )
        return
    genre = genres[0]
    type_connu = genre == "type" and _type_connu(noeud["type"], types)
    if genre == "type" and not type_connu:
        # Type inconnu : ses paramètres ne peuvent pas être jugés, seul le code l'est encore.
        v.erreur(
            f"{chemin}.type",
            f"type de critère inconnu « {noeud['type']} » (types connus : {', '.join(types)})",
        )
        if "code" not in noeud:
            v.erreur(f"{chemin}.code", "clé obligatoire absente")
    elif genre == "type":
        params_obligatoires, params_facultatifs = types[noeud["type"]]
        v.objet(
            noeud,
            chemin,
            ("code", "type", *params_obligatoires),
            ("libelle", *params_facultatifs),
        )
    else:
        v.objet(noeud, chemin, ("code", genre), ("libelle",))
    _code(v, noeud.get("code", ABSENT), f"{chemin}.code", codes)
    v.texte(noeud.get("libelle", ABSENT), f"{chemin}.libelle")

    if genre == "non":
        _noeud(v, noeud["non"], f"{chemin}.non", codes, profondeur + 1, types)
    elif genre in GROUPES:
        enfants = noeud[genre]
        if not isinstance(enfants, list) or not enfants:
            v.erreur(
                f"{chemin}.{genre}", "une liste non vide de critères ou de groupes est attendue"
            )
            return
        for i, enfant in enumerate(enfants):
            _noeud(v, enfant, f"{chemin}.{genre}[{i}]", codes, profondeur + 1, types)
    elif type_connu and noeud["type"] in TYPES_CRITERE:
        _parametres(v, noeud, chemin)


def _type_connu(type_critere, types=TYPES_CRITERE) -> bool:
    return isinstance(type_critere, str) and type_critere in types


def _code(v: _Verificateur, code, chemin, codes):
    if code is ABSENT:
        return
    if not isinstance(code, str) or not CODE_CRITERE.match(code):
        v.erreur(
            chemin, "code en minuscules, chiffres, tirets ou soulignés (ex. deld, age-26-plus)"
        )
    elif code in codes:
        v.erreur(chemin, f"code « {code} » déjà utilisé par {codes[code]}")
    else:
        codes[code] = chemin.removesuffix(".code")


def _parametres(v: _Verificateur, noeud, chemin):
    type_critere = noeud["type"]
    if type_critere == "age":
        minimum, maximum = noeud.get("min", ABSENT), noeud.get("max", ABSENT)
        if minimum is ABSENT and maximum is ABSENT:
            v.erreur(chemin, "au moins une borne « min » ou « max » (en années) est attendue")
        v.entier(minimum, f"{chemin}.min", minimum=0)
        v.entier(maximum, f"{chemin}.max", minimum=0)
        if (
            _est_entier(minimum)
            and _est_entier(maximum)
            and minimum >= 0
            and maximum >= 0
            and minimum > maximum
        ):
            v.erreur(
                f"{chemin}.max",
                f"bornes incohérentes : max ({maximum}) est inférieur à min ({minimum})",
            )
    elif type_critere == "statut":
        _liste_de_codes(v, noeud.get("statuts", ABSENT), f"{chemin}.statuts", STATUTS, "statut")
        v.entier(noeud.get("depuis_mois_min", ABSENT), f"{chemin}.depuis_mois_min", minimum=1)
    elif type_critere == "chomage_longue_duree":
        v.entier(noeud.get("mois_min", ABSENT), f"{chemin}.mois_min", minimum=1)
    elif type_critere == "niveau_qualification_max":
        v.entier(noeud.get("max", ABSENT), f"{chemin}.max", minimum=NIVEAU_MIN, maximum=NIVEAU_MAX)
    elif type_critere == "bac":
        v.booleen(noeud.get("attendu", ABSENT), f"{chemin}.attendu")
    elif type_critere == "non_suivi":
        par = noeud.get("par", ABSENT)
        if par is not ABSENT and (not isinstance(par, str) or par not in SUIVIS):
            v.erreur(
                f"{chemin}.par",
                f"« {par} » inconnu (attendu : {' ou '.join(SUIVIS)})",
            )
    elif type_critere == "freins":
        parmi = noeud.get("parmi", ABSENT)
        _liste_de_codes(v, parmi, f"{chemin}.parmi", FREINS, "frein")
        au_moins = noeud.get("au_moins", ABSENT)
        v.entier(au_moins, f"{chemin}.au_moins", minimum=1)
        nombre = len(parmi) if isinstance(parmi, list) and parmi else len(FREINS)
        if _est_entier(au_moins) and au_moins > nombre:
            v.erreur(
                f"{chemin}.au_moins",
                f"bornes incohérentes : au moins {au_moins} freins exigés parmi {nombre}",
            )


def _est_entier(valeur) -> bool:
    return isinstance(valeur, int) and not isinstance(valeur, bool)


def _engagement(v: _Verificateur, section):
    """Section `engagement` : signataires du contrat et liste des pièces d'entrée."""
    if not v.objet(section, "engagement", ("signataires",), ("pieces",)):
        return
    signataires = section.get("signataires", ABSENT)
    if signataires is not ABSENT:
        _liste_de_codes(v, signataires, "engagement.signataires", SIGNATAIRES, "signataire")
        if isinstance(signataires, list):
            for code in SIGNATAIRES_OBLIGATOIRES:
                if code not in signataires:
                    v.erreur(
                        "engagement.signataires",
                        f"« {code} » manque : {SIGNATAIRES[code]} signe toujours le contrat",
                    )
    pieces = section.get("pieces", ABSENT)
    if pieces is ABSENT:
        return
    if not isinstance(pieces, list):
        v.erreur("engagement.pieces", "une liste de pièces est attendue")
        return
    codes = {}
    for i, piece in enumerate(pieces):
        chemin = f"engagement.pieces[{i}]"
        if not v.objet(piece, chemin, ("code", "libelle", "obligatoire")):
            continue
        code = piece.get("code", ABSENT)
        if code is not ABSENT:
            if not isinstance(code, str) or not CODE_CRITERE.match(code) or len(code) > 50:
                v.erreur(
                    f"{chemin}.code",
                    "code en minuscules, chiffres, tirets ou soulignés, 50 caractères au plus "
                    "(ex. justificatif-domicile)",
                )
            elif code in codes:
                v.erreur(f"{chemin}.code", f"code « {code} » déjà utilisé par {codes[code]}")
            else:
                codes[code] = chemin
        v.texte(piece.get("libelle", ABSENT), f"{chemin}.libelle")
        if isinstance(piece.get("libelle"), str) and len(piece["libelle"]) > 200:
            v.erreur(f"{chemin}.libelle", "200 caractères au plus")
        v.booleen(piece.get("obligatoire", ABSENT), f"{chemin}.obligatoire")
