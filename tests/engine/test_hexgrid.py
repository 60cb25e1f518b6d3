"""Conformance of engine.hexgrid with the identities of Red Blob Games' hex reference.

https://www.redblobgames.com/grids/hexagons/ — every property is checked over thousands of random
hexes with hypothesis, and the numpy tables of HexGrid against the scalar axial maths.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.hexgrid import (
    AXIAL_DIRECTIONS,
    EARTH_RADIUS_KM,
    GeoProjection,
    Hex,
    HexGrid,
    Offset,
    axial_to_offset,
    cube_round,
    direction_to,
    distance,
    hex_add,
    hex_corners,
    hex_scale,
    hex_subtract,
    hex_to_pixel,
    line,
    neighbor,
    neighbors,
    offset_to_axial,
    opposite,
    pixel_to_hex,
    ring,
    spiral,
)

# Each example of the cheap identities draws a batch of hexes, so a few hundred examples test
# thousands of hexes without hypothesis' per-example overhead dominating the run time.
MANY = settings(max_examples=250, deadline=None)
SOME = settings(max_examples=100, deadline=None)
BATCH = 12

coords = st.integers(min_value=-500, max_value=500)
hexes = st.builds(Hex, coords, coords)
near_coords = st.integers(min_value=-40, max_value=40)
near_hexes = st.builds(Hex, near_coords, near_coords)
directions = st.integers(min_value=0, max_value=5)
sizes = st.floats(min_value=0.5, max_value=100.0, allow_nan=False, allow_infinity=False)


# ---------------------------------------------------------------- cube coordinates and distance


@MANY
@given(st.lists(hexes, min_size=1, max_size=BATCH))
def test_cube_constraint(batch: list[Hex]) -> None:
    for h in batch:
        assert h.q + h.r + h.s == 0


@MANY
@given(st.lists(st.tuples(hexes, directions), min_size=1, max_size=BATCH))
def test_neighbour_keeps_cube_constraint_and_is_at_distance_one(
    batch: list[tuple[Hex, int]],
) -> None:
    for h, d in batch:
        n = neighbor(h, d)
        assert n.q + n.r + n.s == 0
        assert distance(h, n) == 1
        assert direction_to(h, n) == d
        assert direction_to(n, h) == opposite(d)
        assert neighbor(n, opposite(d)) == h


@MANY
@given(st.lists(hexes, min_size=1, max_size=BATCH))
def test_six_distinct_neighbours(batch: list[Hex]) -> None:
    for h in batch:
        ns = neighbors(h)
        assert len(set(ns)) == 6
        assert all(distance(h, n) == 1 for n in ns)
        assert ns == [hex_add(h, d) for d in AXIAL_DIRECTIONS]


def test_directions_are_the_reference_order() -> None:
    # Red Blob's axial_direction_vectors: E, NE, NW, W, SW, SE for pointy-top hexes.
    expected = (
        Hex(1, 0),
        Hex(1, -1),
        Hex(0, -1),
        Hex(-1, 0),
        Hex(-1, 1),
        Hex(0, 1),
    )
    assert expected == AXIAL_DIRECTIONS
    for d in range(6):
        assert hex_add(AXIAL_DIRECTIONS[d], AXIAL_DIRECTIONS[opposite(d)]) == Hex(0, 0)


@MANY
@given(st.lists(st.tuples(hexes, hexes), min_size=1, max_size=BATCH))
def test_distance_symmetric_and_zero_only_on_itself(batch: list[tuple[Hex, Hex]]) -> None:
    for a, b in [*batch, (batch[0][0], batch[0][0])]:
        assert distance(a, b) == distance(b, a)
        assert distance(a, b) >= 0
        assert (distance(a, b) == 0) == (a == b)
        # The reference's cube distance: max of the absolute cube differences.
        diff = hex_subtract(a, b)
        assert distance(a, b) == max(abs(diff.q), abs(diff.r), abs(diff.s))


@MANY
@given(st.lists(st.tuples(hexes, hexes, hexes), min_size=1, max_size=BATCH))
def test_distance_triangle_inequality(batch: list[tuple[Hex, Hex, Hex]]) -> None:
    for a, b, c in batch:
        assert distance(a, c) <= distance(a, b) + distance(b, c)


@MANY
@given(
    st.lists(
        st.tuples(hexes, directions, st.integers(min_value=0, max_value=300)),
        min_size=1,
        max_size=BATCH,
    )
)
def test_distance_along_a_straight_direction(batch: list[tuple[Hex, int, int]]) -> None:
    for h, d, k in batch:
        assert distance(h, hex_add(h, hex_scale(AXIAL_DIRECTIONS[d], k))) == k


# ---------------------------------------------------------------- lines


@MANY
@given(near_hexes, near_hexes)
def test_line_length_endpoints_and_adjacency(a: Hex, b: Hex) -> None:
    hexes_on_line = line(a, b)
    assert distance(a, b) == len(hexes_on_line) - 1
    assert hexes_on_line[0] == a
    assert hexes_on_line[-1] == b
    for p, q in zip(hexes_on_line, hexes_on_line[1:], strict=False):
        assert distance(p, q) == 1
    # Each hex on the line is i steps from a and n - i from b.
    n = len(hexes_on_line) - 1
    for i, h in enumerate(hexes_on_line):
        assert distance(a, h) == i
        assert distance(h, b) == n - i


@SOME
@given(hexes, hexes)
def test_line_between_far_hexes(a: Hex, b: Hex) -> None:
    hexes_on_line = line(a, b)
    assert len(hexes_on_line) - 1 == distance(a, b)
    assert all(distance(p, q) == 1 for p, q in zip(hexes_on_line, hexes_on_line[1:], strict=False))


# ---------------------------------------------------------------- rings and spirals


@SOME
@given(hexes, st.integers(min_value=0, max_value=25))
def test_ring(center: Hex, k: int) -> None:
    hexes_in_ring = ring(center, k)
    assert len(hexes_in_ring) == (6 * k if k else 1)
    assert len(set(hexes_in_ring)) == len(hexes_in_ring)
    assert all(distance(center, h) == k for h in hexes_in_ring)
    # Walking the ring visits neighbours one after another and closes up.
    if k:
        walk = [*hexes_in_ring, hexes_in_ring[0]]
        assert all(distance(p, q) == 1 for p, q in zip(walk, walk[1:], strict=False))


@SOME
@given(hexes, st.integers(min_value=0, max_value=20))
def test_spiral(center: Hex, k: int) -> None:
    area = spiral(center, k)
    assert len(area) == 3 * k * (k + 1) + 1
    assert len(set(area)) == len(area)
    assert area[0] == center
    assert all(distance(center, h) <= k for h in area)
    # It is exactly the set of hexes within k steps.
    expected = {
        Hex(center.q + dq, center.r + dr)
        for dq in range(-k, k + 1)
        for dr in range(max(-k, -dq - k), min(k, -dq + k) + 1)
    }
    assert set(area) == expected


# ---------------------------------------------------------------- offset coordinates


@MANY
@given(st.lists(hexes, min_size=1, max_size=BATCH))
def test_axial_offset_round_trip(batch: list[Hex]) -> None:
    for h in batch:
        o = axial_to_offset(h)
        assert o.row == h.r
        assert offset_to_axial(o.col, o.row) == h


@MANY
@given(st.lists(st.tuples(coords, coords), min_size=1, max_size=BATCH))
def test_offset_axial_round_trip(batch: list[tuple[int, int]]) -> None:
    for col, row in batch:
        assert axial_to_offset(offset_to_axial(col, row)) == Offset(col, row)


def test_odd_r_convention() -> None:
    # Odd rows are shoved right by half a hex ("odd-r"): [0, 1] lies south-east of [0, 0].
    origin = offset_to_axial(0, 0)
    assert direction_to(origin, offset_to_axial(0, 1)) == 5  # SE
    assert direction_to(offset_to_axial(0, 2), offset_to_axial(0, 1)) == 1  # NE
    assert offset_to_axial(3, 1) == Hex(3, 1)
    assert offset_to_axial(3, 2) == Hex(2, 2)
    assert offset_to_axial(3, -1) == Hex(4, -1)


# ---------------------------------------------------------------- pixels


@MANY
@given(st.lists(hexes, min_size=1, max_size=BATCH), sizes)
def test_pixel_round_trip(batch: list[Hex], size: float) -> None:
    for h in batch:
        x, y = hex_to_pixel(h, size)
        assert pixel_to_hex(x, y, size) == h


@MANY
@given(
    near_hexes,
    sizes,
    st.integers(min_value=0, max_value=5),
    st.floats(min_value=0.0, max_value=1.0),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_points_inside_a_hex_map_back_to_it(
    h: Hex, size: float, corner: int, u: float, v: float
) -> None:
    cx, cy = hex_to_pixel(h, size)
    corners = hex_corners(h, size)
    # Every corner, pulled 1 % towards the centre, is inside the hex.
    for px, py in corners:
        sx = cx + 0.99 * (px - cx)
        sy = cy + 0.99 * (py - cy)
        assert pixel_to_hex(sx, sy, size) == h
    # Any point of the triangle centre-corner-next corner, shrunk the same way.
    if u + v > 1.0:
        u, v = 1.0 - u, 1.0 - v
    ax, ay = corners[corner]
    bx, by = corners[(corner + 1) % 6]
    px = cx + 0.99 * (u * (ax - cx) + v * (bx - cx))
    py = cy + 0.99 * (u * (ay - cy) + v * (by - cy))
    assert pixel_to_hex(px, py, size) == h


@SOME
@given(near_hexes, sizes)
def test_corners_are_size_from_the_centre_and_shared_with_neighbours(h: Hex, size: float) -> None:
    cx, cy = hex_to_pixel(h, size)
    corners = hex_corners(h, size)
    for px, py in corners:
        assert math.hypot(px - cx, py - cy) == pytest.approx(size)
    # Adjacent hex centres are sqrt(3) * size apart (pointy-top).
    for n in neighbors(h):
        nx_, ny_ = hex_to_pixel(n, size)
        assert math.hypot(nx_ - cx, ny_ - cy) == pytest.approx(math.sqrt(3) * size)


fractional = st.floats(min_value=-5000, max_value=5000)


@MANY
@given(st.lists(st.tuples(fractional, fractional), min_size=1, max_size=BATCH))
def test_cube_round_is_the_nearest_hex(batch: list[tuple[float, float]]) -> None:
    for fq, fr in batch:
        h = cube_round(fq, fr)
        assert h.q + h.r + h.s == 0

        # No neighbour is nearer in cube distance: the reference's rounding is exact.
        fs = -fq - fr
        own = max(abs(h.q - fq), abs(h.r - fr), abs(h.s - fs))
        for n in neighbors(h):
            assert own <= max(abs(n.q - fq), abs(n.r - fr), abs(n.s - fs)) + 1e-9


# ---------------------------------------------------------------- HexGrid tables


grid_shapes = st.tuples(
    st.integers(min_value=1, max_value=30), st.integers(min_value=1, max_value=30)
)


@SOME
@given(grid_shapes)
def test_neighbor_index_agrees_with_axial_neighbours(shape: tuple[int, int]) -> None:
    width, height = shape
    grid = HexGrid(width, height)
    assert grid.neighbor_index.shape == (width * height, 6)
    for i in range(grid.size):
        h = grid.axial(i)
        assert grid.index_of_axial(h) == i
        for d in range(6):
            n = neighbor(h, d)
            o = axial_to_offset(n)
            j = int(grid.neighbor_index[i, d])
            if grid.contains(o.col, o.row):
                assert j == grid.index(o.col, o.row)
                assert grid.direction(i, j) == d
            else:
                assert j == -1


@SOME
@given(grid_shapes)
def test_neighbor_index_is_symmetric(shape: tuple[int, int]) -> None:
    grid = HexGrid(*shape)
    nb = grid.neighbor_index
    ii, dd = np.nonzero(nb >= 0)
    jj = nb[ii, dd]
    back = nb[jj, (dd + 3) % 6]
    assert np.array_equal(back, ii)
    # The number of links counted from both ends agrees.
    assert int((nb >= 0).sum()) % 2 == 0


def test_neighbor_index_on_a_known_grid() -> None:
    grid = HexGrid(4, 3)
    # Even row 0, col 0: only E, SE lie on the map.
    assert list(grid.neighbor_index[grid.index(0, 0)]) == [1, -1, -1, -1, -1, 4]
    # Odd row 1, col 3 (east edge, shoved right): E, NE and SE are off the map.
    i = grid.index(3, 1)
    assert list(grid.neighbor_index[i]) == [-1, -1, 3, 6, 11, -1]
    # Interior hex of an odd row has all six.
    assert (grid.neighbor_index[grid.index(1, 1)] >= 0).all()


@SOME
@given(grid_shapes, st.data())
def test_distances_from_matches_distance(shape: tuple[int, int], data: st.DataObject) -> None:
    grid = HexGrid(*shape)
    i = data.draw(st.integers(min_value=0, max_value=grid.size - 1))
    field = grid.distances_from(i)
    assert field.shape == (grid.size,)
    origin = grid.axial(i)
    expected = np.array([distance(origin, grid.axial(j)) for j in range(grid.size)])
    assert np.array_equal(field, expected)
    j = data.draw(st.integers(min_value=0, max_value=grid.size - 1))
    assert grid.distance(i, j) == int(field[j])


def test_grid_rejects_bad_sizes_and_off_map_indices() -> None:
    with pytest.raises(ValueError):
        HexGrid(0, 5)
    grid = HexGrid(5, 4)
    with pytest.raises(IndexError):
        grid.index(5, 0)
    with pytest.raises(IndexError):
        grid.index(0, -1)
    assert grid.offset(grid.index(3, 2)) == Offset(3, 2)


# ---------------------------------------------------------------- geographic projection

MANCHURIA = GeoProjection(
    center_lat=46.0, center_lon=123.0, hex_km=20.0, center_col=60, center_row=45
)
lats = st.floats(min_value=38.0, max_value=54.0)
lons = st.floats(min_value=110.0, max_value=136.0)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


points = st.lists(st.tuples(lats, lons), min_size=1, max_size=BATCH)


@MANY
@given(points)
def test_projection_round_trip(batch: list[tuple[float, float]]) -> None:
    for lat, lon in batch:
        x, y = MANCHURIA.latlon_to_km(lat, lon)
        lat2, lon2 = MANCHURIA.km_to_latlon(x, y)
        assert abs(lat2 - lat) < 1e-6
        assert abs(lon2 - lon) < 1e-6


@MANY
@given(points)
def test_projection_distance_from_centre_is_true(batch: list[tuple[float, float]]) -> None:
    for lat, lon in batch:
        x, y = MANCHURIA.latlon_to_km(lat, lon)
        true_km = haversine_km(MANCHURIA.center_lat, MANCHURIA.center_lon, lat, lon)
        assert math.hypot(x, y) == pytest.approx(true_km, rel=1e-3, abs=1e-6)


def test_projection_orientation() -> None:
    # x grows east, y grows south (screen and row order).
    x, y = MANCHURIA.latlon_to_km(46.0, 124.0)
    assert x > 0 and abs(y) < 5
    x, y = MANCHURIA.latlon_to_km(47.0, 123.0)
    assert y < 0 and abs(x) < 1e-6
    assert MANCHURIA.latlon_to_km(46.0, 123.0) == pytest.approx((0.0, 0.0), abs=1e-9)
    assert MANCHURIA.offset_to_latlon(60, 45) == pytest.approx((46.0, 123.0))
    assert MANCHURIA.latlon_to_offset(46.0, 123.0) == Offset(60, 45)


@MANY
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=130), st.integers(min_value=0, max_value=90)),
        min_size=1,
        max_size=BATCH,
    ),
    st.sampled_from([5.0, 10.0, 20.0, 33.3]),
)
def test_offset_latlon_round_trip(batch: list[tuple[int, int]], hex_km: float) -> None:
    proj = GeoProjection(46.0, 123.0, hex_km, 65, 45)
    for col, row in batch:
        lat, lon = proj.offset_to_latlon(col, row)
        assert proj.latlon_to_offset(lat, lon) == Offset(col, row)


def test_adjacent_hex_centres_are_hex_km_apart_near_the_centre() -> None:
    proj = MANCHURIA
    lat0, lon0 = proj.offset_to_latlon(60, 45)
    # Row 45 is odd, so its north and south neighbours are in columns 60 and 61.
    for col, row in [(61, 45), (59, 45), (60, 44), (61, 44), (60, 46), (61, 46)]:
        lat, lon = proj.offset_to_latlon(col, row)
        assert haversine_km(lat0, lon0, lat, lon) == pytest.approx(proj.hex_km, rel=1e-3)


def test_vectorised_hex_centres_match_the_scalar_projection():
    import numpy as np

    from engine.hexgrid import GeoProjection

    proj = GeoProjection(45.5, 124.5, 20.0, 52, 56)
    rng = np.random.default_rng(0)
    cols = rng.integers(0, 104, 500)
    rows = rng.integers(0, 110, 500)
    cols[0], rows[0] = 52, 56  # the centre itself
    lat, lon = proj.offsets_to_latlon(cols, rows)
    for c, r, la, lo in zip(cols.tolist(), rows.tolist(), lat, lon, strict=True):
        want = proj.offset_to_latlon(c, r)
        assert abs(la - want[0]) < 1e-9 and abs(lo - want[1]) < 1e-9
