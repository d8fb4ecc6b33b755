"""Who may open which page: role checks, and files scoped like the API (another person's file is a 404)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import get_language

from clea.accounts.models import User
from clea.accounts.roles import STAFF, Role
from clea.audit.access import record_file_access
from clea.journey import services
from clea.journey.models import CandidateFileRecord
from clea.journey.visibility import visible_files
from clea.kernel.errors import DomainError
from clea.web.errors import plugin_error_response
from clea_plugins.errors import PluginError

EVERYONE: tuple[str, ...] = (*STAFF, Role.TRAINER, Role.CANDIDATE)

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def role_required(*roles: str) -> Callable[[View[P]], View[P]]:
    """Anonymous people go to the login page of this organisation; a wrong role is a 403.

    A branch plugin failing inside the page (``clea_plugins.PluginError``) answers the 502 page naming it.
    """

    def decorate(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated or not isinstance(user, User) or not user.is_active:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles:
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except PluginError as exc:  # a branch plugin raised in a hook: 502 naming it, never a bare 500
                return plugin_error_response(request, exc)

        return cast(View[P], wrapper)

    return decorate


def scoped_files(user: User) -> QuerySet[CandidateFileRecord]:
    """The files this person may see in this organisation (same scoping as the API)."""
    return visible_files(user)


def load_visible(user: User, file_id: int, channel: str = "web.file") -> services.Loaded:
    """The file with its history, or 404 when it is not visible to ``user`` (or does not exist here).

    Every file page goes through here: an access by anyone but the file's counsellor is audited.
    """
    if not scoped_files(user).filter(pk=file_id).exists():
        raise Http404
    return audited_load(user, file_id, channel)


def audited_load(user: User, file_id: int, channel: str) -> services.Loaded:
    """Load a file already known to be visible to ``user``, and audit the access (clea.audit.access)."""
    loaded = services.load(file_id)
    record_file_access(user, file_id, loaded.record.counsellor_id, channel)
    return loaded


def record_of(result: object) -> CandidateFileRecord:
    """The file record from what a ``do_*`` action returns (a ``Loaded`` view, or the record itself)."""
    record = getattr(result, "record", result)
    assert isinstance(record, CandidateFileRecord)
    return record


def file_id_of(result: object) -> int:
    return int(record_of(result).pk)


def error_message(exc: DomainError) -> str:
    """The refusal in the reader's language (French unless English was chosen)."""
    return exc.message_en if (get_language() or "fr").startswith("en") else exc.message_fr
