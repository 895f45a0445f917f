"""osteo: the osteoporosis medication reference for the terminal."""

# Kept here, not read from package metadata: importlib.metadata costs ~13 ms at start-up.
__version__ = "0.2.0"
