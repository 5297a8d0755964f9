"""Les signaux du suivi : le domaine ne connaît pas les flux, il annonce ce qui s'est passé ; les
flux (workflows/suivi/flows.py) y créent ou y ajustent leurs tâches.
"""

from django.dispatch import Signal

# Envoyé (dans la transaction) quand une absence injustifiée est enregistrée : les flux
# (workflows/suivi/flows.py) y créent les relances du référent. Arguments : entretien, par.
absence_injustifiee = Signal()
# Envoyé quand une suspension commence, est renouvelée ou levée. Arguments : suspension, par.
suspension_commencee = Signal()
suspension_levee = Signal()
suspension_renouvelee = Signal()
# Envoyé après un changement de référent (un dossier ou un portefeuille). Arguments :
# changements (liste de ChangementReferent), par.
referent_change = Signal()
