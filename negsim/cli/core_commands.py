"""Commands: run, solve, list, convert."""
