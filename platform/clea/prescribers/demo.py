"""Demo prescribers: France Travail and an employer, each with referrals to GRETA Lyon at every stage.

Everything goes through the services, as in production: the prescriber refers, the referral is delivered to
the organisation's inbox (the task run in-process), the counsellor accepts or declines, the journey goes on,
a jury session decides, and the result comes back to the prescriber. Idempotent.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from clea.accounts.models import User
from clea.accounts.roles import Role
from clea.celery import app
from clea.certification import sessions
from clea.certification.models import Jury, JurySubmission, SubmissionStatus
from clea.journey import services as journey
from clea.kernel.journey import Consent, TrainingSession
from clea.kernel.mastery import EvaluationKind
from clea.kernel.referential import default_referential
from clea.outbox.models import OutboxMessage
from clea.prescribers import services
from clea.prescribers.inbox import services as inbox
from clea.prescribers.inbox.models import IncomingReferral
from clea.prescribers.models import PrescriberMember, PrescriberOrganisation, PrescriberStatus, Referral
from clea.tasks import registry  # noqa: F401  (registers the tasks run in-process below)
from clea.tasks.jury import record_jury_decision
from clea_tenants.models import Organisation

ORGANISATION_SLUG = "greta-lyon"
GAPS = ("3.1", "7.2")  # the sub-domains still to work on, for the files that need a training path
PRESCRIBERS = (
    ("france_travail", "France Travail Lyon Part-Dieu", "", "84", "prescripteur@francetravail.example"),
    ("employer", "Bâtiments du Rhône SA", "73282932000074", "84", "rh@batiments-rhone.example"),
)
# (story, first name, last name): one referral per stage a prescriber reads.
STORIES = (
    ("sent", "Inès", "Attente"),
    ("declined", "Hugo", "Complet"),
    ("welcomed", "Maëlle", "Accueil"),
    ("evaluated", "Yanis", "Évalué"),
    ("in_training", "Sofia", "Parcours"),
    ("at_jury", "Bastien", "Jury"),
    ("certified", "Léna", "Certifiée"),
    ("not_certified", "Karim", "Partiel"),
    ("withdrawn", "Chloé", "Sortie"),
)


def _member(kind: str, name: str, siret: str, region: str, email: str, password: str) -> PrescriberMember:
    organisation = PrescriberOrganisation.objects.filter(name=name).first() or PrescriberOrganisation.objects.create(
        kind=kind,
        name=name,
        siret=siret,
        region=region,
        contact_email=email,
        status=PrescriberStatus.APPROVED,
        approved_at=timezone.now(),
    )
    user = get_user_model().objects.filter(username=email).first()
    if user is None:
        user = get_user_model()(
            username=email, email=email, role=Role.PRESCRIBER, first_name="Camille", last_name="Prescriptrice"
        )
        user.set_password(password)
        user.save()
    member, _ = PrescriberMember.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "is_admin": True}
    )
    return member


class FollowUps:
    """Runs the prescriber follow-ups written to the outbox since it was created, in-process and in their
    schemas, as a worker would: the demo does not wait for one. The outbox may also have relayed them to the
    broker after commit; the tasks are idempotent, so a worker running them again changes nothing."""

    def __init__(self) -> None:
        self.done: set[int] = set()
        self.after = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def run(self) -> int:
        ran = 0
        while True:
            pending = list(
                OutboxMessage.objects.filter(task_name__startswith="clea.tasks.prescribers.", pk__gt=self.after)
                .exclude(pk__in=self.done)
                .order_by("pk")
            )
            if not pending:
                return ran
            for message in pending:
                self.done.add(message.pk)
                with schema_context(message.schema_name):
                    app.tasks[message.task_name].apply(args=message.args, kwargs=message.kwargs, throw=True)
                ran += 1


def _walk(file_id: int, story: str, counsellor: User, trainer: User, modality: str) -> None:
    """The journey after the welcome, up to the stage of ``story`` (the counsellor evaluates in the demo)."""
    referential = default_referential()
    today = timezone.localdate()
    journey.do_open_file(file_id, None, Consent("Certification CléA et suivi du parcours", today), counsellor)
    if story == "welcomed":
        return
    direct = story in ("at_jury", "certified", "not_certified")
    gaps = (
        set() if direct else {c for c in referential.criterion_codes if referential.subdomain_of_criterion[c] in GAPS}
    )
    results = [journey.ResultInput(c, c not in gaps, "") for c in sorted(referential.criterion_codes)]
    journey.do_record_evaluation(
        file_id, None, EvaluationKind.INITIAL, counsellor, [today], results, counsellor, modality
    )
    if story == "evaluated":
        return
    if story == "withdrawn":
        journey.do_withdraw(file_id, None, "found_job", counsellor)
        return
    if story == "in_training":
        start = today + timedelta(days=7)
        planned = tuple(
            TrainingSession(
                start + timedelta(days=21 * i), start + timedelta(days=21 * i + 9), (code,), f"Atelier {code}"
            )
            for i, code in enumerate(GAPS)
        )
        journey.do_propose_path(file_id, None, trainer, "Centre de formation partenaire", planned, counsellor)
        return
    journey.do_submit(file_id, None, counsellor)


def seed_prescribers(password: str, organisation_slug: str = ORGANISATION_SLUG) -> list[tuple[str, str]]:
    """The two demo prescribers and their referrals (to the organisation's counsellor, who evaluates, and its
    trainer); returns their logins."""
    logins = []
    organisation = Organisation.objects.get(slug=organisation_slug)
    members = [_member(*details, password) for details in PRESCRIBERS]
    for member in members:
        logins.append((member.user.username, member.organisation.name))
    decide: list[tuple[str, str]] = []  # (file_ref, outcome) for the jury
    followups = FollowUps()
    for member in members:
        for story, first, last in STORIES:
            if Referral.objects.filter(prescriber=member.organisation, last_name=last).exists():
                continue  # seeded by an earlier run
            referral = services.refer(
                member,
                organisation.pk,
                services.Person(first, last, f"{first.lower()}@example.fr"),
                services.ReferralConsent(timezone.localdate()),
                f"Orientation de démonstration ({member.organisation.name}).",
            )
            followups.run()  # delivered to the organisation's inbox
            if story == "sent":
                continue
            with tenant_context(organisation):
                incoming = IncomingReferral.objects.get(referral_uid=referral.uid)
                counsellor = User.objects.filter(role=Role.COUNSELLOR, is_active=True).order_by("pk").first()
                trainer = User.objects.filter(role=Role.TRAINER, is_active=True).order_by("pk").first()
                assert counsellor is not None and trainer is not None, "the organisation's demo staff come first"
                if story == "declined":
                    inbox.decline(
                        incoming.pk, counsellor, "Plus de place avant le mois prochain : orientez vers le CFA."
                    )
                    continue
                record = inbox.accept(incoming.pk, counsellor)
                modality = "btp"
                _walk(int(record.pk), story, counsellor, trainer, modality)
                if story in ("certified", "not_certified"):
                    decide.append((str(record.pk), "certified" if story == "certified" else "refused"))
    _jury_session(organisation, decide)
    followups.run()  # stages, results and attestations back to the prescribers
    return logins


def _jury_session(organisation: Organisation, decide: list[tuple[str, str]]) -> None:
    jury = Jury.objects.filter(members__isnull=False).distinct().first()
    if jury is None or not decide:
        return
    members = list(jury.members.all())
    submissions = {
        s.file_ref: s
        for s in JurySubmission.objects.filter(
            organisation=organisation, file_ref__in=[ref for ref, _ in decide], status=SubmissionStatus.PENDING
        )
    }
    session = jury.sessions.create(starts_at=timezone.now() - timedelta(days=1), place="Lyon — délégation régionale")
    sessions.convene(session, [m.pk for m in members])
    sessions.assign(session, [s.pk for s in submissions.values()])
    decisions = [
        sessions.DecisionInput(
            submissions[ref].pk, outcome, "" if outcome == "certified" else "Domaine 3 à consolider."
        )
        for ref, outcome in decide
        if ref in submissions
    ]
    decided = sessions.deliberate(
        session, [m.pk for m in members], decisions, recorded_by=members[0], now=session.starts_at
    )
    for member in members:
        sessions.approve_minutes(session, member, now=session.starts_at + timedelta(hours=2))
    for decision in decided:
        record_jury_decision.apply(args=[decision.submission_id])
