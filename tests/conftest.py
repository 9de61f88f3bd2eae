"""Hypothesis profiles: few examples while developing, many in CI.

The property tests (round trips through CSV and YAML, the weekly hours) take 10-20 s
each at 150 examples. By default they run ``default`` (20 examples each, a few seconds
in all); CI sets ``HYPOTHESIS_PROFILE=slow`` (.ci/run) for 150. Run the slow ones alone
with ``HYPOTHESIS_PROFILE=slow pytest -m slow``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("default", max_examples=20, deadline=None)
settings.register_profile("slow", max_examples=150, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
