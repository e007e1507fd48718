from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NearPoorEndReason(models.TextChoices):
    INCOME_ROSE = "income_rose", _("家庭人均收入超过边缘家庭认定标准")
    PROPERTY = "property", _("家庭财产状况不再符合规定")
    ON_DIBAO = "on_dibao", _("已纳入低保或特困供养")
    MOVED = "moved", _("户籍或居住地迁出本地")
    DIED = "died", _("家庭成员均已死亡")
    WITHDRAWN = "withdrawn", _("本人申请退出")
    ERROR = "error", _("认定有误，予以撤销")
    OTHER = "other", _("其他")


class NearPoorState(models.TextChoices):
    IN_FORCE = "in_force", _("有效")
    EXPIRED = "expired", _("已到期")
    ENDED = "ended", _("已退出")
