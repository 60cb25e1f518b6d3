"""The August Storm map, places, railways and regions as one world (before scenario.yaml)."""

import pytest

from engine.paths import SCENARIOS_DIR
from engine.scenario.builder import RIVER_RULES, UNIT_TYPES
from engine.scenario.loader import validate_data
from engine.scenario.yamlsource import SourceMap, read_yaml
from engine.world import World

PARTS = ("map.yaml", "terrain.yaml", "places.yaml", "network.yaml", "regions.yaml")


@pytest.fixture(scope="session")
def august_storm_world():
    """The map, places, network and regions of August Storm, with placeholder sides, no units."""
    data, smap = {}, SourceMap(default_file="august_storm")
    for part in PARTS:
        part_data, part_map = read_yaml(SCENARIOS_DIR / "august_storm" / part, part)
        data.update(part_data)
        smap.positions.update(part_map.positions)
    data.update(
        {
            "id": "august_storm_parts",
            "name": "August Storm parts",
            "start": "1945-08-09T00:00:00",
            "turns": 25,
            "side_order": ["soviet", "japanese"],
            "rivers": RIVER_RULES,
            "unit_types": UNIT_TYPES,
            "units": [],
            "sides": [{"id": "soviet", "name": "Soviet"}, {"id": "japanese", "name": "Japanese"}],
        }
    )
    return World(validate_data(data, smap))
