"""L'emblème européen des documents cofinancés par le FSE+ (procès-verbaux, bilans de clauses)."""

import math


def etoiles_embleme_ue(cx=45.0, cy=30.0, rayon=20.0, branche=3.3) -> list[str]:
    """Les douze étoiles à cinq branches de l'emblème européen (points de polygones SVG)."""
    etoiles = []
    for i in range(12):
        angle = 2 * math.pi * i / 12
        x, y = cx + rayon * math.sin(angle), cy - rayon * math.cos(angle)
        points = []
        for k in range(10):
            r = branche if k % 2 == 0 else branche * 0.382
            a = math.pi * k / 5
            points.append(f"{x + r * math.sin(a):.2f},{y - r * math.cos(a):.2f}")
        etoiles.append(" ".join(points))
    return etoiles
