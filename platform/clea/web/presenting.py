"""What the pages show, computed from kernel objects: next steps, the mastery chart, the grid rows."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from clea.accounts.roles import Role
from clea.kernel.journey import FileState
from clea.kernel.mastery import MasteryReport
from clea.kernel.referential import Referential

DEADLINE_WARNING_DAYS = 180


def state_label(state: str) -> str:
    return _(FileState(state).label_fr)


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str


def next_step(file_id: int, state: str, role: str) -> NextStep | None:
    """What the person with ``role`` has to do next on a file at ``state`` (None: nothing for them)."""
    page = reverse("web:file", args=[file_id])
    if role == Role.TRAINER:
        if state == FileState.TRAINING:
            return NextStep(_("Noter la progression du parcours"), reverse("web:trainer") + f"#dossier-{file_id}")
        return None
    if role == Role.CANDIDATE:
        return None
    steps: dict[str, NextStep] = {
        FileState.REFERRED: NextStep(_("Recueillir le consentement et ouvrir le dossier"), page + "#consentement"),
        FileState.FILE_OPENED: NextStep(_("Faire l'évaluation préalable"), reverse("web:grid", args=[file_id])),
        FileState.EVALUATED: NextStep(_("Proposer le parcours de formation"), reverse("web:path", args=[file_id])),
        FileState.TRAINING: NextStep(_("Faire l'évaluation finale"), reverse("web:grid", args=[file_id])),
        FileState.READY_FOR_JURY: NextStep(_("Transmettre le dossier au jury"), page + "#jury"),
    }
    return steps.get(state)


def candidate_next_step(state: str) -> str:
    """The candidate's own view of what comes next, in plain words."""
    texts: dict[str, str] = {
        FileState.REFERRED: _("Votre conseiller vous présentera la démarche et recueillera votre accord."),
        FileState.FILE_OPENED: _(
            "Prochaine étape : l'évaluation préalable, pour repérer tout ce que vous savez déjà faire."
        ),
        FileState.EVALUATED: _("Votre conseiller prépare votre parcours de formation."),
        FileState.TRAINING: _("Suivez votre parcours de formation ; l'évaluation finale portera sur ses objectifs."),
        FileState.READY_FOR_JURY: _("Toutes vos compétences sont acquises : votre dossier va être transmis au jury."),
        FileState.SUBMITTED: _("Votre dossier est entre les mains du jury."),
        FileState.CERTIFIED: _("Félicitations : vous êtes certifié CléA."),
    }
    return texts.get(state, "")


@dataclass
class DomainBar:
    code: str
    title: str
    acquired: int
    total: int
    mastered: bool
    y: int = 0
    width: float = 0.0
    lines: list[str] = field(default_factory=list)  # the label, wrapped for the chart
    bar_y: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.acquired / self.total) if self.total else 0


@dataclass
class MasteryView:
    """The mastery of a file, strengths first (R3: the wording never says "failed")."""

    bars: list[DomainBar]
    acquired_subdomains: list[dict[str, Any]] = field(default_factory=list)
    to_acquire_subdomains: list[dict[str, Any]] = field(default_factory=list)
    acquired_by_domain: list[dict[str, Any]] = field(default_factory=list)
    to_acquire_by_domain: list[dict[str, Any]] = field(default_factory=list)
    acquired_criteria: int = 0
    total_criteria: int = 0
    ready_for_jury: bool = False
    chart_height: int = 0

    @property
    def mastered_count(self) -> int:
        return sum(1 for bar in self.bars if bar.mastered)


# The chart's geometry, in SVG user units (viewBox 460 wide, readable on a phone): labels above their bar.
BAR_WIDTH, LINE_HEIGHT, BAR_HEIGHT, ROW_GAP, LABEL_CHARS = 340, 24, 26, 22, 34


def _by_domain(items: list[dict[str, Any]], bars: list[DomainBar]) -> list[dict[str, Any]]:
    grouped: list[dict[str, Any]] = []
    for bar in bars:
        subs = [item for item in items if item["domain_code"] == bar.code]
        if subs:
            grouped.append({"code": bar.code, "title": bar.title, "mastered": bar.mastered, "subdomains": subs})
    return grouped


def mastery_view(referential: Referential, report: MasteryReport) -> MasteryView:
    acquired = report.acquired_criteria
    by_code = {sub.code: sub for sub in report.subdomains}
    bars: list[DomainBar] = []
    strengths: list[dict[str, Any]] = []
    to_acquire: list[dict[str, Any]] = []
    y = 4
    for domain, mastery in zip(referential.domains, report.domains, strict=True):
        codes = [c.code for s in domain.subdomains for c in s.criteria]
        bar = DomainBar(domain.code, domain.title, sum(1 for c in codes if c in acquired), len(codes), mastery.mastered)
        bar.lines = textwrap.wrap(f"{domain.code}. {domain.title}", LABEL_CHARS)
        bar.y = y
        bar.bar_y = len(bar.lines) * LINE_HEIGHT + 10
        bar.width = round(BAR_WIDTH * bar.acquired / bar.total, 1) if bar.total else 0.0
        y += bar.bar_y + BAR_HEIGHT + ROW_GAP
        bars.append(bar)
        for sub in domain.subdomains:
            state = by_code[sub.code]
            item = {
                "code": sub.code,
                "title": sub.title,
                "domain": domain.title,
                "domain_code": domain.code,
                "acquired": [c for c in sub.criteria if c.code in acquired],
                "missing": [c for c in sub.criteria if c.code not in acquired],
            }
            (strengths if state.acquired else to_acquire).append(item)
    return MasteryView(
        bars=bars,
        acquired_subdomains=strengths,
        to_acquire_subdomains=to_acquire,
        acquired_criteria=len(acquired & referential.criterion_codes),
        total_criteria=len(referential.criterion_codes),
        acquired_by_domain=_by_domain(strengths, bars),
        to_acquire_by_domain=_by_domain(to_acquire, bars),
        ready_for_jury=report.ready_for_jury,
        chart_height=y,
    )


@dataclass
class GridCriterion:
    code: str
    title: str
    acquired: bool | None = None
    comment: str = ""
    previously_acquired: bool = False
    evidence: list[Any] = field(default_factory=list)
    chosen: set[str] = field(default_factory=set)  # evidence uids attached to the result
    error: str = ""
    saved: bool = False  # already saved in a sitting of the open evaluation (server side)


@dataclass
class GridSubdomain:
    code: str
    title: str
    criteria: list[GridCriterion]
    branches: list[Any] = field(default_factory=list)  # clea.web.branching.BranchBlock, one per accredited branch
    issues: list[Any] = field(default_factory=list)  # clea.web.branching.BranchIssue, after a branch_rule refusal


@dataclass
class GridDomain:
    code: str
    title: str
    subdomains: list[GridSubdomain]

    @property
    def count(self) -> int:
        return sum(len(s.criteria) for s in self.subdomains)


def grid_rows(
    referential: Referential,
    scope: frozenset[str] | None,
    evidence: Iterable[Any],
    standing: frozenset[str] = frozenset(),
) -> list[GridDomain]:
    """Domains → sub-domains → criteria of the referential, limited to ``scope`` (the final evaluation, R9)."""
    by_criterion: dict[str, list[Any]] = {}
    for item in evidence:
        if item.criterion:
            by_criterion.setdefault(item.criterion, []).append(item)
    domains: list[GridDomain] = []
    for domain in referential.domains:
        subs: list[GridSubdomain] = []
        for sub in domain.subdomains:
            criteria = [
                GridCriterion(
                    c.code,
                    c.title,
                    previously_acquired=c.code in standing,
                    evidence=by_criterion.get(c.code, []),
                    chosen={str(item.uid) for item in by_criterion.get(c.code, [])},
                )
                for c in sub.criteria
                if scope is None or c.code in scope
            ]
            if criteria:
                subs.append(GridSubdomain(sub.code, sub.title, criteria))
        if subs:
            domains.append(GridDomain(domain.code, domain.title, subs))
    return domains
