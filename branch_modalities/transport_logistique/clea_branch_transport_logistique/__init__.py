"""CléA branch plugin for the Transport–logistique branch (EXAMPLE content to adapt)."""

__version__ = "0.1.0"
