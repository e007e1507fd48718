"""Staff accounts. Every user has a role and a home region; they see and act only inside it."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.accounts.roles import Role


class StaffManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.ADMIN)
        extra.setdefault("region", None)  # the whole tree
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.COORDINATOR)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("用户只能查看和办理本区划及下级区划的数据。留空表示全部区划（仅限系统管理员）。"),
    )
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    objects: ClassVar[StaffManager] = StaffManager()

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False) | models.Q(role=Role.ADMIN),
                name="user_region_required_unless_admin",
            )
        ]

    @property
    def jurisdiction_prefix(self) -> str:
        """Region-code prefix of the user's subtree; "" means the whole tree (administrators)."""
        return self.region.code if self.region_id and self.region else ""

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
