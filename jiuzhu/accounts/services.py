"""Staff account writes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import region_code_in_jurisdiction, require_capability
from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Capability, Role
from jiuzhu.audit.services import audit_event_record, changed_fields
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess, ValidationFailed
from jiuzhu.regions.models import Region


@transaction.atomic
def user_create(
    *,
    actor: Any | None,
    username: str,
    password: str | None,
    role: Role,
    region: Region | None,
    full_name: str = "",
    password_hash: str = "",
) -> User:
    """Create a staff account with a checked password, or (None) one that cannot log in until an
    administrator sets a password. `password_hash` (from `make_password`, with `password` None) gives
    several accounts one already checked and hashed password without hashing it again for each (the
    demo accounts share one). Writes USER_CREATED."""
    # Administrators configure the system through the admin site, which needs the staff flag.
    user = User(username=username, role=role, region=region, first_name=full_name, is_staff=role == Role.ADMIN)
    if password_hash:
        if password is not None:
            raise ValueError("give either a password or its hash, not both")
        user.password = password_hash
    elif password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationFailed(field_errors={"password": list(error.messages)}) from None
        user.set_password(password)
    user.save()
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.USER_CREATED,
        subject=user,
        region_code=region.code if region else "",
        after={"username": username, "role": str(role), "region": region.code if region else ""},
    )
    return user


_USER_FIELDS = ("first_name", "email", "phone", "role", "region_code", "is_active", "is_staff", "is_superuser")


def _user_snapshot(user: User) -> dict[str, Any]:
    values = {name: getattr(user, name) for name in _USER_FIELDS if name != "region_code"}
    return values | {"role": str(user.role), "region_code": user.region.code if user.region else ""}


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user_id: int,
    full_name: str,
    email: str,
    phone: str,
    role: str,
    region: Region | None,
    is_active: bool,
    is_staff: bool,
    is_superuser: bool,
) -> User:
    """Change a staff account (name, contact, role, home region, status) inside the actor's jurisdiction.

    Only a superuser may grant or withdraw superuser status. Writes USER_CHANGED with field diffs.
    """
    require_capability(actor, Capability.CONFIGURE)
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or not _region_in_jurisdiction(actor, user.region):
        raise NotFoundOrNoAccess()
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("请选择角色。")]
    if region is None and role != Role.ADMIN:
        errors["region"] = [_("除系统管理员外，每个用户都必须有所属区划。")]
    elif not _region_in_jurisdiction(actor, region):
        errors["region"] = [_("只能选择本人辖区内的区划。")]
    if is_superuser != user.is_superuser and not actor.is_superuser:
        errors["is_superuser"] = [_("只有超级用户才能变更超级用户状态。")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    before = _user_snapshot(user)
    user.first_name = full_name
    user.email = email
    user.phone = phone
    user.role = role
    user.region = region
    user.is_active = is_active
    user.is_staff = is_staff
    user.is_superuser = is_superuser
    user.save(update_fields=["first_name", "email", "phone", "role", "region", "is_active", "is_staff", "is_superuser"])
    old, new = changed_fields(before, _user_snapshot(user))
    if new:
        audit_event_record(
            actor=actor, event_type=AuditEventType.USER_CHANGED, subject=user,
            region_code=region.code if region else "", before=old, after=new,
        )  # fmt: skip
    return user


def _region_in_jurisdiction(actor: Any, region: Region | None) -> bool:
    """A region-less account (whole tree) belongs only to whole-tree administrators."""
    if region is None:
        return bool(actor.region_id is None and actor.role == Role.ADMIN)
    return region_code_in_jurisdiction(actor, region.code)
