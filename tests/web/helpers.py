"""Building files through the journey services (never by writing states), for the web tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user

from clea.journey import services
from clea.journey.models import Candidate, CandidateFileRecord
from clea.kernel.journey import Consent, TrainingSession
from clea.kernel.mastery import EvaluationKind
from clea.referentials.registry import default_referential
from clea.web.access import file_id_of

GAPS = ("3.1", "7.2")


def ordered_criteria() -> list[tuple[str, str]]:
    """(criterion, sub-domain) in the order of the referential, i.e. the order of the grid."""
    return [(c.code, s.code) for _d, s, c in default_referential().iter_criteria()]


def record_version(schema: str, file_id: int) -> int:
    with schema_context(schema):
        return int(CandidateFileRecord.objects.values_list("version", flat=True).get(pk=file_id))


def file_at(
    schema: str,
    state: str,
    counsellor: Any,
    trainer: Any = None,
    gaps: Iterable[str] = GAPS,
    evaluated_on: date | None = None,
    name: tuple[str, str] = ("Léa", "Martin"),
) -> int:
    """A file of ``schema`` walked to ``state`` through the services; returns its id.

    ``evaluated_on`` dates the initial evaluation (in the past: the 5-year deadline comes closer).
    """
    gaps = tuple(gaps)
    with schema_context(schema):
        candidate = Candidate.objects.create(first_name=name[0], last_name=name[1])
        loaded = services.do_refer(candidate, counsellor, None)
        file_id = file_id_of(loaded)
        if state == "referred":
            return file_id
        consented = min(date.today(), evaluated_on or date.today())  # consent ≤ every evaluation day (R8)
        services.do_open_file(file_id, None, Consent("Certification CléA", consented), counsellor)
        if state == "file_opened":
            return file_id
        results = [services.ResultInput(code, sub not in gaps) for code, sub in ordered_criteria()]
        services.do_record_evaluation(
            file_id, None, EvaluationKind.INITIAL, counsellor, [evaluated_on or date.today()], results, counsellor
        )
        if state == "evaluated":
            return file_id
        start = date.today() + timedelta(days=7)
        sessions = tuple(
            TrainingSession(start + timedelta(days=14 * i), start + timedelta(days=14 * i + 5), (code,))
            for i, code in enumerate(gaps)
        )
        services.do_propose_path(file_id, None, trainer or make_user(schema, "trainer"), "Centre", sessions, counsellor)
        return file_id
