"""The static font cache: built once, reused, rebuilt for a new source, safe with two builders at once.

Most tests cut instances out of a tiny variable font made here (milliseconds); the real Noto Sans SC
cache (settings.JIUZHU_FONT_CACHE, shared between test runs) is checked at the end.
"""

from __future__ import annotations

import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_v_a_r import TupleVariation

from jiuzhu.printing import fonts
from jiuzhu.printing.fonts import BOLD, REGULAR, FontUnavailable, ensure_static_fonts, register_fonts


def make_variable_font(path: Path, stem_width: int = 100) -> Path:
    """A two-glyph TrueType font with a wght axis 100–900 (Thin default), like NotoSansSC[wght]."""

    def stem() -> object:
        pen = TTGlyphPen(None)
        pen.moveTo((50, 0))
        pen.lineTo((50, 700))
        pen.lineTo((50 + stem_width, 700))
        pen.lineTo((50 + stem_width, 0))
        pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    builder.setupGlyf({".notdef": stem(), "A": stem()})
    builder.setupHorizontalMetrics({".notdef": (600, 50), "A": (600, 50)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Tiny Test", "styleName": "Thin"})
    builder.setupOS2()
    builder.setupPost()
    builder.setupFvar([("wght", 100, 100, 900, "Weight")], [])
    builder.setupGvar({})
    heavier = [(0, 0), (0, 0), (300, 0), (300, 0), (0, 0), (0, 0), (0, 0), (0, 0)]  # 4 points + 4 phantom
    builder.font["gvar"].variations = {".notdef": [], "A": [TupleVariation({"wght": (0, 1.0, 1.0)}, heavier)]}
    weights = [{"value": 400, "name": "Regular"}, {"value": 700, "name": "Bold"}]
    builder.setupStat([{"tag": "wght", "name": "Weight", "values": weights}])
    builder.save(str(path))
    return path


@pytest.fixture
def tiny_font(tmp_path: Path) -> Path:
    return make_variable_font(tmp_path / "Tiny[wght].ttf")


def stem_width(path: Path) -> float:
    glyphs = TTFont(str(path))["glyf"]
    coordinates, _ends, _flags = glyphs["A"].getCoordinates(glyphs)
    return coordinates[2][0] - coordinates[0][0]


def test_builds_regular_and_bold_once_and_then_reuses_them(tiny_font, tmp_path):
    cache = tmp_path / "cache"
    builds: list[Path] = []
    first = ensure_static_fonts(source=tiny_font, cache_dir=cache, parallel=False, on_build=builds.append)
    assert builds == [cache]
    assert set(first.files) == {REGULAR, BOLD}
    assert first.regular.parent == cache and first.regular.is_file() and first.bold.is_file()
    # Two real weights, not two copies of the Thin default, under different PostScript names.
    assert 100 < stem_width(first.regular) < stem_width(first.bold)
    names = {TTFont(str(path))["name"].getDebugName(6) for path in (first.regular, first.bold)}
    assert len(names) == 2
    stamps = {path: path.stat().st_mtime_ns for path in first.files.values()}

    second = ensure_static_fonts(source=tiny_font, cache_dir=cache, parallel=False, on_build=builds.append)
    assert second == first
    assert builds == [cache]  # nothing was built the second time
    assert {path: path.stat().st_mtime_ns for path in second.files.values()} == stamps


def test_a_different_source_font_builds_new_files_and_drops_the_old_ones(tiny_font, tmp_path):
    cache = tmp_path / "cache"
    old = ensure_static_fonts(source=tiny_font, cache_dir=cache, parallel=False)
    old_width = stem_width(old.regular)
    make_variable_font(tiny_font, stem_width=150)  # the package was upgraded: other bytes, same file name
    builds: list[Path] = []
    new = ensure_static_fonts(source=tiny_font, cache_dir=cache, parallel=False, on_build=builds.append)
    assert builds == [cache]
    assert new.regular != old.regular and new.bold != old.bold
    assert sorted(p.name for p in cache.glob("*.ttf")) == sorted(p.name for p in new.files.values())
    assert stem_width(new.regular) > old_width


def test_a_missing_instance_is_built_again(tiny_font, tmp_path):
    cache = tmp_path / "cache"
    fonts_built = ensure_static_fonts(source=tiny_font, cache_dir=cache, parallel=False)
    fonts_built.bold.unlink()
    builds: list[Path] = []
    again = ensure_static_fonts(source=tiny_font, cache_dir=cache, parallel=False, on_build=builds.append)
    assert builds == [cache] and again.bold.is_file() and again.regular == fonts_built.regular


def test_two_builders_at_once_build_only_once(tiny_font, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    real_instantiate = fonts.instantiate
    calls: list[int] = []
    both_waiting = threading.Barrier(2)

    def slow_instantiate(source: str, weight: int, target: str) -> None:
        calls.append(weight)
        threading.Event().wait(0.2)  # long enough for the other builder to reach the lock
        real_instantiate(source, weight, target)

    monkeypatch.setattr(fonts, "instantiate", slow_instantiate)
    results: list[fonts.StaticFonts] = []

    def build() -> None:
        both_waiting.wait()
        results.append(ensure_static_fonts(source=tiny_font, cache_dir=cache, parallel=False))

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(calls) == [400, 700]  # one Regular and one Bold in all, not two of each
    assert len(results) == 2 and results[0] == results[1]
    assert not list(cache.glob(".*.tmp"))  # no half-written file left behind


def test_worker_processes_build_both_weights(tiny_font, tmp_path):
    built = ensure_static_fonts(source=tiny_font, cache_dir=tmp_path / "cache", parallel=True)
    assert stem_width(built.regular) < stem_width(built.bold)


def test_missing_font_package_is_a_clear_error(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(fonts, "SOURCE_PACKAGE", "no_such_font_package")
    with pytest.raises(FontUnavailable, match="not installed"):
        fonts.source_font_path()
    settings.JIUZHU_FONT_CACHE = str(tmp_path / "cache")
    with pytest.raises(CommandError, match="找不到字体源文件"):
        call_command("prepare_fonts")


def test_prepare_fonts_builds_into_the_configured_folder_and_then_reuses_it(tiny_font, tmp_path, settings, monkeypatch):
    settings.JIUZHU_FONT_CACHE = str(tmp_path / "cache")
    monkeypatch.setattr(fonts, "source_font_path", lambda: tiny_font)
    first = StringIO()
    call_command("prepare_fonts", stdout=first)
    assert "正在生成打印字体" in first.getvalue()
    assert str(tmp_path / "cache" / f"{REGULAR}-") in first.getvalue()
    second = StringIO()
    call_command("prepare_fonts", stdout=second)
    assert "正在生成打印字体" not in second.getvalue()
    assert str(tmp_path / "cache" / f"{BOLD}-") in second.getvalue()


# --- the real font ------------------------------------------------------------------------------------


def test_noto_sans_sc_regular_and_bold_are_cached_and_registered(monkeypatch, settings):
    registered = register_fonts()  # builds into the shared test cache on a fresh machine (about a minute)
    assert registered.regular.parent == Path(settings.JIUZHU_FONT_CACHE)
    for path, name, weight in ((registered.regular, REGULAR, 400), (registered.bold, BOLD, 700)):
        font = TTFont(str(path), lazy=True)
        assert font["name"].getDebugName(6) == name
        assert font["OS/2"].usWeightClass == weight
        assert "fvar" not in font  # static, not the variable font
        assert font.getBestCmap()[ord("救")]  # the Chinese characters are there

    def no_building(*args: object) -> None:
        raise AssertionError("the cached fonts should have been reused")

    monkeypatch.setattr(fonts, "instantiate", no_building)
    assert ensure_static_fonts() == registered
    assert register_fonts() is registered
