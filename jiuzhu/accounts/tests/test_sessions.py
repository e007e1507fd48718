"""Sessions expire after the configured idle time; activity keeps them alive."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_idle_session_expires_and_activity_renews_it(client, users, settings):
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(users["coordinator_a"])
        assert client.get(reverse("web:home")).status_code == 200
        clock.move_to(start + idle - datetime.timedelta(minutes=5))
        assert client.get(reverse("web:home")).status_code == 200  # renews the session
        clock.move_to(start + 2 * idle - datetime.timedelta(minutes=10))
        assert client.get(reverse("web:home")).status_code == 200
        clock.move_to(start + 3 * idle)
        response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
