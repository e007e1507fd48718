"""API test helpers: clients that authenticate with a real token, households with finances."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from jiuzhu.api.auth import api_token_for
from jiuzhu.registry.services.finances import AssetData, IncomeData, asset_add, income_item_add


@pytest.fixture
def api(users) -> Callable[[Any], APIClient]:
    """`api("coordinator_a")` (or `api(user)`) -> a client sending that user's token."""

    def client_for(who: Any) -> APIClient:
        user = users[who] if isinstance(who, str) else who
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
        return client

    return client_for


@pytest.fixture
def finances(world):
    """One income line and one asset of household_a, entered through the services."""
    actor = world.users["coordinator_a"]
    household = world.household_a
    income = income_item_add(
        actor=actor,
        household_id=household.pk,
        data=IncomeData(kind="wages", monthly_amount_fen=150_000, person_id=household.head_id),
    )
    asset = asset_add(
        actor=actor,
        household_id=household.pk,
        data=AssetData(kind="vehicle", value_fen=3_000_000, registration_number="川S12345"),
    )
    return {"income": income, "asset": asset}
