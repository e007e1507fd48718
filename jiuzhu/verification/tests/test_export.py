"""The snapshot's export of a query to CSV: numbers, digests and NULLs, one column or several, the
same on SQLite's joined-text path and PostgreSQL's COPY."""

from __future__ import annotations

import pytest

from jiuzhu.regions.models import Region
from jiuzhu.verification import snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("plain", [True, False])
def test_numbers_digests_and_nulls_are_written_alike(regions, tmp_path, plain):
    table = Region._meta.db_table
    one = snapshot._export(
        f"SELECT id AS a FROM {table} WHERE code = %s", ["511723"], str(tmp_path / "one.csv"),
        plain=["a"] if plain else (),
    )  # fmt: skip
    assert one == 1 and (tmp_path / "one.csv").read_text() == f"{regions['511723'].pk}\n"
    rows = snapshot._export(
        f"SELECT id AS a, parent_id AS b, code AS c FROM {table} WHERE code IN (%s, %s) ORDER BY code",
        ["51", "5117"], str(tmp_path / "two.csv"), plain=["a", "b", "c"] if plain else (),
    )  # fmt: skip
    lines = (tmp_path / "two.csv").read_text().splitlines()
    assert rows == 2 and lines == [
        f"{regions['51'].pk},,51",  # NULL as an empty field
        f"{regions['5117'].pk},{regions['51'].pk},5117",
    ]
