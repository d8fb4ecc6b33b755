"""Publishing a referential version: read an upload (YAML or CSV), check it, show its diff, publish it.

Nothing is stored until :func:`publish_upload`; a bad file gives :class:`PublishingError` with French
messages (every structure problem at once). Published versions are immutable (R13): files already open stay
on theirs, new files start on the version in force on their first day (``registry.default_referential``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import tablib
import yaml
from django.db import transaction
from django.utils import timezone

from clea.audit import trail
from clea.kernel.referential import Referential, ReferentialError, parse_referential
from clea.kernel.referential.diff import ReferentialDiff, diff_referentials
from clea.kernel.referential.structure import ReferentialStructureError, check_structure
from clea.kernel.referential.tabular import COLUMNS, REQUIRED, referential_rows, rows_to_document
from clea.referentials import registry
from clea.referentials.models import ReferentialVersion

FORMATS = ("yaml", "csv")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class PublishingError(ValueError):
    """Why an upload or a publication is refused: French messages, and the field they concern."""

    def __init__(self, messages: list[str], field: str = "file", code: str = "referential_invalid") -> None:
        super().__init__("; ".join(messages))
        self.messages = messages
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Upload:
    text: str  # the YAML text that will be stored (a CSV is turned into it)
    referential: Referential
    document: dict[str, Any]
    source_format: str
    source_name: str


@dataclass(frozen=True)
class Preview:
    upload: Upload
    current: ReferentialVersion | None
    diff: ReferentialDiff | None  # None: the line has no version in force yet


def _decode(content: bytes, name: str) -> str:
    if len(content) > MAX_UPLOAD_BYTES:
        raise PublishingError([f"Le fichier {name} dépasse 2 Mo."])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PublishingError([f"Le fichier {name} n'est pas un texte UTF-8."]) from None


def guess_format(name: str, given: str = "") -> str:
    if given:
        if given not in FORMATS:
            raise PublishingError([f"Format inconnu « {given} » : yaml ou csv."], field="format")
        return given
    return "csv" if name.lower().endswith(".csv") else "yaml"


def known_lines() -> dict[str, str]:
    """Code → title of every referential line published so far (from its latest version)."""
    lines: dict[str, str] = {}
    for code, title in ReferentialVersion.objects.order_by("id").values_list("code", "title"):
        lines[code] = title
    return lines


def _csv_document(text: str, name: str, code: str, title: str) -> dict[str, Any]:
    try:
        dataset = tablib.Dataset().load(text, format="csv")
    except Exception as error:  # tablib/csv raise various errors on malformed input
        raise PublishingError([f"Le fichier CSV {name} est illisible ({error})."]) from None
    headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        raise PublishingError(
            [f"Colonnes manquantes dans {name} : {', '.join(missing)} (attendues : {', '.join(COLUMNS)})."]
        )
    rows = [dict(zip(headers, (str(cell or "") for cell in row), strict=False)) for row in dataset]
    lines = known_lines()
    code = code or registry.default_code()
    return rows_to_document(rows, code, title or lines.get(code, code), name)


def read_upload(content: bytes, name: str, source_format: str = "", code: str = "", title: str = "") -> Upload:
    """Parse and check an uploaded file; nothing is stored."""
    name = name or "référentiel"
    fmt = guess_format(name, source_format)
    text = _decode(content, name)
    try:
        if fmt == "csv":
            document = _csv_document(text, name, code.strip(), title.strip())
            text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120)
        referential = parse_referential(text, source=name)
    except ReferentialError as error:
        raise PublishingError([error.message_fr]) from None
    try:
        check_structure(referential)
    except ReferentialStructureError as error:
        raise PublishingError(error.messages_fr) from None
    lines = known_lines()
    if referential.code not in lines:
        raise PublishingError(
            [
                f"Le code « {referential.code} » ne correspond à aucun référentiel publié "
                f"({', '.join(sorted(lines))}) : une nouvelle certification demande une version du logiciel."
            ]
        )
    existing = ReferentialVersion.objects.filter(identity=referential.identity).first()
    if existing is not None:
        since = existing.effective_from.strftime("%d/%m/%Y") if existing.effective_from else "—"
        raise PublishingError(
            [f"Ce contenu est déjà publié : version {existing.identity} (en vigueur à partir du {since})."],
            code="referential_already_published",
        )
    parsed: dict[str, Any] = yaml.safe_load(text)
    return Upload(text, referential, parsed, fmt, name)


def preview(upload: Upload, on: date | None = None) -> Preview:
    current = registry.version_in_force(upload.referential.code, on)
    if current is None:
        return Preview(upload, None, None)
    old = registry.get_referential(current.identity)
    old_document: dict[str, Any] = yaml.safe_load(
        ReferentialVersion.objects.values_list("source_text", flat=True).get(pk=current.pk)
    )
    return Preview(upload, current, diff_referentials(old, upload.referential, old_document, upload.document))


def publish_upload(
    upload: Upload, effective_from: date, user: Any, expected_current: str | None = None, published_by: str = ""
) -> ReferentialVersion:
    """Publish ``upload`` from ``effective_from`` (today or later), in one transaction with its audit entry.

    ``expected_current`` is the identity of the version in force the person saw in the diff: if another
    publication changed it meanwhile, the publication is refused (the diff shown would be wrong).
    """
    today = timezone.localdate()
    if effective_from < today:
        raise PublishingError(
            [f"La date d'effet ne peut pas être passée (au plus tôt le {today:%d/%m/%Y})."], field="effective_from"
        )
    code = upload.referential.code
    with transaction.atomic():
        ReferentialVersion.objects.select_for_update().filter(is_default=True).first()  # one publisher at a time
        current = registry.version_in_force(code)
        if expected_current is not None and (current.identity if current else "") != expected_current:
            raise PublishingError(
                ["La version en vigueur a changé depuis l'aperçu : téléversez le fichier à nouveau."],
                field="expected_current",
                code="referential_conflict",
            )
        if ReferentialVersion.objects.filter(identity=upload.referential.identity).exists():
            raise PublishingError(["Ce contenu est déjà publié."], code="referential_already_published")
        by = published_by or (user.get_username() if getattr(user, "is_authenticated", False) else "")
        version = registry.publish(
            upload.text,
            upload.source_name,
            effective_from=effective_from,
            published_by=by,
            source_format=upload.source_format,
        )
        trail.append(
            "referential_published",
            actor=user,
            object_ref=f"referential:{version.identity}",
            detail={
                "code": code,
                "effective_from": effective_from.isoformat(),
                "replaces": current.identity if current else "",
                "format": upload.source_format,
                "published_by": by,
            },
        )
    return version


# --- reading and export -----------------------------------------------------------------------------------


def versions() -> list[ReferentialVersion]:
    return list(ReferentialVersion.objects.order_by("code", "-effective_from", "-id").defer("source_text"))


def in_force_identities(on: date | None = None) -> set[str]:
    found = set()
    for code in {v.code for v in ReferentialVersion.objects.only("code")}:
        version = registry.version_in_force(code, on)
        if version is not None:
            found.add(version.identity)
    return found


def get_version(identity: str) -> ReferentialVersion:
    return ReferentialVersion.objects.get(identity=identity)


def status_of(version: ReferentialVersion, in_force: set[str], on: date | None = None) -> str:
    day = on or timezone.localdate()
    if version.identity in in_force:
        return "in_force"
    if version.effective_from is not None and version.effective_from > day:
        return "scheduled"
    return "superseded"


STATUS_FR = {"in_force": "En vigueur", "scheduled": "À venir", "superseded": "Remplacée"}


def _threshold(sub: Any) -> dict[str, Any]:
    share = sub.rule.threshold
    return {
        "threshold": f"{share.numerator}/{share.denominator}",
        "threshold_percent": round(float(share) * 100, 2),
        "mandatory": sorted(sub.rule.mandatory),
    }


def version_summary(version: ReferentialVersion, in_force: set[str]) -> dict[str, Any]:
    return {
        "identity": version.identity,
        "code": version.code,
        "title": version.title,
        "effective_from": version.effective_from,
        "published_at": version.published_at,
        "source_format": version.source_format,
        "status": status_of(version, in_force),
    }


def version_detail(version: ReferentialVersion, in_force: set[str]) -> dict[str, Any]:
    """Every domain, sub-domain (title, mastery rule) and criterion: what third-party tools need."""
    referential = registry.get_referential(version.identity)
    return {
        **version_summary(version, in_force),
        "content_hash": referential.content_hash,
        "criteria_count": len(referential.criterion_codes),
        "domains": [
            {
                "code": domain.code,
                "title": domain.title,
                "title_provisional": domain.title_provisional,
                "subdomains": [
                    {
                        "code": sub.code,
                        "title": sub.title,
                        "title_provisional": sub.title_provisional,
                        "rule": _threshold(sub),
                        "criteria": [
                            {"code": c.code, "title": c.title, "title_provisional": c.title_provisional}
                            for c in sub.criteria
                        ],
                    }
                    for sub in domain.subdomains
                ],
            }
            for domain in referential.domains
        ],
    }


def export_yaml(version: ReferentialVersion) -> str:
    return str(ReferentialVersion.objects.values_list("source_text", flat=True).get(pk=version.pk))


def export_csv(version: ReferentialVersion) -> str:
    dataset = tablib.Dataset(*referential_rows(registry.get_referential(version.identity)), headers=list(COLUMNS))
    return str(dataset.export("csv"))


def export_filename(version: ReferentialVersion, extension: str) -> str:
    return f"{version.identity.replace('@', '-')}.{extension}"
