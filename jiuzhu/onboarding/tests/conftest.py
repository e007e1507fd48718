"""The frozen clock and the county's rural dibao policy of the case tests (standard 72 yuan)."""

from jiuzhu.cases.tests.conftest import clock, policy  # noqa: F401 - fixtures
