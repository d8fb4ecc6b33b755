"""The certifier's parchment export: the certified candidates of a jury session or a period, with what a
printed certificate needs (civility, birth name, first names, e-mail, birth date, born abroad, birth place),
as CSV or XLSX (tablib). Revoked certificates are left out."""

from __future__ import annotations

from datetime import date, datetime, time

import tablib
from django.utils import timezone

from clea.certification.models import Certificate, HolderIdentity
from clea.kernel.errors import DomainError

HEADERS = (
    "numero_certificat",
    "civilite",
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "email",
    "date_naissance",
    "ne_a_l_etranger",
    "code_insee_naissance",
    "commune_naissance",
    "pays_naissance",
    "ville_naissance_etranger",
    "date_delivrance",
    "organisme_evaluateur",
    "session_jury",
)
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def certificates_for(
    *, session_id: int | None = None, start: date | None = None, end: date | None = None
) -> list[Certificate]:
    found = Certificate.objects.filter(revoked_at__isnull=True).select_related("organisation", "session__jury")
    if session_id is not None:
        found = found.filter(session_id=session_id)
    elif start and end:
        if end < start:
            raise DomainError("invalid_period", "R15", "La fin de période précède son début.", "The period ends first.")
        tz = timezone.get_current_timezone()
        found = found.filter(
            issued_at__range=(datetime.combine(start, time.min, tz), datetime.combine(end, time.max, tz))
        )
    else:
        raise DomainError(
            "period_required", "R15", "Indiquez une session de jury ou une période.", "Give a session or a period."
        )
    return list(found.order_by("issued_at", "id"))


def dataset(certificates: list[Certificate]) -> tablib.Dataset:
    holders = {
        h.submission_id: h
        for h in HolderIdentity.objects.filter(submission_id__in=[c.submission_id for c in certificates])
    }
    data = tablib.Dataset(headers=list(HEADERS), title="Parchemins CléA")
    for c in certificates:
        h = holders.get(c.submission_id)
        civility = {"MME": "Madame", "M": "Monsieur"}.get(h.civility, "") if h else ""
        data.append(
            [
                c.number,
                civility,
                h.birth_name if h else "",
                h.usage_name if h else "",
                " ".join(h.first_names) if h else "",
                h.email if h else "",
                h.birth_date.strftime("%d/%m/%Y") if h and h.birth_date else "",
                ("oui" if h.born_abroad else "non") if h else "",
                h.birth_insee_code if h else "",
                h.birth_commune_name if h else "",
                h.birth_country if h else "",
                h.birth_town_abroad if h else "",
                timezone.localtime(c.issued_at).strftime("%d/%m/%Y"),
                c.organisation.name,
                f"{c.session.jury.name} — {timezone.localtime(c.session.starts_at):%d/%m/%Y}",
            ]
        )
    return data


def export(certificates: list[Certificate], output: str) -> bytes:
    data = dataset(certificates)
    if output == "xlsx":
        content: bytes = data.export("xlsx")
        return content
    text: str = data.export("csv", delimiter=";")
    return ("\ufeff" + text).encode("utf-8")  # BOM + ';': opens right in French Excel
