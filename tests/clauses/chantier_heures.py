"""Un chantier de clause prêt à recevoir des heures (tests des heures et des rapports).

PLIE 1 du `monde` : le donneur d'ordre « Agen Habitat », son opération « Résidence des Pins »,
deux marchés (2025-BAT-001 attribué à « Bâtir Agenais » avec « Peintures du Lot » en
sous-traitant ; 2025-BAT-002 attribué à « Peintures du Lot »), des personnes embauchées :
- Lina (participante P…, femme, née en 2001 : moins de 26 ans, RSA et QPV déclarés) sur les deux
  marchés ;
- Sam (candidat externe EXT-…, homme, né en 1975, RSA) sur 2025-BAT-001 ;
- Noé (participant du PLIE, candidat non embauché).
Un second donneur d'ordre du PLIE 2 a son propre marché (« 2025-FLA-001 »).
"""

import datetime
from decimal import Decimal

from parcours.clauses.enums import StatutPositionnement
from parcours.core.enums import Role
from parcours.emploi.enums import TypeContrat
from parcours.participants.enums import StatutSocial
from tests.clauses.factories import (
    BesoinFactory,
    CandidatExterneFactory,
    DonneurOrdreFactory,
    EntrepriseFactory,
    HeuresRealiseesFactory,
    MarcheFactory,
    OperationFactory,
    PositionnementFactory,
)
from tests.factories import ParcoursFactory, ParticipantFactory, PrescriptionFactory


def siret_valide(n: int) -> str:
    """Un SIRET accepté par python-stdnum : SIREN et SIRET ont chacun leur clé de Luhn (la
    fabrique `EntrepriseFactory` ne calcule que la seconde)."""
    from stdnum import luhn

    siren = f"{n:08d}"
    siren += luhn.calc_check_digit(siren)
    siret = f"{siren}{n % 10000:04d}"
    return siret + luhn.calc_check_digit(siret)


def embaucher(besoin, personne, date=datetime.date(2025, 4, 1)):
    """Une candidature déjà embauchée (état posé à la création : la chaîne des transitions est
    couverte par les tests des candidatures)."""
    externe = personne.__class__.__name__ == "CandidatExterne"
    return PositionnementFactory(
        besoin=besoin,
        participant=None if externe else personne,
        candidat_externe=personne if externe else None,
        statut=StatutPositionnement.EMBAUCHEE,
        date_embauche=date,
        type_contrat=besoin.type_contrat,
        employeur=besoin.marche.attributaire.raison_sociale,
    )


def participant_du_plie(monde, plie=1, statuts=(), **kwargs):
    participant = ParticipantFactory(**kwargs)
    parcours = ParcoursFactory(
        plie=monde.plie(plie), territoire=monde.territoire(plie), participant=participant
    )
    prescription = PrescriptionFactory(parcours=parcours)
    for code in statuts:
        prescription.statuts.create(code=code)
    return participant


class Chantier:
    def __init__(self, monde):
        self.monde = monde
        plie = monde.plie1
        self.facilitateur = monde.user(Role.FACILITATEUR)
        self.donneur = DonneurOrdreFactory(plie=plie, nom="Agen Habitat")
        self.operation = OperationFactory(donneur_ordre=self.donneur, nom="Résidence des Pins")
        self.attributaire = EntrepriseFactory(
            plie=plie, raison_sociale="Bâtir Agenais", siret=siret_valide(43210001)
        )
        self.sous_traitant = EntrepriseFactory(
            plie=plie, raison_sociale="Peintures du Lot", siret=siret_valide(43210002)
        )
        self.marche = MarcheFactory(
            operation=self.operation,
            numero="2025-BAT-001",
            intitule="Gros œuvre",
            heures_prevues=Decimal(1000),
            date_debut=datetime.date(2025, 3, 10),
            date_fin=datetime.date(2026, 6, 30),
            attributaire=self.attributaire,
        )
        self.marche.sous_traitants.add(self.sous_traitant)
        self.marche2 = MarcheFactory(
            operation=self.operation,
            numero="2025-BAT-002",
            intitule="Peinture",
            heures_prevues=Decimal(500),
            date_debut=datetime.date(2025, 3, 1),
            date_fin=datetime.date(2025, 12, 31),
            attributaire=self.sous_traitant,
        )
        self.besoin = BesoinFactory(
            marche=self.marche, facilitateur=self.facilitateur, type_contrat=TypeContrat.CDD
        )
        self.besoin2 = BesoinFactory(
            marche=self.marche2,
            facilitateur=self.facilitateur,
            type_contrat=TypeContrat.ETTI,
            poste="Peintre",
        )
        self.lina = participant_du_plie(
            monde,
            statuts=(StatutSocial.RSA, StatutSocial.QPV),
            prenom="Lina",
            sexe="F",
            date_naissance=datetime.date(2001, 6, 1),
        )
        self.sam = CandidatExterneFactory(
            plie=plie, prenom="Sam", sexe="H", rsa=True, date_naissance=datetime.date(1975, 2, 3)
        )
        self.noe = participant_du_plie(monde, prenom="Noé", sexe="H")
        embaucher(self.besoin, self.lina)
        embaucher(self.besoin, self.sam, date=datetime.date(2025, 5, 12))
        embaucher(self.besoin2, self.lina)
        # Le PLIE voisin : même numéro de marché possible, autre donneur d'ordre.
        self.donneur2 = DonneurOrdreFactory(plie=monde.plie2, nom="Flandre Habitat")
        self.marche_plie2 = MarcheFactory(
            operation=OperationFactory(donneur_ordre=self.donneur2),
            numero="2025-FLA-001",
            heures_prevues=Decimal(300),
        )

    def ligne(self, marche=None, siret=None, personne=None, mois="2025-04", heures="70"):
        marche = marche or self.marche
        siret = siret or marche.attributaire.siret
        personne = personne or self.lina.numero
        return f"{marche.numero};{siret};{personne};{mois};{heures}"


def heures(chantier, marche, personne, mois, nombre):
    externe = personne.__class__.__name__ == "CandidatExterne"
    return HeuresRealiseesFactory(
        marche=marche,
        participant=None if externe else personne,
        candidat_externe=personne if externe else None,
        mois=datetime.date(*mois, 1),
        heures=Decimal(nombre),
        siret=marche.attributaire.siret,
        created_by=chantier.facilitateur,
    )


class Bilan(Chantier):
    """Le chantier, une seconde opération sans heures, et des heures :
    Lina : 2025-BAT-001 100 h (04/2025) + 80 h (05/2025) ; 2025-BAT-002 20 h (05/2025).
    Sam : 2025-BAT-001 50 h (05/2025) + 40 h (06/2025). PLIE 2 : 30 h (hors périmètre)."""

    def __init__(self, monde):
        super().__init__(monde)
        self.operation2 = OperationFactory(donneur_ordre=self.donneur, nom="École Jules Ferry")
        self.marche3 = MarcheFactory(
            operation=self.operation2,
            numero="2025-BAT-003",
            heures_prevues=Decimal(200),
            attributaire=self.attributaire,
        )
        heures(self, self.marche, self.lina, (2025, 4), 100)
        heures(self, self.marche, self.lina, (2025, 5), 80)
        heures(self, self.marche2, self.lina, (2025, 5), 20)
        heures(self, self.marche, self.sam, (2025, 5), 50)
        heures(self, self.marche, self.sam, (2025, 6), 40)
        externe2 = CandidatExterneFactory(plie=monde.plie2)
        HeuresRealiseesFactory(
            marche=self.marche_plie2,
            candidat_externe=externe2,
            heures=Decimal(30),
            created_by=self.facilitateur,
        )

    def marches(self):
        from parcours import acces

        return acces.marches_visibles(self.facilitateur).filter(plie=self.monde.plie1)


def fichier_csv(*lignes) -> bytes:
    texte = "marche;siret;personne;mois;heures\r\n" + "".join(f"{li}\r\n" for li in lignes)
    return "\ufeff".encode() + texte.encode()
