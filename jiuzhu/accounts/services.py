"""Staff account writes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Role
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.regions.models import Region


@transaction.atomic
def user_create(
    *,
    actor: Any | None,
    username: str,
    password: str,
    role: Role,
    region: Region | None,
    full_name: str = "",
) -> User:
    """Create a staff account with a checked password. Writes USER_CREATED."""
    user = User(username=username, role=role, region=region, first_name=full_name)
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
