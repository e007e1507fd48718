"""The Chinese font for printed documents: Noto Sans SC, Regular and Bold, embedded in every PDF.

The machine may have no CJK font at all (docs: STACK.md §3), so the PDFs carry their own. The font
comes from the pinned PyPI package `justmytype-intl-cjk` as one *variable* TrueType font whose default
instance is Thin; reportlab cannot pick a weight from a variable font, so fontTools cuts static
Regular (wght 400) and Bold (wght 700) instances out of it once (about 25–40 s) and they are cached in
`settings.JIUZHU_FONT_CACHE`. The cache file names carry a digest of the source font and the fontTools
version, so a new font package or fontTools release builds new files; the files are written under a
temporary name and renamed into place, while a lock file keeps two processes from building at once.
`jiuzhu prepare_fonts` builds them ahead of time; otherwise the first PDF builds them.

reportlab subsets what it embeds: only the glyphs a document uses go into the PDF (as /FontFile2).
The full character set is kept in the cache (no GB2312 cut), because names may use rare characters.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.resources
import multiprocessing
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import fontTools
from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

try:  # POSIX; elsewhere the atomic rename alone keeps the cache consistent
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SOURCE_PACKAGE = "justmytype_intl_cjk"
SOURCE_FILE = ("fonts", "ofl", "notosanssc", "NotoSansSC[wght].ttf")

FAMILY = "NotoSansSC"
REGULAR = "NotoSansSC-Regular"  # reportlab names; also the PostScript names fontTools gives the instances
BOLD = "NotoSansSC-Bold"
WEIGHTS = {REGULAR: 400, BOLD: 700}


class FontUnavailable(RuntimeError):
    """The source font is not installed (the `justmytype-intl-cjk` package is missing or damaged)."""


@dataclass(frozen=True)
class StaticFonts:
    """Paths of the static instances, by reportlab font name."""

    files: dict[str, Path]

    @property
    def regular(self) -> Path:
        return self.files[REGULAR]

    @property
    def bold(self) -> Path:
        return self.files[BOLD]


def source_font_path() -> Path:
    """`NotoSansSC[wght].ttf` inside the installed `justmytype_intl_cjk` package."""
    try:
        root = importlib.resources.files(SOURCE_PACKAGE)
    except ModuleNotFoundError as error:
        raise FontUnavailable(f"the Python package {SOURCE_PACKAGE} (justmytype-intl-cjk) is not installed") from error
    path = Path(str(root.joinpath(*SOURCE_FILE)))
    if not path.is_file():
        raise FontUnavailable(f"{path} is missing: reinstall justmytype-intl-cjk")
    return path


def font_cache_dir() -> Path:
    return Path(settings.JIUZHU_FONT_CACHE)


_digests: dict[tuple[str, int, int], str] = {}


def cache_key(source: Path) -> str:
    """A digest of the source font's bytes and of the fontTools version that cuts the instances."""
    stat = source.stat()
    memo = (str(source.resolve()), stat.st_size, stat.st_mtime_ns)
    if memo not in _digests:
        digest = hashlib.sha256()
        with source.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(f"fonttools={fontTools.version}".encode())
        _digests[memo] = digest.hexdigest()[:16]
    return _digests[memo]


def cached_font_paths(source: Path, cache_dir: Path) -> StaticFonts:
    key = cache_key(source)
    return StaticFonts({name: cache_dir / f"{name}-{key}.ttf" for name in WEIGHTS})


def instantiate(source: str, weight: int, target: str) -> None:
    """Cut the static instance at `weight` out of the variable font and save it, atomically, at `target`.

    A top-level function so that a worker process can run it. `updateFontNames=True` renames the
    instance after its weight (NotoSansSC-Regular / -Bold): without it both instances keep the
    variable font's names and a PDF would embed only one of them.
    """
    from fontTools.ttLib import TTFont as FontToolsFont
    from fontTools.varLib import instancer

    font = FontToolsFont(source)
    static = instancer.instantiateVariableFont(font, {"wght": weight}, inplace=True, updateFontNames=True)
    final = Path(target)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        static.save(str(temporary))
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def _cache_lock(cache_dir: Path) -> Iterator[None]:
    """Hold the cache directory's lock file (blocks while another process is building)."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    with (cache_dir / ".lock").open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _build(jobs: list[tuple[str, int, str]], parallel: bool) -> None:
    if parallel and len(jobs) > 1:
        try:
            context = multiprocessing.get_context("spawn")  # no fork of a threaded web process
            with ProcessPoolExecutor(max_workers=len(jobs), mp_context=context) as pool:
                for future in [pool.submit(instantiate, *job) for job in jobs]:
                    future.result()
            return
        except (OSError, RuntimeError):  # no worker processes here (e.g. an embedded interpreter)
            pass
    for job in jobs:
        instantiate(*job)


def _remove_stale(cache_dir: Path, keep: set[Path]) -> None:
    for path in [*cache_dir.glob(f"{FAMILY}-*.ttf"), *cache_dir.glob(f".{FAMILY}-*.tmp")]:
        if path not in keep:
            path.unlink(missing_ok=True)


def ensure_static_fonts(
    *, source: Path | None = None, cache_dir: Path | None = None, parallel: bool = True,
    on_build: Callable[[Path], None] | None = None,
) -> StaticFonts:  # fmt: skip
    """The static Regular and Bold files, built first if the cache does not hold them yet."""
    source = source or source_font_path()
    cache_dir = cache_dir or font_cache_dir()
    fonts = cached_font_paths(source, cache_dir)
    if all(path.is_file() for path in fonts.files.values()):
        return fonts
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _cache_lock(cache_dir):
        missing = {name: path for name, path in fonts.files.items() if not path.is_file()}
        if missing:  # still missing once we hold the lock: nobody else built them meanwhile
            if on_build is not None:
                on_build(cache_dir)
            _remove_stale(cache_dir, keep=set(fonts.files.values()))
            _build([(str(source), WEIGHTS[name], str(path)) for name, path in missing.items()], parallel)
    return fonts


_registered: StaticFonts | None = None
_register_lock = threading.Lock()


def register_fonts() -> StaticFonts:
    """Make REGULAR and BOLD (and the FAMILY, so <b> works in paragraphs) known to reportlab. Idempotent."""
    global _registered
    with _register_lock:
        if _registered is None:
            fonts = ensure_static_fonts()
            for name, path in fonts.files.items():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
            _registered = fonts
        return _registered
