"""The pages' background job: a long list exported to a workbook (导出 Excel)."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

from jiuzhu.accounts.roles import Capability
from jiuzhu.common.spreadsheets import XLSX_CONTENT_TYPE
from jiuzhu.jobs.context import JobContext
from jiuzhu.jobs.kinds import JobKind, Params, job_kind_register
from jiuzhu.web.list_exports import LISTINGS, listing_xlsx

LIST_EXPORT = "web.list_export"


def _export(context: JobContext, params: Params) -> Params:
    actor = context.actor()
    listing = LISTINGS[str(params["list"])](actor, QueryDict(str(params.get("query", ""))))
    context.total(listing.count)
    content = listing_xlsx(listing, actor=actor)
    context.set_done(listing.count)
    context.output(
        name=f"{listing.title}.xlsx", content_type=XLSX_CONTENT_TYPE, content=content, sensitive=listing.full_ids
    )
    return {"rows": listing.count, "title": listing.title}


def _describe(result: Params) -> str:
    return _("已导出“%(title)s”%(rows)s 行。") % {"title": result.get("title", ""), "rows": result.get("rows", 0)}


job_kind_register(
    JobKind(
        name=LIST_EXPORT,
        label=_("导出名单（Excel）"),
        capabilities=frozenset({Capability.REGISTRY_VIEW}),
        run=_export,
        describe=_describe,
    )
)
