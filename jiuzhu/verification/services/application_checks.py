"""The checks at an application's verification step (申请时的信息核对): the county's verification
centre runs every check for the applicant household against the latest agency data and attaches the
report (PDF) to the household file; the findings are kept with the run. Recording the result of the
verification step stays the dibao workflow's (`cases.services.investigation`)."""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.access import access_application_for_view
from jiuzhu.cases.choices import VerificationResult
from jiuzhu.cases.documents import township_government
from jiuzhu.common.exceptions import RuleViolation
from jiuzhu.registry.choices import DocumentKind
from jiuzhu.registry.services.documents import document_upload
from jiuzhu.verification import snapshot
from jiuzhu.verification.documents import check_report_pdf
from jiuzhu.verification.models import ApplicationCheck, ExternalDataset
from jiuzhu.verification.records import connect
from jiuzhu.verification.services.sweep import add_names, find


def application_check_run(*, actor: Any, application_id: int) -> ApplicationCheck:
    require_capability(actor, Capability.CASE_VERIFY)
    application = access_application_for_view(actor, application_id)
    request = application.verifications.filter(result=VerificationResult.PENDING).order_by("-id").first()
    if request is None:
        raise RuleViolation(_("没有待核对的核对申请：请先由乡镇提请核对。"), code="no_pending_verification")
    today = timezone.localdate()
    with tempfile.TemporaryDirectory(prefix="jiuzhu-check-") as work, connect() as db:
        built = snapshot.build_for_application(db, application=application, today=today, work=work)
        # The application is the case numbered 0; the household's cases in force are there only for the
        # checks that compare (two programmes at once, a shared account).
        findings = [f for f in find(db) if f.entitlement_id == 0]
    add_names(findings)
    rows = []
    for finding in findings:
        finding.facts["applying"] = True  # the explanations speak of an applicant, not a case in force
        rows.append(
            {
                "check": finding.check.code,
                "title": str(_(finding.check.title)),
                "severity": finding.check.severity,
                "explanation": finding.check.explain(finding.facts),
            }
        )
    datasets = list(ExternalDataset.objects.filter(pk__in=built.datasets.values()).order_by("source"))
    content = check_report_pdf(
        application=application, authority=township_government(application.region), datasets=datasets,
        findings=rows, run_on=today, run_by=actor.display_name,
    )  # fmt: skip
    upload = SimpleUploadedFile(f"核对报告{application.pk}-{today:%Y%m%d}.pdf", content, content_type="application/pdf")
    # The report is filed by the registry's own service (its own transaction, audited as an upload).
    document = document_upload(
        actor=actor, household_id=application.household_id, upload=upload, kind=DocumentKind.VERIFICATION_REPORT,
        description=_("家庭经济状况核对报告（申请编号 %(id)s）") % {"id": application.pk},
    )  # fmt: skip
    with transaction.atomic():
        check = ApplicationCheck.objects.create(
            application=application, verification=request, run_by=actor, datasets=built.datasets, findings=rows,
            report=document,
        )  # fmt: skip
        audit_event_record(
            actor=actor,
            event_type=AuditEventType.APPLICATION_CHECKED,
            subject=application,
            region_code=application.region.code,
            after={"check": check.pk, "findings": [r["check"] for r in rows], "report": document.pk},
        )
    return check
