"""Developer tools (map building); not part of the game runtime."""
