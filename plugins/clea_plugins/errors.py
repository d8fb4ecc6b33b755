"""Errors of the plugin layer.

* :class:`PluginLoadError` stops start-up: a branch plugin cannot be imported, implements a hook that does
  not exist (misspelled), takes an argument its hook does not offer, or lacks its identity. One error lists
  every broken plugin, each named with its distribution.
* :class:`PluginError` is raised at call time when a hook implementation raises: the platform rolls the
  transaction back and answers with an error naming the plugin (never a bare 500 from deep inside it).
* :class:`BranchNotAccredited` is a kernel :class:`~clea.kernel.errors.DomainError`: an organisation asked
  for a branch it is not accredited for (R3).
"""

from __future__ import annotations

from dataclasses import dataclass

from clea.kernel.errors import DomainError


class PluginError(Exception):
    """A hook implementation of ``plugin_name`` raised ``original`` while answering ``hook_name``."""

    def __init__(self, plugin_name: str, hook_name: str, original: BaseException) -> None:
        super().__init__(
            f"branch plugin {plugin_name!r} failed in hook {hook_name}: {type(original).__name__}: {original}"
        )
        self.plugin_name = plugin_name
        self.hook_name = hook_name
        self.original = original

    def as_dict(self) -> dict[str, str]:
        """What an API error body carries (no traceback, no internals beyond the exception type)."""
        return {
            "code": "plugin_error",
            "plugin": self.plugin_name,
            "hook": self.hook_name,
            "detail": f"Le module de branche « {self.plugin_name} » a échoué ({self.hook_name}).",
            "detail_en": str(self),
        }


@dataclass(frozen=True)
class LoadProblem:
    """One reason one plugin cannot be loaded."""

    plugin: str
    distribution: str
    problem: str

    def __str__(self) -> str:
        where = f"{self.plugin!r} (distribution {self.distribution})" if self.distribution else repr(self.plugin)
        return f"{where}: {self.problem}"


class PluginLoadError(RuntimeError):
    """Start-up refused: the message names every broken plugin, its distribution and what is wrong."""

    def __init__(self, problems: list[LoadProblem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        count = len({problem.plugin for problem in self.problems})
        super().__init__(f"{count} CléA branch plugin(s) cannot be loaded; start-up stopped:\n{lines}")

    @property
    def plugins(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(problem.plugin for problem in self.problems))


class BranchNotAccredited(DomainError):
    def __init__(self, branch: str, accredited: frozenset[str]) -> None:
        listed = ", ".join(sorted(accredited))
        super().__init__(
            "branch_not_accredited",
            "R3",
            f"L'organisme n'est pas habilité pour la branche « {branch} » (habilitations : {listed or 'aucune'}).",
            f"The organisation is not accredited for branch {branch!r} (accredited: {listed or 'none'}).",
        )
        self.branch = branch
