"""Figures: the payoff matrix, sweeps, region maps, Monte Carlo frequencies, tornado charts."""

from negsim.plot.matrix import draw_payoff_matrix, plot_payoff_matrix

__all__ = ["draw_payoff_matrix", "plot_payoff_matrix"]
