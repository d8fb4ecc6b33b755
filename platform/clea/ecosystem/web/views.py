"""Documents generated for a file (the R12 partial attestation), downloaded by whoever may see the file:
its counsellor and the organisation's staff, or the candidate from the portal (same scoping as the file)."""

from __future__ import annotations

from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest

from clea.accounts.roles import STAFF, Role
from clea.audit.access import record_file_access
from clea.journey.models import Document
from clea.web.access import current_user, role_required, scoped_files


@role_required(*STAFF, Role.CANDIDATE)
def document_download(request: HttpRequest, uid: UUID) -> FileResponse:
    user = current_user(request)
    document = Document.objects.filter(uid=uid, file__in=scoped_files(user)).select_related("file").first()
    if document is None:
        raise Http404
    record_file_access(
        user, document.file_id, document.file.counsellor_id, "web.document", object_ref=f"document:{document.uid}"
    )
    response = FileResponse(document.content.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.title}.pdf"'
    return response
