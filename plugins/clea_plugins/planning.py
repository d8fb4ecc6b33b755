"""Planning helper: pack a branch's modalities into evaluation days (R3: one or several days).

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from clea.kernel.referential import Referential
from clea_plugins.types import CandidateProfile, EvaluationPlan, Modality, PlanDay


def next_working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def choose_modalities(
    referential: Referential, modalities: Sequence[Modality], profile: CandidateProfile
) -> tuple[list[Modality], list[str]]:
    """One modality per sub-domain of the referential (in its order), respecting ``on_site_possible``.

    Returns the choice and notes for sub-domains that could only be planned against the profile's wishes.
    """
    by_subdomain: dict[str, list[Modality]] = {}
    for modality in modalities:
        by_subdomain.setdefault(modality.subdomain, []).append(modality)
    chosen: list[Modality] = []
    notes: list[str] = []
    for _, sub in referential.iter_subdomains():
        options = by_subdomain.get(sub.code, [])
        if not options:
            continue
        fitting = [m for m in options if profile.on_site_possible or not m.on_site]
        if not fitting:
            notes.append(f"{sub.code} : seule une modalité sur site existe, à organiser avec le candidat.")
            fitting = options
        chosen.append(fitting[0])
    return chosen, notes


def pack_days(
    branch: str,
    referential: Referential,
    modalities: Sequence[Modality],
    profile: CandidateProfile,
    start: date,
) -> EvaluationPlan:
    """Fill working days from ``start``, on-site modalities first (one trip), within the daily cap.

    A modality longer than the cap gets a day of its own.
    """
    chosen, notes = choose_modalities(referential, modalities, profile)
    ordered = [m for m in chosen if m.on_site] + [m for m in chosen if not m.on_site]
    cap = max(1, profile.max_minutes_per_day)
    days: list[PlanDay] = []
    current: list[Modality] = []
    minutes = 0
    day = next_working_day(start)
    for modality in ordered:
        if current and minutes + modality.duration_minutes > cap:
            days.append(PlanDay(day, tuple(current)))
            day = next_working_day(day + timedelta(days=1))
            current, minutes = [], 0
        current.append(modality)
        minutes += modality.duration_minutes
    if current:
        days.append(PlanDay(day, tuple(current)))
    return EvaluationPlan(branch, referential.identity, tuple(days), tuple(notes))
