"""Test settings shared by every test file.

Property tests draw their examples from a fixed seed (``derandomize``), so a run on a new
machine tests exactly what ran here; ``HYPOTHESIS_PROFILE=explore`` draws fresh examples for
hunting new failures.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
