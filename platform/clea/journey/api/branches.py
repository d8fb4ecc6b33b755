"""``GET /api/branches/modalities/``: the evaluation modalities this organisation may use (R3).

Only the branches the organisation is accredited for answer (:func:`clea.journey.branches.tenant_branches`).
The answer is grouped by sub-domain, in the referential's order, every sub-domain listed (an empty
``modalities`` list shows a gap), for planning an evaluation and choosing the ``modality`` to record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clea.accounts.permissions import HasRole
from clea.accounts.roles import Role
from clea.journey.api.serializers import ErrorOutput
from clea.journey.branches import tenant_branches
from clea.journey.planning import (
    DEFAULT_MINUTES_PER_DAY,
    MAX_MINUTES_PER_DAY,
    MIN_MINUTES_PER_DAY,
    PlanRequest,
    default_branch,
    split_adjustments,
    start_error,
)
from clea.journey.presenters import modality_dict
from clea.kernel.referential import Referential
from clea.referentials.registry import UnknownReferential, default_referential, get_referential
from clea_plugins.manager import BranchCaller


class BranchOutput(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Code de la branche : valeur possible du champ modality d'une évaluation.")
    name = serializers.CharField()
    version = serializers.CharField(help_text="Version du module (plugin) de la branche.")
    description = serializers.CharField()
    contact = serializers.CharField()


class ModalityOutput(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="Clé stable (branche:sous-domaine:méthode), à envoyer dans modality.")
    branch = serializers.CharField()
    method = serializers.CharField()
    method_label = serializers.CharField(help_text="Libellé français de la méthode.")
    real_work_situation = serializers.BooleanField(help_text="Observée en situation de travail ou simulée.")
    scenarios = serializers.ListField(child=serializers.CharField())
    duration_minutes = serializers.IntegerField()
    group_size = serializers.IntegerField()
    on_site = serializers.BooleanField(help_text="Se déroule sur un lieu de travail (chantier, site client…).")


class SubDomainModalitiesOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    domain = serializers.CharField()
    domain_title = serializers.CharField()
    modalities = ModalityOutput(many=True)


class BranchModalitiesOutput(serializers.Serializer[Any]):
    referential_id = serializers.CharField()
    accreditation_version = serializers.IntegerField()
    branches = BranchOutput(many=True, help_text="Branches pour lesquelles l'organisme est habilité.")
    subdomains = SubDomainModalitiesOutput(many=True)


def present_modalities(caller: BranchCaller, referential: Referential) -> dict[str, Any]:
    """The accredited branches and their modalities for ``referential``, grouped by sub-domain."""
    by_subdomain: dict[str, list[dict[str, Any]]] = {}
    for modality in caller.evaluation_modalities(referential):
        if modality.branch in caller.branches:
            by_subdomain.setdefault(modality.subdomain, []).append(modality_dict(modality))
    return {
        "referential_id": referential.identity,
        "accreditation_version": caller.version,
        "branches": [
            {
                "code": identity.code,
                "name": identity.name,
                "version": identity.version,
                "description": identity.description,
                "contact": identity.contact,
            }
            for identity in caller.identities()
        ],
        "subdomains": [
            {
                "code": subdomain.code,
                "title": subdomain.title,
                "domain": domain.code,
                "domain_title": domain.title,
                "modalities": sorted(by_subdomain.get(subdomain.code, []), key=lambda m: (m["branch"], m["key"])),
            }
            for domain, subdomain in referential.iter_subdomains()
        ],
    }


class BranchModalitiesView(APIView):
    """Evaluation modalities of the branches this organisation is accredited for, by sub-domain (R3)."""

    permission_classes = [HasRole(Role.ADMIN, Role.COUNSELLOR, Role.TRAINER)]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "referential", str, description="Identité du référentiel (par défaut : le référentiel en vigueur)."
            ),
            OpenApiParameter("branch", str, description="Une seule des branches habilitées (code)."),
        ],
        responses={200: BranchModalitiesOutput, 400: ErrorOutput},
    )
    def get(self, request: Request) -> Response:
        """For each sub-domain of the referential, the modalities (method, scenarios, duration, group, on site)
        of the accredited branches. Send ``key`` (or the branch ``code``) as an evaluation's ``modality``."""
        identity = request.query_params.get("referential", "").strip()
        try:
            referential = get_referential(identity) if identity else default_referential()
        except UnknownReferential:
            raise ValidationError(
                {"referential": [f"Référentiel inconnu : {identity}."]}, code="does_not_exist"
            ) from None
        caller = tenant_branches()
        branch = request.query_params.get("branch", "").strip()
        if branch:
            caller = caller.for_branch(branch)  # branch_not_accredited (400) outside the accreditations
        return Response(present_modalities(caller, referential))


# -------------------------------------------------------------------------------------------------
# GET /api/files/<id>/evaluation-plan/ (the action lives on FileViewSet; see clea.journey.planning)
# -------------------------------------------------------------------------------------------------


class PlanSubDomainOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    modalities = ModalityOutput(many=True)


class PlanDayOutput(serializers.Serializer[Any]):
    on = serializers.DateField(help_text="Journée d'évaluation (jour ouvré).")
    minutes = serializers.IntegerField(help_text="Durée totale des modalités de la journée.")
    subdomains = PlanSubDomainOutput(many=True)


class EvaluationPlanOutput(serializers.Serializer[Any]):
    branch = serializers.CharField()
    branch_name = serializers.CharField()
    referential_id = serializers.CharField()
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    total_minutes = serializers.IntegerField()
    subdomains_planned = serializers.IntegerField()
    days = PlanDayOutput(many=True)
    notes = serializers.ListField(child=serializers.CharField(), help_text="Remarques de la branche (à organiser).")


EVALUATION_PLAN_PARAMETERS = [
    OpenApiParameter(
        "branch", str, description="Branche habilitée qui planifie (facultatif si l'organisme n'en a qu'une)."
    ),
    OpenApiParameter("start", str, description="Premier jour possible, AAAA-MM-JJ (par défaut : aujourd'hui)."),
    OpenApiParameter(
        "max_minutes_per_day", int, description="Durée maximale d'évaluation par jour, en minutes (30 à 600 ; 360)."
    ),
    OpenApiParameter("on_site_possible", bool, description="Le candidat peut se rendre sur un lieu de travail (true)."),
    OpenApiParameter("adjustments", str, description="Aménagements à respecter, séparés par des virgules."),
]


def plan_request_from_query(request: Request, caller: BranchCaller) -> PlanRequest:
    """The ``PlanRequest`` of the query string (400 ``validation_error`` naming the field otherwise)."""
    params = request.query_params
    raw_start = params.get("start", "").strip()
    try:
        start = date.fromisoformat(raw_start) if raw_start else timezone.localdate()
    except ValueError:
        raise ValidationError({"start": ["Date invalide : utilisez le format AAAA-MM-JJ."]}) from None
    if problem := start_error(start, timezone.localdate()):
        raise ValidationError({"start": [problem]})
    raw_minutes = params.get("max_minutes_per_day", "").strip()
    minutes = DEFAULT_MINUTES_PER_DAY
    if raw_minutes:
        minutes = int(raw_minutes) if raw_minutes.isascii() and raw_minutes.isdecimal() else -1
        if not MIN_MINUTES_PER_DAY <= minutes <= MAX_MINUTES_PER_DAY:
            raise ValidationError(
                {"max_minutes_per_day": [f"Entre {MIN_MINUTES_PER_DAY} et {MAX_MINUTES_PER_DAY} minutes par jour."]}
            )
    on_site = params.get("on_site_possible", "true").strip().lower() not in ("false", "0", "no", "non")
    return PlanRequest(
        branch=default_branch(caller, params.get("branch", "")),
        start=start,
        max_minutes_per_day=minutes,
        on_site_possible=on_site,
        adjustments=split_adjustments(params.get("adjustments", "")),
    )
