"""Variables de navigation communes aux gabarits, calculées par la politique d'accès."""

from django.utils.functional import SimpleLazyObject

from parcours import acces


def navigation(request):
    # Paresseux : seules les pages qui affichent ces liens paient le calcul (mis en cache par
    # requête dans `perimetre`).
    user = request.user
    return {"voit_bilans_clauses": SimpleLazyObject(lambda: acces.voit_les_clauses(user))}
