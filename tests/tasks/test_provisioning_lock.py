"""The provisioning job lock holds across the job's transactions, with or without a transaction pooler."""

from __future__ import annotations

import pytest

from clea.tasks.provisioning import job_lock

pytestmark = pytest.mark.django_db


def test_one_holder_at_a_time_and_released_at_the_end() -> None:
    with job_lock(424242) as first:
        assert first
        with job_lock(424242) as second:
            assert not second  # a redelivery while the first worker still runs
        with job_lock(424243) as other:
            assert other  # another job is not blocked
    with job_lock(424242) as again:
        assert again
