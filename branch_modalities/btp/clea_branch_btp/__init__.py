"""CléA branch plugin for the BTP branch (EXAMPLE content to adapt). Importing it never imports Django."""

__version__ = "0.1.0"
