"""Demo journeys: about 17 candidates per organisation, spread over every stage, some close to R8's limit.

Everything goes through the journey services (and so through the kernel), with a clock set back in time
where a story needs it: nothing is written that the platform itself could not have written.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from clea.accounts.models import User
from clea.journey import services
from clea.journey.branches import tenant_branches
from clea.journey.models import Candidate
from clea.kernel.clock import FixedClock
from clea.kernel.journey import Actor, Consent, PrescriberType, Referral, TrainingSession
from clea.kernel.mastery import EvaluationKind
from clea.referentials.registry import default_referential

FIRST_NAMES = (
    "Léa",
    "Nadia",
    "Karim",
    "Sophie",
    "Mamadou",
    "Julie",
    "Thomas",
    "Inès",
    "Yannick",
    "Fatou",
    "Hugo",
    "Chloé",
    "Rachid",
    "Emma",
    "Kevin",
    "Aïcha",
    "Lucas",
    "Manon",
    "Samir",
    "Camille",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Diallo",
    "Petit",
    "Benali",
    "Robert",
    "Nguyen",
    "Moreau",
    "Traoré",
    "Lefebvre",
    "Garcia",
    "Roux",
    "Haddad",
    "Fournier",
    "Mercier",
    "Keita",
    "Girard",
    "Blanc",
    "Lambert",
    "Bonnet",
)
PRESCRIBERS = (
    (PrescriberType.FRANCE_TRAVAIL, "France Travail — agence locale"),
    (PrescriberType.EMPLOYER, "Entreprise Propreté Services"),
    (PrescriberType.OPCO, "OPCO EP"),
    (PrescriberType.REGION, "Conseil régional"),
    (PrescriberType.CEP, "Conseil en évolution professionnelle"),
    (PrescriberType.BRANCH, "Branche du bâtiment"),
)

# (stage the story ends in, how long ago it started in days); ~17 per organisation.
STORIES: tuple[tuple[str, int], ...] = (
    ("referred", 3),
    ("referred", 10),
    ("file_opened", 12),
    ("file_opened", 20),
    ("evaluated", 30),
    ("evaluated", 45),
    ("training", 90),
    ("training", 200),
    ("training", 5 * 365 - 60),  # close to the 5-year limit (R8)
    ("training", 5 * 365 - 150),
    ("ready_for_jury", 60),
    ("ready_for_jury", 300),
    ("submitted", 120),
    ("submitted", 400),
    ("withdrawn", 100),
    ("expired", 5 * 365 + 40),
    ("direct_to_jury", 15),  # R5: everything mastered at the évaluation préalable
)


def _user(username: str, role: str, password: str, first: str, last: str) -> User:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username, email=username, role=role, first_name=first, last_name=last)
        user.set_password(password)
        user.save()
    return user


def _clock_at(days_ago: int) -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(hour=9, minute=30) - timedelta(days=days_ago))


def _gaps(rng: random.Random) -> set[str]:
    """A plausible set of criteria not yet acquired: two or three whole sub-domains."""
    referential = default_referential()
    subdomains = rng.sample(sorted(referential.subdomains_by_code), k=rng.choice((2, 3)))
    return {c for sub in subdomains for c in referential.subdomain(sub).criterion_codes}


def _sessions(gap_subdomains: list[str], start: date) -> tuple[TrainingSession, ...]:
    return tuple(
        TrainingSession(start + timedelta(days=21 * i), start + timedelta(days=21 * i + 9), (code,), f"Atelier {code}")
        for i, code in enumerate(gap_subdomains)
    )


def _walk(
    story: str,
    days_ago: int,
    candidate: Candidate,
    counsellor: User,
    evaluator: User,
    trainer: User,
    rng: random.Random,
    modality: str = "",
) -> None:
    referential = default_referential()
    clock = _clock_at(days_ago)
    prescriber = PRESCRIBERS[candidate.pk % len(PRESCRIBERS)]
    referral = Referral(prescriber[0], prescriber[1], clock.today())
    loaded = services.do_refer(candidate, counsellor, referral, clock)
    if story == "referred":
        return
    consent = Consent("Certification CléA et suivi du parcours", clock.today())
    loaded = services.do_open_file(loaded.record.pk, None, consent, counsellor, clock)
    if story == "file_opened":
        return
    clock.advance(days=2)
    gaps = set() if story == "direct_to_jury" else _gaps(rng)
    results = [
        services.ResultInput(code, code not in gaps, "" if code not in gaps else "À retravailler en situation")
        for code in sorted(referential.criterion_codes)
    ]
    loaded = services.do_record_evaluation(
        loaded.record.pk, None, EvaluationKind.INITIAL, evaluator, [clock.today()], results, evaluator, modality, clock
    )
    if story in ("evaluated", "direct_to_jury"):
        return
    if story == "withdrawn":
        services.do_withdraw(loaded.record.pk, None, "found_job", counsellor, clock, confirmed_on=clock.today())
        return
    clock.advance(days=5)
    gap_subdomains = sorted({referential.subdomain_of_criterion[c] for c in gaps})
    loaded = services.do_propose_path(
        loaded.record.pk,
        None,
        trainer,
        "Centre de formation partenaire",
        _sessions(gap_subdomains, clock.today() + timedelta(days=7)),
        counsellor,
        clock,
    )
    if story == "expired":
        services.do_expire(loaded.record.pk, Actor("system", "system", "demo"))
        return
    if story == "training":
        return
    clock.advance(days=min(days_ago - 10, 21 * len(gap_subdomains) + 14))
    final = [services.ResultInput(code, True, "Acquis après le parcours") for code in sorted(gaps)]
    loaded = services.do_record_evaluation(
        loaded.record.pk, None, EvaluationKind.FINAL, evaluator, [clock.today()], final, evaluator, modality, clock
    )
    if story == "submitted":
        services.do_submit(loaded.record.pk, None, counsellor, clock)


def seed_journeys(schema_name: str, password: str, seed: int = 2026) -> list[tuple[str, str]]:
    """Create the demo people and journeys of one organisation (idempotent); returns its demo logins."""
    rng = random.Random(f"{seed}-{schema_name}")
    slug = schema_name.removeprefix("org_").replace("_", "-")
    counsellor = _user(f"conseiller@{slug}.example", "counsellor", password, "Claire", "Conseil")
    evaluator = _user(f"evaluateur@{slug}.example", "counsellor", password, "Éric", "Évalue")
    trainer = _user(f"formateur@{slug}.example", "trainer", password, "Fanny", "Forme")
    candidate_login = f"candidat@{slug}.example"
    logins = [
        (counsellor.username, "conseiller·ère"),
        (evaluator.username, "évaluateur·rice"),
        (trainer.username, "formateur·rice"),
        (candidate_login, "candidat·e"),
    ]
    if Candidate.objects.exists():
        return logins
    branches = sorted(tenant_branches().branches)  # the organisation's accredited branches, used in turn
    with transaction.atomic():
        for index, (story, days_ago) in enumerate(STORIES):
            candidate = Candidate.objects.create(
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                birth_date=date(1970 + rng.randrange(35), rng.randrange(1, 13), rng.randrange(1, 28)),
                email=f"candidat{index}@{slug}.example",
            )
            if index == 7:  # one candidate in training can sign in to the portal
                candidate.user = _user(
                    candidate_login, "candidate", password, candidate.first_name, candidate.last_name
                )
                candidate.save(update_fields=["user"])
            modality = branches[index % len(branches)] if branches else ""
            _walk(story, days_ago, candidate, counsellor, evaluator, trainer, rng, modality)
    return logins
