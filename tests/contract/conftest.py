"""Fixtures of the contract suite: the security suite's realistic file in organisation A, the web client."""

from tests.security.conftest import world_a  # noqa: F401  (a fixture)
from tests.web.conftest import web_client_for  # noqa: F401  (a fixture)
