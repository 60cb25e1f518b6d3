"""The Pygame front end: it draws the engine's state and sends orders through its API."""

import os

# pygame prints a banner on import unless told not to; the window has its own title.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
