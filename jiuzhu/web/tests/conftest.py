"""Fixtures for the page tests: logged-in clients and a household with every kind of child object."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jiuzhu.registry.models import Asset, Document, Household, IncomeItem, Person
from jiuzhu.registry.services.documents import document_upload
from jiuzhu.registry.services.finances import AssetData, IncomeData, asset_add, income_item_add

# The smallest valid PNG: the upload check reads the real type from these bytes.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def png_upload(name: str = "hukou.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


@pytest.fixture
def client_as(users):  # type: ignore[no-untyped-def]
    """`client_as("coordinator_a")` -> a test client logged in as that user."""

    def make(role_key: str) -> Client:
        client = Client()
        client.force_login(users[role_key])
        return client

    return make


@dataclass
class FileObjects:
    household: Household
    head: Person
    spouse: Person
    income: IncomeItem
    asset: Asset
    document: Document


@pytest.fixture
def file_a(world) -> FileObjects:  # type: ignore[no-untyped-def]
    """household_a (village A) with one income line, one asset and one document."""
    actor = world.users["coordinator_a"]
    household = world.household_a
    income = income_item_add(
        actor=actor, household_id=household.pk, data=IncomeData(kind="wages", monthly_amount_fen=123456)
    )
    asset = asset_add(
        actor=actor, household_id=household.pk, data=AssetData(kind="vehicle", value_fen=500000, description="三轮车")
    )
    document = document_upload(actor=actor, household_id=household.pk, upload=png_upload(), kind="hukou_book")
    household.refresh_from_db()
    head = household.head
    spouse = household.members.exclude(pk=head.pk).get()
    return FileObjects(household, head, spouse, income, asset, document)


def today() -> datetime.date:
    return timezone.localdate()
