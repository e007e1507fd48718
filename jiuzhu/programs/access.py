"""Access to programme configuration by id: policy versions an actor may edit.

A policy version may be edited only by holders of `POLICY_EDIT` whose jurisdiction contains the
version's region; anything else is reported exactly like a missing version.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jiuzhu.accounts.jurisdiction import jurisdiction_q, require_capability, scope_to_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.programs.models import PolicyVersion
from jiuzhu.programs.rules.resolution import ancestor_codes

VERSION_REGION_CODE = "region__code"


def policy_versions_editable_by(actor: Any) -> QuerySet[PolicyVersion]:
    """Versions of regions inside the actor's subtree."""
    return scope_to_jurisdiction(PolicyVersion.objects.all(), actor, VERSION_REGION_CODE)


def policy_versions_visible_to(actor: Any) -> QuerySet[PolicyVersion]:
    """Versions inside the actor's subtree and those of its ancestors, which apply there too."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return PolicyVersion.objects.none()
    prefix = actor.jurisdiction_prefix
    if not prefix:
        return scope_to_jurisdiction(PolicyVersion.objects.all(), actor, VERSION_REGION_CODE)
    inherited = Q(region__code__in=ancestor_codes(prefix))
    return PolicyVersion.objects.filter(jurisdiction_q(actor, VERSION_REGION_CODE) | inherited)


def access_policy_version_for_edit(actor: Any, version_id: Any, *, lock: bool = False) -> PolicyVersion:
    require_capability(actor, Capability.POLICY_EDIT)
    versions = policy_versions_editable_by(actor).select_related("region", "program")
    if lock:
        versions = versions.select_for_update(of=("self",))
    try:
        version: PolicyVersion = versions.get(pk=int(version_id))
    except (ValueError, TypeError, PolicyVersion.DoesNotExist):
        raise NotFoundOrNoAccess() from None
    return version
