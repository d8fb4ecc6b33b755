"""Hook specifications of CléA branch plugins (pluggy project name ``clea``).

Each hook is documented here, where it is declared; ``docs/plugins.md`` repeats every signature and
``tests/contracts/test_plugin_docs.py`` fails when one is missing there or has no ``test_hook_<name>``.

Rules for every hook:

* arguments and results are kernel types (:mod:`clea.kernel`) or the frozen dataclasses of
  :mod:`clea_plugins.types`: never ORM objects, requests or anything from Django;
* an implementation may take *fewer* arguments than the spec (pluggy passes only those it names), never
  one the spec does not offer: that stops start-up;
* hooks are evolved by adding arguments, never by renaming or removing them;
* an exception raised by an implementation becomes :class:`clea_plugins.errors.PluginError` naming the
  plugin; the platform rolls the current transaction back.

The platform calls the hooks of the branches an organisation is accredited for only (see
:func:`clea_plugins.manager.branch_caller`).

Most branches implement none of these by hand: :class:`clea_plugins.declarative.DeclarativeBranch` answers
every hook from the branch's data file and takes the branch's extra validation rules; a branch overrides only
the hooks it really customises (a method of the same name, marked ``@hookimpl``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from clea.kernel.evidence import EvidenceRef
    from clea.kernel.journey import Decision, Objective
    from clea.kernel.jury import JurySnapshot
    from clea.kernel.mastery import Evaluation
    from clea.kernel.referential import Referential
    from clea_plugins.types import (
        BranchIdentity,
        CandidateProfile,
        EvaluationPlan,
        JuryFileSection,
        Modality,
        TaskEnqueuer,
        TrainingOffer,
        ValidationIssue,
    )

PROJECT_NAME = "clea"
ENTRY_POINT_GROUP = "clea.branches"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# -------------------------------------------------------------------------------------------------
# Identity
# -------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def clea_branch_identity() -> BranchIdentity:  # type: ignore[empty-body]
    """Who this branch plugin is. **Required**: a plugin without it does not load.

    :return: a :class:`~clea_plugins.types.BranchIdentity` whose ``code`` equals the plugin's entry-point
        name in the ``clea.branches`` group (``btp = "clea_branch_btp.hooks"`` → ``code="btp"``), with a
        human ``name``, the distribution ``version``, a one-paragraph ``description``, a ``contact``
        (e-mail of the branch's referent) and ``not_covered``: the sub-domains the branch deliberately
        leaves to another modality.

    ``firstresult``: one identity per plugin. The platform never calls it across plugins; it asks each
    plugin separately (:meth:`clea_plugins.manager.PluginHost.identities`) at start-up and caches the answer.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------------------------------
# Évaluation préalable and finale (R3, R9)
# -------------------------------------------------------------------------------------------------


@hookspec
def clea_evaluation_modalities(referential: Referential) -> list[Modality]:  # type: ignore[empty-body]
    """The branch's evaluation modalities for a referential version.

    :param referential: the referential version the candidate's file is on (R13). Use its sub-domain codes
        (``referential.subdomains_by_code``); a modality naming an unknown sub-domain is a bug.
    :return: a list of :class:`~clea_plugins.types.Modality`, at least one per sub-domain of the referential
        except those listed in the identity's ``not_covered``; ``method`` from
        :class:`~clea_plugins.types.Method`; ``branch`` equal to the identity code. Return ``[]`` for a
        referential the branch does not support (e.g. the CléA numérique referential).

    All results: the platform concatenates the lists of every accredited branch.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def clea_evaluation_plan(
    referential: Referential, candidate_profile: CandidateProfile, start: date
) -> EvaluationPlan | None:
    """Plan an évaluation préalable over one or several days (R3).

    :param referential: the referential version of the file.
    :param candidate_profile: a :class:`~clea_plugins.types.CandidateProfile` (time per day, adjustments,
        whether the candidate can go on site).
    :param start: the first possible day; the plan may start later (e.g. next working day).
    :return: an :class:`~clea_plugins.types.EvaluationPlan` whose days together cover every sub-domain of
        the referential that the branch covers, each day within ``candidate_profile.max_minutes_per_day``;
        or ``None`` when the branch cannot plan for this referential.

    ``firstresult``: the platform asks the one branch chosen for the evaluation
    (``caller.evaluation_plan(..., branch="btp")``); the first non-``None`` plan wins.
    :func:`clea_plugins.planning.pack_days` does the packing for most branches.

    .. versionadded:: 0.1
    """


@hookspec
def clea_validate_evaluation(  # type: ignore[empty-body]
    referential: Referential, evaluation: Evaluation, modalities: Sequence[Modality]
) -> list[ValidationIssue]:
    """Check an evaluation against the branch's own rules before it is recorded.

    :param referential: the referential version of the file.
    :param evaluation: the kernel :class:`~clea.kernel.mastery.Evaluation` about to be recorded (results
        per criterion, days, evaluator, ``modality``). ``evaluation.evidence_items`` are the cited pieces
        with their kind (:class:`~clea.kernel.evidence.EvidenceRef`: photo, document…; since 0.2).
    :param modalities: the :class:`~clea_plugins.types.Modality` items actually used, one or more per
        evaluated sub-domain, with the ``method`` the evaluator actually used: a modality key naming a method
        the branch's catalogue does not list for that sub-domain still reaches this hook (so that a rule on
        the method can refuse it).
    :return: a list of :class:`~clea_plugins.types.ValidationIssue` (empty when the evaluation is fine).
        An ``error`` issue blocks recording; a ``warning`` is shown to the evaluator.

    All results: the platform calls the branch whose modalities were used and concatenates. Example rule
    (BTP): criteria of domain 7 must be observed in a real work situation.
    :func:`clea_plugins.rules.common_issues` gives the checks every branch should make.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 ``evaluation.evidence_items``; the method actually used reaches the hook.
    """


# -------------------------------------------------------------------------------------------------
# Individual training path (R6)
# -------------------------------------------------------------------------------------------------


@hookspec
def clea_training_offer(  # type: ignore[empty-body]
    referential: Referential, objectives: Sequence[Objective]
) -> list[TrainingOffer]:
    """Suggest training actions for the objectives of an individual training path (R6).

    :param referential: the referential version of the file.
    :param objectives: the kernel :class:`~clea.kernel.journey.Objective` items (sub-domain + missing
        criteria), exactly the gaps of the candidate.
    :return: a list of :class:`~clea_plugins.types.TrainingOffer`, only for sub-domains among the
        objectives; ``hours`` > 0. Suggestions only: the trainer builds the calendar.

    All results: every accredited branch may suggest; the platform concatenates.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------------------------------
# Jury (R10–R12)
# -------------------------------------------------------------------------------------------------


@hookspec
def clea_jury_file_sections(snapshot: JurySnapshot) -> list[JuryFileSection]:  # type: ignore[empty-body]
    """Add sections to the file the jury reads.

    :param snapshot: the kernel :class:`~clea.kernel.jury.JurySnapshot` (what the jury needs, no more:
        never reach for more personal data than it carries). ``snapshot.evidence`` are bare references;
        ``snapshot.evidence_items`` the same with their kind (:class:`~clea.kernel.evidence.EvidenceRef`;
        since 0.2).
    :return: a list of :class:`~clea_plugins.types.JuryFileSection` (title + plain text lines); ``[]`` when
        the branch has nothing to add.

    All results, concatenated in plugin order.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 ``snapshot.evidence_items``.
    """


@hookspec
def clea_evidence_items(file_reference: str, references: Sequence[str]) -> list[EvidenceRef]:  # type: ignore[empty-body]
    """Describe the branch's own records that an evaluation cites as evidence on a file.

    :param file_reference: the file's reference (its id, as a string), as the branch's own records store it.
    :param references: the cited references of the form ``<prefix>:<id>`` (``obs-btp:12``): records of a
        branch app, not pieces uploaded to the file (those the platform checks itself).
    :return: one :class:`~clea.kernel.evidence.EvidenceRef` per reference that is a record of this branch
        **on that file** (``kind`` = the prefix, ``title`` and ``criterion`` as the branch knows them);
        references the branch does not know are left out. ``[]`` for a branch without records of its own.

    All results: the platform asks the branches the organisation is accredited for and concatenates. A
    reference that no branch describes and that is not an uploaded piece of the file is refused
    (``unknown_evidence``), so an evaluation cannot cite another file's record or one that does not exist.

    .. versionadded:: 0.3
    """


# -------------------------------------------------------------------------------------------------
# Journey events (R13)
# -------------------------------------------------------------------------------------------------


@hookspec
def clea_journey_event(decision: Decision, organisation: str, enqueue: TaskEnqueuer) -> None:
    """React to a decision recorded on a candidate's file (welcome, evaluation, path, jury…).

    :param decision: the kernel :class:`~clea.kernel.journey.Decision` just recorded: ``kind``
        (:class:`~clea.kernel.journey.DecisionKind`), ``actor`` (``Actor(ref, role, organisation)``), ``at``
        (an aware ``datetime``), ``referential_id``, ``from_state``/``to_state``
        (:class:`~clea.kernel.journey.FileState`) and ``detail`` (``str`` → ``str``: e.g. ``branch``,
        ``modality``, ``branch_warnings``).
    :param organisation: the **slug** of the organisation (tenant) the decision belongs to
        (``greta-exemple``), as in its URLs; not its database schema name.
    :param enqueue: a :class:`~clea_plugins.types.TaskEnqueuer`: ``enqueue(task_name, args, kwargs)`` records a
        Celery task by name in the decision's outbox; it is sent after the commit and runs in the
        organisation's schema. This is how a plugin that must not import Django gets slow work done.
    :return: ``None``. Called after the decision is stored, inside its transaction: raising rolls it back,
        so keep reactions light and push slow work through ``enqueue``.

    All implementations are called.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 ``enqueue`` added; ``organisation`` documented as the slug (it was the schema
        name, ``org_greta_exemple``).
    """


HOOK_NAMES: tuple[str, ...] = (
    "clea_branch_identity",
    "clea_evaluation_modalities",
    "clea_evaluation_plan",
    "clea_validate_evaluation",
    "clea_training_offer",
    "clea_jury_file_sections",
    "clea_evidence_items",
    "clea_journey_event",
)
REQUIRED_HOOKS: frozenset[str] = frozenset({"clea_branch_identity", "clea_evaluation_modalities"})
