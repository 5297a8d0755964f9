"""Les relations entreprises vues par les personnes qui agissent (docs/entreprises.md) : les
écrans (`views/`), leurs formulaires (`forms.py`) et leurs adresses (`application.py`)."""
