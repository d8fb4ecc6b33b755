"""Fixtures of the contract suite: the security suite's realistic file in organisation A."""

from tests.security.conftest import world_a  # noqa: F401  (a fixture)
