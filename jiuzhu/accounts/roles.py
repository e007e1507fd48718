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


_VIEW = {Capability.REGISTRY_VIEW}
_EDIT = _VIEW | {Capability.REGISTRY_EDIT, Capability.DOCUMENT_UPLOAD}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.COORDINATOR: frozenset(_EDIT | {Capability.ID_NUMBER_REVEAL}),
    Role.TOWNSHIP_OFFICER: frozenset(_EDIT | {Capability.ID_NUMBER_REVEAL, Capability.AUDIT_VIEW}),
    Role.COUNTY_OFFICER: frozenset(
        _EDIT | {Capability.ID_NUMBER_REVEAL, Capability.ACCOUNT_NUMBER_REVEAL, Capability.AUDIT_VIEW}
    ),
    Role.COUNTY_APPROVER: frozenset(_VIEW | {Capability.ID_NUMBER_REVEAL, Capability.AUDIT_VIEW}),
    Role.FINANCE_OFFICER: frozenset(_VIEW | {Capability.ACCOUNT_NUMBER_REVEAL}),
    Role.INSTITUTION_STAFF: frozenset(_VIEW),
    # Supervisors (纪检/审计) read everything in their subtree, including the audit trail,
    # and change nothing.
    Role.SUPERVISOR: frozenset(
        _VIEW | {Capability.ID_NUMBER_REVEAL, Capability.ACCOUNT_NUMBER_REVEAL, Capability.AUDIT_VIEW}
    ),
    Role.ADMIN: frozenset(set(Capability)),
}


def role_has(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
