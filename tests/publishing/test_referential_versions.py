"""Publishing a referential version (issue 15 §4): upload, diff, effective date, pinning (R13), exports, API."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import tablib
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tenants.utils import tenant_context
from tests.fixtures.tenants import make_user
from tests.publishing.conftest import dump

from clea.audit.models import AuditEntry
from clea.journey import services
from clea.journey.models import Candidate
from clea.publishing import referentials
from clea.referentials import registry
from clea.referentials.models import ReferentialVersion

pytestmark = pytest.mark.django_db


def _publish(text: str, day: date | None = None, name: str = "proposed.yaml") -> ReferentialVersion:
    upload = referentials.read_upload(text.encode("utf-8"), name)
    return referentials.publish_upload(upload, day or timezone.localdate(), None, published_by="test")


def _new_file(org: Any, last_name: str) -> Any:
    with tenant_context(org):
        counsellor = make_user(org.schema_name, "counsellor")
        candidate = Candidate.objects.create(first_name="Léa", last_name=last_name, email=f"{last_name}@example.test")
        return services.do_refer(candidate, counsellor, None).record


def test_the_proposed_socle_shows_notes_only_in_its_diff(proposed_text: str) -> None:
    before = ReferentialVersion.objects.count()
    preview = referentials.preview(referentials.read_upload(proposed_text.encode(), "clea-socle-proposed.yaml"))
    assert preview.current is not None and preview.current.identity == registry.default_referential().identity
    assert preview.diff is not None and preview.diff.structural == ()
    assert len(preview.diff.annotations) == 22  # 4 sources, 2 stated totals, 3 gaps and 13 notes of the proposed file
    assert ReferentialVersion.objects.count() == before  # a preview stores nothing


def test_a_published_version_is_used_by_new_files_while_an_old_file_stays_pinned(
    org_a: Any, proposed_text: str
) -> None:
    old_identity = registry.default_referential().identity
    old_file = _new_file(org_a, "Ancienne")
    assert old_file.referential_id == old_identity

    published = _publish(proposed_text)
    assert registry.default_referential().identity == published.identity != old_identity

    new_file = _new_file(org_a, "Nouvelle")
    assert new_file.referential_id == published.identity
    with tenant_context(org_a):
        old_file.refresh_from_db()
        assert old_file.referential_id == old_identity  # R13: the open file keeps its version
        assert services.load(old_file.pk).referential.identity == old_identity
        assert services.load(new_file.pk).referential.identity == published.identity
    entry = AuditEntry.objects.filter(action="referential_published").latest("seq")
    assert entry.object_ref == f"referential:{published.identity}"
    assert entry.detail["replaces"] == old_identity


def test_a_future_effective_date_waits_for_its_day(proposed_text: str) -> None:
    current = registry.default_referential().identity
    start = timezone.localdate() + timedelta(days=10)
    published = _publish(proposed_text, start)
    assert registry.default_referential().identity == current
    assert registry.default_referential(start - timedelta(days=1)).identity == current
    assert registry.default_referential(start).identity == published.identity
    assert referentials.status_of(published, referentials.in_force_identities()) == "scheduled"


def test_refusals_store_nothing(proposed_text: str, socle_document: dict[str, Any]) -> None:
    before = ReferentialVersion.objects.count()
    six = copy.deepcopy(socle_document)
    del six["domains"][6]
    with pytest.raises(referentials.PublishingError) as refused:
        referentials.read_upload(dump(six).encode(), "six.yaml")
    assert "Le référentiel CLEA doit compter 7 domaines : ce fichier en compte 6." in refused.value.messages
    shipped = ReferentialVersion.objects.get(is_default=True).source_text
    with pytest.raises(referentials.PublishingError, match="déjà publié"):
        referentials.read_upload(shipped.encode(), "socle.yaml")
    other = copy.deepcopy(socle_document)
    other["code"] = "AUTRE"
    with pytest.raises(referentials.PublishingError, match="ne correspond à aucun référentiel publié"):
        referentials.read_upload(dump(other).encode(), "autre.yaml")
    with pytest.raises(referentials.PublishingError, match="UTF-8"):
        referentials.read_upload("é".encode("latin-1"), "x.yaml")
    upload = referentials.read_upload(proposed_text.encode(), "p.yaml")
    with pytest.raises(referentials.PublishingError, match="passée"):
        referentials.publish_upload(upload, timezone.localdate() - timedelta(days=1), None)
    with pytest.raises(referentials.PublishingError) as conflict:
        referentials.publish_upload(upload, timezone.localdate(), None, expected_current="CLEA@0000000000000000")
    assert conflict.value.code == "referential_conflict"
    assert ReferentialVersion.objects.count() == before


def test_csv_round_trip_and_a_rule_change_in_the_diff() -> None:
    version = ReferentialVersion.objects.get(is_default=True)
    exported = referentials.export_csv(version)
    rows = tablib.Dataset().load(exported, format="csv")
    assert rows.headers[:2] == ["domaine", "titre_domaine"] and len(rows) == 107
    data = [list(row) for row in rows]
    for row in data:
        if row[2] == "2.4":
            row[4] = "50 %"
    changed = tablib.Dataset(*data, headers=rows.headers).export("csv")
    preview = referentials.preview(referentials.read_upload(changed.encode(), "grille.csv"))
    structural = {(c.level, c.code, c.field, c.new) for c in preview.diff.structural} if preview.diff else set()
    assert structural == {("subdomain", "2.4", "mastery", "seuil 1/2")}
    assert preview.upload.source_format == "csv"
    published = referentials.publish_upload(preview.upload, timezone.localdate(), None)
    assert registry.get_referential(published.identity).subdomain("2.4").rule.threshold == 0.5
    assert yaml.safe_load(referentials.export_yaml(published))["code"] == "CLEA"


def test_commands_publish_and_export(tmp_path: Any, proposed_text: str, capsys: Any) -> None:
    source = tmp_path / "proposed.yaml"
    source.write_text(proposed_text, encoding="utf-8")
    call_command("publish_referential", str(source), "--dry-run")
    assert "0 changement de structure" in capsys.readouterr().out
    call_command("publish_referential", str(source), "--effective-from", timezone.localdate().isoformat())
    identity = registry.default_referential().identity
    out = tmp_path / "export.csv"
    call_command("export_referential", identity, str(out), "--format", "csv")
    assert out.read_text(encoding="utf-8-sig").startswith("domaine,titre_domaine")
    with pytest.raises(CommandError, match="déjà publié"):
        call_command("publish_referential", str(source))


# --- API -------------------------------------------------------------------------------------------------


def test_read_only_api_without_login(api_client_for: Callable[..., Any], client: Any, settings: Any) -> None:
    host = {"HTTP_HOST": settings.CLEA_BASE_DOMAIN}
    listing = client.get("/api/public/referentials/", **host)
    assert listing.status_code == 200
    identity = registry.default_referential().identity
    assert {v["identity"]: v["status"] for v in listing.json()}[identity] == "in_force"
    detail = client.get(f"/api/public/referentials/{identity}/", **host).json()
    assert len(detail["domains"]) == 7 and detail["criteria_count"] == 107
    sub = detail["domains"][0]["subdomains"][0]
    assert sub["code"] == "1.1" and sub["title"] == "Ecouter et comprendre"
    assert sub["rule"] == {"threshold": "3/4", "threshold_percent": 75.0, "mandatory": []}
    assert sub["criteria"][0]["code"] == "1.1.1"
    assert client.get("/api/public/referentials/CLEA@nope/", **host).status_code == 404
    assert client.get(f"/api/public/referentials/{identity}/export.xml", **host).status_code == 404
    exported = client.get(f"/api/public/referentials/{identity}/export.yaml", **host)
    assert exported.status_code == 200 and yaml.safe_load(exported.content)["code"] == "CLEA"


def test_organisation_hosts_have_no_referential_writes(org_a: Any, api_client_for: Callable[..., Any]) -> None:
    counsellor = api_client_for(org_a, "counsellor")
    assert counsellor.post("/api/federation/referentials/", {}, format="json").status_code == 404


def test_preview_and_publish_by_role(
    api_client_for: Callable[..., Any], federation_client: Any, analyst_client: Any, org_a: Any, proposed_text: str,
    socle_document: dict[str, Any],
) -> None:  # fmt: skip
    before = ReferentialVersion.objects.count()
    body = {"content": proposed_text}
    assert analyst_client.post("/api/federation/referentials/preview/", body, format="json").status_code == 403
    tenant_admin = api_client_for(org_a, "admin")
    tenant_admin.defaults.pop("HTTP_X_CLEA_TENANT")  # a token of organisation A on the federation's host
    assert tenant_admin.post("/api/federation/referentials/preview/", body, format="json").status_code in (401, 403)

    preview = federation_client.post("/api/federation/referentials/preview/", body, format="json")
    assert preview.status_code == 200, preview.json()
    assert preview.json()["structural_changes"] == 0 and preview.json()["annotation_changes"] == 22
    current = preview.json()["current"]

    six = copy.deepcopy(socle_document)
    del six["domains"][6]
    refused = federation_client.post("/api/federation/referentials/preview/", {"content": dump(six)}, format="json")
    assert refused.status_code == 400
    assert "Le référentiel CLEA doit compter 7 domaines : ce fichier en compte 6." in refused.json()["fields"]["file"]
    assert federation_client.post("/api/federation/referentials/preview/", {}, format="json").status_code == 400
    past = {**body, "effective_from": str(timezone.localdate() - timedelta(days=1))}
    assert federation_client.post("/api/federation/referentials/", past, format="json").status_code == 400
    stale = {**body, "effective_from": str(timezone.localdate()), "expected_current": "CLEA@0000000000000000"}
    assert federation_client.post("/api/federation/referentials/", stale, format="json").status_code == 409
    assert analyst_client.post("/api/federation/referentials/", {**body, "effective_from": str(timezone.localdate())},
                               format="json").status_code == 403  # fmt: skip
    assert ReferentialVersion.objects.count() == before

    published = federation_client.post(
        "/api/federation/referentials/",
        {**body, "effective_from": str(timezone.localdate()), "expected_current": current},
        format="json",
    )
    assert published.status_code == 201, published.json()
    assert published.json()["status"] == "in_force"
    assert ReferentialVersion.objects.count() == before + 1
    again = federation_client.post(
        "/api/federation/referentials/", {**body, "effective_from": str(timezone.localdate())}, format="json"
    )
    assert again.status_code == 400


def test_multipart_csv_upload(federation_client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_text = referentials.export_csv(ReferentialVersion.objects.get(is_default=True))
    upload = SimpleUploadedFile("grille.csv", csv_text.encode("utf-8"), content_type="text/csv")
    response = federation_client.post("/api/federation/referentials/preview/", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["structural_changes"] == 0  # same rules; the CSV carries no notes (annotations differ)
    bad = SimpleUploadedFile("grille.csv", b"domaine,titre\n1,x\n", content_type="text/csv")
    refused = federation_client.post("/api/federation/referentials/preview/", {"file": bad}, format="multipart")
    assert refused.status_code == 400 and "Colonnes manquantes" in refused.json()["fields"]["file"][0]


def test_command_errors_are_one_line(tmp_path: Any) -> None:
    with pytest.raises(CommandError, match=r"introuvable"):
        call_command("publish_referential", str(tmp_path / "missing.yaml"))
    with pytest.raises(CommandError, match="Aucune version"):
        call_command("export_referential", "CLEA@nope", str(tmp_path / "x.yaml"))
