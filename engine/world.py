"""The static map of a game: grid, terrain, rivers, forts, places and the road/rail network.

Built once from a scenario and never changed by play; everything that changes (units, control,
supply) lives in :mod:`engine.state`. Per-hex layers are flat numpy arrays indexed like
:class:`engine.hexgrid.HexGrid`; the road and rail network is a networkx ``MultiGraph`` over
hex indices whose edge keys are the link kind (``"road"`` or ``"rail"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from engine.hexgrid import GeoProjection, HexGrid
from engine.scenario.geometry import line_hexes, place_hex, points_in_polygon
from engine.scenario.model import MOVEMENT_CLASSES, Coord, Place, Scenario, TerrainType
from engine.scenario.projection import projection_of

RIVER_NONE, RIVER_MINOR, RIVER_MAJOR = 0, 1, 2
RIVER_CLASS_CODES = {"minor": RIVER_MINOR, "major": RIVER_MAJOR}
RIVER_CLASS_NAMES = {RIVER_MINOR: "minor", RIVER_MAJOR: "major"}


@dataclass(frozen=True)
class PlaceInfo:
    """A place resolved onto the map."""

    spec: Place
    index: int


_KIND_BITS = {"road": 1, "rail": 2, "ferry": 4}


class World:
    """The static geography and network of a scenario, with per-movement-class cost tables.

    Attributes:
        terrain: terrain-table index per hex.
        river: river class (0 none, 1 minor, 2 major) per hex and direction, symmetric.
        fort_level: fortification level per hex.
        network: the road and rail graph over hex indices.
        base_step_cost: per movement class, an ``(N, 6)`` array of the movement points to step
            from a hex to its neighbour in each direction, taking the cheaper of the
            cross-country cost (terrain plus river) and any road or rail link; ``inf`` where the
            step is impossible. Zones of control and units are applied on top by the movement
            rules.
        network_kind_of_step: ``(N, 6)`` bit mask of the links along each step (1 road, 2 rail,
            4 ferry).
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        m = scenario.map
        self.grid = HexGrid(m.width, m.height)
        self.projection: GeoProjection = projection_of(m)
        self.terrain_types: list[TerrainType] = list(scenario.terrain)
        code_index = {t.code: i for i, t in enumerate(self.terrain_types)}
        rows = m.terrain_rows()
        self.terrain = np.array([code_index[code] for row in rows for code in row], dtype=np.int16)
        n = self.grid.size
        self.river = np.zeros((n, 6), dtype=np.int8)
        self.river_names: dict[tuple[int, int], str] = {}
        for river in m.rivers:
            self.set_rivers(river.hexsides, RIVER_CLASS_CODES[river.river_class], river.name)
        self.fort_level = np.zeros(n, dtype=np.int8)
        self.fort_names: dict[int, str] = {}
        for fort in m.fortifications:
            i = self.grid.index(*fort.hex)
            self.fort_level[i] = max(self.fort_level[i], fort.level)
            if fort.name:
                self.fort_names[i] = fort.name
        self.network = self._build_network()
        self.places: dict[str, PlaceInfo] = {}
        for place in scenario.places:
            coord = place_hex(place, self.projection)
            self.places[place.id] = PlaceInfo(place, self.grid.index(*coord))
        self.place_at: dict[int, str] = {info.index: pid for pid, info in self.places.items()}
        self._centres: np.ndarray | None = None
        self.region = self._regions()
        region_index = {r.id: k for k, r in enumerate(scenario.regions)}
        self.forbidden: dict[str, np.ndarray] = {
            side.id: np.isin(self.region, [region_index[r] for r in side.forbidden_regions])
            for side in scenario.sides
        }
        """Per side, the hexes its units may never enter (its ``forbidden_regions``)."""
        self.terrain_move: dict[str, np.ndarray] = {
            mc: np.array(
                [np.inf if t.move.get(mc) is None else t.move.get(mc) for t in self.terrain_types]
            )
            for mc in MOVEMENT_CLASSES
        }
        self.preserved_area: list[np.ndarray | None] = [
            None if fp.area is None else self.area_mask(fp.area)
            for fp in scenario.victory.forces_preserved
        ]
        """Per ``victory.forces_preserved`` entry, the hexes inside its area (None: all)."""
        self.navigable = np.array([t.navigable for t in self.terrain_types])[self.terrain]
        """Hexes ships can sail (the sea)."""
        self._sea_distances: dict[int, np.ndarray] = {}
        self.terrain_defense = np.array([t.defense for t in self.terrain_types])
        self._links = self._network_links()
        self.network_kind_of_step = self._network_steps()
        self.base_step_cost: dict[str, np.ndarray] = {
            mc: self._step_cost(mc) for mc in MOVEMENT_CLASSES
        }

    # ------------------------------------------------------------ construction

    def set_rivers(self, hexsides: list[tuple[Coord, Coord]], code: int, name: str = "") -> None:
        """Mark hexsides (pairs of adjacent ``[col, row]`` hexes) as rivers of class ``code``."""
        if not hexsides:
            return
        pairs = np.array(hexsides, dtype=np.int64).reshape(-1, 4)
        a = pairs[:, 1] * self.grid.width + pairs[:, 0]
        b = pairs[:, 3] * self.grid.width + pairs[:, 2]
        hits = self.grid.neighbor_index[a] == b[:, None]
        if not hits.any(axis=1).all():
            raise ValueError("a river hexside needs two adjacent hexes")
        d = hits.argmax(axis=1)
        np.maximum.at(self.river, (a, d), code)
        np.maximum.at(self.river, (b, (d + 3) % 6), code)
        if name:
            self.river_names.update(
                ((int(x), int(y)), name)
                for x, y in zip(np.minimum(a, b), np.maximum(a, b), strict=True)
            )

    def _hex_centres(self) -> np.ndarray:
        """``(N, 2)`` latitude and longitude of every hex centre (computed once)."""
        if self._centres is None:
            lat, lon = self.projection.offsets_to_latlon(self.grid.cols, self.grid.rows)
            self._centres = np.column_stack([lat, lon])
        return self._centres

    def area_mask(self, polygon: list[tuple[float, float]]) -> np.ndarray:
        """The hexes whose centre lies inside a polygon of ``[lat, lon]`` points."""
        return points_in_polygon(self._hex_centres(), np.array(polygon, dtype=np.float64))

    def sea_distances_from(self, port: int) -> np.ndarray:
        """Hexes sailed from a port to every hex (``inf`` where no ship can go; computed once).

        Ships leave from the navigable hexes next to the port (1 hex away) and sail over
        navigable hexes; a land hex on the coast is reached one hex beyond its nearest
        navigable neighbour.
        """
        if port not in self._sea_distances:
            dist = np.full(self.grid.size, np.inf)
            frontier = [i for i in self.grid.neighbors_of(port) if self.navigable[i]]
            for i in frontier:
                dist[i] = 1
            step = 1
            while frontier:
                step += 1
                nxt = []
                for i in frontier:
                    for j in self.grid.neighbors_of(i):
                        if dist[j] > step:
                            dist[j] = step
                            if self.navigable[j]:
                                nxt.append(j)
                frontier = nxt
            self._sea_distances[port] = dist
        return self._sea_distances[port]

    def _regions(self) -> np.ndarray:
        """Index into ``scenario.regions`` of the region holding each hex (-1 for none)."""
        out = np.full(self.grid.size, -1, dtype=np.int16)
        for k, region in enumerate(self.scenario.regions):
            out[self.area_mask(region.polygon)] = k
        return out

    def _build_network(self) -> nx.MultiGraph:
        g = nx.MultiGraph()
        g.add_nodes_from(range(self.grid.size))
        for line in self.scenario.network.lines:
            idx = [self.grid.index(*c) for c in line_hexes(line, self.scenario)]
            for a, b in zip(idx, idx[1:], strict=False):
                existing = g.get_edge_data(a, b, key=line.kind)
                if existing is not None and existing["condition"] >= line.condition:
                    continue
                g.add_edge(
                    a,
                    b,
                    key=line.kind,
                    line=line.id,
                    condition=line.condition,
                    capacity=line.capacity,
                )
        return g

    def _network_links(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per link kind, the network's links between adjacent hexes as arrays.

        Returns ``(a, d, condition)``: the hex at one end, the direction to the other end and
        the link's condition; the reverse step is ``(neighbor_index[a, d], (d + 3) % 6)``.
        """
        by_kind: dict[str, list[tuple[int, int, float]]] = {}
        for a, b, kind, data in self.network.edges(keys=True, data=True):
            by_kind.setdefault(kind, []).append((a, b, data["condition"]))
        out = {}
        for kind, rows in by_kind.items():
            a = np.array([r[0] for r in rows], dtype=np.int64)
            b = np.array([r[1] for r in rows], dtype=np.int64)
            hits = self.grid.neighbor_index[a] == b[:, None]
            adjacent = hits.any(axis=1)
            d = hits.argmax(axis=1)
            cond = np.array([r[2] for r in rows], dtype=np.float64)
            out[kind] = (a[adjacent], d[adjacent], cond[adjacent])
        return out

    def _network_steps(self) -> np.ndarray:
        mask = np.zeros((self.grid.size, 6), dtype=np.int8)
        for kind, (a, d, _cond) in self._links.items():
            bit = _KIND_BITS[kind]
            b = self.grid.neighbor_index[a, d]
            mask[a, d] |= bit
            mask[b, (d + 3) % 6] |= bit
        return mask

    def _step_cost(self, movement_class: str) -> np.ndarray:
        """Cross-country or network movement cost of every step for one movement class."""
        nb = self.grid.neighbor_index
        valid = nb >= 0
        target_terrain = np.where(valid, self.terrain[np.where(valid, nb, 0)], 0)
        cost = self.terrain_move[movement_class][target_terrain].astype(np.float64)
        for name, code in RIVER_CLASS_CODES.items():
            rules = self.scenario.rivers.get(name)  # type: ignore[call-overload]
            if rules is None:
                continue
            extra = rules.move.get(movement_class)
            at = self.river == code
            cost[at] = np.inf if extra is None else cost[at] + extra
        cost[~valid] = np.inf
        for kind, (a, d, condition) in self._links.items():
            per_hex = self.scenario.network.kinds[kind].move.get(movement_class)
            if per_hex is None:
                continue
            along = per_hex / condition
            np.minimum.at(cost, (a, d), along)
            np.minimum.at(cost, (nb[a, d], (d + 3) % 6), along)
        return cost

    # ------------------------------------------------------------ queries

    def index(self, col: int, row: int) -> int:
        """Flat index of an offset coordinate (raises IndexError off the map)."""
        return self.grid.index(col, row)

    def coord(self, index: int) -> tuple[int, int]:
        """Offset coordinate ``(col, row)`` of a flat index."""
        return index % self.grid.width, index // self.grid.width

    def terrain_at(self, index: int) -> TerrainType:
        """The terrain type of a hex."""
        return self.terrain_types[int(self.terrain[index])]

    def river_between(self, a: int, b: int) -> int:
        """River class on the hexside between adjacent hexes (0 when none or not adjacent)."""
        d = self.grid.direction(a, b)
        return 0 if d is None else int(self.river[a, d])

    def passable(self, index: int, movement_class: str) -> bool:
        """Whether a movement class may stand in a hex at all."""
        return bool(np.isfinite(self.terrain_move[movement_class][self.terrain[index]]))

    def link(self, a: int, b: int, kind: str) -> dict | None:
        """Attributes of the ``kind`` link between two hexes, or None."""
        return self.network.get_edge_data(a, b, key=kind)
