"""Les fichiers statiques en production : noms à empreinte et versions compressées (WhiteNoise).

Une feuille de style de viewflow cite des polices qu'il ne livre pas (Roboto-Thin.woff2…) :
`collectstatic` échouerait. Une référence introuvable garde son adresse d'origine (404, comme
aujourd'hui) au lieu d'arrêter la préparation du déploiement.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StatiquesCompresses(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is not None:
                raise  # le fichier lui-même (pas une référence) : une vraie erreur
            return name
