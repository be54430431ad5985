"""The main path, end to end in a real browser (Chromium driven by Playwright).

The 单位负责人 is first refused with the list of what is missing (an explanation, the 填报日期); the
填报人 completes the self-evaluation through the entry forms (a target's actual value changes the live
score, the explanation it now needs, the date) and the 负责人 submits; the 主管部门 returns it with a per-section comment; the 填报人 sees it, fixes and saves;
the 负责人 resubmits; the 主管部门 and the 财政局 approve; the 财政局 publishes; an anonymous visitor
finds the report on /portal/ and downloads the PDF, whose SHA-256 equals the hash on the page and the
frozen document's.

Selectors are labels, roles and visible text, so the pages may change their markup freely.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import re
from typing import Any

import pytest
from django.urls import reverse

from jixiao.conftest import World
from jixiao.documents.digests import sm3_hex
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.scoring_bridge import score_data
from jixiao.reviews.models import FrozenDocument, Publication, Transition
from jixiao.reviews.services import submission_problems
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

T1_NAME = "新增取得职业技能等级认定证书"
UNDER_EXPLANATION = "受培训机构调整影响，部分认定考核延至次年进行；下一步将提前排定考核计划。"
RETURN_COMMENT = "请核实绩效目标完成数据后重新报送。"
SECTION_COMMENT = "T1 实际完成值应以年度统计报表为准（18969 人次），请更正并说明超额完成的原因。"
OVER_EXPLANATION = (
    "年度目标按以往年度认定规模测算偏于保守，全年企业和社会评价组织认定规模增长较快，"
    "实际完成超出目标较多；下一步将细化绩效指标设置，科学测算年度目标值。"
)


def _expect() -> Any:
    from playwright.sync_api import expect

    # The bureau's approval renders and freezes four documents (a few seconds on a busy machine);
    # Playwright's default of 5 s for an expectation would make the test flaky, not stricter.
    expect.set_options(timeout=20_000)
    return expect


def _total(data: dict[str, Any]) -> str:
    """The total the scoring core gives ``data``, as the pages print it (two decimals)."""
    scored = score_data(data)
    assert scored.result is not None, scored.problems
    return f"{scored.result.total:.2f}"


OPEN: list[Session] = []


class Session:
    """One person in their own browser context (own cookies), so roles never share a login."""

    def __init__(self, browser: Any, base: str, username: str | None) -> None:
        OPEN.append(self)
        self.name = username or "anonymous"
        self.context = browser.new_context(
            locale="zh-CN", viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        # Irreversible steps ask "are you sure?" (reviews/panel.js); this person always confirms.
        self.dialogs: list[str] = []
        self.page.on("dialog", self._confirm)
        self.base = base
        if username is not None:
            self.page.goto(base + reverse("login"))
            self.page.get_by_label("用户名").fill(username)
            self.page.get_by_label("密码").fill(PASSWORD)
            self.page.get_by_role("button", name="登录").click()
            self.page.wait_for_load_state()
            assert "/login/" not in self.page.url, f"{username} could not log in"

    def _confirm(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept()

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response and response.status)

    def shot(self, name: str) -> None:
        from tests.browser.conftest import ARTIFACTS

        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        OPEN.remove(self)
        self.context.close()


@pytest.fixture(autouse=True)
def _shoot_on_failure(request: Any) -> Any:
    """A failed run leaves each open browser's last page in artifacts/ (failure-<who>.png)."""
    failed_before = request.session.testsfailed
    yield
    # The call phase has been reported by now, so a failure of this test shows in the count.
    failed = request.session.testsfailed > failed_before
    for session in list(OPEN):
        if failed:
            # The browser may be gone already; the assertion says enough then.
            with contextlib.suppress(Exception):
                session.shot(f"failure-{session.name}")
        session.close()


def _target_row(page: Any, code: str) -> Any:
    """The row block of the target whose 编码 is ``code``."""
    # The 编码 label carries a required-field star; "其中（所属目标编码）" must not match.
    code_input = page.get_by_label(re.compile(r"^编码")).and_(page.locator(f"[value='{code}']"))
    return page.locator("[data-row]").filter(has=code_input)


def _panel_total(page: Any) -> Any:
    return page.locator("#score-panel .panel-total b")


def test_main_path(browser: Any, live_server: Any, world: World) -> None:
    expect = _expect()
    base = live_server.url
    evaluation = world.evaluation
    # Make the editor do real work: the over-completed target T1 loses its explanation and the
    # 填报日期 is blank, so the head's first attempt to submit is refused with both listed.
    data = copy.deepcopy(evaluation.data)
    data["targets"][1]["explanation"] = ""
    data["filled_on"] = None
    Evaluation.objects.filter(pk=evaluation.pk).update(data=data)
    assert data["targets"][1]["name"] == T1_NAME
    under = copy.deepcopy(data)
    under["targets"][1]["actual"] = "11000"
    under["targets"][1]["explanation"] = UNDER_EXPLANATION
    detail = reverse("evaluations:detail", args=[evaluation.pk])
    targets = reverse("evaluations:edit", args=[evaluation.pk, "targets"])
    cover = reverse("evaluations:edit", args=[evaluation.pk, "cover"])

    # --- 1. The head may not submit yet: T1's explanation and the 填报日期 are missing ----------
    missing = submission_problems(Evaluation.objects.get(pk=evaluation.pk))
    assert missing == [
        "新增取得职业技能等级认定证书：完成率 158.08% 超过 150%，偏离度过大（目标可能设定偏低），"
        "须说明原因",
        "未填写：填报日期",
    ]
    head = Session(browser, base, "head")
    head.goto(detail)
    panel = head.page.locator("#review-panel")
    expect(panel).to_contain_text("报送前还需完成 2 项")
    expect(panel.locator("ol li")).to_have_text(missing)
    submit = panel.get_by_role("button", name="审定并报送")
    expect(submit).to_be_disabled()
    head.shot("01-head-submit-refused")
    # A page left open from before would still post: the server refuses it just the same.
    submit.evaluate("b => b.disabled = false")
    with head.page.expect_response(lambda r: r.request.method == "POST"):
        submit.click()
    # One message under one heading, numbered (issue 8.15); the panel lists them with links.
    expect(head.page.locator(".messages .msg-error")).to_have_text(
        "未能报送，请先完成以下 2 项："
        + "；".join(f"{n}. {item}" for n, item in enumerate(missing, start=1))
    )
    expect(panel.locator("ol li a")).to_have_count(2)
    evaluation.refresh_from_db()
    assert evaluation.status == Status.DRAFT
    assert evaluation.version == 1
    assert not Transition.objects.filter(evaluation=evaluation).exists()

    # --- 2. The editor changes T1's actual value and sees the score move, explains, saves ------
    editor = Session(browser, base, "editor")
    editor.shot("02-editor-home")  # 工作台, where the login lands
    editor.goto(reverse("evaluations:list"))
    expect(editor.page.get_by_role("link", name=world.unit.name).first).to_be_visible()
    editor.shot("02-editor-list")
    editor.goto(detail)
    editor.shot("02-editor-overview")
    editor.goto(targets)
    page = editor.page
    expect(_panel_total(page)).to_have_text("98.00")
    expect(page.locator("#score-panel")).to_contain_text("须补充说明")
    row = _target_row(page, "T1")
    expect(row).to_have_count(1)
    row.get_by_label("实际完成值").fill("11000")
    expect(_panel_total(page)).to_have_text(_total(under))  # 97.17, scored live, not saved
    expect(page.locator("#score-panel")).to_contain_text("未达成年度指标值")
    editor.shot("03-editor-targets-live-score")
    row.get_by_label("偏差原因分析及改进措施").fill(UNDER_EXPLANATION)
    expect(page.locator("#score-panel")).not_to_contain_text("须补充说明")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("body")).to_contain_text("“绩效目标”已保存")
    evaluation.refresh_from_db()
    assert evaluation.data["targets"][1]["actual"] == "11000"
    assert evaluation.data["targets"][1]["explanation"] == UNDER_EXPLANATION
    assert evaluation.status == Status.DRAFT
    editor.shot("04-editor-targets-saved")

    # --- 3. The editor fills the 填报日期 ---------------------------------------------------------
    editor.goto(cover)
    editor.page.get_by_label("填报日期").fill("2026-03-20")
    editor.page.get_by_role("button", name="保存", exact=True).click()
    expect(editor.page.locator("body")).to_contain_text("“封面与通知”已保存")
    evaluation.refresh_from_db()
    assert evaluation.data["filled_on"] == "2026-03-20"
    assert submission_problems(evaluation) == []

    # --- 4. The head submits ------------------------------------------------------------------
    head.goto(detail)
    panel = head.page.locator("#review-panel")
    expect(panel).to_contain_text("必填内容已齐全")
    panel.get_by_role("button", name="审定并报送").click()
    expect(head.page.locator("#review-panel .status")).to_have_text(str(Status.SUBMITTED.label))
    evaluation.refresh_from_db()
    assert evaluation.status == Status.SUBMITTED
    head.shot("05-head-submitted")

    # --- 5. The department returns it, with a comment on 绩效目标 -----------------------------
    dept = Session(browser, base, "dept")
    dept.goto(reverse("reviews:queue"))
    expect(dept.page.locator("main")).to_contain_text(world.unit.name)
    dept.shot("06-dept-queue")
    dept.goto(detail)
    panel = dept.page.locator("#review-panel")
    returning = panel.locator("form").filter(has=dept.page.get_by_role("button", name="退回修改"))
    returning.get_by_label("总体意见").fill(RETURN_COMMENT)
    returning.locator("summary").click()
    returning.get_by_label("绩效目标", exact=True).fill(SECTION_COMMENT)
    dept.shot("07-dept-returning")
    returning.get_by_role("button", name="退回修改").click()
    expect(dept.page.locator("#review-panel .status")).to_have_text(str(Status.RETURNED.label))
    evaluation.refresh_from_db()
    assert evaluation.status == Status.RETURNED
    returned = Transition.objects.filter(evaluation=evaluation).order_by("pk").last()
    assert returned is not None and returned.comment == RETURN_COMMENT

    # --- 6. The editor sees the comment, follows it to the targets, fixes and saves ---------------
    editor.goto(detail)
    notice = editor.page.locator("#review-panel .rp-return")
    expect(notice).to_contain_text(RETURN_COMMENT)
    expect(notice).to_contain_text(SECTION_COMMENT)
    editor.shot("08-editor-sees-return")
    notice.get_by_role("link", name=re.compile("去修改")).click()
    editor.page.wait_for_url(re.compile(re.escape(targets)))
    row = _target_row(editor.page, "T1")
    row.get_by_label("实际完成值").fill("18969")
    expect(_panel_total(editor.page)).to_have_text("98.00")
    expect(editor.page.locator("#score-panel")).to_contain_text("超过 150%")
    row.get_by_label("偏差原因分析及改进措施").fill(OVER_EXPLANATION)
    expect(editor.page.locator("#score-panel")).not_to_contain_text("须补充说明")
    editor.page.get_by_role("button", name="保存", exact=True).click()
    expect(editor.page.locator("body")).to_contain_text("“绩效目标”已保存")
    evaluation.refresh_from_db()
    assert evaluation.data["targets"][1]["actual"] == "18969"
    assert evaluation.data["targets"][1]["explanation"] == OVER_EXPLANATION
    editor.shot("09-editor-fixed")

    # --- 7. The head resubmits; the department and the bureau approve; the bureau publishes ------
    head.goto(detail)
    head.page.locator("#review-panel").get_by_role("button", name="修改后重新报送").click()
    expect(head.page.locator("#review-panel .status")).to_have_text(str(Status.SUBMITTED.label))

    dept.goto(detail)
    dept.page.locator("#review-panel").get_by_role("button", name="审核通过，报财政局").click()
    expect(dept.page.locator("#review-panel .status")).to_have_text(
        str(Status.DEPARTMENT_APPROVED.label)
    )
    evaluation.refresh_from_db()
    assert evaluation.status == Status.DEPARTMENT_APPROVED

    bureau = Session(browser, base, "bureau")
    bureau.goto(reverse("reviews:queue"))
    expect(bureau.page.locator("main")).to_contain_text(world.unit.name)
    bureau.shot("10-bureau-queue")
    bureau.goto(detail)
    bureau.shot("11-bureau-review")
    bureau.page.locator("#review-panel").get_by_role("button", name="财政审定通过").click()
    expect(bureau.page.locator("#review-panel .status")).to_have_text(str(Status.APPROVED.label))
    evaluation.refresh_from_db()
    assert evaluation.status == Status.APPROVED

    admin = Session(browser, base, "admin")
    admin.goto(detail)
    admin.page.locator("#review-panel").get_by_role("button", name="公开").click()
    expect(admin.page.locator("#review-panel .status")).to_have_text(str(Status.PUBLISHED.label))
    evaluation.refresh_from_db()
    assert evaluation.status == Status.PUBLISHED
    # The steps that cannot be taken back asked first.
    assert any("确定报送" in d for d in head.dialogs), head.dialogs
    assert any("确定审定" in d for d in bureau.dialogs), bureau.dialogs
    assert any("确定公开" in d for d in admin.dialogs), admin.dialogs
    assert f"{evaluation.total:.2f}" == "98.00"
    admin.shot("12-admin-published")
    for session in (editor, head, dept, bureau, admin):
        session.close()

    # --- 8. Anyone finds it on the portal and downloads the PDF; the hashes agree ---------------
    visitor = Session(browser, base, None)
    visitor.goto(reverse("portal:index"))
    listing = visitor.page.locator("main")
    expect(listing).to_contain_text(world.unit.name)
    visitor.shot("13-portal-index")
    visitor.page.get_by_role("link", name=world.unit.name).click()
    publication = Publication.objects.get(evaluation=evaluation)
    visitor.page.wait_for_url(
        re.compile(re.escape(reverse("portal:detail", args=[publication.pk])))
    )
    expect(visitor.page.locator("main")).to_contain_text("98.00")
    visitor.shot("14-portal-detail")
    frozen = FrozenDocument.objects.get(evaluation=evaluation, format="pdf")
    pdf_row = visitor.page.locator("tr").filter(has_text="PDF")
    expect(pdf_row).to_have_count(1)
    shown = pdf_row.locator("td.hash").inner_text()
    shown_sha256 = re.search(r"SHA-256\s+([0-9a-f]{64})", shown)
    shown_sm3 = re.search(r"SM3\s+([0-9a-f]{64})", shown)
    assert shown_sha256 and shown_sm3, shown
    with visitor.page.expect_download() as info:
        pdf_row.get_by_role("link", name="下载").click()
    path = info.value.path()
    with open(path, "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    digest = hashlib.sha256(content).hexdigest()
    assert digest == shown_sha256.group(1) == frozen.sha256
    assert sm3_hex(content) == shown_sm3.group(1) == frozen.sm3
    visitor.close()
