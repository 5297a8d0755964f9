"""En-têtes de sécurité des réponses (docs/securite.md).

La Content-Security-Policy (django-csp, réglage CONTENT_SECURITY_POLICY) s'applique à toutes les
réponses sauf aux PDF : la visionneuse PDF de Chromium est un `<embed>` interne soumis à
`object-src` (crbug 271452) ; avec `object-src 'none'`, un PDF ouvert dans le navigateur serait
bloqué. Un PDF n'exécute pas de script de la page ; X-Frame-Options et nosniff restent posés.
"""

from csp.middleware import CSPMiddleware as CSPMiddlewareDeBase

TYPES_SANS_CSP = ("application/pdf",)


class CSPMiddleware(CSPMiddlewareDeBase):
    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith(TYPES_SANS_CSP):
            return response
        return super().process_response(request, response)
