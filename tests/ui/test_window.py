"""The real window driven by synthetic mouse and keyboard events (headless, test_small)."""

from __future__ import annotations

import pygame
import pytest
from harness import open_test_window

from engine.game import replay
from engine.orders import Attack, EndPhase, Move


@pytest.fixture
def win():
    w = open_test_window()
    yield w
    w.close()


def _hash(w) -> str:
    return w.game.state_hash()


def test_click_selects_the_unit_and_hover_previews_its_path(win):
    win.click(win.hex_pos(7, 3))
    assert win.c.ui.selection.unit_id == "s_rd1"
    win.move_mouse(win.hex_pos(8, 3))
    path = win.c.ui.path
    world = win.game.world
    assert path is not None and path.legal
    assert path.path[0] == world.index(7, 3) and path.path[-1] == world.index(8, 3)
    reach = win.game.view("soviet").reachable("s_rd1")
    assert path.cost == reach.cost_to(world.index(8, 3))


def test_click_on_a_reachable_hex_moves_the_selected_unit(win):
    win.click(win.hex_pos(7, 3))
    win.click(win.hex_pos(8, 3))
    assert win.game.state.units["s_rd1"].hex == (8, 3)
    assert win.game.order_log[-1] == Move(unit="s_rd1", to=(8, 3))
    assert win.c.shown.units and any(
        u.id == "s_rd1" and u.hex == win.game.world.index(8, 3) for u in win.c.shown.units
    )


def test_drag_from_the_selected_unit_moves_it(win):
    start = win.hex_pos(7, 10)
    win.click(start)
    assert win.c.ui.selection.unit_id == "s_tb1"
    win.drag(start, win.hex_pos(9, 10))
    assert win.game.state.units["s_tb1"].hex == (9, 10)


def test_an_illegal_move_says_why_and_changes_nothing(win):
    before = _hash(win)
    win.click(win.hex_pos(7, 3))
    win.click(win.hex_pos(18, 18))  # far beyond a rifle division's two MP
    assert _hash(win) == before
    errors = [t for t in win.c.ui.toasts if t.kind == "error"]
    assert errors and "cannot reach" in errors[-1].text
    assert errors[-1].pos is not None  # near the cursor


def test_undo_takes_the_move_back_to_the_same_hash(win):
    before = _hash(win)
    win.click(win.hex_pos(7, 3))
    win.click(win.hex_pos(8, 3))
    assert _hash(win) != before
    win.key(pygame.K_BACKSPACE)
    assert _hash(win) == before
    assert win.game.state.units["s_rd1"].hex == (7, 3)
    win.key(pygame.K_BACKSPACE)  # nothing left: a message, no change
    assert _hash(win) == before
    assert any("undo" in t.text for t in win.c.ui.toasts)


def test_end_phase_warns_first_when_units_can_still_move(win):
    win.key(pygame.K_RETURN)
    assert win.game.state.phase == "movement"
    assert any("can still move" in t.text for t in win.c.ui.toasts)
    win.key(pygame.K_RETURN)
    assert win.game.state.phase == "combat"
    assert win.game.order_log[-1] == EndPhase()


def test_attack_with_preview_then_confirm(win):
    win.click(win.hex_pos(7, 10))
    win.click(win.hex_pos(9, 10))  # the tank brigade next to the 1st Infantry Division
    win.key(pygame.K_RETURN)
    win.key(pygame.K_RETURN)
    assert win.game.state.phase == "combat"
    win.click(win.hex_pos(10, 10))
    att = win.c.ui.attack
    assert win.c.ui.mode == "attack" and att is not None
    assert "s_tb1" in att.attackers and att.preview is not None
    assert abs(sum(o.probability for o in att.preview.outcomes) - 1.0) < 1e-6
    # the panel's candidate rows add and drop attackers
    n = len(att.attackers)
    for uid in att.candidates:
        if uid not in att.attackers:
            win.c.toggle_attacker(uid)
            assert len(win.c.ui.attack.attackers) == n + 1
            win.c.toggle_attacker(uid)
            break
    odds = att.preview.odds
    win.click(win.c.layout.attack_buttons()["confirm"].center)
    assert isinstance(win.game.order_log[-1], Attack)
    assert win.c.ui.mode == "orders" and win.c.ui.attack is None
    assert win.c.ui.last_result
    combats = [e for e in win.game.state.log if e.kind == "combat"]
    assert combats and "s_tb1" in combats[-1].units
    assert odds > 0


def test_the_ai_turn_runs_to_completion_and_hands_back(win):
    win.key(pygame.K_RETURN)
    win.key(pygame.K_RETURN)  # movement over (after the warning)
    win.key(pygame.K_RETURN)  # combat over: the Japanese play
    assert win.c.ui.mode in ("ai_turn", "orders")
    win.wait_for_human()
    assert win.game.state.turn == 2
    assert win.game.active_side == "soviet" and win.game.state.phase == "movement"
    assert win.c.ai_steps > 0
    assert win.c.shown.turn == 2


def test_wheel_zooms_about_the_mouse(win):
    cam = win.c.camera
    pos = win.hex_pos(12, 12)
    before = cam.to_world(*pos)
    zoom = cam.zoom
    win.wheel(pos, 1)
    assert cam.zoom == zoom + 1
    after = cam.to_world(*pos)
    assert abs(after[0] - before[0]) < 1e-6 and abs(after[1] - before[1]) < 1e-6
    win.wheel(pos, -1)
    assert cam.zoom == zoom


def test_drag_on_the_map_and_arrow_keys_pan(win):
    cam = win.c.camera
    cam.zoom_to(7)
    x0, y0 = cam.cx, cam.cy
    mid = win.c.layout.map.center
    win.drag(mid, (mid[0] - 100, mid[1]))
    assert cam.cx > x0 and abs(cam.cy - y0) < 1e-9
    x1 = cam.cx
    win.key(pygame.K_LEFT)
    assert cam.cx < x1


def test_minimap_click_centres_the_camera(win):
    cam = win.c.camera
    cam.zoom_to(7)
    mm = win.c.layout.minimap
    target = (mm.x + mm.width // 4, mm.y + mm.height // 3)
    wx, wy = win.c.minimap.minimap_to_world(win.c.layout, target)
    win.click(target)
    assert abs(cam.cx - wx) < 0.5 and abs(cam.cy - wy) < 0.5


@pytest.mark.parametrize("k", range(5))
def test_each_overlay_toggles_and_draws(win, k):
    name = ("supply", "zoc", "control", "objectives", "fog")[k]
    win.click(win.hex_pos(7, 10))  # a selected unit: supply trace and reach drawn too
    win.frame()
    before = pygame.surfarray.array3d(win.app.screen).copy()
    win.key(pygame.K_1 + k)
    assert win.c.ui.overlays[name]
    after = pygame.surfarray.array3d(win.app.screen)
    area = win.c.layout.map
    diff = (before != after).any(axis=2)[area.x : area.right, area.y : area.bottom]
    assert diff.sum() > 50, f"the {name} overlay changed no pixel of the map"
    win.key(pygame.K_1 + k)
    assert not win.c.ui.overlays[name]


def test_help_lists_every_hotkey_and_any_click_closes_it(win):
    win.key(pygame.K_F1)
    assert win.c.ui.help
    win.click(win.c.layout.map.center)
    assert not win.c.ui.help


def test_right_click_lists_only_legal_special_orders(win):
    win.click(win.hex_pos(1, 10))  # the front HQ on the railway
    assert win.c.ui.selection.unit_id == "s_hq"
    win.click(win.hex_pos(5, 10), button=3)
    menu = win.c.ui.menu
    assert menu is not None
    legal = {o for _label, o in menu.items}
    assert all(o in win.game.legal_orders("s_hq") for o in legal)
    labels = [label for label, _ in menu.items]
    assert any(label.startswith("Rail move") for label in labels)
    from ui.panels import menu_item_rects

    rail = next(k for k, (label, _o) in enumerate(menu.items) if label.startswith("Rail"))
    rect = menu_item_rects(menu, pygame.Rect((0, 0), win.c.layout.size))[rail]
    win.click(rect.center)
    assert win.game.state.units["s_hq"].hex == (5, 10)


def test_log_click_centres_the_map_on_its_hexes(win):
    win.click(win.hex_pos(7, 3))
    win.click(win.hex_pos(8, 3))
    cam = win.c.camera
    cam.zoom_to(7)
    cam.centre_on(win.game.world.index(18, 18))
    rows = win.c.layout.log_rows()
    from ui.panels import visible_log_entries

    shown = visible_log_entries(win.c.log_entries(), win.c.ui, len(rows))
    k = max(i for i, e in enumerate(shown) if e.kind == "move")
    win.click(rows[k].center)
    cx, cy = cam.layout.centre(win.game.world.index(8, 3))
    assert abs(cam.cx - cx) < 1e-6 and abs(cam.cy - cy) < 1e-6


def test_fog_hides_the_enemy_units_the_side_does_not_see(win):
    seen = {u.id for u in win.c.shown.units_seen_by("soviet")}
    assert "j_inf1" in seen and "j_tank" not in seen
    assert win.game.view("soviet").sees("j_inf1")
    # the tank regiment's hex shows no Japanese counter: its centre is map-coloured
    cam = win.c.camera
    x, y = cam.hex_centre_int(win.game.world.index(17, 10))
    win.frame()
    colour = tuple(win.app.screen.get_at((x, y)))[:3]
    jp = win.scene.palette.sides["japanese"]
    assert sum(abs(a - b) for a, b in zip(colour, jp, strict=True)) > 60
    win.key(pygame.K_F2)  # debug: all shown
    assert "j_tank" in {u.id for u in win.c.shown.units_seen_by(win.c.viewer)}


def test_screenshot_has_the_map_colours_and_counters_where_the_units_stand(win, tmp_path):
    cam = win.c.camera
    cam.zoom_to(6)
    cam.centre_on(win.game.world.index(8, 10))
    win.move_mouse((5, 5))
    win.frame()
    shot = tmp_path / "shot.png"
    from ui.png import save_png

    save_png(win.app.screen, shot)
    img = pygame.image.load(str(shot))
    red = win.scene.palette.sides["soviet"]
    world = win.game.world
    for uid in ("s_rd2", "s_tb1", "s_mb1"):
        col, row = win.game.state.units[uid].hex
        x, y = cam.hex_centre_int(world.index(col, row))
        near = [
            tuple(img.get_at((x + dx, y + dy)))[:3]
            for dx in range(-6, 7, 3)
            for dy in range(-6, 7, 3)
        ]
        assert any(sum(abs(a - b) for a, b in zip(c, red, strict=True)) < 40 for c in near), uid
    # an empty clear hex shows the clear terrain's colour family (pale, not a counter)
    x, y = cam.hex_centre_int(world.index(9, 14))
    r, g, b = tuple(img.get_at((x, y)))[:3]
    assert min(r, g, b) > 150


def test_hotseat_hides_the_map_until_the_next_player_is_ready():
    w = open_test_window(humans=("soviet", "japanese"))
    try:
        assert w.c.ui.mode == "handover"
        w.frame()
        area = w.c.layout.map
        colours = {
            tuple(w.app.screen.get_at((x, y)))[:3]
            for x in range(area.x, area.right, 97)
            for y in range(area.y + 5, area.y + 40, 7)
        }
        assert len(colours) <= 2  # one sheet colour (and its title band), no map
        w.key(pygame.K_RETURN)
        assert w.c.ui.mode == "orders"
        w.key(pygame.K_RETURN)
        w.key(pygame.K_RETURN)
        w.key(pygame.K_RETURN)  # the Soviet turn ends: hand over to the Japanese player
        assert w.game.active_side == "japanese" and w.c.ui.mode == "handover"
        assert w.c.viewer == "japanese"
    finally:
        w.close()


def test_watch_mode_plays_both_sides_and_shows_every_unit():
    w = open_test_window(humans=())
    try:
        assert w.c.viewer is None
        for _ in range(3000):
            w.app.frame(1 / 60)
            if w.game.state.turn >= 2 and not w.c.ai_busy:
                break
            w.c.runner._thread and w.c.runner._thread.join(0.001)
        assert w.game.state.turn >= 2
        assert w.c.ai_steps > 0
    finally:
        w.close()


def test_the_game_replays_to_its_hash_after_window_play(win):
    win.click(win.hex_pos(7, 3))
    win.click(win.hex_pos(8, 3))
    win.click(win.hex_pos(7, 10))
    win.click(win.hex_pos(9, 10))
    win.key(pygame.K_BACKSPACE)
    g = win.game
    again = replay(g.scenario, g.seed, g.order_log)
    assert again.state_hash() == g.state_hash()


def test_playing_the_japanese_side_waits_for_the_soviet_ai_first():
    w = open_test_window(humans=("japanese",))
    try:
        assert w.c.viewer == "japanese"
        w.wait_for_human()
        assert w.game.active_side == "japanese" and w.game.state.phase == "movement"
        assert w.c.ui.mode == "orders"
        soviet_seen = {u.id for u in w.c.shown.units_seen_by("japanese") if u.side == "soviet"}
        soviet_all = {u.id for u in w.c.shown.units if u.side == "soviet"}
        assert soviet_seen < soviet_all  # the fog hides some of the Soviet units
    finally:
        w.close()


def test_at_theatre_zoom_a_click_on_an_army_marker_zooms_in_on_it():
    w = open_test_window("august_storm", seed=1)
    try:
        cam = w.c.camera
        assert cam.level == "theatre"
        w.frame()
        marker = max(w.scene.units._armies, key=lambda a: a.men)
        pos = tuple(int(v) for v in cam.to_screen(*marker.world))
        w.click(pos)
        assert cam.level != "theatre"
        assert abs(cam.cx - marker.world[0]) < 1e-6 and abs(cam.cy - marker.world[1]) < 1e-6
    finally:
        w.close()


def test_game_over_shows_the_result_and_esc_puts_it_away():
    w = open_test_window(humans=(), seed=2)
    try:
        for _ in range(5000):
            w.app.frame(1 / 60)
            if w.c.ui.mode == "game_over":
                break
            w.c.runner._thread and w.c.runner._thread.join(0.001)
        assert w.c.ui.mode == "game_over" and w.game.state.game_over
        assert w.c.ui.result_sheet
        w.key(pygame.K_ESCAPE)
        assert not w.c.ui.result_sheet
        before = w.game.state_hash()
        w.key(pygame.K_RETURN)  # nothing to end: the game is over
        assert w.game.state_hash() == before
    finally:
        w.close()


def test_the_help_sheet_turns_to_how_to_play_and_back(win):
    win.key(pygame.K_F1)
    assert win.c.ui.help and win.c.ui.help_page == 0
    win.key(pygame.K_TAB)
    assert win.c.ui.help_page == 1
    win.scene.draw(win.app.screen)  # the page draws at this size
    win.key(pygame.K_RIGHT)
    assert win.c.ui.help_page == 0
    win.key(pygame.K_F1)
    assert not win.c.ui.help
