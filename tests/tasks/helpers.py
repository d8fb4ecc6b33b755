"""Journey builders for the task tests: everything through the journey services, committed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django_tenants.utils import schema_context
from tests.fixtures.tenants import make_user

from clea.journey import services
from clea.journey.models import Candidate
from clea.kernel.journey import Consent, PrescriberType, Referral
from clea.kernel.mastery import EvaluationKind
from clea.referentials.registry import default_referential


@dataclass(frozen=True)
class Staff:
    counsellor: Any
    evaluator: Any


def staff(schema: str) -> Staff:
    return Staff(make_user(schema, "counsellor"), make_user(schema, "counsellor"))


def new_file(schema: str, people: Staff, *, email: str, state: str = "file_opened", last_name: str = "Martin") -> int:
    """A file walked to ``referred``, ``file_opened``, ``evaluated`` or ``ready_for_jury``; returns its id."""
    with schema_context(schema):
        candidate = Candidate.objects.create(first_name="Léa", last_name=last_name, email=email)
        referral = Referral(PrescriberType.FRANCE_TRAVAIL, "Agence Lyon Part-Dieu", date.today())
        file_id = int(services.do_refer(candidate, people.counsellor, referral).record.pk)
        if state == "referred":
            return file_id
        services.do_open_file(file_id, None, Consent("Certification CléA", date.today()), people.counsellor)
        if state == "file_opened":
            return file_id
        referential = default_referential()
        missing = {"3.1"} if state == "evaluated" else set()
        results = [
            services.ResultInput(c, referential.subdomain_of_criterion[c] not in missing)
            for c in sorted(referential.criterion_codes)
        ]
        services.do_record_evaluation(
            file_id, None, EvaluationKind.INITIAL, people.evaluator, [date.today()], results, people.counsellor
        )
        return file_id
