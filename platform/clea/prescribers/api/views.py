"""Prescribers' API on the federation host (token authentication, role ``prescriber``), the federation's
administration of prescriber organisations, and the organisation's referral inbox (tenant host).

Isolation: every prescriber query goes through ``clea.prescribers.access``; another prescriber's referral
or cohort is a 404, never data.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.permissions import IsCounsellor, IsFederationAdmin
from clea.prescribers import bulk, services
from clea.prescribers.access import member_of, visible_cohorts, visible_referrals
from clea.prescribers.api import serializers as s
from clea.prescribers.inbox import services as inbox
from clea.prescribers.inbox.models import IncomingReferral
from clea.prescribers.models import PrescriberMember, PrescriberOrganisation
from clea_tenants.regions import Region


class IsPrescriber(BasePermission):
    message = "Réservé aux prescripteurs d'une organisation validée. / Prescribers of an approved organisation only."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return member_of(request.user) is not None


class PrescriberView(APIView):
    permission_classes = (IsAuthenticated, IsPrescriber)

    @property
    def member(self) -> PrescriberMember:
        member = member_of(self.request.user)
        assert member is not None  # IsPrescriber
        return member


def organisation_rows(found: list[services.FoundOrganisation]) -> Any:
    rows = []
    for f in found:
        o = f.organisation
        rows.append(
            {
                "id": o.pk,
                "name": o.name,
                "region": o.region,
                "region_name": Region(o.region).label if o.region in Region.values else o.region,
                "contact_email": o.contact_email,
                "branches": f.branches,
                "establishments": [
                    {
                        "name": e.name,
                        "address": e.address,
                        "postcode": e.postcode,
                        "city": e.city,
                        "department": e.department,
                        "region": e.region,
                        "contact_email": o.contact_email,
                    }
                    for e in f.establishments
                ],
                "next_sessions": [
                    {
                        **dataclasses.asdict(session),
                        "starts_at": session.starts_at.strftime("%H:%M"),
                        "ends_at": session.ends_at.strftime("%H:%M"),
                    }
                    for session in f.sessions
                ],
            }
        )
    return s.EvaluatingOrganisationSerializer(rows, many=True).data


class OrganisationSearchView(PrescriberView):
    @extend_schema(parameters=[s.SearchQuerySerializer], responses=s.EvaluatingOrganisationSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Evaluating organisations accredited for CléA, by region, department or postcode, and branch.

        A department or a postcode finds the organisations having an establishment whose CléA habilitation is
        in force there; each result lists those establishments (address, contact) and its next collective
        sessions (a few, future ones only, no personal data)."""
        query = s.SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = {k: str(v) for k, v in query.validated_data.items()}
        found = services.search_organisations(
            region=data.get("region", ""),
            branch=data.get("branch", ""),
            department=data.get("department", ""),
            postcode=data.get("postcode", ""),
        )
        return Response(organisation_rows(found))


class ReferralListView(PrescriberView):
    parser_classes = (JSONParser,)  # a person and a consent: nested objects, JSON only

    @extend_schema(
        parameters=[OpenApiParameter("stage", str, enum=s.STAGES, required=False)],
        responses=s.ReferralSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """The organisation's referrals (people who withdrew consent are not listed)."""
        referrals = visible_referrals(self.member)
        stage = request.query_params.get("stage")
        if stage:
            if stage not in s.STAGES:
                raise ValidationError({"stage": ["Étape inconnue."]})
            referrals = referrals.filter(stage=stage)
        return Response(s.ReferralSerializer(referrals, many=True).data)

    @extend_schema(request=s.ReferralCreateSerializer, responses={201: s.ReferralSerializer})
    def post(self, request: Request) -> Response:
        """Refer one person (their consent recorded with its date and wording)."""
        body = s.ReferralCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        consent = data["consent"]
        referral = services.refer(
            self.member,
            data["organisation"],
            services.Person(**data["person"]),
            services.ReferralConsent(consent["given_on"], consent["wording"], consent["share_results"]),
            data["message"],
        )
        return Response(s.ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralDetailView(PrescriberView):
    @extend_schema(responses=s.ReferralSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ReferralSerializer(get_object_or_404(visible_referrals(self.member), pk=pk)).data)


class WithdrawConsentView(PrescriberView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, pk: int) -> Response:
        """The person withdrew consent: sharing stops at once and the person is no longer listed."""
        referral = get_object_or_404(visible_referrals(self.member), pk=pk)
        services.withdraw_consent(referral.pk, self.member.organisation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BulkReferralView(PrescriberView):
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(
        request={"multipart/form-data": s.BulkReferralSerializer},
        responses={201: s.BulkReportSerializer, 400: s.BulkReportSerializer},
    )
    def post(self, request: Request) -> Response:
        """A spreadsheet of people: every row valid, or nothing imported (400 with the row-by-row report)."""
        body = s.BulkReferralSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        upload = data["file"]
        report = bulk.import_spreadsheet(
            self.member, data["organisation"], upload.read(), upload.name, data["message"], data["consent_wording"]
        )
        payload = {"rows": report.rows, "imported": len(report.imported), "problems": report.lines()}
        if not report.ok:
            return Response(
                {
                    "code": "invalid_spreadsheet",
                    "rule": None,
                    "detail": "Rien n'a été importé.",
                    "fields": {"file": report.lines()},
                    **payload,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(payload, status=status.HTTP_201_CREATED)


class CohortListView(PrescriberView):
    @extend_schema(responses=s.CohortSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(s.CohortSerializer(visible_cohorts(self.member), many=True).data)

    @extend_schema(request=s.CohortCreateSerializer, responses={201: s.CohortSerializer})
    def post(self, request: Request) -> Response:
        """Open a cohort ("CléA en entreprise") for one organisation: people register with its code."""
        body = s.CohortCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        cohort = services.open_cohort(self.member, data["organisation"], data["name"], data["message"])
        return Response(s.CohortSerializer(cohort).data, status=status.HTTP_201_CREATED)


class CohortRegistrationView(APIView):
    parser_classes = (JSONParser,)  # a person and a consent: nested objects, JSON only
    permission_classes = ()
    authentication_classes = ()

    @extend_schema(request=s.CohortRegistrationSerializer, responses={201: None})
    def post(self, request: Request) -> Response:
        """A person registers themself with a cohort's code (no account needed)."""
        body = s.CohortRegistrationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        consent = data["consent"]
        services.register_in_cohort(
            data["code"],
            services.Person(**data["person"]),
            services.ReferralConsent(consent["given_on"], consent["wording"], consent["share_results"]),
        )
        return Response({"detail": "Inscription enregistrée."}, status=status.HTTP_201_CREATED)


class FiguresView(PrescriberView):
    @extend_schema(responses=s.PrescriberFiguresSerializer)
    def get(self, request: Request) -> Response:
        """The prescriber's own figures: referred, started, certified, median days to the certificate."""
        result = services.prescriber_figures(visible_referrals(self.member))
        return Response(s.PrescriberFiguresSerializer(result).data)


class NotificationListView(PrescriberView):
    @extend_schema(responses=s.NotificationSerializer(many=True))
    def get(self, request: Request) -> Response:
        notifications = self.member.organisation.notifications.filter(referral__consent_withdrawn_at__isnull=True)
        return Response(s.NotificationSerializer(notifications[:200], many=True).data)


class InvitationView(PrescriberView):
    @extend_schema(request=s.InvitationCreateSerializer, responses={201: None})
    def post(self, request: Request) -> Response:
        """A prescriber administrator invites a colleague (e-mail with a link)."""
        body = s.InvitationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.invite(self.member, body.validated_data["email"], is_admin=body.validated_data["is_admin"])
        return Response({"detail": "Invitation envoyée."}, status=status.HTTP_201_CREATED)


# --- the federation administers prescriber organisations ----------------------------------------------


class FederationPrescriberListView(APIView):
    permission_classes = (IsFederationAdmin,)

    @extend_schema(responses=s.PrescriberOrganisationSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(s.PrescriberOrganisationSerializer(PrescriberOrganisation.objects.all(), many=True).data)

    @extend_schema(
        request=s.PrescriberOrganisationCreateSerializer, responses={201: s.PrescriberOrganisationSerializer}
    )
    def post(self, request: Request) -> Response:
        """Create an approved prescriber organisation; its first administrator is invited by e-mail."""
        body = s.PrescriberOrganisationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        admin_email = data.pop("admin_email")
        organisation = services.create_organisation(data, admin_email=admin_email, approved=True, by=request.user)
        return Response(s.PrescriberOrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class FederationPrescriberApproveView(APIView):
    permission_classes = (IsFederationAdmin,)

    @extend_schema(request=None, responses=s.PrescriberOrganisationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        get_object_or_404(PrescriberOrganisation, pk=pk)
        return Response(s.PrescriberOrganisationSerializer(services.approve_organisation(pk, request.user)).data)


# --- the organisation's inbox (tenant host) ----------------------------------------------------------


class InboxListView(APIView):
    permission_classes = (IsCounsellor,)

    @extend_schema(responses=s.IncomingReferralSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Referrals received from prescribers (pending first)."""
        items = IncomingReferral.objects.order_by("status", "received_at", "id")
        return Response(s.IncomingReferralSerializer(items, many=True).data)


class InboxAcceptView(APIView):
    permission_classes = (IsCounsellor,)

    @extend_schema(request=None, responses=s.IncomingReferralSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Welcome the person into a new file (R1: the welcome names the prescriber)."""
        get_object_or_404(IncomingReferral, pk=pk)
        inbox.accept(pk, request.user)  # type: ignore[arg-type]
        return Response(s.IncomingReferralSerializer(IncomingReferral.objects.get(pk=pk)).data)


class InboxDeclineView(APIView):
    permission_classes = (IsCounsellor,)

    @extend_schema(request=s.DeclineSerializer, responses=s.IncomingReferralSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Decline with a reason the prescriber reads."""
        get_object_or_404(IncomingReferral, pk=pk)
        body = s.DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incoming = inbox.decline(pk, request.user, body.validated_data["reason"])  # type: ignore[arg-type]
        return Response(s.IncomingReferralSerializer(incoming).data)


class InboxWithdrawConsentView(APIView):
    permission_classes = (IsCounsellor,)

    @extend_schema(request=None, responses=s.IncomingReferralSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """The person told the organisation they withdraw their consent to share with the prescriber."""
        get_object_or_404(IncomingReferral, pk=pk)
        return Response(s.IncomingReferralSerializer(inbox.withdraw_consent(pk)).data)
