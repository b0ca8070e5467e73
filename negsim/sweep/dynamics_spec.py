"""The ``dynamics`` key of a sweep spec: which learning dynamics to run at every point.

    dynamics:
      follow: replicator      # what tipping points and figures follow
      start: uniform          # where fictitious play starts (follow: fictitious-play)
      steps: 2000             # rounds of fictitious play (and most best-response steps)
      horizon: 100            # how long the replicator runs
      basins: {samples: 300, seed: 0}   # basin shares at every point (optional)

Every point's row records all of them (best responses from the status quo, fictitious play from
uniform play and from the status quo, the replicator from uniform play, the logit QRE limit, and
the basin shares when asked for); ``follow`` says which one the table's ``equilibrium_set``,
the tipping points and the figures follow.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from negsim.scenario.base import Model

__all__ = ["FOLLOW", "BasinSweep", "DynamicsSweep"]

#: What a dynamics sweep can follow, and what each is in words.
FOLLOW = {
    "best-response": "best responses from the status quo",
    "fictitious-play": "fictitious play",
    "replicator": "the replicator dynamic from uniform play",
    "qre": "the logit QRE as rationality grows",
    "basins": "the equilibria whose basins of attraction random starts fall in",
}


class BasinSweep(Model):
    """Basins of attraction at every point: the share of random starts (the same ones at every
    point) that reach each verified equilibrium."""

    samples: Annotated[int, Field(ge=1, le=100_000)] = 300
    """Random starts, drawn uniformly from the strategy simplices."""
    seed: int = 0
    """Seed of the starts: the same starts at every point."""
    dynamics: Literal["replicator", "fictitious-play"] = "replicator"
    """The dynamic run from each start."""


class DynamicsSweep(Model):
    """Learning dynamics at every point of a sweep (see :mod:`negsim.sweep.dynamics`)."""

    follow: Literal["best-response", "fictitious-play", "replicator", "qre", "basins"] = "replicator"
    """Which result the table's ``equilibrium_set``, the tipping points and the figures follow:
    ``best-response`` (from the status quo), ``fictitious-play`` (from ``start``),
    ``replicator`` (from uniform play), ``qre`` (the logit QRE's limit) or ``basins`` (the
    equilibria some random start reaches)."""
    start: Literal["uniform", "status-quo"] = "uniform"
    """Where the fictitious play that is followed starts (both starts are recorded)."""
    steps: Annotated[int, Field(ge=1, le=1_000_000)] = 2000
    """Rounds of fictitious play, and most best-response steps."""
    horizon: Annotated[float, Field(gt=0, le=100_000)] = 100.0
    """How long the replicator runs (from uniform play, and from each basin start)."""
    basins: BasinSweep | None = None
    """Basin shares at every point (``{}`` for the defaults); needed for ``follow: basins``."""
