"""Demo jury: 2 + 2 members (one of them can sign in), a held session where submitted demo files were
decided — two certified, one refused — with approved minutes, and the decisions recorded in the
organisations' files. Idempotent; everything goes through :mod:`clea.certification.sessions`."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from clea.accounts.models import User
from clea.accounts.roles import Role
from clea.certification import sessions
from clea.certification.models import Certificate, College, Jury, JuryMember, JurySubmission, SubmissionStatus
from clea.tasks.jury import record_jury_decision
from clea_tenants.models import Organisation

JURY_NAME = "Jury paritaire national CléA (démo)"
JURY_LOGIN = "jury@clea.example"
MEMBERS = (
    ("Jeanne", "Martel", College.EMPLOYER, "MEDEF", True),
    ("Paul", "Girard", College.EMPLOYER, "CPME", False),
    ("Nadia", "Benali", College.EMPLOYEE, "CFDT", False),
    ("Marc", "Leroy", College.EMPLOYEE, "CGT-FO", False),
)


def _login(username: str, password: str, first: str, last: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=username, role=Role.JURY_MEMBER, first_name=first, last_name=last)
        user.set_password(password)
        user.save()
    return user


def seed_jury(password: str, organisation_slug: str = "greta-lyon") -> tuple[str, list[str]]:
    """The demo jury and its held session; returns the jury member's login and the certificate numbers."""
    with schema_context("public"):
        jury = Jury.objects.filter(name=JURY_NAME).first()
        if jury is not None:
            numbers = list(
                Certificate.objects.filter(session__jury=jury).order_by("number").values_list("number", flat=True)
            )
            return JURY_LOGIN, numbers
        jury = Jury.objects.create(name=JURY_NAME)
        members = []
        for first, last, college, origin, can_sign_in in MEMBERS:
            user = _login(JURY_LOGIN, password, first, last) if can_sign_in else None
            member = JuryMember.objects.create(
                user=user, first_name=first, last_name=last, college=college, organisation_of_origin=origin
            )
            members.append(member)
        # R11 independence: a member linked to another organisation (never to the one whose files are judged)
        members[3].organisations.set(Organisation.objects.exclude(slug=organisation_slug)[:1])
        jury.members.set(members)
        files = list(
            JurySubmission.objects.filter(
                organisation__slug=organisation_slug, status=SubmissionStatus.PENDING, session__isnull=True
            )[:3]
        )
        session = jury.sessions.create(
            starts_at=timezone.now() - timedelta(days=7), place="Paris — siège de la fédération"
        )
        sessions.convene(session, [m.pk for m in members])
        if not files:
            return JURY_LOGIN, []
        sessions.assign(session, [f.pk for f in files])
        decisions = [sessions.DecisionInput(f.pk, "certified") for f in files[:2]]
        decisions += [
            sessions.DecisionInput(f.pk, "refused", "Les preuves du domaine 3 ne permettent pas de conclure.")
            for f in files[2:3]
        ]
        decided = sessions.deliberate(
            session, [m.pk for m in members], decisions, recorded_by=members[0], now=session.starts_at
        )
        for member in members:
            sessions.approve_minutes(session, member, now=session.starts_at + timedelta(hours=2))
        for decision in decided:  # now, not only when a worker runs: the ledger keeps it once
            record_jury_decision.apply(args=[decision.submission_id])
        return JURY_LOGIN, sorted(d.certificate_number for d in decided if d.certificate_number)
