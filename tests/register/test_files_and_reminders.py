"""Jury files in the back office with their branch sections; jury decisions audited; expiry reminders (R14)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from tests.certification.test_web_pages import signed_in

from clea.audit.models import AuditEntry
from clea.certification import sessions
from clea.certification.models import JurySubmission
from clea.register import services
from clea.register.reminders import due_reminders
from clea.tasks.register import send_habilitation_reminders
from clea_tenants.models import Habilitation

pytestmark = pytest.mark.django_db
TODAY = date.today()


def test_a_jury_file_shows_its_branch_sections_and_decisions(
    submit_file: Callable[..., JurySubmission], org_a: Any
) -> None:
    submission = submit_file(org_a)
    sections = submission.snapshot.get("branch_sections") or []
    submission.snapshot["branch_sections"] = [
        *sections,
        {
            "branch": "btp",
            "branch_name": "BTP",
            "title": "Situations de chantier observées",
            "lines": ["Lecture de plan"],
        },
    ]
    submission.save(update_fields=["snapshot"])
    page = signed_in("analyst").get(f"/federation/registre/dossiers/{submission.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Situations de chantier observées" in html and "Lecture de plan" in html
    assert "Pas encore délibéré." in html


def test_jury_decisions_are_in_the_public_audit_trail(
    jury: Any, submit_file: Callable[..., JurySubmission], org_a: Any, federation_client: Any
) -> None:
    from tests.certification.conftest import plan_session

    session = plan_session(federation_client, jury)
    submission = submit_file(org_a)
    sessions.assign(session, [submission.pk])
    present = list(session.convened.all())
    sessions.deliberate(
        session,
        [m.pk for m in present],
        [sessions.DecisionInput(submission.pk, "refused", "Preuves insuffisantes.")],
        recorded_by=present[0],
    )
    entry = AuditEntry.objects.get(action="jury.decision", object_ref=f"submission:{submission.pk}")
    assert entry.detail["outcome"] == "refused" and entry.detail["reasons"] == "Preuves insuffisantes."
    assert entry.actor_ref  # who recorded it


def grant(org: Any, *, valid_to: date, qualiopi: date) -> Habilitation:
    establishment = services.add_establishment(
        org,
        services.EstablishmentInput("73282932000074", "Antenne de Lille", "1 place Rihour", "59000", "Lille"),
    )
    data = services.HabilitationInput("clea", TODAY - timedelta(days=300), valid_to, "QUA-1", "AFNOR", qualiopi)
    return services.grant(establishment, data)


def test_reminders_go_once_before_the_accreditation_and_the_qualiopi_expiry(org_b: Any) -> None:
    habilitation = grant(org_b, valid_to=TODAY + timedelta(days=80), qualiopi=TODAY + timedelta(days=20))
    reminders = [r for r in due_reminders(TODAY) if r.habilitation_id == habilitation.pk]
    assert sorted((r.what, r.within_days) for r in reminders) == [("accreditation", 90), ("qualiopi", 30)]
    assert all(org_b.contact_email in r.recipients for r in reminders)
    assert "expire le" in reminders[0].subject
    assert [r for r in due_reminders(TODAY) if r.habilitation_id == habilitation.pk] == []  # once
    later = [r for r in due_reminders(TODAY + timedelta(days=55)) if r.habilitation_id == habilitation.pk]
    assert [(r.what, r.within_days) for r in later] == []  # Qualiopi expired: no longer in force, nothing to remind
    assert AuditEntry.objects.filter(action="register.habilitation.reminder").count() >= 2


def test_the_beat_task_sends_the_reminder_e_mails(org_b: Any) -> None:
    habilitation = grant(org_b, valid_to=TODAY + timedelta(days=25), qualiopi=TODAY + timedelta(days=400))
    mail.outbox.clear()
    sent = send_habilitation_reminders.apply(kwargs={"today": str(TODAY)}).get()
    assert sent >= 1
    mine = [m for m in mail.outbox if "Antenne de Lille" in m.subject]
    assert len(mine) == 1 and org_b.contact_email in mine[0].to
    assert "R14" in mine[0].body
    habilitation.refresh_from_db()
    assert habilitation.reminders_sent


def test_the_demo_register_is_seeded_idempotently(org_a: Any) -> None:
    from clea.register.demo import BODIES, seed_register
    from clea_tenants.models import TrainingBody

    seed_register()
    seed_register()
    assert TrainingBody.objects.filter(siret__in=[siret for _, siret, _ in BODIES]).count() == len(BODIES)


def test_an_ended_window_or_qualiopi_expires_the_habilitation(org_b: Any) -> None:
    from clea.register.reminders import expire_overdue

    habilitation = grant(org_b, valid_to=TODAY + timedelta(days=80), qualiopi=TODAY + timedelta(days=20))
    assert habilitation.pk not in expire_overdue(TODAY + timedelta(days=20))
    assert habilitation.pk in expire_overdue(TODAY + timedelta(days=21))
    habilitation.refresh_from_db()
    assert habilitation.status == "expired"
    last = habilitation.events.order_by("-at", "-id").first()
    assert last is not None and last.effective_on == TODAY + timedelta(days=21)
    assert "Qualiopi" in last.reason and last.decided_by_label == "système"
    assert habilitation.pk not in expire_overdue(TODAY + timedelta(days=22))  # once
