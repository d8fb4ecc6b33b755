"""CléA branch plugin for the Propreté branch (EXAMPLE content to adapt)."""

__version__ = "0.1.0"
