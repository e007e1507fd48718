"""The English catalogue (jiuzhu/locale/en/LC_MESSAGES/django.po): complete, compiled and served.

Simplified Chinese is the source language of every msgid (ADR-002); English is the one translation.
These tests fail when someone adds a Chinese string without translating it, leaves an entry empty
or fuzzy, or forgets to recompile the .mo. The fix is the two commands in README.md ("Translations").
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import html
import io
import re
import shutil
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

import jiuzhu
from jiuzhu.testing.builders import VILLAGE_A, new_id_number

PACKAGE_DIR = Path(jiuzhu.__file__).resolve().parent
CATALOGUE = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
README_HINT = "update the catalogue with the two commands in README.md, section 'Translations'"

# (msgctxt, msgid, msgid_plural): what identifies a message, in the .po and in the source.
Key = tuple[str | None, str, str | None]


# --- A small .po reader (the format is simple; no new package for it). ---------------------------


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index 0 for a singular entry
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid, self.msgid_plural)


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_KEYWORD_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text)


def parse_po(text: str) -> list[PoEntry]:
    entries: list[PoEntry] = []
    entry = PoEntry()
    started = False
    target: tuple[str, int] | None = None  # where a continuation line "..." goes

    def append(value: str) -> None:
        assert target is not None
        name, index = target
        if name == "msgstr":
            entry.msgstr[index] += value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)

    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line:
            if started:
                entries.append(entry)
            entry, started, target = PoEntry(), False, None
            continue
        if line.startswith("#~"):  # an obsolete entry: read it, so that it can be reported by msgid
            entry.obsolete = True
            line = line[2:].strip()
            if line.startswith("#") or not line:
                continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            append(_unquote(line[1:-1]))
            continue
        match = _KEYWORD_LINE.match(line)
        assert match, f"cannot read .po line: {raw!r}"
        keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
        started = True
        if keyword.startswith("msgstr"):
            target = ("msgstr", int(index or 0))
            entry.msgstr[target[1]] = value
        else:
            target = (keyword, 0)
            setattr(entry, keyword, value)
    return entries


_PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|%[-#0 +]*\d*(?:\.\d+)?[dsf]|\{[^{}]*\}")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff01-\uff5e]")


def catalogue_problems(entries: Iterable[PoEntry]) -> list[str]:
    """Everything that keeps an entry from being a finished English translation."""
    problems: list[str] = []
    for entry in entries:
        label = entry.msgid or "(header)"
        if entry.obsolete:
            problems.append(f"obsolete entry: {label}")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {label}")
        forms = 2 if entry.msgid_plural is not None else 1
        if sorted(entry.msgstr) != list(range(forms)) or not all(entry.msgstr.values()):
            problems.append(f"empty translation: {label}")
            continue
        if not entry.msgid:
            continue
        for index, translated in entry.msgstr.items():
            source = entry.msgid if index == 0 else entry.msgid_plural or entry.msgid
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(translated)):
                problems.append(f"placeholders differ: {label} -> {translated}")
            if _CJK.search(translated):
                problems.append(f"Chinese left in the translation: {label} -> {translated}")
    return problems


@pytest.fixture(scope="module")
def catalogue() -> list[PoEntry]:
    return parse_po(CATALOGUE.read_text(encoding="utf-8"))


def _messages(entries: Iterable[PoEntry]) -> list[PoEntry]:
    return [entry for entry in entries if entry.msgid and not entry.obsolete]


# --- (a) every entry is translated, none fuzzy --------------------------------------------------------


def test_catalogue_is_the_only_one_and_has_an_english_header(catalogue):
    assert sorted(p.relative_to(PACKAGE_DIR).as_posix() for p in PACKAGE_DIR.rglob("*.po")) == [
        "locale/en/LC_MESSAGES/django.po"
    ]
    header = next(entry for entry in catalogue if entry.msgid == "")
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr[0]
    assert len(_messages(catalogue)) > 500


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    assert catalogue_problems(catalogue) == []


def test_the_checks_catch_empty_fuzzy_and_broken_entries():
    sample = parse_po(
        'msgid ""\nmsgstr "Language: en\\n"\n\n'
        'msgid "家庭"\nmsgstr "Household"\n\n'
        'msgid "户主"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "成员"\nmsgstr "Member"\n\n'
        '#, python-format\nmsgid "%(n)s 条"\nmsgid_plural "%(n)s 条"\nmsgstr[0] "%(n)s entry"\nmsgstr[1] ""\n\n'
        '#, python-format\nmsgid "共 %(total)s 户"\nmsgstr "%(count)s households"\n\n'
        'msgid "附件"\nmsgstr ""\n"附件"\n\n'
        '#~ msgid "旧"\n#~ msgstr "Old"\n'
    )
    assert catalogue_problems(sample) == [
        "empty translation: 户主",
        "fuzzy: 成员",
        "empty translation: %(n)s 条",
        "placeholders differ: 共 %(total)s 户 -> %(count)s households",
        "Chinese left in the translation: 附件 -> 附件",
        "obsolete entry: 旧",
    ]
    assert catalogue_problems(sample[:2]) == []


# --- (b) the committed .mo says what the .po says, and Django serves it ---------------------------------


def _expected(entry: PoEntry) -> Iterator[tuple[str, int | None, str]]:
    """(description, n, translation) pairs: n is None for a singular entry."""
    if entry.msgid_plural is None:
        yield entry.msgid, None, entry.msgstr[0]
    else:
        yield entry.msgid, 1, entry.msgstr[0]
        yield entry.msgid_plural, 2, entry.msgstr[1]


def test_compiled_catalogue_matches_the_po(catalogue):
    with COMPILED.open("rb") as compiled:
        mo = gnu_gettext.GNUTranslations(compiled)
    assert mo.info()["language"] == "en"
    stale = []
    for entry in _messages(catalogue):
        for _, n, expected in _expected(entry):
            if n is None:
                got = mo.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else mo.gettext(entry.msgid)
            else:
                plural = entry.msgid_plural or entry.msgid
                got = (
                    mo.npgettext(entry.msgctxt, entry.msgid, plural, n)
                    if entry.msgctxt
                    else mo.ngettext(entry.msgid, plural, n)
                )
            if got != expected:
                stale.append(f"{entry.msgid}: .mo has {got!r}, .po has {expected!r}")
    assert stale == [], f"the .mo is out of date: run compilemessages ({README_HINT})"


def test_django_serves_every_translation_in_english_and_chinese_otherwise(catalogue):
    wrong = []
    for entry in _messages(catalogue):
        for _, n, expected in _expected(entry):
            plural = entry.msgid_plural or entry.msgid
            with translation.override("en"):
                if n is None:
                    got = (
                        translation.pgettext(entry.msgctxt, entry.msgid)
                        if entry.msgctxt
                        else translation.gettext(entry.msgid)
                    )
                else:
                    got = (
                        translation.npgettext(entry.msgctxt, entry.msgid, plural, n)
                        if entry.msgctxt
                        else translation.ngettext(entry.msgid, plural, n)
                    )
            if got != expected:
                wrong.append(f"{entry.msgid}: {got!r} != {expected!r}")
    assert wrong == []
    with translation.override("zh-hans"):
        assert translation.gettext("身份证号校验位错误，请核对号码是否录入有误。") == (
            "身份证号校验位错误，请核对号码是否录入有误。"
        )


# --- (c) the catalogue holds every message in the code, and nothing else ------------------------------

# xgettext's keywords as makemessages passes them: name -> (context arg, msgid arg, plural arg).
_KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
_SKIP = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}


def _string_prefix(token: str) -> str:
    """The letters before a string literal's opening quote (f, rb…), lower-cased."""
    return token[: len(token) - len(token.lstrip("rRbBuUfF"))].lower()


def _call_arguments(tokens: list[tokenize.TokenInfo], start: int) -> list[str | None]:
    """Arguments of the call whose "(" is tokens[start]: a str when the argument is only literals."""
    args: list[list[tokenize.TokenInfo]] = [[]]
    depth = 0
    for token in tokens[start:]:
        if token.type in _SKIP:
            continue
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
            if depth == 1:
                continue
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
            if depth == 0:
                break
        elif token.type == tokenize.OP and token.string == "," and depth == 1:
            args.append([])
            continue
        args[-1].append(token)
    values: list[str | None] = []
    for arg in args:
        literal = bool(arg) and all(t.type == tokenize.STRING and "f" not in _string_prefix(t.string) for t in arg)
        values.append("".join(ast.literal_eval(t.string) for t in arg) if literal else None)
    return values


def messages_in_source(source: str) -> set[Key]:
    """Messages that makemessages (xgettext) extracts from Python source: literal gettext arguments."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    found: set[Key] = set()
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in _KEYWORDS or tokens[i + 1].string != "(":
            continue
        context_at, msgid_at, plural_at = _KEYWORDS[token.string]
        args = _call_arguments(tokens, i + 1)
        wanted = [at for at in (context_at, msgid_at, plural_at) if at is not None]
        if max(wanted) >= len(args) or any(args[at] is None for at in wanted):
            continue
        msgid = args[msgid_at]
        if msgid:
            found.add(
                (
                    args[context_at] if context_at is not None else None,
                    msgid,
                    args[plural_at] if plural_at is not None else None,
                )
            )
    return found


def messages_in_template(source: str) -> set[Key]:
    # templatize() is what makemessages runs on templates before xgettext; indentation is noise there.
    code = "\n".join(line.lstrip() for line in templatize(source).splitlines())
    return messages_in_source(code)


def messages_in_package() -> set[Key]:
    """Every message in the files makemessages reads (.py, .html, .txt), tests excluded as in README."""
    found: set[Key] = set()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        relative = path.relative_to(PACKAGE_DIR)
        if not path.is_file() or "tests" in relative.parts or any(p.startswith(".") for p in relative.parts):
            continue
        if path.suffix == ".py":
            found |= messages_in_source(path.read_text(encoding="utf-8"))
        elif path.suffix in {".html", ".txt"}:
            found |= messages_in_template(path.read_text(encoding="utf-8"))
    return found


def test_scanner_finds_what_makemessages_would():
    python = (
        "from django.utils.translation import gettext as _, ngettext, pgettext_lazy\n"
        'A = _("新的中文")\n'
        'B = translation.gettext_lazy(\n    "分成"  # a comment\n    "两行"\n)\n'
        'C = ngettext("%(n)s 户", "%(n)s 户", n) % {"n": n}\n'
        'D = pgettext_lazy("月份", "五月")\n'
        'E = _(f"{name}不算")\n'
        "F = _(variable)\n"
        'G = gettext_noop("稍后翻译")\n'
        'H = "不是消息"\n'
    )
    assert messages_in_source(python) == {
        (None, "新的中文", None),
        (None, "分成两行", None),
        (None, "%(n)s 户", "%(n)s 户"),
        ("月份", "五月", None),
        (None, "稍后翻译", None),
    }
    template = (
        '{% load i18n %}\n  <p>{% translate "模板字符串" %}</p>\n'
        "{% blocktranslate count n=items|length %}{{ n }} 项{% plural %}{{ n }} 项{% endblocktranslate %}\n"
        "    {% blocktranslate with name=user.name %}你好，{{ name }}{% endblocktranslate %}\n"
    )
    assert messages_in_template(template) == {
        (None, "模板字符串", None),
        (None, "%(n)s 项", "%(n)s 项"),
        (None, "你好，%(name)s", None),
    }


def test_catalogue_holds_every_message_in_the_code_and_nothing_else(catalogue):
    in_catalogue = {entry.key for entry in _messages(catalogue)}
    in_code = messages_in_package()
    untranslated = sorted(msgid for _, msgid, _ in in_code - in_catalogue)
    stale = sorted(msgid for _, msgid, _ in in_catalogue - in_code)
    assert untranslated == [], f"messages missing from the English catalogue: {README_HINT}"
    assert stale == [], f"messages no longer in the code: {README_HINT}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_makemessages_on_a_copy_of_the_package_finds_exactly_the_catalogue(catalogue, tmp_path, monkeypatch):
    """The real tool, run as README says on a throwaway copy: nothing to add, nothing to drop."""
    copy = tmp_path / "jiuzhu"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "*.pyc"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command(
            "makemessages", locale=["en"], ignore_patterns=["*/tests/*", "e2e/*"], no_obsolete=True, verbosity=0
        )
    generated = parse_po((copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    assert {entry.key for entry in _messages(generated)} == {entry.key for entry in _messages(catalogue)}
    assert messages_in_package() == {entry.key for entry in _messages(generated)}


# --- (d) pages in English: navigation and the services' validation messages ---------------------------

CHECK_DIGIT_ZH = "身份证号校验位错误，请核对号码是否录入有误。"
CHECK_DIGIT_EN = "The ID number's check digit is wrong; please check the number for typing errors."


def _wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def _create_household(client: Client, region_pk: int, id_number: str, **headers: str) -> str:
    url = reverse("web:household-create")
    token = client.get(url, **headers).context["form"]["submission_token"].value()  # type: ignore[index]
    data = {
        "submission_token": token,
        "region": str(region_pk),
        "hukou_type": "rural",
        "address": "凤凰村3组12号",
        "phone": "13800000000",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "30",
        "members-0-name": "赵大勇",
        "members-0-id_number": id_number,
        "members-0-relation": "head",
        "members-0-ethnicity": "01",
        "members-0-marital_status": "married",
        "members-0-work_ability": "full",
        "members-0-is_co_resident": "on",
    }
    response = client.post(url, data, **headers)
    assert response.status_code == 400  # the form comes back with its errors; nothing saved
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_pages_are_english_when_the_browser_asks_for_english(users, regions):
    client = Client()
    client.force_login(users["coordinator_a"])
    wrong_id = _wrong_check_digit(new_id_number())

    chinese = _create_household(client, regions[VILLAGE_A].pk, wrong_id)
    assert "家庭档案查询" in chinese and "退出登录" in chinese and CHECK_DIGIT_ZH in chinese
    assert "Household search" not in chinese and CHECK_DIGIT_EN not in chinese

    english = _create_household(client, regions[VILLAGE_A].pk, wrong_id, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english
    for navigation in ("Household search", "New household file", "Home (to-do)", "Log out"):
        assert navigation in english
    assert "Village (community) coordinator" in english  # the role label, from accounts.roles
    assert CHECK_DIGIT_EN in english  # from registry.rules.person_facts, through the service
    assert CHECK_DIGIT_ZH not in english and "退出登录" not in english


@pytest.mark.django_db
def test_language_cookie_switch_also_translates_service_messages(users, regions):
    client = Client()
    client.force_login(users["coordinator_a"])
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    english = _create_household(client, regions[VILLAGE_A].pk, "12345")
    assert "The ID number must have 18 characters (or 15 digits for a legacy number)." in english
    assert "Household search" in english
