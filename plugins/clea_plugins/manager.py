"""The plugin manager: load branch plugins once, validate them, dispatch per tenant.

Start-up (:func:`get_host`, called from the platform's ``AppConfig.ready``)::

    entry points "clea.branches" ──► import each (error names the distribution)
                                 ──► validate each alone (signatures, misspelled hooks, identity)
                                 ──► one PluginManager: load_setuptools_entrypoints + check_pending
                                 ──► guard every hookimpl (exception → PluginError naming the plugin)

Any problem raises one :class:`~clea_plugins.errors.PluginLoadError` listing every broken plugin.

Per request: ``branch_caller(org.accredited_branch_codes, org.accreditation_version)`` returns a cached
:class:`BranchCaller` that only calls the accredited branches (``pm.subset_hook_caller``).

Tests register plugins programmatically: ``build_host({"btp": clea_branch_btp.hooks.plugin}, entry_points=False)``
and ``set_host(host)``.
"""

from __future__ import annotations

import difflib
import functools
import importlib.metadata
import inspect
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pluggy

from clea_plugins import hookspecs
from clea_plugins.errors import BranchNotAccredited, LoadProblem, PluginError, PluginLoadError
from clea_plugins.hookspecs import ENTRY_POINT_GROUP, HOOK_NAMES, PROJECT_NAME, REQUIRED_HOOKS
from clea_plugins.types import (
    BRANCH_CODE,
    BranchIdentity,
    CandidateProfile,
    EvaluationPlan,
    JuryFileSection,
    Modality,
    TaskEnqueuer,
    TrainingOffer,
    ValidationIssue,
)

if TYPE_CHECKING:
    from clea.kernel.evidence import EvidenceRef
    from clea.kernel.journey import Decision, Objective
    from clea.kernel.jury import JurySnapshot
    from clea.kernel.mastery import Evaluation
    from clea.kernel.referential import Referential

logger = logging.getLogger("clea.plugins")

BLOCKED_ENV = "CLEA_BLOCKED_BRANCHES"  # comma-separated codes an operator refuses to load
CACHE_SIZE = 512


def new_plugin_manager() -> pluggy.PluginManager:
    """An empty manager knowing the CléA hookspecs (no plugin registered)."""
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


# -------------------------------------------------------------------------------------------------
# Validation of one plugin, alone, before the real registration
# -------------------------------------------------------------------------------------------------


def _impl_names(plugin: object) -> list[str]:
    """Names of the attributes of ``plugin`` marked with ``@hookimpl``."""
    names = []
    for name in dir(plugin):
        try:
            value = getattr(plugin, name)
        except Exception:  # a property raising is not a hook
            continue
        if inspect.isroutine(value) and getattr(value, f"{PROJECT_NAME}_impl", None) is not None:
            names.append(name)
    return names


def _signature(hook_name: str) -> str:
    spec = getattr(hookspecs, hook_name)
    return f"{hook_name}({', '.join(inspect.signature(spec).parameters)})"


def validate_plugin(name: str, plugin: object) -> list[str]:
    """Problems of one plugin, checked in a scratch manager: what would stop start-up."""
    if not BRANCH_CODE.match(name):
        return [f"plugin name {name!r} is not a branch code (lower-case letters, digits, '_'; 2 to 40 chars)"]
    problems: list[str] = []
    scratch = new_plugin_manager()
    try:
        scratch.register(plugin, name=name)
    except pluggy.PluginValidationError as error:
        detail = " ".join(str(error).split())
        hook = next((hook for hook in HOOK_NAMES if f"hook '{hook}'" in str(error)), "")
        expected = f" (hookspec: {_signature(hook)})" if hook else ""
        problems.append(f"wrong hook signature{expected}: {detail}")
        return problems
    except ValueError as error:
        problems.append(f"cannot be registered: {error}")
        return problems
    try:
        scratch.check_pending()  # refuses a hookimpl whose name matches no hookspec (a misspelling)
    except pluggy.PluginValidationError as error:
        unknown = [impl for impl in _impl_names(plugin) if impl not in HOOK_NAMES]
        for impl in unknown:
            close = difflib.get_close_matches(impl, HOOK_NAMES, n=1)
            hint = f"; did you mean {close[0]}?" if close else f"; known hooks: {', '.join(HOOK_NAMES)}"
            problems.append(f"implements unknown hook {impl!r}{hint}")
        if not unknown:
            problems.append(f"hook without specification: {' '.join(str(error).split())}")
    for hook_name in HOOK_NAMES:
        for impl in getattr(scratch.hook, hook_name).get_hookimpls():
            if impl.wrapper or impl.hookwrapper:
                problems.append(f"{hook_name} is declared as a wrapper; branch plugins may not wrap other branches")
            elif inspect.iscoroutinefunction(impl.function) or inspect.isgeneratorfunction(impl.function):
                problems.append(f"{hook_name} must be a plain function (not async, not a generator)")
    implemented = {hook for hook in HOOK_NAMES if getattr(scratch.hook, hook).get_hookimpls()}
    for hook_name in sorted(REQUIRED_HOOKS - implemented):
        problems.append(f"does not implement required hook {_signature(hook_name)}")
    if problems or "clea_branch_identity" not in implemented:
        return problems
    try:
        identity = scratch.hook.clea_branch_identity()
    except Exception as error:
        return [f"clea_branch_identity raised {type(error).__name__}: {error}"]
    if not isinstance(identity, BranchIdentity):
        problems.append(f"clea_branch_identity returned {type(identity).__name__}, expected BranchIdentity")
    elif identity.code != name:
        problems.append(f"identity code {identity.code!r} differs from the entry-point name {name!r}")
    elif not all((identity.name, identity.version, identity.contact)):
        problems.append("identity needs a name, a version and a contact")
    return problems


# -------------------------------------------------------------------------------------------------
# Guarding: any exception inside a plugin becomes PluginError naming it
# -------------------------------------------------------------------------------------------------


def _guard(function: Callable[..., Any], plugin_name: str, hook_name: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any) -> Any:
        try:
            return function(*args)
        except PluginError:
            raise
        except Exception as error:
            raise PluginError(plugin_name, hook_name, error) from error

    guarded.__clea_guarded__ = True  # type: ignore[attr-defined]
    return guarded


def guard_hookimpls(pm: pluggy.PluginManager) -> None:
    """Wrap every implementation of every CléA hook (one extra Python frame per implementation called).

    pluggy calls ``hookimpl.function(*args)`` with positional arguments in ``hookimpl.argnames`` order,
    already computed at registration from the original function, so the wrapper only forwards them.
    """
    for hook_name in HOOK_NAMES:
        for impl in getattr(pm.hook, hook_name).get_hookimpls():
            if not getattr(impl.function, "__clea_guarded__", False):
                setattr(impl, "function", _guard(impl.function, impl.plugin_name, hook_name))  # noqa: B010


# -------------------------------------------------------------------------------------------------
# Loading
# -------------------------------------------------------------------------------------------------


def _entry_point_candidates(
    group: str, blocked: frozenset[str], problems: list[LoadProblem]
) -> list[tuple[str, str, object]]:
    candidates: list[tuple[str, str, object]] = []
    seen: dict[str, tuple[str, str]] = {}
    for dist in importlib.metadata.distributions():
        dist_name = dist.metadata["Name"] or "?"
        for ep in dist.entry_points:
            if ep.group != group or ep.name in blocked:
                continue
            if ep.name in seen:
                if seen[ep.name] != (dist_name, ep.value):
                    other = seen[ep.name][0]
                    problems.append(LoadProblem(ep.name, dist_name, f"entry-point name also declared by {other}"))
                continue
            seen[ep.name] = (dist_name, ep.value)
            try:
                plugin = ep.load()
            except Exception as error:
                problems.append(
                    LoadProblem(ep.name, dist_name, f"cannot be imported ({ep.value}): {type(error).__name__}: {error}")
                )
                continue
            candidates.append((ep.name, dist_name, plugin))
    return candidates


def build_host(
    plugins: Mapping[str, object] | Iterable[tuple[str, object]] = (),
    *,
    entry_points: bool = True,
    group: str = ENTRY_POINT_GROUP,
    blocked: Iterable[str] = (),
) -> PluginHost:
    """Load, validate and register branch plugins; raise one :class:`PluginLoadError` if any is broken.

    :param plugins: extra plugins registered programmatically, by code (tests, the default modality).
    :param entry_points: also load the installed distributions' ``group`` entry points.
    :param blocked: codes never loaded (an operator's emergency switch; see ``CLEA_BLOCKED_BRANCHES``).
    """
    blocked_codes = frozenset(blocked)
    problems: list[LoadProblem] = []
    candidates = _entry_point_candidates(group, blocked_codes, problems) if entry_points else []
    extra = list(plugins.items()) if isinstance(plugins, Mapping) else list(plugins)
    known = {name for name, _, _ in candidates}
    for name, plugin in extra:
        if name in known:
            problems.append(LoadProblem(name, "", "registered twice (entry point and programmatically)"))
            continue
        known.add(name)
        candidates.append((name, "", plugin))
    for name, dist_name, plugin in candidates:
        problems.extend(LoadProblem(name, dist_name, problem) for problem in validate_plugin(name, plugin))
    if problems:
        raise PluginLoadError(problems)

    pm = new_plugin_manager()
    for code in blocked_codes:
        pm.set_blocked(code)
    distributions = {name: dist_name for name, dist_name, _ in candidates}
    try:
        if entry_points:
            pm.load_setuptools_entrypoints(group)
        for name, _, plugin in candidates:
            if not distributions[name] and pm.get_plugin(name) is None:
                pm.register(plugin, name=name)
        pm.check_pending()
    except pluggy.PluginValidationError as error:  # validated above; kept as a last line of defence
        name = pm.get_name(error.plugin) or "?"
        raise PluginLoadError([LoadProblem(name, distributions.get(name, ""), str(error))]) from error
    except Exception as error:  # an entry point appeared or broke between the two passes
        raise PluginLoadError([LoadProblem("?", "", f"{type(error).__name__}: {error}")]) from error
    guard_hookimpls(pm)
    return PluginHost(pm, distributions)


# -------------------------------------------------------------------------------------------------
# The host and the per-tenant callers
# -------------------------------------------------------------------------------------------------


class PluginHost:
    """The loaded plugins (one per process) and the cache of per-tenant callers."""

    def __init__(self, pm: pluggy.PluginManager, distributions: Mapping[str, str] | None = None) -> None:
        self.pm = pm
        self.distributions = dict(distributions or {})
        self._identities: dict[str, BranchIdentity] = {}
        for name, plugin in pm.list_name_plugin():
            if name is not None and plugin is not None:  # a blocked name maps to None
                self._identities[name] = self._call_one(name, "clea_branch_identity")
        self._callers: OrderedDict[tuple[frozenset[str], int], BranchCaller] = OrderedDict()
        self._lock = threading.Lock()
        self.cache_misses = 0

    def _call_one(self, name: str, hook_name: str, **kwargs: Any) -> Any:
        others = [p for n, p in self.pm.list_name_plugin() if p is not None and n != name]
        return self.pm.subset_hook_caller(hook_name, others)(**kwargs)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self._identities)

    def identities(self) -> dict[str, BranchIdentity]:
        """Identity of each loaded plugin, by code, gathered per plugin at start-up."""
        return dict(self._identities)

    def branch_caller(self, accredited_codes: frozenset[str], version: int) -> BranchCaller:
        """The caller for an organisation accredited for ``accredited_codes``, cached by (codes, version).

        ``version`` is the organisation's accreditation version: bump it on every accreditation change and
        the next request builds a fresh caller (older entries age out of the LRU).
        """
        key = (frozenset(accredited_codes), version)
        with self._lock:
            caller = self._callers.get(key)
            if caller is not None:
                self._callers.move_to_end(key)
                return caller
        caller = BranchCaller(self, key[0], version)
        with self._lock:
            self.cache_misses += 1
            self._callers[key] = caller
            while len(self._callers) > CACHE_SIZE:
                self._callers.popitem(last=False)
        return caller


class BranchCaller:
    """Calls the hooks of the accredited branches only. Build through :meth:`PluginHost.branch_caller`.

    ``caller.hook.<name>(**kwargs)`` is the raw pluggy caller (list of per-plugin results); the methods
    below flatten lists and pick the branch where the hook is per-branch.
    """

    def __init__(self, host: PluginHost, accredited_codes: frozenset[str], version: int) -> None:
        self.host = host
        self.version = version
        self.accredited = accredited_codes
        self.branches = accredited_codes & host.codes
        self.missing = accredited_codes - host.codes
        if self.missing:
            logger.warning("accredited branches without an installed plugin: %s", ", ".join(sorted(self.missing)))
        remove = [p for name, p in host.pm.list_name_plugin() if p is not None and name not in self.branches]
        self.hook = SimpleNamespace(**{name: host.pm.subset_hook_caller(name, remove) for name in HOOK_NAMES})

    def __repr__(self) -> str:
        return f"<BranchCaller branches={sorted(self.branches)} version={self.version}>"

    def for_branch(self, code: str) -> BranchCaller:
        """The caller restricted to one accredited branch; :class:`BranchNotAccredited` otherwise."""
        if code not in self.branches:
            raise BranchNotAccredited(code, self.branches)
        if self.branches == {code}:
            return self
        return self.host.branch_caller(frozenset({code}), self.version)

    def identities(self) -> list[BranchIdentity]:
        identities = self.host.identities()
        return [identities[code] for code in sorted(self.branches)]

    def evaluation_modalities(self, referential: Referential) -> list[Modality]:
        results = self.hook.clea_evaluation_modalities(referential=referential)
        return [modality for result in reversed(results) for modality in result]

    def evaluation_plan(
        self, referential: Referential, candidate_profile: CandidateProfile, start: date, *, branch: str
    ) -> EvaluationPlan | None:
        plan: EvaluationPlan | None = self.for_branch(branch).hook.clea_evaluation_plan(
            referential=referential, candidate_profile=candidate_profile, start=start
        )
        return plan

    def validate_evaluation(
        self,
        referential: Referential,
        evaluation: Evaluation,
        modalities: Sequence[Modality],
        *,
        branch: str | None = None,
    ) -> list[ValidationIssue]:
        caller = self.for_branch(branch) if branch is not None else self
        results = caller.hook.clea_validate_evaluation(
            referential=referential, evaluation=evaluation, modalities=tuple(modalities)
        )
        return [issue for result in reversed(results) for issue in result]

    def training_offer(self, referential: Referential, objectives: Sequence[Objective]) -> list[TrainingOffer]:
        results = self.hook.clea_training_offer(referential=referential, objectives=tuple(objectives))
        return [offer for result in reversed(results) for offer in result]

    def jury_file_sections(self, snapshot: JurySnapshot) -> list[JuryFileSection]:
        results = self.hook.clea_jury_file_sections(snapshot=snapshot)
        return [section for result in reversed(results) for section in result]

    def evidence_items(self, file_reference: str, references: Sequence[str]) -> list[EvidenceRef]:
        results = self.hook.clea_evidence_items(file_reference=file_reference, references=tuple(references))
        return [item for result in reversed(results) for item in result]

    def journey_event(self, decision: Decision, organisation: str, enqueue: TaskEnqueuer | None = None) -> None:
        """``organisation``: the organisation's slug; ``enqueue``: records a task in the decision's outbox
        (without one, e.g. outside a decision's transaction, a plugin calling it gets :class:`NoOutbox`)."""
        self.hook.clea_journey_event(decision=decision, organisation=organisation, enqueue=enqueue or _no_outbox)


class NoOutbox(RuntimeError):
    """A plugin called ``enqueue`` where no decision's outbox is open."""


def _no_outbox(task_name: str, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None) -> None:
    raise NoOutbox(f"cannot enqueue {task_name!r}: no decision transaction (outbox) is open here")


# -------------------------------------------------------------------------------------------------
# The process-wide host
# -------------------------------------------------------------------------------------------------

_host: PluginHost | None = None
_host_lock = threading.Lock()


def get_host() -> PluginHost:
    """The process-wide host, built on first use from the installed entry points (thread-safe)."""
    global _host
    if _host is None:
        with _host_lock:
            if _host is None:
                blocked = [code.strip() for code in os.environ.get(BLOCKED_ENV, "").split(",") if code.strip()]
                _host = build_host(blocked=blocked)
                logger.info("CléA branch plugins loaded: %s", ", ".join(sorted(_host.codes)) or "none")
    return _host


def set_host(host: PluginHost | None) -> None:
    """Replace the process-wide host (tests); ``None`` makes the next :func:`get_host` reload."""
    global _host
    with _host_lock:
        _host = host


def branch_caller(accredited_codes: frozenset[str], version: int) -> BranchCaller:
    """The cached caller of an organisation's accredited branches (see :meth:`PluginHost.branch_caller`)."""
    return get_host().branch_caller(accredited_codes, version)
