"""Hook dispatch cost per call, with 3 and with 30 installed branch plugins.

    .venv/bin/python bench/plugin_dispatch.py [--repeat 7]

The 3 example branches come from their installed entry points (pip install -e branch_modalities/<code>);
27 synthetic plugins are generated in-process for the 30 case. The cheap hook is ``clea_journey_event`` with a
decision no branch reacts to (each implementation does one comparison and returns ``None``), called:

* baseline   — a plain Python loop calling the same implementation functions directly;
* pm.hook    — pluggy's full hook caller, implementations not guarded;
* subset     — ``pm.subset_hook_caller`` (what a tenant gets), not guarded;
* subset+guard — the production path: subset caller over guarded implementations (exception → PluginError);
* subset+wrapper — alternative: one pluggy ``wrapper=True`` catching exceptions (cannot name the plugin);
* BranchCaller.journey_event — the typed method the platform calls (guarded subset + one method frame);
* 1 of N     — tenant accredited for one branch among N (subset filtering cost);
* lookup     — ``host.branch_caller(codes, version)`` cache hit (done once per request).

Prints µs per call (best of ``--repeat`` runs, each long enough to last ~0.2 s).
"""

from __future__ import annotations

import argparse
import os
import platform as stdlib_platform
import sys
import timeit
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for source_root in ("plugins", "platform"):  # appended: the folder `platform/` must not shadow the stdlib
    if str(ROOT / source_root) not in sys.path:
        sys.path.append(str(ROOT / source_root))

import pluggy  # noqa: E402

from clea.kernel.journey import Actor, Decision, DecisionKind, FileState  # noqa: E402
from clea.kernel.referential import Referential  # noqa: E402
from clea_plugins import BranchIdentity, Modality, hookimpl  # noqa: E402
from clea_plugins.manager import PluginHost, build_host, new_plugin_manager  # noqa: E402
from clea_plugins.testkit.fakes import RecordingEnqueuer  # noqa: E402

BRANCHES = ("btp", "proprete", "transport_logistique")


class Synthetic:
    """A generated branch plugin: identity, no modality, a cheap journey-event reaction."""

    def __init__(self, code: str) -> None:
        self.code = code

    @hookimpl
    def clea_branch_identity(self) -> BranchIdentity:
        return BranchIdentity(self.code, f"Synthetic {self.code}", "0.1.0", "Benchmark plugin.", "b@example.org")

    @hookimpl
    def clea_evaluation_modalities(self, referential: Referential) -> list[Modality]:
        return []

    @hookimpl
    def clea_journey_event(self, decision: Decision, organisation: str) -> None:
        if decision.kind is DecisionKind.EXPIRED:
            print(organisation)


class CatchAll:
    """The wrapper alternative to per-implementation guards."""

    @hookimpl(wrapper=True, tryfirst=True)
    def clea_journey_event(self):  # type: ignore[no-untyped-def]
        try:
            return (yield)
        except Exception as error:
            raise RuntimeError(f"a branch plugin failed: {error}") from error


def per_call_us(function: Callable[[], object], repeat: int) -> float:
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    number = max(number, 1000)
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def hosts(count: int) -> tuple[PluginHost, pluggy.PluginManager]:
    """A guarded host (production) and an unguarded manager holding the same plugins."""
    extra = {f"synthetic_{i:02d}": Synthetic(f"synthetic_{i:02d}") for i in range(count - len(BRANCHES))}
    host = build_host(extra)
    assert len(host.codes) == count, sorted(host.codes)
    raw = new_plugin_manager()
    for name, plugin in host.pm.list_name_plugin():
        raw.register(plugin, name=name)
    return host, raw


def measure(count: int, repeat: int) -> dict[str, float]:
    host, raw = hosts(count)
    codes = frozenset(host.codes)
    decision = Decision(
        DecisionKind.WELCOMED,
        Actor("e1", "evaluator", "org"),
        datetime(2026, 3, 2, tzinfo=UTC),
        "CLEA@bench",
        None,
        FileState.REFERRED,
    )
    call = {"decision": decision, "organisation": "org", "enqueue": RecordingEnqueuer()}
    calls = [
        (impl.function, tuple(call[name] for name in impl.argnames))
        for impl in raw.hook.clea_journey_event.get_hookimpls()
    ]
    assert len(calls) == count

    def baseline() -> None:
        for function, args in calls:
            function(*args)

    raw_subset = raw.subset_hook_caller("clea_journey_event", [])  # nothing removed: the caller itself
    everything = host.branch_caller(codes, 1)
    one = host.branch_caller(frozenset({"btp"}), 1)
    wrapped = new_plugin_manager()
    for name, plugin in raw.list_name_plugin():
        wrapped.register(plugin, name=name)
    wrapped.register(CatchAll(), name="catch_all")
    others = [p for n, p in wrapped.list_name_plugin() if n not in codes and n != "catch_all"]
    wrapped_subset = wrapped.subset_hook_caller("clea_journey_event", others)
    guarded_hook = everything.hook.clea_journey_event
    one_hook = one.hook.clea_journey_event
    raw_hook = raw.hook.clea_journey_event

    return {
        "baseline (direct loop)": per_call_us(baseline, repeat),
        "pm.hook, unguarded": per_call_us(lambda: raw_hook(**call), repeat),
        "subset, unguarded": per_call_us(lambda: raw_subset(**call), repeat),
        "subset+guard (production)": per_call_us(lambda: guarded_hook(**call), repeat),
        "subset+wrapper (alternative)": per_call_us(
            lambda: wrapped_subset(**call), repeat
        ),
        "BranchCaller.journey_event": per_call_us(lambda: everything.journey_event(decision, "org"), repeat),
        "1 of N accredited, subset+guard": per_call_us(lambda: one_hook(**call), repeat),
        "lookup branch_caller (cache hit)": per_call_us(lambda: host.branch_caller(codes, 1), repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = {count: measure(count, args.repeat) for count in (3, 30)}
    print(
        f"Plugin dispatch — {datetime.now(UTC):%Y-%m-%d}, Python {stdlib_platform.python_version()}, "
        f"pluggy {pluggy.__version__}, {os.cpu_count()} CPU(s), {stdlib_platform.machine()}"
    )
    print(f"{'µs per call':<36}{'3 plugins':>12}{'30 plugins':>12}")
    for label in results[3]:
        print(f"{label:<36}{results[3][label]:>12.2f}{results[30][label]:>12.2f}")
    worst = max(results[30][label] for label in results[30] if not label.startswith("lookup"))
    print(f"slowest dispatch at 30 plugins: {worst:.2f} µs (goal < 1000 µs): {'OK' if worst < 1000 else 'MISSED'}")


if __name__ == "__main__":
    main()
