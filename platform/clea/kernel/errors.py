"""Domain errors: every refusal names the rule it enforces and explains itself in French and English."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the certification refused an action.

    ``code`` is stable (API clients match on it), ``rule`` is the DESIGN.md rule number (``"R7"``) or ``None``
    for plain consistency checks; ``message_fr`` is what a person reads, ``message_en`` what logs and English
    users read. A code ending in ``conflict`` means the action clashes with the file's current state.
    """

    def __init__(self, code: str, rule: str | None, message_fr: str, message_en: str) -> None:
        super().__init__(f"[{rule or code}] {message_en}")
        self.code = code
        self.rule = rule
        self.message_fr = message_fr
        self.message_en = message_en

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "rule": self.rule, "detail": self.message_fr, "detail_en": self.message_en}
