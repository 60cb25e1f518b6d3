"""Shared test setup: headless SDL, a temporary user folder, the small test scenario and world."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Set before anything can import pygame, so UI tests draw onto plain Surfaces with no window.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
# Saves, autosaves and settings go to a temporary folder, never the real one (ui.userdata).
_USER_HOME = tempfile.mkdtemp(prefix="august-storm-tests-")
os.environ["AUGUST_STORM_HOME"] = _USER_HOME
atexit.register(shutil.rmtree, _USER_HOME, True)

import pytest  # noqa: E402

from engine.scenario.loader import load_scenario  # noqa: E402
from engine.scenario.model import Scenario  # noqa: E402
from engine.world import World  # noqa: E402


@pytest.fixture(scope="session")
def test_scenario() -> Scenario:
    """scenarios/test_small, loaded once. Treat it as read-only: it is shared by every test."""
    return load_scenario("test_small")


@pytest.fixture(scope="session")
def world(test_scenario: Scenario) -> World:
    """The static world of the test scenario (never changed by play, so shared)."""
    return World(test_scenario)
