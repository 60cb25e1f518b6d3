"""The window's one loop: scenes on a stack, each with ``handle``, ``update`` and ``draw``.

The game is the first scene; the start, victory and replay screens of later work push onto the
same stack. The loop never blocks: the AI plays in a worker thread (``ui.ai_runner``), and a
scripted run (``--frames N --screenshot FILE``) ends after N frames with a picture of the last.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pygame

from ui.png import save_png

FPS = 60
#: A frame that took less than this (ms) lends the rest to the scene's idle work (warming
#: map tiles), so frames stay well inside 1/60 s.
IDLE_UNTIL_MS = 7.0
TITLE = "August Storm — Manchuria, August 1945"


class Scene(Protocol):
    """One screen of the window."""

    def handle(self, event: pygame.event.Event) -> None:
        """Take one input event."""
        ...

    def update(self, dt: float) -> None:
        """Advance by ``dt`` seconds."""
        ...

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the scene's frame."""
        ...

    def needs_redraw(self, surface: pygame.Surface) -> bool:
        """Whether anything drawn changed since the last frame (else it is not drawn again)."""
        ...

    def close(self) -> None:
        """Release what the scene holds (threads) before the window closes."""
        ...


@dataclass
class RunStats:
    """What a run of the loop did: frames and their times in milliseconds."""

    frames: int = 0
    frame_ms: list[float] = field(default_factory=list)
    """Each frame's work: events, update and drawing."""
    idle_ms: list[float] = field(default_factory=list)
    """Spare time lent to the scene's idle work after a frame (warming tiles)."""


class App:
    """The window and its scene stack."""

    def __init__(self, screen: pygame.Surface, scene: Scene) -> None:
        self.screen = screen
        self.scenes: list[Scene] = [scene]
        self.running = True
        self.stats = RunStats()
        self._changed = True
        """The scene on top changed: the next frame draws whatever the scene says."""

    @property
    def scene(self) -> Scene:
        """The scene on top."""
        return self.scenes[-1]

    def push(self, scene: Scene) -> None:
        """Show a scene over the current one."""
        self.scenes.append(scene)
        self._changed = True

    def replace(self, scene: Scene) -> None:
        """Put ``scene`` in place of the one on top (the start screen gives way to the game)."""
        self.scenes.pop().close()
        self.scenes.append(scene)
        self._changed = True

    def pop(self) -> None:
        """Back to the scene below (the last one closes the window)."""
        self.scenes.pop().close()
        self._changed = True
        if not self.scenes:
            self.running = False

    def frame(
        self, dt: float, events: list[pygame.event.Event] | None = None, force: bool = False
    ) -> bool:
        """One frame: events, update, and a draw if anything changed; returns whether it drew."""
        start = time.perf_counter()
        for event in pygame.event.get() if events is None else events:
            if event.type == pygame.QUIT:
                self.running = False
                return False
            if event.type == pygame.VIDEORESIZE:
                self._resize((event.w, event.h))
            self.scene.handle(event)
        self.scene.update(dt)
        drawn = self.scene.needs_redraw(self.screen) or force or self._changed
        self._changed = False
        if drawn:
            self.scene.draw(self.screen)
        work = (time.perf_counter() - start) * 1000.0
        self.stats.frames += 1
        self.stats.frame_ms.append(work)
        idle = getattr(self.scene, "idle", None)
        if idle is not None and IDLE_UNTIL_MS - work > 1.0:
            t0 = time.perf_counter()
            idle(IDLE_UNTIL_MS - work)
            self.stats.idle_ms.append((time.perf_counter() - t0) * 1000.0)
        return drawn

    def _resize(self, size: tuple[int, int]) -> None:
        """Follow a window resize (at least 640x400, as the layout needs)."""
        size = (max(640, size[0]), max(400, size[1]))
        surface = pygame.display.get_surface()
        if surface is not None and surface.get_size() != size:
            flags = 0 if _is_offscreen() else pygame.RESIZABLE
            surface = pygame.display.set_mode(size, flags)
        if surface is not None:
            self.screen = surface

    def run_until(self, done: Callable[[], bool], timeout: float) -> bool:
        """Run frames (1/60 s of game time each, unthrottled) until ``done()`` or ``timeout``.

        Returns whether ``done()`` came true.
        """
        end = time.monotonic() + timeout
        while self.running and not done():
            if time.monotonic() > end:
                return False
            self.frame(1.0 / FPS)
            time.sleep(0.001)  # the AI's worker thread gets the interpreter
        return done()

    def run(
        self,
        max_frames: int | None = None,
        screenshot: str | Path | None = None,
        fps: int = FPS,
    ) -> RunStats:
        """Run until the window is closed (or for ``max_frames``); save the last frame."""
        clock = pygame.time.Clock()
        dt = 1.0 / fps
        try:
            while self.running and (max_frames is None or self.stats.frames < max_frames):
                if self.frame(dt):
                    pygame.display.flip()
                if max_frames is None:
                    dt = min(0.1, clock.tick(fps) / 1000.0) or 1.0 / fps
                else:  # a scripted run: each frame is 1/fps of game time, however fast it draws
                    clock.tick(0)
                    dt = 1.0 / fps
        finally:
            if screenshot is not None:
                settle = getattr(self.scene, "settle", None)
                if settle is not None:  # a picture shows the finished map, not stand-ins
                    settle()
                    self.scene.draw(self.screen)
                save_png(self.screen, screenshot)
            for scene in reversed(self.scenes):
                scene.close()
        return self.stats


def _is_offscreen() -> bool:
    return os.environ.get("SDL_VIDEODRIVER", "") in ("dummy", "offscreen")


def open_window(size: tuple[int, int], fullscreen: bool = False) -> pygame.Surface:
    """Open the window (raises pygame.error where no display can be opened)."""
    pygame.display.init()
    pygame.font.init()
    flags = 0 if _is_offscreen() else pygame.RESIZABLE
    if fullscreen and not _is_offscreen():
        flags, size = pygame.FULLSCREEN, (0, 0)  # the desktop's own size
    screen = pygame.display.set_mode(size, flags)
    pygame.display.set_caption(TITLE)
    pygame.key.set_repeat(300, 40)
    return screen
