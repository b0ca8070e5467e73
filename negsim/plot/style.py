"""Shared look of every figure: colour-blind-safe colours, slide-size fonts, atomic saving.

Figures are drawn on :class:`matplotlib.figure.Figure` objects with an explicit Agg canvas and
never through ``pyplot``: no window ever opens, and importing negsim does not change the
backend of a notebook or an application that uses matplotlib itself.
"""

from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from negsim.errors import InputError, Problem, did_you_mean
from negsim.io.atomic import write_bytes_atomic

__all__ = [
    "DPI",
    "FIGSIZE",
    "FORMATS",
    "INK",
    "MANY_COLOURS",
    "MUTED",
    "OVERFLOW_GREY",
    "OKABE_ITO",
    "PALETTE",
    "PLAYER_COLOURS",
    "check_formats",
    "colour",
    "hatch",
    "new_figure",
    "plot_style",
    "possessive",
    "save_figure",
    "shorten",
    "wrap",
]

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
#: deficiency. Ordered so that neighbouring outcomes differ strongly in lightness too.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish green": "#009E73",
    "vermillion": "#D55E00",
    "sky blue": "#56B4E9",
    "reddish purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Colours for categories (equilibrium outcomes, strategies), in order of use.
PALETTE: tuple[str, ...] = tuple(OKABE_ITO[k] for k in (
    "blue", "orange", "bluish green", "vermillion", "sky blue", "reddish purple", "yellow"))

#: Sixteen colours for charts that must tell many categories apart (the sets of equilibria of a
#: one-at-a-time sweep): the seven above, then nine more chosen so that every two of the
#: sixteen differ by at least 24 in CIELAB (delta E 1976), and from grey, black and white.
#: Beyond the first seven they are not all told apart under colour-vision deficiencies, so the
#: charts that use them also number their categories.
MANY_COLOURS: tuple[str, ...] = PALETTE + ("#4B0092", "#661100", "#999933", "#1A85FF", "#882255",
                                           "#8C564B", "#AA4499", "#5D3A9B", "#994F00")
#: The grey of categories beyond :data:`MANY_COLOURS` (counted, and named, in the legend).
OVERFLOW_GREY = "#BBBBBB"

#: Players keep one colour in every figure: rows, columns, third player.
PLAYER_COLOURS: tuple[str, ...] = (OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["bluish green"],
                                   OKABE_ITO["reddish purple"], OKABE_ITO["orange"])

INK = "#222222"     # text, tipping-point lines, default-value marks
MUTED = "#8C8C8C"   # "no equilibrium found", grid lines, secondary text

#: Beyond seven categories colours repeat, so the repeats get a hatch pattern as well.
_HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "++")

#: A 16:9 slide: 1920 x 1080 pixels at the PNG resolution.
FIGSIZE: tuple[float, float] = (12.8, 7.2)
DPI = 150

FORMATS = ("png", "svg", "pdf")

_RC = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same look on every machine
    "font.size": 15,
    "axes.titlesize": 18,
    "axes.titleweight": "bold",
    "axes.labelsize": 16,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 13,
    "legend.title_fontsize": 14,
    "figure.titlesize": 20,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.color": "#DDDDDD",
    "lines.linewidth": 2.5,
    "svg.fonttype": "none",     # keep text as text: searchable, selectable, smaller files
    "svg.hashsalt": "negsim",   # stable element ids, so that unchanged figures do not churn in git
    "pdf.fonttype": 42,         # TrueType: text stays editable in slide software
}


def colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)]


def hatch(k: int) -> str:
    return _HATCHES[(k // len(PALETTE)) % len(_HATCHES)]


@contextmanager
def plot_style():
    """Matplotlib settings for negsim figures, restored afterwards."""
    with matplotlib.rc_context(_RC):
        yield


def new_figure(figsize: tuple[float, float] = FIGSIZE, **kwargs) -> Figure:
    """A figure with its own Agg canvas (call inside :func:`plot_style`)."""
    figure = Figure(figsize=figsize, dpi=DPI, layout="constrained", **kwargs)
    FigureCanvasAgg(figure)
    return figure


def check_formats(formats: Iterable[str], *, option: str = "--format") -> tuple[str, ...]:
    """Normalise ``("PNG", "svg")`` and reject anything but png, svg and pdf."""
    chosen: list[str] = []
    problems = []
    for name in formats:
        name = name.strip().lower().lstrip(".")
        if not name:
            continue
        if name not in FORMATS:
            problems.append(Problem(f"unknown figure format {name!r}{did_you_mean(name, FORMATS)}",
                                    path=option))
        elif name not in chosen:
            chosen.append(name)
    if problems:
        raise InputError(problems)
    if not chosen:
        raise InputError([Problem("expected at least one of png, svg, pdf", path=option)])
    return tuple(chosen)


_METADATA = {
    # No creation dates: redrawing unchanged results gives byte-identical SVG and PDF files.
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
    "png": {},
}


def save_figure(figure: Figure, stem: str | os.PathLike[str], formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write ``stem.png``, ``stem.svg`` ... each atomically (complete or absent); returns the paths."""
    stem = Path(stem)
    written = []
    for fmt in check_formats(formats):
        buffer = io.BytesIO()
        with plot_style():
            figure.savefig(buffer, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
        written.append(write_bytes_atomic(stem.with_name(f"{stem.name}.{fmt}"), buffer.getvalue()))
    return written


def wrap(text: str, width: int = 18, max_lines: int | None = None) -> str:
    """Break a long label into lines of about ``width`` characters."""
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [text]
    if max_lines is not None and len(lines) > max_lines:
        # the last kept line ends in an ellipsis, so that a cut label says it was cut
        lines = [*lines[: max_lines - 1], shorten(" ".join(lines[max_lines - 1:]), width)]
    return "\n".join(lines)


def possessive(name: str) -> str:
    """``Turkey's``, ``United States'`` (a name ending in s takes the apostrophe alone)."""
    return name + ("'" if name.endswith("s") else "'s")


def shorten(text: str, width: int = 28) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters, with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0].rstrip(" ,;:/")
    return (cut or text[: width - 1]) + "…"
