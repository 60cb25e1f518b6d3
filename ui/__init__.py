"""The Pygame front end (to come): it draws the engine's state and sends orders through its API."""
