"""Browser journeys: Debian's Chromium driven by Playwright (no browser downloads), against
pytest-django's live server on a transactional test database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("JIUZHU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the journeys after everything else (pytest would otherwise move them first, grouping them
    by Playwright's session-scoped browser parameter), so the variable below never reaches other tests."""
    e2e_dir = Path(__file__).parent
    items.sort(key=lambda item: item.path.is_relative_to(e2e_dir))


@pytest.fixture(scope="session", autouse=True)
def _allow_database_calls_beside_playwrights_event_loop() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the test thread, and Django then refuses database
    calls from that thread (creating the test database included). The journeys only prepare rows there,
    so allow it from the first journey on. Not set at import time: the whole suite loads this file, and
    the variable would leak into the `check --deploy` subprocesses of other tests."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("JIUZHU_SKIP_BROWSER") == "1":
            pytest.skip(f"no Chromium at {CHROMIUM} and JIUZHU_SKIP_BROWSER=1")
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 900}}


@pytest.fixture(autouse=True)
def _no_policy_violations_or_outside_requests(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every journey fails if a page breaks the content-security policy or asks for anything that is
    not served by Jiuzhu itself (intranets are offline)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on(
        "request",
        lambda req: (
            problems.append(f"outside request: {req.url}")
            if not req.url.startswith(("http://localhost", "http://127.0.0.1", "data:", "about:"))
            else None
        ),
    )
    yield
    assert problems == [], problems
