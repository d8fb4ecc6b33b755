"""Publishing API: referential versions (read by anyone, published by federation admins), tariffs and
statements of acts (federation admins write, analysts read; an organisation's admin reads its own)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.permissions import HasRole, IsOrganisationAdmin
from clea.accounts.roles import Role
from clea.kernel.errors import DomainError
from clea.kernel.fees import ActKind, Statement
from clea.publishing import fees, referentials
from clea.publishing.api.serializers import (
    PeriodSerializer,
    PreviewSerializer,
    PublishSerializer,
    PublishTextSerializer,
    StatementSerializer,
    TariffSerializer,
    TotalsSerializer,
    UploadSerializer,
    UploadTextSerializer,
    VersionDetailSerializer,
    VersionSummarySerializer,
)
from clea.publishing.pdf import statement_pdf
from clea.referentials.models import ReferentialVersion
from clea_tenants.models import Organisation

READERS = HasRole(Role.FEDERATION_ADMIN, Role.ANALYST)
WRITERS = HasRole(Role.FEDERATION_ADMIN)
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
PERIOD_PARAMETERS = [
    OpenApiParameter(
        "from", str, description="Premier mois (AAAA-MM), par défaut le mois en cours.", pattern=MONTH_PATTERN
    ),
    OpenApiParameter("to", str, description="Dernier mois (AAAA-MM), par défaut le premier.", pattern=MONTH_PATTERN),
]


def _refusal(error: referentials.PublishingError) -> Exception:
    if error.code.endswith("conflict"):
        return DomainError(error.code, "R13", " ".join(error.messages), " ".join(error.messages))
    # what the uploaded document says (its YAML or CSV, its structure): no request schema can describe it
    return serializers.ValidationError({error.field: error.messages}, code="invalid_document")


def _upload(data: dict[str, Any]) -> referentials.Upload:
    given = data.get("file")
    content = given.read() if given else str(data["content"]).encode("utf-8")
    name = getattr(given, "name", "") or ("referentiel.csv" if data.get("format") == "csv" else "referentiel.yaml")
    try:
        return referentials.read_upload(
            content, name, data.get("format", ""), data.get("code", ""), data.get("title", "")
        )
    except referentials.PublishingError as error:
        raise _refusal(error) from None


def _version(identity: str) -> ReferentialVersion:
    try:
        return referentials.get_version(identity)
    except ReferentialVersion.DoesNotExist:
        raise Http404 from None


class ReferentialListView(APIView):
    """Every published referential version (no login: third-party evaluation tools read it)."""

    authentication_classes: list[type] = []
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="referential_versions", responses=VersionSummarySerializer(many=True), tags=["referentials"]
    )
    def get(self, request: Request) -> Response:
        in_force = referentials.in_force_identities()
        return Response([referentials.version_summary(v, in_force) for v in referentials.versions()])


class ReferentialDetailView(APIView):
    """One version: domains, sub-domains with their titles and mastery rules, criteria."""

    authentication_classes: list[type] = []
    permission_classes = (AllowAny,)

    @extend_schema(operation_id="referential_version", responses=VersionDetailSerializer, tags=["referentials"])
    def get(self, request: Request, identity: str) -> Response:
        version = _version(identity)
        return Response(referentials.version_detail(version, referentials.in_force_identities()))


class ReferentialExportView(APIView):
    """The version as YAML (the file it was published from) or CSV (one row per criterion)."""

    authentication_classes: list[type] = []
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="referential_version_export",
        responses={(200, "application/yaml"): OpenApiTypes.STR, (200, "text/csv"): OpenApiTypes.STR},
        tags=["referentials"],
    )
    def get(self, request: Request, identity: str, fmt: str) -> HttpResponse:
        if fmt not in referentials.FORMATS:
            raise Http404
        version = _version(identity)
        if fmt == "csv":
            response = HttpResponse("\ufeff" + referentials.export_csv(version), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(referentials.export_yaml(version), content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{referentials.export_filename(version, fmt)}"'
        return response


def _preview_data(preview: referentials.Preview) -> dict[str, Any]:
    diff = preview.diff
    changes = list(diff.changes) if diff else []
    return {
        "identity": preview.upload.referential.identity,
        "code": preview.upload.referential.code,
        "title": preview.upload.referential.title,
        "criteria_count": len(preview.upload.referential.criterion_codes),
        "current": preview.current.identity if preview.current else None,
        "structural_changes": len(diff.structural) if diff else 0,
        "annotation_changes": len(diff.annotations) if diff else 0,
        "changes": [c.__dict__ for c in changes],
    }


class ReferentialPreviewView(APIView):
    """Check an upload and show its diff against the version in force; nothing is stored."""

    permission_classes = [WRITERS]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="referential_preview",
        request={"multipart/form-data": UploadSerializer, "application/json": UploadTextSerializer},
        responses=PreviewSerializer,
        tags=["referentials"],
    )
    def post(self, request: Request) -> Response:
        form = UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return Response(_preview_data(referentials.preview(_upload(form.validated_data))))


class ReferentialPublishView(APIView):
    """Publish an upload from a date: new files start on it that day, files already open stay on theirs (R13)."""

    permission_classes = [WRITERS]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="referential_publish",
        request={"multipart/form-data": PublishSerializer, "application/json": PublishTextSerializer},
        responses={201: VersionSummarySerializer},
        tags=["referentials"],
    )
    def post(self, request: Request) -> Response:
        form = PublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        upload = _upload(data)
        try:
            version = referentials.publish_upload(
                upload, data["effective_from"], request.user, data.get("expected_current") or None
            )
        except referentials.PublishingError as error:
            raise _refusal(error) from None
        in_force = referentials.in_force_identities()
        return Response(referentials.version_summary(version, in_force), status=status.HTTP_201_CREATED)


# --- fees ----------------------------------------------------------------------------------------------


def _tariff_data(record: Any) -> dict[str, Any]:
    return {
        "id": record.pk,
        "kind": record.kind,
        "unit_price": record.unit_price,
        "vat_rate": record.vat_rate,
        "valid_from": record.valid_from,
        "valid_to": record.valid_to,
        "created_by": record.created_by,
    }


class TariffListView(APIView):
    """Tariffs per act kind, every version with its dates; a federation admin adds a new version."""

    def get_permissions(self) -> list[Any]:
        return [WRITERS()] if self.request.method == "POST" else [READERS()]

    @extend_schema(operation_id="fee_tariffs", responses=TariffSerializer(many=True), tags=["fees"])
    def get(self, request: Request) -> Response:
        return Response(TariffSerializer([_tariff_data(t) for t in fees.tariff_records()], many=True).data)

    @extend_schema(
        operation_id="fee_tariff_add", request=TariffSerializer, responses={201: TariffSerializer}, tags=["fees"]
    )
    def post(self, request: Request) -> Response:
        form = TariffSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        record = fees.add_tariff(
            ActKind(data["kind"]), data["unit_price"], data["valid_from"], data["vat_rate"], request.user
        )
        return Response(TariffSerializer(_tariff_data(record)).data, status=status.HTTP_201_CREATED)


def statement_data(result: Statement) -> dict[str, Any]:
    return {
        "organisation": result.organisation,
        "start": result.start,
        "end": result.end,
        "lines": fees.statement_rows(result),
        "counts": {kind.value: result.count_of(kind) for kind in ActKind},
        "total_ht": result.total_ht,
        "total_vat": result.total_vat,
        "total_ttc": result.total_ttc,
    }


def _period(request: Request) -> tuple[Any, Any]:
    query = PeriodSerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["start"], query.validated_data["end"]


def _statement_response(organisation: Organisation, request: Request, fmt: str) -> Any:
    if fmt not in ("json", "csv", "pdf"):
        raise Http404
    start, end = _period(request)
    result = fees.statement(organisation, start, end)
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + fees.statement_csv(result, str(organisation.name)), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "pdf":
        response = HttpResponse(
            statement_pdf(result, str(organisation.name), str(organisation.siret)), content_type="application/pdf"
        )
    else:
        return Response(StatementSerializer(statement_data(result)).data)
    response["Content-Disposition"] = f'attachment; filename="{fees.statement_filename(result, fmt)}"'
    return response


STATEMENT_RESPONSES = {
    200: StatementSerializer,
    (200, "text/csv"): OpenApiTypes.STR,
    (200, "application/pdf"): OpenApiTypes.BINARY,
}


class OrganisationStatementView(APIView):
    """The statement of one organisation's acts over a period (JSON, or ``…/csv/``, ``…/pdf/``)."""

    permission_classes = [READERS]

    @extend_schema(
        operation_id="fee_statement", parameters=PERIOD_PARAMETERS, responses=STATEMENT_RESPONSES, tags=["fees"]
    )
    def get(self, request: Request, slug: str, fmt: str = "json") -> Any:
        organisation = Organisation.objects.exclude(schema_name="public").filter(slug=slug).first()
        if organisation is None:
            raise Http404
        return _statement_response(organisation, request, fmt)


class FederationTotalsView(APIView):
    """Every organisation's acts and amount over a period, and the federation's totals."""

    permission_classes = [READERS]

    @extend_schema(operation_id="fee_totals", parameters=PERIOD_PARAMETERS, responses=TotalsSerializer, tags=["fees"])
    def get(self, request: Request) -> Response:
        start, end = _period(request)
        totals = fees.federation_totals(start, end)
        return Response(
            TotalsSerializer(
                {
                    "start": start,
                    "end": end,
                    "organisations": [
                        {
                            "organisation": row.slug,
                            "name": row.name,
                            "counts": {k.value: n for k, n in row.counts.items()},
                            "total_ht": row.total_ht,
                        }
                        for row in totals.rows
                    ],
                    "counts": {k.value: n for k, n in totals.counts.items()},
                    "total_ht": totals.total_ht,
                }
            ).data
        )


class OwnStatementView(APIView):
    """This organisation's own statement of acts (organisation administrators, on its host)."""

    permission_classes = [IsOrganisationAdmin]

    @extend_schema(
        operation_id="own_fee_statement", parameters=PERIOD_PARAMETERS, responses=STATEMENT_RESPONSES, tags=["fees"]
    )
    def get(self, request: Request, fmt: str = "json") -> Any:
        return _statement_response(request.tenant, request, fmt)  # type: ignore[attr-defined]


class OwnStatementCsvView(OwnStatementView):
    """The same statement as CSV."""

    @extend_schema(
        operation_id="own_fee_statement_csv",
        parameters=PERIOD_PARAMETERS,
        responses={(200, "text/csv"): OpenApiTypes.STR},
        tags=["fees"],
    )
    def get(self, request: Request, fmt: str = "csv") -> Any:
        return super().get(request, "csv")


class OwnStatementPdfView(OwnStatementView):
    """The same statement as a French PDF."""

    @extend_schema(
        operation_id="own_fee_statement_pdf",
        parameters=PERIOD_PARAMETERS,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        tags=["fees"],
    )
    def get(self, request: Request, fmt: str = "pdf") -> Any:
        return super().get(request, "pdf")
