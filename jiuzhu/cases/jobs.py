"""The cases' background jobs: the monthly dynamic-management run (开启到期复核、渐退期满停保).

Each calls the service with the job's submitter as actor (None for the scheduler or a command), so
the services' own checks and audit trail apply exactly as on the pages.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.documents import notice_boards_pdf, township_government
from jiuzhu.cases.notice_boards import notice_boards
from jiuzhu.cases.services.dynamic_batch import gradual_exits_finish, reviews_due_open
from jiuzhu.jobs.context import JobContext
from jiuzhu.jobs.kinds import JobKind, Params, job_kind_register
from jiuzhu.regions.models import Region

REVIEWS_OPEN_DUE = "cases.reviews_open_due"
GRADUAL_EXITS_FINISH = "cases.gradual_exits_finish"
NOTICE_BOARDS = "cases.notice_boards"


def _day(params: Params) -> datetime.date | None:
    return datetime.date.fromisoformat(params["today"]) if params.get("today") else None


def _open_due(context: JobContext, params: Params) -> Params:
    opened = reviews_due_open(
        actor=context.actor(),
        today=_day(params),
        lead_days=int(params.get("lead_days", 30)),
        region_code=str(params.get("region_code") or context.region_code),
    )
    context.total(len(opened))
    context.advance(len(opened))
    context.log(_("已发起定期复核 %(n)s 户。") % {"n": len(opened)})
    return {"opened": len(opened)}


def _finish_exits(context: JobContext, params: Params) -> Params:
    stopped = gradual_exits_finish(actor=context.actor(), today=_day(params))
    context.total(len(stopped))
    context.advance(len(stopped))
    context.log(_("渐退期满停保 %(n)s 户。") % {"n": len(stopped)})
    return {"stopped": len(stopped)}


job_kind_register(
    JobKind(
        name=REVIEWS_OPEN_DUE,
        label=_("开启到期的定期复核"),
        capabilities=frozenset({Capability.CASE_TOWNSHIP_REVIEW, Capability.CASE_DECIDE}),
        run=_open_due,
        describe=lambda result: _("已发起定期复核 %(n)s 户。") % {"n": result.get("opened", 0)},
    )
)
job_kind_register(
    JobKind(
        name=GRADUAL_EXITS_FINISH,
        label=_("渐退期满停保"),
        capabilities=frozenset({Capability.CASE_TOWNSHIP_REVIEW, Capability.CASE_DECIDE}),
        run=_finish_exits,
        describe=lambda result: _("渐退期满停保 %(n)s 户。") % {"n": result.get("stopped", 0)},
    )
)


def _notice_boards(context: JobContext, params: Params) -> Params:
    actor = context.actor()
    region_code = str(params.get("region_code") or context.region_code)
    on = _day(params) or timezone.localdate()
    boards = notice_boards(actor=actor, region_code=region_code, on=on)
    households = sum(len(board.entries) for board in boards)
    context.total(households)
    region = Region.objects.get(code=region_code)
    content = notice_boards_pdf(
        boards=boards, on=on, title=f"{region.name}低保对象公示名单（{on.year}年{on.month}月）",
        authority=township_government(region),
    )  # fmt: skip
    context.set_done(households)
    context.output(name=f"公示名单{region_code}-{on:%Y%m}.pdf", content_type="application/pdf", content=content)
    return {"boards": len(boards), "households": households}


def _describe_boards(result: Params) -> str:
    return _("公示名单已生成：%(boards)s 块公示栏，%(households)s 户。") % {
        "boards": result.get("boards", 0),
        "households": result.get("households", 0),
    }


job_kind_register(
    JobKind(
        name=NOTICE_BOARDS,
        label=_("生成村（社区）公示名单"),
        capabilities=frozenset({Capability.CASE_VIEW}),
        run=_notice_boards,
        describe=_describe_boards,
    )
)
