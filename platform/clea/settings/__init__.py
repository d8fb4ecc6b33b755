"""Django settings: ``base`` holds everything common; ``dev``, ``test`` and ``production`` refine it."""
