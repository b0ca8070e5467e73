"""Figures drawn by negsim's plotting module, as PNG bytes for worksheets."""

from __future__ import annotations

import io
import warnings

from negsim.classroom.exercises import Figure
from negsim.game import Game
from negsim.plot import draw_payoff_matrix
from negsim.solve import analyze

__all__ = ["matrix_figure", "png"]


def png(figure, *, dpi: int = 80) -> bytes:
    """A matplotlib figure as PNG bytes (closed afterwards; no timestamp, so output is stable)."""
    import matplotlib.pyplot as plt

    try:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()
    finally:
        plt.close(figure)


def matrix_figure(game: Game, name: str = "matrix") -> Figure:
    """The payoff matrix with best responses boxed and pure equilibria highlighted: the picture
    of the best-response marking, for the answer section (it gives the answer away)."""
    import matplotlib

    matplotlib.use("Agg")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = analyze(game, exact=True)
    return Figure(
        name,
        "Best responses boxed, pure equilibria highlighted.",
        png(draw_payoff_matrix(game, analysis), dpi=70),
    )
