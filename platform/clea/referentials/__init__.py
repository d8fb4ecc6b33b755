"""Referential versions published by the federation (public schema), served to the kernel by identity."""
