"""What each 操作日志 action code means to a reader: its Chinese label and its category.

Services record dotted codes (``evaluation.submit``); the log page, its filters and its export show
these words. A code missing here still shows (its category read from the code's first part, its
label the code itself), and a test (jixiao/activity/tests/test_actions.py) fails while any code a
service records is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Category:
    key: str
    label: Promise


CATEGORIES: tuple[Category, ...] = (
    Category("login", _("登录")),
    Category("entry", _("填报")),
    Category("review", _("审核")),
    Category("publish", _("发布")),
    Category("recheck", _("复核")),
    Category("rectification", _("整改")),
    Category("results", _("结果应用")),
    Category("download", _("文件下载")),
    Category("account", _("账户")),
    Category("organisation", _("单位")),
    Category("project", _("项目库")),
    Category("campaign", _("批次")),
    Category("ruleset", _("规则集")),
    Category("job", _("后台任务")),
    Category("other", _("其他")),
)
CATEGORY_LABELS = {c.key: c.label for c in CATEGORIES}


@dataclass(frozen=True)
class Action:
    code: str
    label: Promise
    category: str


ACTIONS: tuple[Action, ...] = (
    # 登录
    Action("login.success", _("登录成功"), "login"),
    Action("login.failure", _("登录失败"), "login"),
    Action("login.delay", _("登录受限"), "login"),
    Action("login.logout", _("退出登录"), "login"),
    Action("login.two_factor_failure", _("动态口令验证失败"), "login"),
    # 填报
    Action("evaluation.save", _("保存填报内容"), "entry"),
    Action("evaluation.import", _("从报告文件导入"), "entry"),
    Action("evaluation.targets_follow", _("按批复的绩效目标更新自评目标"), "entry"),
    Action("evidence.upload", _("上传佐证材料"), "entry"),
    Action("evidence.delete", _("删除佐证材料"), "entry"),
    # 审核
    Action("evaluation.submit", _("报送"), "review"),
    Action("evaluation.department_approve", _("主管部门审核通过"), "review"),
    Action("evaluation.department_return", _("主管部门退回"), "review"),
    Action("evaluation.bureau_approve", _("财政局审定通过"), "review"),
    Action("evaluation.bureau_return", _("财政局退回"), "review"),
    Action("evaluation.freeze", _("固化审定文件"), "review"),
    # 绩效目标调整
    Action("target_adjustment.request", _("申请调整绩效目标"), "review"),
    Action("target_adjustment.withdraw", _("撤回绩效目标调整申请"), "review"),
    Action("target_adjustment.department_approve", _("主管部门同意调整绩效目标"), "review"),
    Action("target_adjustment.department_refuse", _("主管部门不同意调整绩效目标"), "review"),
    Action("target_adjustment.bureau_approve", _("财政批准调整绩效目标"), "review"),
    Action("target_adjustment.bureau_refuse", _("财政不批准调整绩效目标"), "review"),
    # 发布
    Action("evaluation.publish", _("公开"), "publish"),
    Action("evaluation.withdraw", _("撤回公开"), "publish"),
    Action("evaluation.correction_return", _("撤回后退回单位更正"), "review"),
    # 复核
    Action("sample.draw", _("抽取复核样本"), "recheck"),
    Action("recheck.record", _("记录复核结果"), "recheck"),
    # 整改
    Action("rectification.raise", _("下达整改任务"), "rectification"),
    Action("rectification.report", _("报送整改情况"), "rectification"),
    Action("rectification.confirm", _("确认整改"), "rectification"),
    Action("rectification.reopen", _("要求重新整改"), "rectification"),
    Action("rectification.evidence_upload", _("上传整改佐证"), "rectification"),
    # 结果应用
    Action("results.rules_update", _("修改结果应用规则"), "results"),
    Action("results.override", _("调整预算安排建议"), "results"),
    Action("results.publish_advice", _("公开或撤下预算安排建议"), "results"),
    # 文件下载
    Action("document.download_frozen", _("下载审定文件"), "download"),
    Action("document.download_withdrawn", _("下载已撤回公开的文件"), "download"),
    # 账户
    Action("account.create", _("新增账号"), "account"),
    Action("account.update", _("修改账号"), "account"),
    Action("account.password", _("重置密码"), "account"),
    Action("account.activate", _("启用账号"), "account"),
    Action("account.deactivate", _("停用账号"), "account"),
    Action("account.password_change", _("修改密码"), "account"),
    Action("account.two_factor_enable", _("启用两步验证"), "account"),
    Action("account.two_factor_reset", _("重置两步验证"), "account"),
    # 单位
    Action("organisation.create", _("新增组织"), "organisation"),
    Action("organisation.update", _("修改组织"), "organisation"),
    Action("organisation.import", _("批量导入单位"), "organisation"),
    # 项目库
    Action("project.create", _("新增项目"), "project"),
    Action("project.update", _("修改项目"), "project"),
    Action("project.import", _("导入项目库"), "project"),
    Action("project.mapping", _("保存项目导入列映射"), "project"),
    Action("project.unit_budget", _("修改部门整体预算"), "project"),
    # 批次
    Action("campaign.create", _("下达自评工作"), "campaign"),
    Action("campaign.update", _("修改自评工作"), "campaign"),
    Action("campaign.add_units", _("增加单位"), "campaign"),
    Action("campaign.tasks_created", _("后台生成任务"), "campaign"),
    # 绩效运行监控 (jixiao.monitoring)
    Action("monitoring.save", _("保存监控报告"), "entry"),
    Action("monitoring.import", _("导入监控报告"), "entry"),
    Action("monitoring.round_update", _("修改监控批次设置"), "campaign"),
    Action("evaluation.extend_deadline", _("延长截止时间"), "campaign"),
    # 规则集
    Action("ruleset.upload", _("上传规则集"), "ruleset"),
    # 报告审查
    Action("audit.upload", _("上传报告审查"), "other"),
    Action("audit.reaudit", _("重新审查报告"), "other"),
    Action("audit.campaign", _("审查全部已提交的自评报告"), "other"),
    Action("audit.evaluation", _("审查一份自评报告"), "other"),
    Action("audit.drop_uploads", _("删除过期的重复上传文件"), "other"),
    # 后台任务
    Action("job.create", _("发起后台任务"), "job"),
    Action("job.start", _("后台任务开始"), "job"),
    Action("job.done", _("后台任务完成"), "job"),
    Action("job.fail", _("后台任务失败"), "job"),
    Action("job.retry", _("重试后台任务"), "job"),
    # 通知 (jixiao.notifications): a person's own settings, and the admin's retry of a failed mail
    Action("notification.preferences", _("修改通知设置"), "account"),
    Action("notification.read_all", _("全部通知标为已读"), "account"),
    Action("notification.retry", _("重新发送通知"), "other"),
    Action("notification.purge", _("清理过期通知"), "other"),
)
ACTIONS_BY_CODE = {a.code: a for a in ACTIONS}

# A code this table does not know yet still lands in a sensible category.
_PREFIX_CATEGORY = {
    "login": "login",
    "auth": "login",
    "evaluation": "entry",
    "rectification": "rectification",
    "results": "results",
    "evidence": "entry",
    "sample": "recheck",
    "recheck": "recheck",
    "document": "download",
    "account": "account",
    "organisation": "organisation",
    "project": "project",
    "campaign": "campaign",
    "ruleset": "ruleset",
    "job": "job",
    "notification": "account",
}


def action_label(code: str) -> str:
    action = ACTIONS_BY_CODE.get(code)
    return str(action.label) if action else code


def action_category(code: str) -> str:
    action = ACTIONS_BY_CODE.get(code)
    if action is not None:
        return action.category
    return _PREFIX_CATEGORY.get(code.split(".", 1)[0], "other")


def codes_in(category: str) -> list[str]:
    """Known codes of a category (the filter)."""
    return [a.code for a in ACTIONS if a.category == category]
