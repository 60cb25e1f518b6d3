"""Build scenarios in code: tiny worlds for tests and generated maps for benchmarks.

``make_scenario(width=8, height=8, units=[...])`` gives an all-clear map with sensible terrain,
river and network rules; keyword arguments override any section. ``generated_scenario`` makes a
large random-but-seeded map (terrain blobs, rivers, a rail grid, roads, two armies) for the
benchmarks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from engine.hexgrid import axial_to_offset, neighbor, offset_to_axial
from engine.scenario.model import Scenario

TERRAIN_TABLE: list[dict[str, Any]] = [
    {
        "id": "clear",
        "code": ".",
        "name": "Clear",
        "move": {"foot": 1, "cavalry": 1, "motorized": 1, "tracked": 1},
        "defense": 1.0,
    },
    {
        "id": "forest",
        "code": "f",
        "name": "Forest",
        "move": {"foot": 2, "cavalry": 2, "motorized": 3, "tracked": 2},
        "defense": 1.5,
    },
    {
        "id": "hills",
        "code": "h",
        "name": "Hills",
        "move": {"foot": 2, "cavalry": 2, "motorized": 2, "tracked": 2},
        "defense": 1.5,
    },
    {
        "id": "mountains",
        "code": "m",
        "name": "Mountains",
        "move": {"foot": 3, "cavalry": 3, "motorized": 4, "tracked": 3},
        "defense": 2.0,
    },
    {
        "id": "marsh",
        "code": "s",
        "name": "Marsh",
        "move": {"foot": 3, "cavalry": 3, "motorized": None, "tracked": 4},
        "defense": 1.3,
    },
    {
        "id": "urban",
        "code": "u",
        "name": "Urban",
        "move": {"foot": 1, "cavalry": 1, "motorized": 1, "tracked": 1},
        "defense": 1.8,
    },
    {
        "id": "water",
        "code": "~",
        "name": "Water",
        "move": {"foot": None, "cavalry": None, "motorized": None, "tracked": None},
        "defense": 1.0,
        "supply_cost": None,
        "navigable": True,
    },
]

RIVER_RULES: dict[str, Any] = {
    "minor": {
        "move": {"foot": 1, "cavalry": 1, "motorized": 1, "tracked": 1},
        "attack": 0.75,
        "supply_cost": 0.5,
    },
    "major": {
        "move": {"foot": 2, "cavalry": 2, "motorized": 3, "tracked": 3},
        "attack": 0.5,
        "supply_cost": 2.0,
        "blocks_zoc": True,
    },
}

NETWORK_KINDS: dict[str, Any] = {
    "road": {
        "move": {"foot": 0.5, "cavalry": 0.5, "motorized": 0.34, "tracked": 0.5},
        "supply_cost": 0.25,
    },
    "rail": {"move": {"foot": 1, "cavalry": 1, "motorized": 1, "tracked": 1}, "supply_cost": 0.1},
}

UNIT_TYPES: dict[str, Any] = {
    "rifle": {"movement_class": "foot", "movement_allowance": 4},
    "tank": {"movement_class": "tracked", "movement_allowance": 10},
    "mechanized": {"movement_class": "motorized", "movement_allowance": 10},
    "cavalry": {"movement_class": "cavalry", "movement_allowance": 7},
    "airborne": {"movement_class": "foot", "movement_allowance": 4, "airborne": True},
    "hq": {
        "movement_class": "motorized",
        "movement_allowance": 8,
        "exerts_zoc": False,
        "stack_points": 0,
    },
    "fortress": {"movement_class": "foot", "movement_allowance": 0, "can_retreat": False},
}


def unit(
    uid: str, side: str, col: int, row: int, type: str = "rifle", **fields: Any
) -> dict[str, Any]:
    """A unit entry for :func:`make_scenario` (men default to 10,000)."""
    entry: dict[str, Any] = {
        "id": uid,
        "name": uid,
        "side": side,
        "type": type,
        "hex": [col, row],
        "men": 10000,
    }
    entry.update(fields)
    return entry


def make_scenario_data(
    width: int = 8,
    height: int = 8,
    units: list[dict[str, Any]] | None = None,
    terrain_rows: list[str] | None = None,
    **sections: Any,
) -> dict[str, Any]:
    """Raw scenario data (a dict as a YAML file would give) for a small test world."""
    rows = terrain_rows or ["." * width for _ in range(height)]
    data: dict[str, Any] = {
        "id": "test_world",
        "name": "Test world",
        "start": dt.datetime(1945, 8, 9),
        "turns": 5,
        "side_order": ["soviet", "japanese"],
        "map": {
            "width": width,
            "height": height,
            "projection": {"center_lat": 45.0, "center_lon": 125.0, "hex_km": 20},
            "terrain": "\n".join(rows),
        },
        "terrain": TERRAIN_TABLE,
        "rivers": RIVER_RULES,
        "network": {"kinds": NETWORK_KINDS, "lines": []},
        "sides": [
            {
                "id": "soviet",
                "name": "Soviet",
                "air_lift_tons": 100,
                "air_supply_range_hexes": 10,
                "airborne_lift": 1,
                "airborne_range_hexes": 10,
                "rail_moves_per_turn": 2,
            },
            {"id": "japanese", "name": "Japanese", "rail_moves_per_turn": 2},
        ],
        "unit_types": UNIT_TYPES,
        "units": units or [],
    }
    for key, value in sections.items():
        if key == "map":
            data["map"].update(value)
        else:
            data[key] = value
    return data


def make_scenario(
    width: int = 8,
    height: int = 8,
    units: list[dict[str, Any]] | None = None,
    terrain_rows: list[str] | None = None,
    **sections: Any,
) -> Scenario:
    """A validated small test scenario (see :func:`make_scenario_data`).

    Raises:
        engine.errors.ScenarioError: the sections given do not make a valid scenario.
    """
    from engine.scenario.loader import validate_data
    from engine.scenario.yamlsource import SourceMap

    data = make_scenario_data(width, height, units, terrain_rows, **sections)
    return validate_data(data, SourceMap(default_file="<builder>"))


def generated_scenario(
    width: int = 100, height: int = 100, units_per_side: int = 150, seed: int = 1
) -> Scenario:
    """A large seeded random map for benchmarks: terrain blobs, rivers, rail grid, roads, armies.

    The Soviet side holds the western third, the Japanese the eastern two thirds; each side has
    railheads on its own rail lines.
    """
    rng = np.random.default_rng(seed)
    grid = np.full((height, width), ".", dtype="<U1")
    for code, count, radius in (("f", 30, 5), ("h", 20, 4), ("m", 10, 4), ("s", 8, 3), ("~", 4, 3)):
        for _ in range(count):
            c0, r0 = int(rng.integers(width)), int(rng.integers(height))
            rr = int(rng.integers(1, radius + 1))
            rows = np.arange(max(0, r0 - rr), min(height, r0 + rr + 1))
            cols = np.arange(max(0, c0 - rr), min(width, c0 + rr + 1))
            grid[np.ix_(rows, cols)] = code
    rail_rows = list(range(10, height, 20))
    rail_cols = list(range(5, width, 25))
    for r in rail_rows:
        grid[r, :] = np.where(grid[r, :] == "~", ".", grid[r, :])
    lines: list[dict[str, Any]] = []
    for k, r in enumerate(rail_rows):
        lines.append(
            {
                "id": f"rail_row_{k}",
                "kind": "rail",
                "capacity": 3000,
                "hexes": [[c, r] for c in range(width)],
            }
        )
    for k, c in enumerate(rail_cols):
        hexes = [[c, r] for r in range(height)]
        for col, row in hexes:
            if grid[row, col] == "~":
                grid[row, col] = "."
        # Straight columns are adjacent only in the odd-r layout when the column zig-zags.
        zig = []
        h = offset_to_axial(c, 0)
        for row in range(height):
            o = axial_to_offset(h)
            if not (0 <= o.col < width):
                break
            grid[o.row, o.col] = "." if grid[o.row, o.col] == "~" else grid[o.row, o.col]
            zig.append([o.col, o.row])
            h = neighbor(h, 5 if row % 2 == 0 else 4)
        lines.append({"id": f"rail_col_{k}", "kind": "rail", "capacity": 2000, "hexes": zig})
    for k, r in enumerate(range(20, height, 20)):
        for col in range(width):
            if grid[r, col] == "~":
                grid[r, col] = "."
        lines.append(
            {
                "id": f"road_{k}",
                "kind": "road",
                "capacity": 800,
                "hexes": [[col, r] for col in range(width)],
            }
        )
    rivers = []
    for k, c in enumerate(range(15, width, 30)):
        sides = []
        for r in range(height):
            a = (c, r)
            for b in ((c + 1, r), (c + 1 - (r + 1) % 2, r + 1)):
                if 0 <= b[0] < width and 0 <= b[1] < height:
                    sides.append([list(a), list(b)])
        rivers.append(
            {"name": f"River {k}", "class": "major" if k % 2 else "minor", "hexsides": sides}
        )
    units: list[dict[str, Any]] = []
    west = width // 3
    occupied: set[tuple[int, int]] = set()
    for side, lo, hi in (("soviet", 0, west - 2), ("japanese", west + 2, width)):
        placed = 0
        while placed < units_per_side:
            c, r = int(rng.integers(lo, hi)), int(rng.integers(height))
            if grid[r, c] in "~s" or (c, r) in occupied:
                continue
            occupied.add((c, r))
            kind = ("rifle", "rifle", "tank", "mechanized", "cavalry")[placed % 5]
            units.append(
                unit(
                    f"{side[0]}{placed:03d}",
                    side,
                    c,
                    r,
                    type=kind,
                    tanks=60 if kind in ("tank", "mechanized") else 0,
                    guns=100,
                )
            )
            placed += 1
    sources = [
        {"id": f"sov_rh_{k}", "side": "soviet", "hex": [0, r], "kind": "railhead"}
        for k, r in enumerate(rail_rows)
    ] + [
        {"id": f"jap_rh_{k}", "side": "japanese", "hex": [width - 1, r], "kind": "railhead"}
        for k, r in enumerate(rail_rows)
    ]
    data = make_scenario_data(
        width,
        height,
        units,
        ["".join(row) for row in grid],
        id="generated",
        name=f"Generated {width}x{height}",
        sides=[
            {
                "id": "soviet",
                "name": "Soviet",
                "air_lift_tons": 300,
                "air_supply_range_hexes": 30,
                "rail_moves_per_turn": 5,
                "control_boxes": [[0, 0, west - 1, height - 1]],
            },
            {
                "id": "japanese",
                "name": "Japanese",
                "rail_moves_per_turn": 5,
                "control_boxes": [[west, 0, width - 1, height - 1]],
            },
        ],
        network={"kinds": NETWORK_KINDS, "lines": lines},
        supply_sources=sources,
        map={"rivers": rivers},
        rules={"stacking": {"max_points": 3}},
    )
    from engine.scenario.loader import validate_data
    from engine.scenario.yamlsource import SourceMap

    return validate_data(data, SourceMap(default_file="<generated>"))
