"""English UI through Django i18n: the switcher turns the pages into English, the English catalogue
translates every UI string (and will notice a new one that is not), and documents stay Chinese.

Source strings (msgid) are Chinese; locale/en/LC_MESSAGES/django.po holds the English.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from jixiao.documents.package import render_document
from jixiao.evaluations.models import Status
from jixiao.evaluations.scoring_bridge import score_data
from jixiao.reviews import workflow
from jixiao.reviews.models import FrozenDocument
from jixiao.reviews.services import transition
from jixiao.reviews.tests.helpers import move, publish_directly
from jixiao.testing.factories import PASSWORD

REPO = Path(settings.BASE_DIR)
EN_PO = REPO / "locale" / "en" / "LC_MESSAGES" / "django.po"
EN_MO = EN_PO.with_suffix(".mo")
# The same options as the documented command (README / the i18n task): what makemessages extracts.
MAKEMESSAGES_IGNORE = [".venv", "tests", "bench"]

# Chinese words of the chrome every page shows; none of them may survive in English.
CHINESE_CHROME = ["工作台", "退出", "预算绩效自评系统", "公开平台"]


@pytest.fixture(autouse=True)
def _back_to_chinese() -> Iterator[None]:
    # LocaleMiddleware activates the request's language in this thread and leaves it active;
    # later tests assert Chinese messages, so put the default back.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english(client, user=None):  # type: ignore[no-untyped-def]
    """Sign in (if a user is given) and choose English with the top bar's switcher."""
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Language"] == "en"
    return response.content.decode()


def assert_english_chrome(html: str) -> None:
    assert '<html lang="en">' in html
    assert "Budget Performance Self-Evaluation System" in html
    for chinese in CHINESE_CHROME:
        assert chinese not in html, chinese


# --- (a) the pages in English -------------------------------------------------------------------


def test_the_default_is_chinese(client, world):
    assert client.login(username=world.editor.username, password=PASSWORD)
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "工作台" in html
    assert "Dashboard" not in html


@pytest.mark.parametrize(
    ("role", "nav"),
    [
        ("unit_editor", ["Dashboard", "Self-evaluations", "Public portal"]),
        ("unit_head", ["Dashboard", "Self-evaluations", "Public portal"]),
        ("department_reviewer", ["Campaign", "City overview", "Review queue", "Report check"]),
        ("bureau_reviewer", ["Review queue", "Sample checks", "Report check"]),
        ("bureau_admin", ["Units", "Accounts", "Activity log", "Sample checks"]),
    ],
)
def test_home_page_in_english_for_every_role(client, world, role, nav):
    html = page(english(client, world.user(role)), reverse("home"))
    assert_english_chrome(html)
    for label in [*nav, "Sign out", "Language"]:
        assert f">{label}<" in html or f'"{label}"' in html, label
    for chinese in ["审核待办", "绩效自评", "语言"]:
        assert chinese not in html, chinese


def test_switching_back_to_chinese(client, world):
    english(client, world.editor)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert "工作台" in html
    assert "Dashboard" not in html


def test_grades_and_unit_types_in_english_on_the_bureau_pages(client, world):
    client = english(client, world.bureau_admin)
    home = page(client, reverse("home"))
    assert '<span class="grade grade-优">Excellent</span>' in home
    units = page(client, reverse("organisations:list"))
    assert "<td>Public service unit, category II</td>" in units
    assert "<td>公益二类事业单位</td>" not in units


def test_grades_stay_chinese_in_the_chinese_ui(client, world):
    assert client.login(username=world.bureau_admin.username, password=PASSWORD)
    home = client.get(reverse("home")).content.decode()
    assert '<span class="grade grade-优">优</span>' in home


def test_evaluation_detail_in_english(client, world):
    html = page(
        english(client, world.editor), reverse("evaluations:detail", args=[world.evaluation.pk])
    )
    assert_english_chrome(html)
    for label in ["Supporting evidence", "Self-evaluation report", "Data table", "Scoring table"]:
        assert label in html, label
    # Tag-delimited, because the rule-set's name (data, in Chinese) contains 评分表.
    for chinese in ["佐证材料", "数据表", "评分表", "报送材料"]:
        assert f">{chinese}<" not in html, chinese


def test_another_units_evaluation_is_still_404_in_english(client, world):
    response = english(client, world.editor).get(
        reverse("evaluations:detail", args=[world.foreign_evaluation.pk])
    )
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_campaign_overview_in_english(client, world):
    move(world.evaluation, Status.SUBMITTED, world.head)
    html = page(english(client, world.bureau_reviewer), reverse("campaigns:overview"))
    # The grade chart's legend: the colour key stays 优, the word shown is English.
    assert '"name": "\\u4f18", "label": "Excellent", "value": 1' in html
    assert_english_chrome(html)
    for label in ["City overview", "Submission rate", "Grade distribution", "Score distribution"]:
        assert label in html, label
    for chinese in ["全市概览", "报送率", "评价等级分布", "得分分布"]:
        assert chinese not in html, chinese


def test_portal_in_english_for_the_public(client, world):
    publication = publish_directly(world.evaluation, world.bureau_admin)
    client = english(client)
    index = page(client, reverse("portal:index"))
    assert_english_chrome(index)
    for label in ["Budget performance self-evaluation disclosure", "Published reports", "Search"]:
        assert label in index, label
    for chinese in ["预算绩效自评信息公开", "已公开报告", "查看与下载"]:
        assert chinese not in index, chinese
    # Grades are rule-set data stored in Chinese (优), shown as their English word.
    assert '<span class="badge badge-优">Excellent</span>' in index
    detail = page(client, reverse("portal:detail", args=[publication.pk]))
    for label in ["Published files", "Back to published reports"]:
        assert label in detail, label
    assert ">Excellent<" in detail
    assert "<dd>Public service unit, category II</dd>" in detail  # 公益二类事业单位
    published_on = publication.published_at.astimezone(timezone.get_current_timezone())
    assert f"<dd>{published_on.day} {published_on:%B} {published_on.year}</dd>" in detail
    # The data stays as entered: the unit's name is not translated.
    assert "湛江市职业技能鉴定指导中心" in detail
    assert "公开文件" not in detail


def test_error_page_follows_the_language():
    from django.template import loader

    with translation.override("en"):
        english_page = loader.get_template("500.html").render()
    with translation.override("zh-hans"):
        chinese_page = loader.get_template("500.html").render()
    assert '<html lang="en">' in english_page
    assert "<h1>Something went wrong</h1>" in english_page
    assert "<h1>系统出现错误</h1>" in chinese_page


# --- (b) the English catalogue is complete ------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (header included); enough of the format for makemessages' output."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)

    def text(quoted: str) -> str:
        value = ast.literal_eval(quoted)
        assert isinstance(value, str)
        return value

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            current = None
            continue
        if current is None:
            current = Entry()
            entries.append(current)
        if line.startswith("#~"):
            current.obsolete = True
        elif line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            target = ("msgid_plural", 0)
            current.msgid_plural = text(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            target = ("msgid", 0)
            current.msgid = text(line[len("msgid ") :])
        elif line.startswith("msgstr["):
            index = int(line[len("msgstr[") : line.index("]")])
            target = ("msgstr", index)
            current.msgstr[index] = text(line[line.index("]") + 2 :])
        elif line.startswith("msgstr "):
            target = ("msgstr", 0)
            current.msgstr[0] = text(line[len("msgstr ") :])
        elif line.startswith("msgctxt "):
            target = ("msgctxt", 0)
            current.msgctxt = text(line[len("msgctxt ") :])
        elif line.startswith('"'):
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += text(line)
            elif name == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + text(line)
            elif name == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + text(line)
            else:
                current.msgid += text(line)
    return entries


def problems_of(entries: list[Entry]) -> list[str]:
    """Every entry that an English user would see in Chinese, or in a guessed (fuzzy) English."""
    problems = []
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid}")
        expected = 2 if entry.msgid_plural is not None else 1
        translations = [entry.msgstr.get(i, "") for i in range(expected)]
        if not all(t.strip() for t in translations):
            problems.append(f"untranslated: {entry.msgid}")
    return problems


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def test_committed_catalogue_translates_every_entry():
    entries = read_po(EN_PO)
    assert len(entries) > 700  # the whole UI, not a stub
    header = entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en" in header.msgstr[0]
    assert problems_of(entries) == []


def test_translations_keep_the_placeholders():
    mismatched = []
    for entry in read_po(EN_PO)[1:]:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        wanted = set(PLACEHOLDER.findall(" ".join(sources)))
        for text in entry.msgstr.values():
            if set(PLACEHOLDER.findall(text)) != wanted:
                mismatched.append(f"{entry.msgid} → {text}")
    assert mismatched == []


def test_no_chinese_left_in_the_english_catalogue_except_names_and_examples():
    # Chinese may remain only where it is data the user types or sees in Chinese documents:
    # the language's own name, examples of Chinese input, and sheet or column names of workbooks.
    allowed = re.compile(r"简体中文|e\.g\. [^\s,;)]+|“[^”]*”|单位名称|统一社会信用代码")
    leftovers = []
    for entry in read_po(EN_PO)[1:]:
        for text in entry.msgstr.values():
            if re.search(r"[\u4e00-\u9fff]", allowed.sub("", text)):
                leftovers.append(text)
    assert leftovers == []


def test_compiled_catalogue_matches_the_po():
    """The .mo is committed (so `make run` needs no gettext); it must be compiled from this .po."""
    with EN_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(EN_PO)[1:]:
        if entry.msgid_plural is not None:
            got = [compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            want = [entry.msgstr[0], entry.msgstr[1]]
        elif entry.msgctxt is not None:
            got, want = [compiled.pgettext(entry.msgctxt, entry.msgid)], [entry.msgstr[0]]
        else:
            got, want = [compiled.gettext(entry.msgid)], [entry.msgstr[0]]
        if got != want:
            stale.append(entry.msgid)
    assert stale == [], "run: manage.py compilemessages --ignore=.venv"


def test_makemessages_finds_no_new_or_changed_string(tmp_path, settings, monkeypatch):
    """Extract the UI strings from the source now; every one must already be translated.

    makemessages runs on a mirror of the repository (symlinks) whose only locale directory is a
    copy of the committed one, so the working tree is never written to. A new string shows up
    untranslated, a changed one as fuzzy.
    """
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        if os.environ.get("CI"):
            pytest.fail("CI needs gettext for this check (Makefile: DEBIAN_TEST)")
        pytest.skip("gettext is not installed (apt-get install gettext)")
    mirror = tmp_path / "repo"
    mirror.mkdir()
    for child in REPO.iterdir():
        if child.name.startswith(".") or child.name in ("locale", *MAKEMESSAGES_IGNORE):
            continue
        (mirror / child.name).symlink_to(child)
    shutil.copytree(REPO / "locale", mirror / "locale")
    settings.LOCALE_PATHS = [mirror / "locale"]
    monkeypatch.chdir(mirror)
    call_command(
        "makemessages",
        locale=["en"],
        ignore_patterns=MAKEMESSAGES_IGNORE,
        no_obsolete=True,
        symlinks=True,
        verbosity=0,
    )
    extracted = read_po(mirror / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert problems_of(extracted) == [], (
        "translate the new UI strings in locale/en/LC_MESSAGES/django.po, then compilemessages"
    )
    assert {(e.msgctxt, e.msgid) for e in extracted} == {
        (e.msgctxt, e.msgid) for e in read_po(EN_PO)
    }, "run makemessages -l en --ignore=.venv --ignore=tests --ignore=bench --no-obsolete"
    assert os.path.samefile(Path.cwd(), mirror)


# --- (c) documents stay Chinese -----------------------------------------------------------------


def _texts(fmt: str, content: bytes) -> bytes | dict[str, bytes]:
    """Compare what a reader sees: the parts of an Office file without its creation timestamps."""
    if fmt in ("docx", "data.xlsx", "scoring.xlsx"):
        with zipfile.ZipFile(BytesIO(content)) as archive:
            return {n: archive.read(n) for n in archive.namelist() if not n.startswith("docProps")}
    return content


@pytest.mark.parametrize("fmt", ["txt", "docx", "data.xlsx", "scoring.xlsx"])
def test_documents_rendered_in_english_are_the_chinese_ones(world, fmt):
    scored = score_data(world.evaluation.data)
    assert scored.evaluation is not None and scored.result is not None
    with translation.override("zh-hans"):
        chinese = render_document(scored.evaluation, scored.result, fmt)
    with translation.override("en"):
        in_english_ui = render_document(scored.evaluation, scored.result, fmt)
    assert _texts(fmt, in_english_ui) == _texts(fmt, chinese)


def test_report_text_downloaded_from_the_english_ui_is_chinese(client, world):
    client = english(client, world.editor)
    response = client.get(reverse("evaluations:document", args=[world.evaluation.pk, "txt"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert "部门整体支出绩效自评报告" in text or "绩效自评报告" in text
    assert "本次整体绩效自评得分98分" in text
    for english_word in ["Self-evaluation", "self-evaluation", "Budget", "Score"]:
        assert english_word not in text
    with translation.override("zh-hans"):
        client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        chinese = client.get(reverse("evaluations:document", args=[world.evaluation.pk, "txt"]))
    assert chinese.content == response.content


def test_documents_frozen_by_a_bureau_in_english_are_chinese(
    world, django_capture_on_commit_callbacks
):
    """Approving while the UI is English freezes the same Chinese files as in Chinese."""
    e = world.evaluation
    with translation.override("en"):
        transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
        transition(
            user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
        )
        with django_capture_on_commit_callbacks(execute=True):  # the freeze job
            transition(
                user=world.bureau_reviewer, evaluation_id=e.pk, action=workflow.BUREAU_APPROVE
            )
    frozen = {d.format: d for d in FrozenDocument.objects.filter(evaluation=e)}
    assert sorted(frozen) == ["data.xlsx", "docx", "pdf", "scoring.xlsx"]
    scored = score_data(e.data)
    assert scored.evaluation is not None and scored.result is not None
    with translation.override("zh-hans"):
        for fmt in ("docx", "data.xlsx", "scoring.xlsx", "pdf"):
            chinese = render_document(scored.evaluation, scored.result, fmt, ruleset=scored.ruleset)
            assert _texts(fmt, bytes(frozen[fmt].content)) == _texts(fmt, chinese), fmt
    assert "自评报告" in frozen["docx"].filename
