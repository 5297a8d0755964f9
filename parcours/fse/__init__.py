"""Les opérations FSE+ du PLIE (docs/fse.md) : ses conventions dans Ma Démarche FSE
(accompagnement, actions financées, animation) et les catégories du questionnaire DGEFP.

Sous `accompagnement` dans l'ordre des apps : les participations des parcours et les étapes
nomment une opération. L'export Ma Démarche FSE, qui lit parcours, questionnaires et sorties, est
plus haut (`parcours/reporting/`)."""
