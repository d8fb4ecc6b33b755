"""What integrators need to choose ids without reading another file (issue 17, §5).

``GET /api/staff/?role=evaluator|trainer|counsellor|admin``: the organisation's active staff, so that
``evaluator_id`` (an administrator or a counsellor: the roles that may record an evaluation) and
``trainer_id`` (a trainer, or staff) can be picked from the API itself. Staff only; paginated like every
list of the API.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers

from clea.accounts.models import User
from clea.accounts.permissions import HasRole
from clea.accounts.roles import STAFF, TRAINERS, Role

# role asked -> the user roles that can fill it (the same tuples the journey's endpoints check)
ROLE_FILTERS: dict[str, tuple[str, ...]] = {
    "evaluator": STAFF,
    "trainer": TRAINERS,
    "counsellor": (Role.COUNSELLOR,),
    "admin": (Role.ADMIN,),
}


class StaffMemberSerializer(serializers.ModelSerializer[User]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "username", "name", "email", "role")
        read_only_fields = fields

    def get_name(self, user: User) -> str:
        return user.get_full_name() or user.username


class StaffDirectoryView(generics.ListAPIView[User]):
    """The organisation's active staff, optionally for one purpose (``role``)."""

    serializer_class = StaffMemberSerializer
    permission_classes = [HasRole(*STAFF)]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[User]:
        role = self.request.query_params.get("role", "")
        roles = ROLE_FILTERS.get(role) if role else tuple(sorted({*STAFF, *TRAINERS}))
        if roles is None:
            raise exceptions.ValidationError({"role": [f"Choisissez parmi : {', '.join(ROLE_FILTERS)}."]})
        return User.objects.filter(is_active=True, role__in=roles).order_by("last_name", "first_name", "id")

    @extend_schema(
        summary="Annuaire du personnel (evaluator_id, trainer_id)",
        parameters=[OpenApiParameter("role", str, enum=list(ROLE_FILTERS), required=False)],
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)
