"""Reads for the verification pages: datasets in the actor's sight, their problems, saved mappings."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiuzhu.programs.rules.resolution import ancestor_codes
from jiuzhu.verification.access import datasets_visible_to
from jiuzhu.verification.models import ColumnMapping, DatasetProblem, ExternalDataset


def dataset_list(*, actor: Any, source: str = "") -> QuerySet[ExternalDataset]:
    """The datasets in the actor's sight (the page checks the capability)."""
    datasets = datasets_visible_to(actor)
    return datasets.filter(source=source) if source else datasets


def dataset_problems(dataset: ExternalDataset) -> QuerySet[DatasetProblem]:
    return dataset.problems.order_by("line", "pk")


def mappings_for(*, actor: Any, source: str = "") -> list[ColumnMapping]:
    """Saved mappings of the actor's region and the regions above it."""
    region = getattr(actor, "region", None)
    mappings = ColumnMapping.objects.all()
    if region is not None:
        mappings = mappings.filter(region__code__in=ancestor_codes(region.code))
    if source:
        mappings = mappings.filter(source=source)
    return list(mappings.order_by("source", "name"))
