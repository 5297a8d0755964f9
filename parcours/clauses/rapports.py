"""Les bilans des clauses d'insertion (DOMAIN §6, 002:L619-644), calculés en SQL.

Chaque fonction reçoit un périmètre déjà filtré par la politique d'accès (les marchés que
l'utilisateur voit : `acces.marches_visibles`) et une période facultative (mois de début et de
fin, inclus) ; elle agrège en base (`annotate` / `aggregate`) en un nombre de requêtes qui ne
dépend pas du volume. Aucune donnée personnelle n'en sort : des totaux et des effectifs.

Définitions (docs/heures.md) :
- heures prévues : `Marche.heures_prevues` (le marché entier, quelle que soit la période) ;
- heures réalisées : somme des `HeuresRealisees` des mois de la période ;
- personnes : personnes distinctes ayant des heures sur la période (participants et candidats
  externes) ;
- publics : femmes (sexe), moins de 26 ans (âge au mois des heures : une personne compte si elle
  avait moins de 26 ans l'un des mois travaillés), RSA (socle ou majoré), QPV, RQTH — pour un
  participant, les statuts déclarés à sa prescription dans ce PLIE ; pour un candidat externe,
  ses cases RSA / QPV / RQTH.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone

from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.exports import (
    CODE,
    ENTIER,
    HEURES,
    TAUX,
    TEXTE,
    Colonne,
    Rapport,
    Tableau,
    taux,
)
from parcours.clauses.models import HeuresRealisees, Positionnement, TransitionPositionnement
from parcours.emploi.enums import TypeContrat
from parcours.participants.enums import StatutSocial
from parcours.participants.normalisation import normaliser

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


@dataclass(frozen=True)
class Periode:
    """Mois de début et de fin (premiers jours du mois), inclus ; None : sans borne."""

    debut: datetime.date | None = None
    fin: datetime.date | None = None

    def filtre(self, champ="mois") -> Q:
        q = Q()
        if self.debut:
            q &= Q(**{f"{champ}__gte": self.debut})
        if self.fin:
            q &= Q(**{f"{champ}__lte": self.fin})
        return q

    def __str__(self):
        if self.debut and self.fin:
            return f"de {self.debut:%m/%Y} à {self.fin:%m/%Y}"
        if self.debut:
            return f"depuis {self.debut:%m/%Y}"
        if self.fin:
            return f"jusqu'à {self.fin:%m/%Y}"
        return "depuis le début des marchés"


def heures_du_perimetre(marches, periode: Periode = Periode()):
    return HeuresRealisees.objects.filter(marche__in=marches.values("pk")).filter(periode.filtre())


def _personnes() -> dict:
    """Personnes distinctes : participants et candidats externes comptés séparément."""
    return {
        "participants": Count("participant", distinct=True),
        "externes": Count("candidat_externe", distinct=True),
    }


def _somme_personnes(ligne: dict) -> int:
    return (ligne.get("participants") or 0) + (ligne.get("externes") or 0)


# — Heures prévues / réalisées, par marché, opération, donneur d'ordre, entreprise —


def par_marche(marches, periode: Periode = Periode()) -> list[dict]:
    """Une ligne par marché : prévu, réalisé, taux, personnes. Une requête."""
    filtre = Q(heures__isnull=False) & periode.filtre("heures__mois")
    lignes = (
        marches.annotate(
            realisees=Coalesce(Sum("heures__heures", filter=filtre), ZERO),
            participants=Count("heures__participant", filter=filtre, distinct=True),
            externes=Count("heures__candidat_externe", filter=filtre, distinct=True),
        )
        .values(
            "pk",
            "numero",
            "intitule",
            "heures_prevues",
            "date_debut",
            "date_fin",
            "realisees",
            "participants",
            "externes",
            "operation__nom",
            "operation__donneur_ordre__nom",
            "attributaire__raison_sociale",
        )
        .order_by("operation__donneur_ordre__nom", "operation__nom", "numero")
    )
    return [
        {
            **ligne,
            "personnes": _somme_personnes(ligne),
            "taux": taux(ligne["realisees"], ligne["heures_prevues"]),
        }
        for ligne in lignes
    ]


def _regrouper(marches, periode, cle: str, champs: dict[str, str]) -> list[dict]:
    """Prévu (somme des marchés) et réalisé (somme des heures) regroupés par `cle` (chemin depuis
    Marche) : deux requêtes groupées, fusionnées sur la clé. Deux requêtes plutôt qu'une jointure
    pour ne pas multiplier les heures prévues par le nombre de lignes d'heures."""
    valeurs = champs
    prevues = (
        marches.values(cle, *valeurs.values())
        .annotate(prevues=Sum("heures_prevues"), marches=Count("pk"))
        .order_by()
    )
    realisees = {
        ligne[f"marche__{cle}"]: ligne
        for ligne in heures_du_perimetre(marches, periode)
        .values(f"marche__{cle}")
        .annotate(realisees=Sum("heures"), **_personnes())
        .order_by()
    }
    resultat = []
    for ligne in prevues:
        faites = realisees.get(ligne[cle], {})
        entree = {nom: ligne[chemin] for nom, chemin in valeurs.items()}
        entree.update(
            cle=ligne[cle],
            marches=ligne["marches"],
            prevues=ligne["prevues"] or Decimal(0),
            realisees=faites.get("realisees") or Decimal(0),
            personnes=_somme_personnes(faites),
        )
        entree["taux"] = taux(entree["realisees"], entree["prevues"])
        resultat.append(entree)
    return sorted(resultat, key=lambda e: [normaliser(str(e[n] or "")) for n in valeurs])


def par_operation(marches, periode: Periode = Periode()) -> list[dict]:
    return _regrouper(
        marches,
        periode,
        "operation_id",
        {"donneur_ordre": "operation__donneur_ordre__nom", "nom": "operation__nom"},
    )


def par_donneur_ordre(marches, periode: Periode = Periode()) -> list[dict]:
    return _regrouper(
        marches,
        periode,
        "operation__donneur_ordre_id",
        {"nom": "operation__donneur_ordre__nom"},
    )


def par_entreprise(marches, periode: Periode = Periode()) -> list[dict]:
    """Par entreprise attributaire : ses marchés (prévu) et les heures faites sur eux, par elle
    ou ses sous-traitants (réalisé)."""
    return _regrouper(
        marches,
        periode,
        "attributaire_id",
        {"nom": "attributaire__raison_sociale", "siret": "attributaire__siret"},
    )


def totaux(marches, periode: Periode = Periode()) -> dict:
    """Prévu, réalisé, taux, personnes, marchés, opérations : deux requêtes."""
    prevu = marches.aggregate(
        prevues=Coalesce(Sum("heures_prevues"), ZERO),
        marches=Count("pk"),
        operations=Count("operation", distinct=True),
        entreprises=Count("attributaire", distinct=True),
    )
    fait = heures_du_perimetre(marches, periode).aggregate(
        realisees=Coalesce(Sum("heures"), ZERO), **_personnes()
    )
    return {
        **prevu,
        "realisees": fait["realisees"],
        "personnes": _somme_personnes(fait),
        "taux": taux(fait["realisees"], prevu["prevues"]),
    }


# — Publics et équité —

PUBLICS = (
    ("toutes", "Toutes les personnes"),
    ("femme", "Femmes"),
    ("jeune", "Moins de 26 ans"),
    ("rsa", "Allocataires du RSA"),
    ("qpv", "Résidents d'un QPV"),
    ("rqth", "Travailleurs handicapés (RQTH)"),
    ("participant", "Participants du PLIE"),
    ("externe", "Candidats externes"),
)


def _statut_declare(codes) -> Exists:
    from parcours.accompagnement.models import StatutDeclare

    return Exists(
        StatutDeclare.objects.filter(
            prescription__parcours__participant_id=OuterRef("participant_id"),
            prescription__parcours__plie_id=OuterRef("marche__plie_id"),
            code__in=codes,
        )
    )


def _drapeaux() -> dict:
    """Les publics d'une ligne d'heures, en expressions SQL (booléens)."""
    age_26 = ExpressionWrapper(
        F("mois") - Func(Value(26), function="make_interval", output_field=DateTimeField()),
        output_field=DateTimeField(),
    )

    def booleen(q):
        return ExpressionWrapper(q, output_field=BooleanField())

    return {
        "p_femme": booleen(Q(participant__sexe="F") | Q(candidat_externe__sexe="F")),
        "p_jeune": booleen(
            Q(participant__date_naissance__gt=age_26)
            | Q(candidat_externe__date_naissance__gt=age_26)
        ),
        "p_rsa": booleen(
            Q(candidat_externe__rsa=True)
            | Q(_statut_declare([StatutSocial.RSA, StatutSocial.RSA_MAJORE]))
        ),
        "p_qpv": booleen(Q(candidat_externe__qpv=True) | Q(_statut_declare([StatutSocial.QPV]))),
        "p_rqth": booleen(Q(candidat_externe__rqth=True) | Q(_statut_declare([StatutSocial.RQTH]))),
        "p_participant": booleen(Q(participant__isnull=False)),
        "p_externe": booleen(Q(candidat_externe__isnull=False)),
    }


def _agregats_publics() -> dict:
    agregats = {}
    for code, _libelle in PUBLICS:
        filtre = Q() if code == "toutes" else Q(**{f"p_{code}": True})
        agregats[f"{code}_heures"] = Coalesce(Sum("heures", filter=filtre), ZERO)
        agregats[f"{code}_participants"] = Count("participant", filter=filtre, distinct=True)
        agregats[f"{code}_externes"] = Count("candidat_externe", filter=filtre, distinct=True)
    return agregats


def publics(marches, periode: Periode = Periode()) -> list[dict]:
    """Par public : personnes distinctes, heures et part des heures. Une requête."""
    qs = heures_du_perimetre(marches, periode).annotate(**_drapeaux())
    return _lignes_publics(qs.aggregate(**_agregats_publics()))


def publics_par_donneur(marches, periode: Periode = Periode()) -> list[dict]:
    """Les publics de chaque donneur d'ordre (une ligne par donneur ayant des heures). Une
    requête groupée."""
    groupes = (
        heures_du_perimetre(marches, periode)
        .annotate(**_drapeaux())
        .values("marche__operation__donneur_ordre_id", "marche__operation__donneur_ordre__nom")
        .annotate(**_agregats_publics())
        .order_by()
    )
    lignes = [
        {
            "pk": g["marche__operation__donneur_ordre_id"],
            "nom": g["marche__operation__donneur_ordre__nom"],
            "publics": _lignes_publics(g),
        }
        for g in groupes
    ]
    return sorted(lignes, key=lambda ligne: normaliser(ligne["nom"]))


def _lignes_publics(resultat: dict) -> list[dict]:
    total = resultat["toutes_heures"]
    lignes = []
    for code, libelle in PUBLICS:
        heures = resultat[f"{code}_heures"]
        lignes.append(
            {
                "code": code,
                "libelle": libelle,
                "personnes": resultat[f"{code}_participants"] + resultat[f"{code}_externes"],
                "heures": heures,
                "part": taux(heures, total),
            }
        )
    return lignes


def types_de_contrat(marches, periode: Periode = Periode()) -> list[dict]:
    """Embauches sur les besoins des marchés, par type de contrat (date d'embauche dans la
    période). Une requête."""
    libelles = dict(TypeContrat.choices)
    lignes = (
        Positionnement.objects.filter(
            besoin__marche__in=marches.values("pk"), statut=StatutPositionnement.EMBAUCHEE
        )
        .filter(_periode_jours(periode, "date_embauche"))
        .values("type_contrat")
        .annotate(embauches=Count("pk"))
        .order_by("type_contrat")
    )
    return [
        {
            "type": ligne["type_contrat"],
            "libelle": libelles.get(ligne["type_contrat"], "Non précisé"),
            "embauches": ligne["embauches"],
        }
        for ligne in lignes
    ]


def contrats_par_mois(positionnements, annee: int) -> list[dict]:
    """Embauches de l'année par type de contrat (tableau de bord). Une requête."""
    libelles = dict(TypeContrat.choices)
    lignes = (
        positionnements.filter(statut=StatutPositionnement.EMBAUCHEE, date_embauche__year=annee)
        .values("type_contrat")
        .annotate(embauches=Count("pk"))
        .order_by("type_contrat")
    )
    return [
        {
            "libelle": libelles.get(ligne["type_contrat"], "Non précisé"),
            "embauches": ligne["embauches"],
        }
        for ligne in lignes
    ]


def _periode_jours(periode: Periode, champ: str) -> Q:
    """La période en dates (du 1er du mois de début au dernier jour du mois de fin)."""
    q = Q()
    if periode.debut:
        q &= Q(**{f"{champ}__gte": periode.debut})
    if periode.fin:
        q &= Q(**{f"{champ}__lt": _mois_suivant(periode.fin)})
    return q


def _mois_suivant(mois: datetime.date) -> datetime.date:
    return (mois.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


# — L'emploi 6 et 12 mois après l'embauche (002:L634) —

JALONS = (6, 12)


def _plus_mois(champ: str, mois: int):
    """La date `champ` + `mois` mois, en date (PostgreSQL : le 31/08 + 6 mois = le 28/02)."""
    return Cast(
        ExpressionWrapper(
            F(champ) + Func(Value(0), Value(mois), function="make_interval"),
            output_field=DateTimeField(),
        ),
        output_field=DateField(),
    )


def emploi_apres_embauche(
    marches, periode: Periode = Periode(), aujourdhui: datetime.date | None = None
) -> list[dict]:
    """Pour les participants embauchés sur les marchés (date d'embauche dans la période), par
    jalon (6, 12 mois) : personnes embauchées, mesurables (une embauche vieille d'au moins le
    jalon), en emploi au jalon (un de leurs contrats `emploi.Contrat`, tout employeur, en cours
    à la date d'embauche + le jalon) et non mesurables encore. Personnes distinctes : une
    personne embauchée deux fois compte si l'une de ses embauches la fait compter. Les candidats
    externes n'ont pas de contrat enregistré : hors de ce décompte. Une requête."""
    from parcours.emploi.models import Contrat

    aujourdhui = aujourdhui or timezone.localdate()
    embauches = Positionnement.objects.filter(
        besoin__marche__in=marches.values("pk"),
        statut=StatutPositionnement.EMBAUCHEE,
        participant__isnull=False,
        date_embauche__isnull=False,
    ).filter(_periode_jours(periode, "date_embauche"))
    agregats = {"embauches": Count("participant", distinct=True)}
    for jalon in JALONS:
        date_jalon = f"jalon_{jalon}"
        en_cours = Contrat.objects.filter(
            parcours__participant_id=OuterRef("participant_id"),
            debut__lte=OuterRef(date_jalon),
        ).filter(Q(fin__isnull=True) | Q(fin__gte=OuterRef(date_jalon)))
        embauches = embauches.annotate(
            **{
                date_jalon: _plus_mois("date_embauche", jalon),
                f"contrat_{jalon}": Exists(en_cours),
            }
        )
        mesurable = Q(**{f"{date_jalon}__lte": aujourdhui})
        agregats[f"mesurables_{jalon}"] = Count("participant", filter=mesurable, distinct=True)
        agregats[f"en_emploi_{jalon}"] = Count(
            "participant", filter=mesurable & Q(**{f"contrat_{jalon}": True}), distinct=True
        )
    resultat = embauches.aggregate(**agregats)
    return [
        {
            "jalon": jalon,
            "libelle": f"En emploi à {jalon} mois",
            "embauches": resultat["embauches"],
            "mesurables": resultat[f"mesurables_{jalon}"],
            "en_emploi": resultat[f"en_emploi_{jalon}"],
            "taux": taux(resultat[f"en_emploi_{jalon}"], resultat[f"mesurables_{jalon}"]),
            "non_mesurables": resultat["embauches"] - resultat[f"mesurables_{jalon}"],
        }
        for jalon in JALONS
    ]


# — Le tableau d'impact d'un donneur d'ordre (XLSX, PDF) —

_COLONNES_HEURES = [
    Colonne("Heures prévues", HEURES),
    Colonne("Heures réalisées", HEURES),
    Colonne("Taux de réalisation", TAUX),
    Colonne("Personnes", ENTIER),
]


def tableau_impact(
    donneur, marches, periode: Periode = Periode(), aujourdhui: datetime.date | None = None
) -> Rapport:
    """Le bilan d'un donneur d'ordre : synthèse, opérations, marchés, entreprises, publics,
    contrats, emploi à 6 et 12 mois. `marches` : les marchés visibles de ce donneur d'ordre."""
    t = totaux(marches, periode)
    emploi = emploi_apres_embauche(marches, periode, aujourdhui)
    contrats = types_de_contrat(marches, periode)
    operations = par_operation(marches, periode)
    entreprises = par_entreprise(marches, periode)
    lignes_marches = par_marche(marches, periode)
    lignes_publics = publics(marches, periode)
    rapport = Rapport(
        titre=f"Tableau d'impact — {donneur.nom}",
        sous_titre=f"Clauses sociales d'insertion — heures {periode}",
        plie=donneur.plie,
        synthese=[
            ("Donneur d'ordre", donneur.nom, TEXTE),
            ("Opérations", t["operations"], ENTIER),
            ("Marchés", t["marches"], ENTIER),
            ("Entreprises attributaires", t["entreprises"], ENTIER),
            ("Heures d'insertion prévues", t["prevues"], HEURES),
            ("Heures d'insertion réalisées", t["realisees"], HEURES),
            ("Taux de réalisation", t["taux"], TAUX),
            ("Personnes ayant travaillé", t["personnes"], ENTIER),
            ("Embauches", sum(c["embauches"] for c in contrats), ENTIER),
            *(
                (
                    f"Participants en emploi à {e['jalon']} mois",
                    f"{e['en_emploi']} sur {e['mesurables']}"
                    + (
                        f" ({e['non_mesurables']} non mesurable(s) encore)"
                        if e["non_mesurables"]
                        else ""
                    ),
                    TEXTE,
                )
                for e in emploi
            ),
        ],
        notes=[
            "Heures prévues : celles des marchés entiers ; heures réalisées : celles déclarées "
            "pour les mois de la période. Personnes : personnes distinctes ayant des heures.",
        ],
    )
    rapport.tableaux = [
        Tableau(
            "Par opération",
            [Colonne("Opération"), Colonne("Marchés", ENTIER), *_COLONNES_HEURES],
            [
                (o["nom"], o["marches"], o["prevues"], o["realisees"], o["taux"], o["personnes"])
                for o in operations
            ],
            total=(
                "Total",
                t["marches"],
                t["prevues"],
                t["realisees"],
                t["taux"],
                t["personnes"],
            ),
        ),
        Tableau(
            "Par marché",
            [
                Colonne("Marché", CODE),
                Colonne("Intitulé"),
                Colonne("Opération"),
                Colonne("Attributaire"),
                Colonne("Début"),
                Colonne("Fin"),
                *_COLONNES_HEURES,
            ],
            [
                (
                    m["numero"],
                    m["intitule"],
                    m["operation__nom"],
                    m["attributaire__raison_sociale"] or "—",
                    m["date_debut"],
                    m["date_fin"],
                    m["heures_prevues"],
                    m["realisees"],
                    m["taux"],
                    m["personnes"],
                )
                for m in lignes_marches
            ],
        ),
        Tableau(
            "Par entreprise",
            [Colonne("Entreprise attributaire"), Colonne("SIRET", CODE), *_COLONNES_HEURES],
            [
                (
                    e["nom"] or "Sans attributaire",
                    e["siret"] or "",
                    e["prevues"],
                    e["realisees"],
                    e["taux"],
                    e["personnes"],
                )
                for e in entreprises
            ],
            note="Réalisé : heures faites sur les marchés de l'entreprise, par elle ou ses "
            "sous-traitants.",
        ),
        Tableau(
            "Publics",
            [
                Colonne("Public"),
                Colonne("Personnes", ENTIER),
                Colonne("Heures réalisées", HEURES),
                Colonne("Part des heures", TAUX),
            ],
            [(p["libelle"], p["personnes"], p["heures"], p["part"]) for p in lignes_publics],
            note="Une personne peut relever de plusieurs publics. Moins de 26 ans : au mois des "
            "heures.",
        ),
        Tableau(
            "Types de contrat",
            [Colonne("Type de contrat"), Colonne("Embauches", ENTIER)],
            [(c["libelle"], c["embauches"]) for c in contrats],
        ),
        Tableau(
            "Emploi après l'embauche",
            [
                Colonne("Jalon"),
                Colonne("Participants embauchés", ENTIER),
                Colonne("Mesurables", ENTIER),
                Colonne("En emploi", ENTIER),
                Colonne("Part en emploi", TAUX),
                Colonne("Non mesurables encore", ENTIER),
            ],
            [
                (
                    e["libelle"],
                    e["embauches"],
                    e["mesurables"],
                    e["en_emploi"],
                    e["taux"],
                    e["non_mesurables"],
                )
                for e in emploi
            ],
            note="Participants embauchés sur les marchés du donneur d'ordre (embauche dans la "
            "période). En emploi : un de leurs contrats, chez tout employeur, est en cours à la "
            "date d'embauche + 6 (ou 12) mois. Mesurables : embauche vieille d'au moins 6 (ou "
            "12) mois ; les autres sont « non mesurables encore ». Les candidats externes, dont "
            "aucun contrat n'est enregistré, n'y figurent pas.",
        ),
    ]
    return rapport


# — Le tableau de bord mensuel du facilitateur (002:L624) —

COMPTEURS = (
    ("candidats", "Candidats reçus", False),
    ("candidatures", "Positionnements sur besoins", False),
    ("mises_en_relation", "Mises en relation (présentés à l'entreprise)", False),
    ("entretiens", "Entretiens (décisions de l'entreprise)", True),
    ("embauches", "Embauches", False),
    ("confirmations", "Confirmées après la période d'essai", True),
)


def tableau_de_bord(positionnements, annee: int, aujourdhui=None) -> list[dict]:
    """Douze mois de l'année, un compteur par colonne (COMPTEURS ; le booléen signale une
    approximation, docs/heures.md). `positionnements` : les candidatures visibles du périmètre.
    `aujourdhui` (par défaut la date du jour) : une période d'essai finie avant cette date est
    passée. Cinq requêtes groupées par mois."""
    debut, fin = datetime.date(annee, 1, 1), datetime.date(annee + 1, 1, 1)
    mois = [datetime.date(annee, m, 1) for m in range(1, 13)]
    table = {m: dict.fromkeys((c for c, _, _ in COMPTEURS), 0) for m in mois}

    def ranger(lignes, compteur):
        for ligne in lignes:
            cle = ligne["mois"]
            cle = cle.date() if isinstance(cle, datetime.datetime) else cle
            table[cle][compteur] = ligne["n"]

    recus = (
        positionnements.filter(created_at__date__gte=debut, created_at__date__lt=fin)
        .annotate(mois=TruncMonth("created_at"))
        .values("mois")
        .annotate(
            n=Count("pk"),
            participants=Count("participant", distinct=True),
            externes=Count("candidat_externe", distinct=True),
        )
        .order_by()
    )
    for ligne in recus:
        cle = ligne["mois"].date()
        table[cle]["candidatures"] = ligne["n"]
        table[cle]["candidats"] = ligne["participants"] + ligne["externes"]

    transitions = TransitionPositionnement.objects.filter(
        positionnement__in=positionnements.values("pk"), at__date__gte=debut, at__date__lt=fin
    ).annotate(mois=TruncMonth("at"))
    ranger(
        transitions.filter(target=StatutPositionnement.POSITIONNEE)
        .values("mois")
        .annotate(n=Count("positionnement", distinct=True))
        .order_by(),
        "mises_en_relation",
    )
    ranger(
        transitions.filter(
            target__in=[StatutPositionnement.RETENUE, StatutPositionnement.NON_RETENUE]
        )
        .values("mois")
        .annotate(n=Count("positionnement", distinct=True))
        .order_by(),
        "entretiens",
    )
    embauches = positionnements.filter(
        statut=StatutPositionnement.EMBAUCHEE, date_embauche__gte=debut, date_embauche__lt=fin
    ).annotate(mois=TruncMonth("date_embauche"))
    ranger(embauches.values("mois").annotate(n=Count("pk")).order_by(), "embauches")
    # Participant : le contrat inscrit au parcours (`Positionnement.contrat`) fait foi —
    # confirmée quand sa période d'essai est finie (avant aujourd'hui) et que le contrat a duré
    # au-delà. Candidat externe (aucun contrat enregistré) : approximation, des heures sont
    # déclarées sur le marché deux mois ou plus après le mois d'embauche.
    aujourdhui = aujourdhui or timezone.localdate()
    deux_mois_apres = ExpressionWrapper(
        F("mois") + Func(Value(0), Value(2), function="make_interval"),
        output_field=DateTimeField(),
    )
    heures_apres_essai = HeuresRealisees.objects.filter(
        candidat_externe_id=OuterRef("candidat_externe_id"),
        marche_id=OuterRef("besoin__marche_id"),
        mois__gte=OuterRef("fin_essai"),
    )
    contrat_confirme = Q(
        contrat__isnull=False,
        contrat__fin_periode_essai__lt=aujourdhui,
    ) & (Q(contrat__fin__isnull=True) | Q(contrat__fin__gt=F("contrat__fin_periode_essai")))
    externe_confirme = Q(candidat_externe__isnull=False) & Exists(heures_apres_essai)
    ranger(
        embauches.annotate(fin_essai=deux_mois_apres)
        .filter(contrat_confirme | externe_confirme)
        .values("mois")
        .annotate(n=Count("pk"))
        .order_by(),
        "confirmations",
    )
    return [{"mois": m, **table[m]} for m in mois]
