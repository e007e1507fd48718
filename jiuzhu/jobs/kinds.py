"""The kinds of background job: each app registers its own in its `jobs.py` (imported when the app
is ready, so every worker process knows them).

A kind either runs whole (`run`) or, for large work, is planned into chunks (`plan`) that workers
run in any order and at most once each (`run_chunk`), then finished (`finish`). Every function must
be safe to run again after a crash: a re-run skips the chunks already done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jiuzhu.accounts.roles import Capability

if TYPE_CHECKING:
    from jiuzhu.jobs.context import JobContext

Params = dict[str, Any]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str  # Chinese, shown in lists
    # Who may submit it: any one of these capabilities (empty: administrators and commands only).
    capabilities: frozenset[Capability] = frozenset()
    run: Callable[[JobContext, Params], Params] | None = None
    plan: Callable[[JobContext, Params], list[Params]] | None = None
    run_chunk: Callable[[JobContext, Params, Params], None] | None = None
    finish: Callable[[JobContext, Params], Params] | None = None
    describe: Callable[[Params], str] | None = None  # the result in a Chinese sentence, for the pages

    def __post_init__(self) -> None:
        chunked = self.plan is not None and self.run_chunk is not None
        if chunked == (self.run is not None):
            raise ValueError(f"job kind {self.name}: give either run, or plan and run_chunk")

    @property
    def chunked(self) -> bool:
        return self.plan is not None


_KINDS: dict[str, JobKind] = {}


def job_kind_register(kind: JobKind) -> JobKind:
    _KINDS[kind.name] = kind
    return kind


def job_kind_get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"unknown job kind: {name}") from None


def job_kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)
