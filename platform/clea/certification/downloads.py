"""Finding a certificate by its number and serving its PDF: shared by the API, the public pages and the web."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from clea.certification import pdf
from clea.certification.models import Certificate


def certificate_pdf_response(certificate: Certificate) -> HttpResponse:
    response = HttpResponse(pdf.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificat-{certificate.number}.pdf"'
    return response


def get_certificate(number: str) -> Certificate:
    return get_object_or_404(Certificate.objects.select_related("organisation", "session__jury"), number=number)
