"""Roles and what each may do. Pure data: the table is the rule.

Jurisdiction (which region's data) is separate from capability (which kind of action):
every check needs both; see `accounts.jurisdiction`.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("村（社区）协理员")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇（街道）经办人")
    COUNTY_OFFICER = "county_officer", _("县级经办人")
    COUNTY_APPROVER = "county_approver", _("县级审批人")
    FINANCE_OFFICER = "finance_officer", _("财务人员")
    INSTITUTION_STAFF = "institution_staff", _("福利机构工作人员")
    SUPERVISOR = "supervisor", _("监督员（纪检审计）")
    ADMIN = "admin", _("系统管理员")


class Capability(StrEnum):
    REGISTRY_VIEW = "registry.view"
    REGISTRY_EDIT = "registry.edit"
    ID_NUMBER_REVEAL = "registry.reveal_id_number"
    ACCOUNT_NUMBER_REVEAL = "registry.reveal_account_number"
    DOCUMENT_UPLOAD = "registry.upload_document"
    AUDIT_VIEW = "audit.view"
    CONFIGURE = "config.edit"
    # Programme policy (standards, supplements, time limits) for the actor's own subtree.
    POLICY_EDIT = "programs.edit_policy"
    # Cases (申请与审核审批): see jiuzhu/cases/workflow.py for which step needs which capability.
    CASE_VIEW = "cases.view"
    CASE_INTAKE = "cases.intake"  # take an application, complete materials, record a withdrawal
    CASE_ACCEPT = "cases.accept"  # township acceptance (受理)
    CASE_INVESTIGATE = "cases.investigate"  # home visits, verification requests
    CASE_VERIFY = "cases.verify"  # record the economic verification result (核对结果)
    CASE_TOWNSHIP_REVIEW = "cases.township_review"  # appraisal, opinion, notices, forwarding, filing
    CASE_DECIDE = "cases.decide"  # county approval or refusal (审核确认)
    CASE_CONFIRM_DELEGATED = "cases.confirm_delegated"  # township confirmation where the county delegates it
    # Payments (资金发放): see jiuzhu/payments/services/.
    PAYROLL_VIEW = "payments.view"
    PAYROLL_GENERATE = "payments.generate"  # make (and re-make, while a draft) a payroll
    PAYROLL_LOCK = "payments.lock"  # lock a payroll someone else generated (four eyes), record outcomes
    PAYROLL_EXPORT = "payments.export"  # bank files with full account numbers, and the bank's return files
    FUNDS_MANAGE = "payments.funds"  # fund ledgers: allocations, advances, charging payrolls to funds
    # Other agencies' data (核对数据): see jiuzhu/verification/.
    VERIFICATION_VIEW = "verification.view"  # the imported datasets and what was not imported
    VERIFICATION_IMPORT = "verification.import"  # import an agency's file, keep column mappings
    # Onboarding an office's spreadsheet (存量数据导入): upload and dry-run; applying it also needs
    # CASE_DECIDE, since it puts cases in force (see jiuzhu/onboarding/).
    ONBOARDING_IMPORT = "onboarding.import"
    STATISTICS_VIEW = "reports.view"  # statistics of the jurisdiction: reports, dashboards, drill-down lists
    STATISTICS_BUILD = "reports.build"  # build month-end snapshots


_VIEW = {Capability.REGISTRY_VIEW, Capability.CASE_VIEW, Capability.PAYROLL_VIEW, Capability.STATISTICS_VIEW}
_EDIT = _VIEW | {Capability.REGISTRY_EDIT, Capability.DOCUMENT_UPLOAD}
_CASE_TOWNSHIP = {
    Capability.CASE_INTAKE,
    Capability.CASE_ACCEPT,
    Capability.CASE_INVESTIGATE,
    Capability.CASE_VERIFY,
    Capability.CASE_TOWNSHIP_REVIEW,
    Capability.CASE_CONFIRM_DELEGATED,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.COORDINATOR: frozenset(
        _EDIT | {Capability.ID_NUMBER_REVEAL, Capability.CASE_INTAKE, Capability.CASE_INVESTIGATE}
    ),
    Role.TOWNSHIP_OFFICER: frozenset(_EDIT | _CASE_TOWNSHIP | {Capability.ID_NUMBER_REVEAL, Capability.AUDIT_VIEW}),
    # County officers do the county's own home visits and record the verification centre's results.
    Role.COUNTY_OFFICER: frozenset(
        _EDIT
        | {Capability.ID_NUMBER_REVEAL, Capability.ACCOUNT_NUMBER_REVEAL, Capability.AUDIT_VIEW}
        | {Capability.CASE_INVESTIGATE, Capability.CASE_VERIFY, Capability.PAYROLL_GENERATE}
        | {Capability.VERIFICATION_VIEW, Capability.VERIFICATION_IMPORT, Capability.ONBOARDING_IMPORT}
        | {Capability.STATISTICS_BUILD}
    ),
    # The county approver also keeps the county's programme policy (standards published by the
    # province or city, local supplements and time limits): the one who decides cases owns the rules.
    Role.COUNTY_APPROVER: frozenset(
        _VIEW
        | {Capability.ID_NUMBER_REVEAL, Capability.AUDIT_VIEW, Capability.POLICY_EDIT, Capability.CASE_DECIDE}
        | {Capability.VERIFICATION_VIEW, Capability.ONBOARDING_IMPORT, Capability.STATISTICS_BUILD}
    ),
    # The finance officer checks and locks payrolls the county officer generated (four eyes).
    Role.FINANCE_OFFICER: frozenset(
        _VIEW
        | {Capability.ACCOUNT_NUMBER_REVEAL, Capability.PAYROLL_LOCK, Capability.PAYROLL_EXPORT}
        | {Capability.FUNDS_MANAGE}
    ),
    Role.INSTITUTION_STAFF: frozenset(_VIEW),
    # Supervisors (纪检/审计) read everything in their subtree, including the audit trail,
    # and change nothing.
    Role.SUPERVISOR: frozenset(
        _VIEW
        | {Capability.ID_NUMBER_REVEAL, Capability.ACCOUNT_NUMBER_REVEAL, Capability.AUDIT_VIEW}
        | {Capability.VERIFICATION_VIEW}
    ),
    Role.ADMIN: frozenset(set(Capability)),
}


def role_has(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
