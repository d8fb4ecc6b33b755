"""CPF "accrochage" (R15, art. L6113-8 Code du travail): the XML flux of the certificates delivered in a period,
valid against the platform's own schema (``schemas/cpf-pc5-1.0.0.xsd``, docs/CPF.md), then the Caisse des
Dépôts' acknowledgement of receipt and processing report marking each certificate accepted or rejected; rejected
ones are resent once their identity has been corrected.

XML is built and read in Python (ElementTree, defusedxml for what comes back, xmlschema to validate): the
embedded PostgreSQL has no XML support.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import xmlschema
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_tenants.utils import schema_context

from clea.certification.models import Certificate, HolderIdentity
from clea.certification.services import seal_holder_identity
from clea.ecosystem.models import BatchStatus, CpfBatch, CpfRecord, RecordStatus
from clea.identity import geography
from clea.kernel.errors import DomainError

NAMESPACE = "urn:cdc:cpf:pc5:schema:1.0.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_VERSION = "1.0.0"
SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / f"cpf-pc5-{SCHEMA_VERSION}.xsd"
ALREADY_KNOWN = "existe déjà"  # the CDC's message for a passage already recorded: as good as accepted

ET.register_namespace("cpf", NAMESPACE)
ET.register_namespace("xsi", XSI)


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_FILE))


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _el(parent: ET.Element, name: str, text: str | None = None, *, nil: bool = False) -> ET.Element:
    child = ET.SubElement(parent, _q(name))
    if nil:
        child.set(f"{{{XSI}}}nil", "true")
    elif text is not None:
        child.text = text
    return child


@dataclass
class Skipped:
    number: str
    reason: str


@dataclass
class Prepared:
    batch: CpfBatch | None
    skipped: list[Skipped] = field(default_factory=list)


def missing_identity(holder: HolderIdentity | None) -> str:
    """Why a certificate cannot be reported yet (French), or "" when its holder's identity is complete."""
    if holder is None or not holder.complete:
        return "état civil incomplet (civilité, nom de naissance, prénoms, date et lieu de naissance)"
    return ""


def _passage(parent: ET.Element, certificate: Certificate, holder: HolderIdentity) -> None:
    passage = _el(parent, "passageCertification")
    _el(passage, "idTechnique", certificate.number)
    _el(passage, "obtentionCertification", "PAR_ADMISSION")  # a jury's decision, not a score
    _el(passage, "donneeCertifiee", "true")
    _el(passage, "dateDebutValidite", timezone.localtime(certificate.issued_at).date().isoformat())
    _el(passage, "dateFinValidite", nil=True)  # CléA does not expire
    _el(passage, "presenceNiveauLangueEuro", "false")
    _el(passage, "presenceNiveauNumeriqueEuro", "false")
    _el(passage, "scoring", nil=True)
    _el(passage, "mentionValidee", nil=True)
    access = _el(passage, "modalitesInscription")
    _el(access, "modaliteAcces", nil=True)
    who = _el(_el(passage, "identificationTitulaire"), "titulaire")
    _el(who, "nomNaissance", holder.birth_name[:60])
    if holder.usage_name:
        _el(who, "nomUsage", holder.usage_name[:60])
    else:
        _el(who, "nomUsage", nil=True)
    _el(who, "prenom1", holder.first_names[0][:60])
    assert holder.birth_date is not None
    _el(who, "anneeNaissance", f"{holder.birth_date:%Y}")
    _el(who, "moisNaissance", f"{holder.birth_date:%m}")
    _el(who, "jourNaissance", f"{holder.birth_date:%d}")
    _el(who, "sexe", "F" if holder.civility == "MME" else "M")
    commune = _el(who, "codeCommuneNaissance")
    if holder.born_abroad:
        _el(_el(commune, "codePostalNaissance"), "codePostal", nil=True)
        _el(who, "libelleCommuneNaissance", holder.birth_town_abroad[:255])
        _el(who, "libellePaysNaissance", geography.country_name(holder.birth_country)[:255])
    else:
        _el(_el(commune, "codeInseeNaissance"), "codeInsee", holder.birth_insee_code)
        _el(who, "libelleCommuneNaissance", holder.birth_commune_name[:255])
        _el(who, "libellePaysNaissance", "France")


def build_xml(id_flux: str, certificates: list[tuple[Certificate, HolderIdentity]], now: datetime) -> str:
    """The flux (one certifier, one RS certification), validated against the schema before it is returned."""
    flux = ET.Element(_q("flux"))
    _el(flux, "idFlux", id_flux)
    _el(flux, "horodatage", timezone.localtime(now).replace(microsecond=0).isoformat())
    sender = _el(flux, "emetteur")
    _el(sender, "idClient", settings.CLEA_CPF_ID_CLIENT)
    certifier = _el(_el(sender, "certificateurs"), "certificateur")
    _el(certifier, "idClient", settings.CLEA_CPF_ID_CLIENT)
    _el(certifier, "idContrat", settings.CLEA_CPF_ID_CONTRAT)
    certification = _el(_el(certifier, "certifications"), "certification")
    _el(certification, "type", "RS")
    _el(certification, "code", settings.CLEA_CPF_RS_CODE)
    _el(certification, "natureDeposant", "CERTIFICATEUR")
    passages = _el(certification, "passageCertifications")
    for certificate, holder in certificates:
        _passage(passages, certificate, holder)
    ET.indent(flux)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(flux, encoding="unicode") + "\n"
    schema().validate(text)  # raises xmlschema.XMLSchemaValidationError: never a batch the CDC would refuse
    return text


def _period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise DomainError(
            "invalid_period", "R15", "La fin de période précède son début.", "The period ends before it starts."
        )
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end, time.max, tz)


def _create(
    start: date, end: date, chosen: list[tuple[Certificate, HolderIdentity]], *, resend: bool, now: datetime
) -> CpfBatch:
    id_flux = str(uuid.uuid4())
    batch = CpfBatch.objects.create(
        id_flux=id_flux,
        period_start=start,
        period_end=end,
        resend=resend,
        xml=build_xml(id_flux, chosen, now),
        schema_version=SCHEMA_VERSION,
    )
    CpfRecord.objects.bulk_create(
        CpfRecord(batch=batch, certificate=certificate, id_technique=certificate.number) for certificate, _ in chosen
    )
    return batch


def prepare_batch(start: date, end: date, now: datetime | None = None) -> Prepared:
    """The certificates delivered from ``start`` to ``end`` (local dates) and never sent, not revoked; those
    whose holder's identity is incomplete are skipped (and listed). No certificate to send: no batch."""
    low, high = _period_bounds(start, end)
    with transaction.atomic():
        already = CpfRecord.objects.values("certificate_id")
        certificates = list(
            Certificate.objects.select_for_update()
            .filter(issued_at__range=(low, high), revoked_at__isnull=True)
            .exclude(pk__in=already)
            .order_by("issued_at", "id")
        )
        holders = {
            h.submission_id: h
            for h in HolderIdentity.objects.filter(submission_id__in=[c.submission_id for c in certificates])
        }
        chosen, skipped = [], []
        for certificate in certificates:
            holder = holders.get(certificate.submission_id)
            why = missing_identity(holder)
            if why:
                skipped.append(Skipped(certificate.number, why))
            else:
                assert holder is not None
                chosen.append((certificate, holder))
        if not chosen:
            return Prepared(None, skipped)
        return Prepared(_create(start, end, chosen, resend=False, now=now or timezone.now()), skipped)


def refresh_holder(certificate: Certificate) -> HolderIdentity:
    """Read the holder's identity again from its organisation (after a correction there)."""
    submission = certificate.submission
    with schema_context(submission.organisation.schema_name):
        return seal_holder_identity(submission)


def rejected_certificates() -> list[Certificate]:
    """Certificates whose latest record was rejected (and not revoked since)."""
    latest = CpfRecord.objects.filter(certificate=OuterRef("pk")).order_by("-batch__created_at", "-id")
    return list(
        Certificate.objects.annotate(last_status=Subquery(latest.values("status")[:1]))
        .filter(last_status=RecordStatus.REJECTED, revoked_at__isnull=True)
        .select_related("submission__organisation")
        .order_by("issued_at", "id")
    )


def prepare_resend(now: datetime | None = None) -> Prepared:
    """A batch of the rejected certificates, their identity read again from the organisations (corrected)."""
    moment = now or timezone.now()
    with transaction.atomic():
        chosen, skipped = [], []
        for certificate in rejected_certificates():
            holder = refresh_holder(certificate)
            why = missing_identity(holder)
            if why:
                skipped.append(Skipped(certificate.number, why))
            else:
                chosen.append((certificate, holder))
        if not chosen:
            return Prepared(None, skipped)
        days = [timezone.localtime(c.issued_at).date() for c, _ in chosen]
        return Prepared(_create(min(days), max(days), chosen, resend=True, now=moment), skipped)


def prepare_previous_month(today: date | None = None) -> Prepared:
    """The monthly batch (beat): last month's certificates, once (a second run finds none left to send)."""
    day = today or timezone.localdate()
    end = day.replace(day=1) - timedelta(days=1)
    return prepare_batch(end.replace(day=1), end)


# --- what comes back from the Caisse des Dépôts --------------------------------------------------------


def _parse(content: bytes | str) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(content)
    except (ET.ParseError, ValueError) as exc:
        raise DomainError(
            "invalid_cpf_file", "R15", f"Fichier XML illisible : {exc}", f"Unreadable XML file: {exc}"
        ) from exc
    except Exception as exc:  # defusedxml refuses entities and DTDs
        raise DomainError(
            "invalid_cpf_file", "R15", "Fichier XML refusé (entités ou DTD).", f"XML refused: {exc}"
        ) from exc
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _texts(root: ET.Element, name: str) -> list[str]:
    return [(e.text or "").strip() for e in root.iter() if _local(e.tag) == name]


def _belongs(batch: CpfBatch, root: ET.Element) -> None:
    names = set(_texts(root, "nomFichier")) | set(_texts(root, "idFlux"))
    if not names & {batch.filename, str(batch.id_flux)}:
        raise DomainError(
            "cpf_file_mismatch",
            "R15",
            f"Ce fichier ne concerne pas le lot {batch.filename} (nomFichier ou idFlux attendu).",
            f"This file is not about batch {batch.filename}.",
        )


def import_acknowledgement(batch_id: int, content: bytes | str, now: datetime | None = None) -> CpfBatch:
    """The acknowledgement of receipt: the CDC received the file (it names it by ``nomFichier`` or ``idFlux``)."""
    root = _parse(content)
    with transaction.atomic():
        batch = CpfBatch.objects.select_for_update().get(pk=batch_id)
        _belongs(batch, root)
        batch.acknowledgement = content.decode() if isinstance(content, bytes) else content
        batch.acknowledged_at = now or timezone.now()
        if batch.status == BatchStatus.PREPARED:
            batch.status = BatchStatus.ACKNOWLEDGED
        batch.save(update_fields=["acknowledgement", "acknowledged_at", "status"])
        return batch


@dataclass(frozen=True)
class ReportOutcome:
    accepted: int
    rejected: int


def import_report(batch_id: int, content: bytes | str, now: datetime | None = None) -> ReportOutcome:
    """The processing report: ``PassagesOK/idTechnique`` accepted; each ``passage`` (``idTechnique``,
    ``messageErreur``) rejected with its reason, except "existe déjà" (already recorded: accepted)."""
    root = _parse(content)
    accepted = set(
        (e.text or "").strip()
        for block in root.iter()
        if _local(block.tag) == "PassagesOK"
        for e in block.iter()
        if _local(e.tag) == "idTechnique"
    )
    rejected: dict[str, str] = {}
    for passage in (e for e in root.iter() if _local(e.tag) == "passage"):
        ident = " ".join(_texts(passage, "idTechnique"))
        message = " ".join(_texts(passage, "messageErreur")) or "rejet sans motif"
        if ALREADY_KNOWN in message:
            accepted.add(ident)
        else:
            rejected[ident] = message
    with transaction.atomic():
        batch = CpfBatch.objects.select_for_update().get(pk=batch_id)
        _belongs(batch, root)
        records = {r.id_technique: r for r in CpfRecord.objects.select_for_update().filter(batch=batch)}
        unknown = (accepted | set(rejected)) - set(records)
        if unknown:
            raise DomainError(
                "cpf_unknown_record",
                "R15",
                f"Le compte rendu cite des certificats absents du lot : {', '.join(sorted(unknown))}.",
                f"The report names certificates not in the batch: {sorted(unknown)}.",
            )
        for ident, record in records.items():
            if ident in rejected:
                record.status, record.reason = RecordStatus.REJECTED, rejected[ident]
            elif ident in accepted:
                record.status, record.reason = RecordStatus.ACCEPTED, ""
        CpfRecord.objects.bulk_update(records.values(), ["status", "reason", "updated_at"])
        batch.report = content.decode() if isinstance(content, bytes) else content
        batch.processed_at = now or timezone.now()
        batch.status = BatchStatus.PROCESSED
        batch.save(update_fields=["report", "processed_at", "status"])
    return ReportOutcome(sum(1 for r in records.values() if r.status == RecordStatus.ACCEPTED), len(rejected))


def read_back(xml: str) -> dict[str, Any]:
    """The batch decoded against its schema (what a reader of the flux gets)."""
    decoded: dict[str, Any] = schema().to_dict(xml)  # type: ignore[assignment]
    return decoded
