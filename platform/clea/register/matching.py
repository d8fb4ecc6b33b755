"""Free-text training organisations on training paths, matched to the register (#15 §2).

Paths typed before the register named their training body as free text. :func:`match_all` goes through every
organisation's schema once: a name the register knows (up to case, accents and spacing, R11's
``identity_key``) is rewritten with the register's spelling; the others are listed as
:class:`~clea_tenants.models.UnmatchedTrainingName` for the federation to resolve (``/federation/registre/a-traiter/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django_tenants.utils import schema_context

from clea.journey.models import TrainingPathRecord
from clea_tenants import training_bodies
from clea_tenants.models import Organisation, OrganisationStatus


@dataclass
class MatchReport:
    matched: int = 0
    rewritten: int = 0
    unmatched: list[tuple[str, int, str]] = field(default_factory=list)


def match_all() -> MatchReport:
    report = MatchReport()
    organisations = list(Organisation.objects.exclude(status=OrganisationStatus.DELETING).order_by("slug"))
    for organisation in organisations:
        with schema_context(organisation.schema_name):
            paths = list(TrainingPathRecord.objects.values_list("pk", "training_organisation"))
        for path_id, name in paths:
            body = training_bodies.match_name(name)
            if body is None:
                training_bodies.record_unmatched(organisation.schema_name, path_id, name)
                report.unmatched.append((organisation.slug, path_id, name))
                continue
            report.matched += 1
            if body.name != name:
                with schema_context(organisation.schema_name):
                    TrainingPathRecord.objects.filter(pk=path_id).update(training_organisation=body.name)
                report.rewritten += 1
    return report
