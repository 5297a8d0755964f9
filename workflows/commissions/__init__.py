"""Les commissions vues par les personnes qui agissent (docs/commissions.md) : les écrans
(`views.py`), leurs formulaires (`forms.py`), ce qu'une décision fait aux flux (`reactions.py`)
et les adresses (`application.py`)."""
