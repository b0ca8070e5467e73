"""negsim's scenario library: the S-400 cases and the classic games, as scenario files found by
the ``id`` they declare (:mod:`negsim.scenario.catalog`)."""

#: The scenario ``negsim run`` shows without an argument (the 2025 limited-use proposal).
DEFAULT_SCENARIO = "s400-2025-limited-use"
