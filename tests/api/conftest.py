from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user


@pytest.fixture
def counsellor(org_a: Any, api_client_for: Callable[..., Any]) -> Any:
    return api_client_for(org_a, "counsellor")


@pytest.fixture
def trainer_a(org_a: Any) -> Any:
    return make_user(org_a.schema_name, "trainer")


@pytest.fixture
def table_counts(org_a: Any) -> Callable[[], dict[str, int]]:
    """Row counts of every journey table in org A (and of jury submissions), to prove nothing changed."""

    def count() -> dict[str, int]:
        from clea.certification.models import JurySubmission
        from clea.journey import models

        with schema_context(org_a.schema_name):
            counts = {
                name: model.objects.count()
                for name, model in (
                    ("candidates", models.Candidate),
                    ("files", models.CandidateFileRecord),
                    ("evaluations", models.EvaluationRecord),
                    ("results", models.CriterionResultRecord),
                    ("paths", models.TrainingPathRecord),
                    ("sessions", models.TrainingSessionRecord),
                    ("decisions", models.DecisionRecord),
                    ("evidence", models.Evidence),
                )
            }
            from clea.collective.models import CollectiveSession, Enrolment

            counts["collective_sessions"] = CollectiveSession.objects.count()
            counts["enrolments"] = Enrolment.objects.count()
            counts["versions"] = sum(models.CandidateFileRecord.objects.values_list("version", flat=True))
        counts["submissions"] = JurySubmission.objects.count()
        return counts

    return count
