"""Les formulaires des écrans des clauses, par écran : `referentiel_operations` (donneurs
d'ordre, opérations, marchés, lots), `candidatures` (besoin, personne hors PLIE, proposition),
`taches` (tâches du flux des candidatures), `rapports` (période des bilans) ; `communs` (champ
date, empreinte de version)."""

from workflows.clauses.forms.candidatures import BesoinForm, CandidatExterneForm, PropositionForm
from workflows.clauses.forms.communs import DATE, VersionMixin, signature
from workflows.clauses.forms.rapports import PeriodeForm
from workflows.clauses.forms.referentiel_operations import (
    DonneurOrdreForm,
    LotForm,
    MarcheForm,
    OperationForm,
)
from workflows.clauses.forms.taches import (
    DecisionEntrepriseForm,
    EmbaucheForm,
    InscrireAuParcoursForm,
    PositionnerForm,
    VerifierEligibiliteForm,
)

__all__ = [
    "DATE",
    "BesoinForm",
    "CandidatExterneForm",
    "DecisionEntrepriseForm",
    "DonneurOrdreForm",
    "EmbaucheForm",
    "InscrireAuParcoursForm",
    "LotForm",
    "MarcheForm",
    "OperationForm",
    "PeriodeForm",
    "PositionnerForm",
    "PropositionForm",
    "VerifierEligibiliteForm",
    "VersionMixin",
    "signature",
]
