"""Pure functions of tools/build_map.py on small synthetic inputs (no geodata packages needed)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from engine.hexgrid import GeoProjection, Hex, axial_to_offset, distance, hex_to_pixel
from engine.scenario.model import MapSpec
from tools import build_map as bm

SIZE = 20.0 / np.sqrt(3.0)


def _stats(**columns: list[float]) -> dict[str, np.ndarray]:
    n = len(next(iter(columns.values())))
    base = {
        "land_fraction": [1.0] * n,
        "lake_fraction": [0.0] * n,
        "elev_mean": [200.0] * n,
        "relief": [50.0] * n,
        "slope_mean": [0.2] * n,
    }
    base.update(columns)
    return {k: np.array(v, dtype=float) for k, v in base.items()}


# ---------------------------------------------------------------- DEM and classification


def test_grey_to_metres_follows_the_calibration_table() -> None:
    got = bm.grey_to_metres(np.array([0, 97.3, 115.2, 151.0, 179.2, 209.0]))
    assert got.tolist() == [0.0, 0.0, 50.0, 500.0, 1000.0, 3196.0]
    ramp = bm.grey_to_metres(np.arange(256))
    assert np.all(np.diff(ramp) >= 0)


def test_classification_thresholds() -> None:
    t = bm.Thresholds()
    stats = _stats(
        land_fraction=[0.2, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.45],
        lake_fraction=[0.0, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3],
        slope_mean=[0.0, 0.0, 0.2, 0.54, 0.55, 0.3, 1.3, 0.3, 1.05, 0.3, 0.0],
        relief=[0.0, 0.0, 50.0, 170.0, 50.0, 180.0, 50.0, 500.0, 100.0, 100.0, 0.0],
        elev_mean=[0.0, 60.0, 150.0, 150.0, 150.0, 150.0, 150.0, 150.0, 1100.0, 1100.0, 20.0],
    )
    got = bm.classify_hexes(stats, t).tolist()
    assert got == [
        "sea",  # mostly sea
        "lake",  # mostly lake
        "clear",
        "clear",  # just below both hill thresholds
        "hills",  # slope
        "hills",  # relief
        "mountains",  # slope
        "mountains",  # relief
        "mountains",  # high and moderately steep
        "clear",  # a high flat plateau stays clear
        "sea",  # 55 % sea + 30 % lake: water, and more sea than lake
    ]


def test_thresholds_are_data() -> None:
    stats = _stats(slope_mean=[0.6])
    assert bm.classify_hexes(stats, bm.Thresholds())[0] == "hills"
    assert bm.classify_hexes(stats, bm.Thresholds(hill_slope_deg=0.7))[0] == "clear"


def test_hex_statistics_fractions_means_and_relief() -> None:
    hid = np.array([0, 0, 0, 0, 1, 1, 2])  # 2 = off the map (n_hexes)
    land = np.array([1, 1, 1, 0, 1, 1, 1], dtype=bool)
    lake = np.array([0, 0, 1, 0, 0, 0, 0], dtype=bool)
    elev = np.array([100.0, 300.0, 50.0, 0.0, 10.0, 20.0, 999.0])
    slope = np.array([1.0, 3.0, 0.0, 0.0, 0.5, 0.5, 9.0])
    s = bm.hex_statistics(hid, 2, land, lake, elev, slope)
    assert s["land_fraction"].tolist() == [0.75, 1.0]
    assert s["lake_fraction"].tolist() == [0.25, 0.0]
    assert s["elev_mean"].tolist() == [200.0, 15.0]  # dry land only
    assert s["slope_mean"].tolist() == [2.0, 0.5]
    assert s["relief"].tolist() == [200.0, 10.0]


# ---------------------------------------------------------------- projection


def test_vectorised_projection_agrees_with_the_engine() -> None:
    proj = GeoProjection(45.5, 124.5, 20.0, 52, 56)
    rng = np.random.default_rng(1)
    lat = rng.uniform(37.0, 54.0, 2000)
    lon = rng.uniform(112.0, 138.0, 2000)
    xy = bm.latlon_to_plane(proj, lat, lon)
    q, r = bm.plane_to_axial(xy[:, 0], xy[:, 1], proj.size)
    for i in range(len(lat)):
        assert tuple(axial_to_offset(Hex(int(q[i]), int(r[i])))) == tuple(
            proj.latlon_to_offset(lat[i], lon[i])
        )
    back_lat, back_lon = bm.plane_to_latlon(proj, xy[:, 0], xy[:, 1])
    assert np.allclose(back_lat, lat) and np.allclose(back_lon, lon)


def test_axial_to_flat_marks_off_map_hexes() -> None:
    q = np.array([0, 3, -1, 0])
    r = np.array([0, 1, 0, 5])
    assert bm.axial_to_flat(q, r, 4, 3).tolist() == [0, 4 + 3, 12, 12]


# ---------------------------------------------------------------- region and hex edits


def test_points_in_polygon() -> None:
    square = [[0, 0], [0, 10], [10, 10], [10, 0]]
    inside = bm.points_in_polygon(
        np.array([5.0, 5.0, 11.0, -1.0]), np.array([5.0, 11.0, 5.0, 5.0]), square
    )
    assert inside.tolist() == [True, False, False, False]


def test_apply_regions_respects_class_filter_elevation_and_order() -> None:
    terrain = np.array(["clear", "hills", "clear", "clear", "clear"], dtype=object)
    lat = np.array([1.0, 1.0, 1.0, 1.0, 20.0])
    lon = np.array([1.0, 1.0, 1.0, 1.0, 20.0])
    elev = np.array([50.0, 50.0, 150.0, 40.0, 10.0])
    box = [[0, 0], [0, 5], [5, 5], [5, 0]]
    regions = [
        {
            "name": "wet",
            "terrain": "marsh",
            "applies_to": ["clear"],
            "max_elev_m": 100,
            "polygon": box,
        },
        {"name": "dry", "terrain": "steppe", "applies_to": ["clear"], "polygon": box},
    ]
    out, changed = bm.apply_regions(terrain, lat, lon, elev, regions)
    assert out.tolist() == ["marsh", "hills", "steppe", "marsh", "clear"]
    assert changed == {"wet": 2, "dry": 1}
    with pytest.raises(ValueError):
        bm.apply_regions(terrain, lat, lon, elev, [{**regions[0], "terrain": "lava"}])


def test_apply_hex_overrides() -> None:
    proj = GeoProjection(45.0, 125.0, 20.0, 2, 2)
    terrain = np.full(25, "clear", dtype=object)
    out = bm.apply_hex_overrides(
        terrain,
        5,
        5,
        proj,
        [{"at": [45.0, 125.0], "terrain": "lake"}, {"hex": [0, 4], "terrain": "marsh"}],
    )
    assert out[2 * 5 + 2] == "lake" and out[4 * 5 + 0] == "marsh"
    assert (out == "clear").sum() == 23
    with pytest.raises(ValueError):
        bm.apply_hex_overrides(terrain, 5, 5, proj, [{"hex": [9, 9], "terrain": "lake"}])


# ---------------------------------------------------------------- rivers to hexsides


def _assert_chain(sides: list[tuple[Hex, Hex]]) -> None:
    for a, b in sides:
        assert distance(a, b) == 1, (a, b)
    for s, t in zip(sides, sides[1:], strict=False):
        assert set(bm.side_vertices(s)) & set(bm.side_vertices(t)), (s, t)


def test_corner_vertices_are_shared_by_three_hexes() -> None:
    h = Hex(3, 4)
    for corner in range(6):
        v = bm.corner_vertex(h, corner)
        assert h in v and len(set(v)) == 3
        assert all(distance(a, b) == 1 for a in v for b in v if a != b)
        x, y = bm.vertex_position(v, SIZE)
        cx, cy = hex_to_pixel(h, SIZE)
        assert np.hypot(x - cx, y - cy) == pytest.approx(SIZE)
    # the six corners of a hex are six different vertices, each joined to three others
    assert len({bm.corner_vertex(h, c) for c in range(6)}) == 6
    assert len(bm.vertex_neighbours(bm.corner_vertex(h, 0))) == 3


def test_horizontal_river_runs_along_the_lower_edges_of_its_row() -> None:
    row = 4
    x0, y0 = hex_to_pixel(Hex(0, row), SIZE)
    line = np.array(
        [[x0 - 0.3 * SIZE, y0 + 0.45 * SIZE], [x0 + 10 * SIZE * np.sqrt(3), y0 + 0.45 * SIZE]]
    )
    sides = bm.polyline_to_hexsides(line, SIZE)
    _assert_chain(sides)
    assert len(sides) >= 18  # ~two hexsides per hex over ten hexes
    for a, b in sides:
        assert {a.r, b.r} == {row, row + 1}  # it separates its row from the row to the south


def test_diagonal_river_touches_only_hexes_it_passes_near() -> None:
    line = np.array([[0.0, 0.0], [150.0, 170.0], [300.0, 120.0]])
    sides = bm.polyline_to_hexsides(line, SIZE)
    _assert_chain(sides)
    dense = bm.densify(line, 1.0)
    q, r = bm.plane_to_axial(dense[:, 0], dense[:, 1], SIZE)
    passed = {Hex(int(a), int(b)) for a, b in zip(q, r, strict=True)}
    for a, b in sides:
        assert a in passed or b in passed
    assert len({bm.side_key(*s) for s in sides}) == len(sides)  # no hexside twice


def test_densify_limits_the_step() -> None:
    pts = bm.densify(np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 7.0]]), 3.0)
    assert pts[0].tolist() == [0.0, 0.0] and pts[-1].tolist() == [10.0, 7.0]
    assert np.hypot(*np.diff(pts, axis=0).T).max() <= 3.0 + 1e-9


def _synthetic_river(row: int, length: int) -> list[tuple[Hex, Hex]]:
    x0, y0 = hex_to_pixel(Hex(0, row), SIZE)
    line = np.array([[x0, y0 + 0.45 * SIZE], [x0 + length * SIZE * np.sqrt(3), y0 + 0.45 * SIZE]])
    return [bm.side_key(*s) for s in bm.polyline_to_hexsides(line, SIZE)]


def test_route_named_river_follows_the_data_and_bridges_gaps() -> None:
    sides = _synthetic_river(6, 12)
    data = dict.fromkeys(sides, "major")
    start = bm.vertex_position(bm.side_vertices(sides[0])[0], SIZE)
    end = bm.vertex_position(bm.side_vertices(sides[-1])[1], SIZE)
    wp = np.array([start, end])
    rules = bm.RiverRules()

    def on_map(h: Hex) -> bool:
        return -5 <= h.q <= 30 and 0 <= h.r <= 20

    def dry(h: Hex) -> bool:
        return False

    route, gaps = bm.route_named_river(wp, data, SIZE, rules, on_map, dry)
    assert set(route) == set(sides) and gaps == 0
    holed = {s: c for s, c in data.items() if s not in sides[8:11]}
    route, gaps = bm.route_named_river(wp, holed, SIZE, rules, on_map, dry)
    _assert_chain(route)
    assert 1 <= gaps <= 6 and set(holed) <= set(route)


def test_assemble_rivers_names_claims_and_drops_short_groups() -> None:
    long_river = _synthetic_river(2, 10)
    short = _synthetic_river(12, 1)[:2]
    tributary = _synthetic_river(20, 6)
    data = {**dict.fromkeys(long_river, "major"), **dict.fromkeys(short, "major")}
    data.update(dict.fromkeys(tributary, "minor"))
    rules = bm.RiverRules(min_major_hexsides=3, min_minor_hexsides=6)
    named = [("Amur", None, long_river[:5]), ("Other", "minor", long_river[3:8])]
    out = bm.assemble_rivers(data, named, rules)
    by_name = {(r["name"], r["class"]): r["sides"] for r in out}
    assert by_name[("Amur", "major")] == long_river[:5]
    assert by_name[("Other", "minor")] == long_river[5:8]  # first claim wins; class forced
    unnamed = [r for r in out if r["name"].startswith("unnamed")]
    assert sorted(len(r["sides"]) for r in unnamed) == sorted([len(long_river) - 8, len(tributary)])
    assert all(s not in r["sides"] for r in unnamed for s in short)  # too short: dropped


# ---------------------------------------------------------------- output


def test_rendered_map_validates_and_keeps_the_grid() -> None:
    grid = bm.GridSpec(
        width=4,
        height=3,
        center_lat=45.0,
        center_lon=125.0,
        hex_km=20.0,
        center_col=2,
        center_row=1,
    )
    terrain = np.array(["clear", "hills", "sea", "lake"] * 3, dtype=object)
    codes = {t: c for t, c in zip(bm.TERRAIN_IDS, ".:dfhms=~", strict=True)}
    table = [{"id": t, "name": t.title()} for t in bm.TERRAIN_IDS]
    river = {"name": "Test", "class": "minor", "sides": [(Hex(0, 0), Hex(0, 1))]}
    text = bm.render_map_yaml(grid, terrain, [river], codes, table)
    assert text.startswith("# GENERATED FILE")
    spec = MapSpec.model_validate(yaml.safe_load(text)["map"])
    assert spec.terrain_rows() == [".h~=", ".h~=", ".h~="]
    assert spec.rivers[0].hexsides == [((0, 0), (0, 1))]
    assert spec.projection.hex_km == 20.0


def test_write_atomic_replaces_the_file(tmp_path) -> None:
    target = tmp_path / "sub" / "map.yaml"
    bm.write_atomic(target, "a: 1\n")
    bm.write_atomic(target, "a: 2\n")
    assert target.read_text() == "a: 2\n"
    assert [p.name for p in target.parent.iterdir()] == ["map.yaml"]


def test_help_documents_the_options(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        bm.parse_args(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for option in ("--edits", "--output", "--marble", "--gshhg", "--ne-dir", "--preview"):
        assert option in out


def test_committed_edits_file_loads() -> None:
    edits = bm.load_edits(bm.DEFAULT_EDITS)
    assert edits["grid"].hex_km == 20.0
    assert all(
        item.get("source") for key in ("remove_lakes", "regions", "rivers") for item in edits[key]
    )
    for region in edits["regions"]:
        assert region["terrain"] in bm.TERRAIN_IDS
