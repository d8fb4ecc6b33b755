"""The jury fixtures of tests/certification, shared with the register's tests."""

from tests.certification.conftest import jury, submit_file

__all__ = ["jury", "submit_file"]
