def telecharger(client, adresse):
    """La réponse et son contenu. Lire tout le flux le ferme : le client de test ferme alors le
    fichier sans toucher à la connexion de la transaction du test (ne pas appeler close())."""
    reponse = client.get(adresse)
    contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    return reponse, contenu
