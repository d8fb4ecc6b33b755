"""Payload builders and small helpers for the journey API tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from clea.kernel.referential import default_referential

REFERENTIAL = default_referential()
ALL_CRITERIA = sorted(REFERENTIAL.criterion_codes)
TODAY = date.today()
MODALITY = "btp"  # org A is accredited for the BTP branch (tests/fixtures/tenants.py): its modalities are used


def all_but(*missing_subdomains: str) -> set[str]:
    """Every criterion acquired except all those of the given sub-domains."""
    return {c for c in ALL_CRITERIA if REFERENTIAL.subdomain_of_criterion[c] not in missing_subdomains}


def results(acquired: Iterable[str], criteria: Iterable[str] = ALL_CRITERIA) -> list[dict[str, Any]]:
    acquired = set(acquired)
    return [{"criterion": c, "acquired": c in acquired, "comment": ""} for c in criteria]


def refer_payload(last_name: str = "Martin") -> dict[str, Any]:
    return {
        "candidate": {"first_name": "Léa", "last_name": last_name, "email": "lea@example.test"},
        "referral": {
            "prescriber_type": "france_travail",
            "prescriber_name": "Agence Lyon Part-Dieu",
            "referred_on": str(TODAY),
        },
    }


def open_payload(version: int) -> dict[str, Any]:
    return {"version": version, "consent": True, "consent_purpose": "Certification CléA"}


def initial_payload(version: int, acquired: Iterable[str], modality: str = MODALITY) -> dict[str, Any]:
    return {
        "version": version,
        "kind": "initial",
        "days": [str(TODAY)],
        "modality": modality,
        "results": results(acquired),
    }


def final_payload(
    version: int, acquired: Iterable[str], criteria: Iterable[str], modality: str = MODALITY
) -> dict[str, Any]:
    return {
        "version": version,
        "kind": "final",
        "days": [str(TODAY)],
        "modality": modality,
        "results": results(acquired, criteria),
    }


def sessions_for(subdomains: Iterable[str]) -> list[dict[str, Any]]:
    start = TODAY + timedelta(days=7)
    return [
        {
            "starts_on": str(start + timedelta(days=14 * i)),
            "ends_on": str(start + timedelta(days=14 * i + 5)),
            "subdomains": [code],
        }
        for i, code in enumerate(subdomains)
    ]


def walk_to(
    client: Any,
    state: str,
    missing: tuple[str, ...] = ("3.1", "7.2"),
    trainer_id: int | None = None,
    modality: str = MODALITY,
) -> dict[str, Any]:
    """Create a file through the API and walk it to ``state``; returns the last file body.

    ``modality``: a branch the client's organisation is accredited for (org B: ``proprete``).
    """
    body: dict[str, Any] = client.post("/api/files/", refer_payload(), format="json").json()
    if state == "referred":
        return body
    body = client.post(f"/api/files/{body['id']}/open/", open_payload(body["version"]), format="json").json()
    if state == "file_opened":
        return body
    acquired = all_but(*missing) if state != "ready_for_jury" else set(ALL_CRITERIA)
    response = client.post(
        f"/api/files/{body['id']}/evaluations/", initial_payload(body["version"], acquired, modality), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    if state in ("evaluated", "ready_for_jury"):
        assert body["state"] == state
        return body
    assert trainer_id is not None
    payload = {
        "version": body["version"],
        "trainer_id": trainer_id,
        "training_organisation": "Centre de formation",
        "sessions": sessions_for(missing),
    }
    response = client.post(f"/api/files/{body['id']}/training-path/", payload, format="json")
    assert response.status_code == 201, response.json()
    path: dict[str, Any] = response.json()
    return path
