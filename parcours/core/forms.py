from django.contrib.auth.forms import AuthenticationForm


class ConnexionForm(AuthenticationForm):
    """Un seul message pour tout échec : ne révèle pas si l'identifiant existe."""

    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        "inactive": "Identifiant ou mot de passe incorrect.",
    }
