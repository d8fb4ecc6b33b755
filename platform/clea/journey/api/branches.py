"""``GET /api/branches/modalities/``: the evaluation modalities this organisation may use (R3).

Only the branches the organisation is accredited for answer (:func:`clea.journey.branches.tenant_branches`).
The answer is grouped by sub-domain, in the referential's order, every sub-domain listed (an empty
``modalities`` list shows a gap), for planning an evaluation and choosing the ``modality`` to record.
"""

from __future__ import annotations

from typing import Any

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
from clea.kernel.referential import Referential
from clea.referentials.registry import UnknownReferential, default_referential, get_referential
from clea_plugins.manager import BranchCaller
from clea_plugins.types import Modality


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


def modality_dict(modality: Modality) -> dict[str, Any]:
    return {
        "key": modality.key,
        "branch": modality.branch,
        "method": modality.method.value,
        "method_label": modality.method.label_fr,
        "real_work_situation": modality.method.is_real_work_situation,
        "scenarios": list(modality.scenarios),
        "duration_minutes": modality.duration_minutes,
        "group_size": modality.group_size,
        "on_site": modality.on_site,
    }


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
            raise ValidationError({"referential": [f"Référentiel inconnu : {identity}."]}) from None
        caller = tenant_branches()
        branch = request.query_params.get("branch", "").strip()
        if branch:
            caller = caller.for_branch(branch)  # branch_not_accredited (400) outside the accreditations
        return Response(present_modalities(caller, referential))
