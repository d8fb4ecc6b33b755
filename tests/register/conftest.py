"""The jury fixtures of tests/certification and the web client of tests/web, shared with the register's tests."""

from tests.certification.conftest import jury, submit_file
from tests.web.conftest import web_client_for

__all__ = ["jury", "submit_file", "web_client_for"]
