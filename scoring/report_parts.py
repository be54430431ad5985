"""The parts of a self-evaluation, per kind (部门整体 / 项目): ONE list.

It drives the entry tabs (jixiao.evaluations.sections), the reviewer's per-part return comments and
their display (jixiao.reviews), and the section titles the report prints (jixiao.documents report
templates). Titles are Chinese source strings: documents print them as they are; the web UI
translates them at the edge (they are marked with :func:`N_` for makemessages).

Pure Python, no Django: the CLI renders reports from the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("department", "project")


def N_(text: str) -> str:
    """Marks a string for the translation catalogue without translating it here."""
    return text


@dataclass(frozen=True)
class Part:
    key: str
    title: str  # the tab, the return-comment box and its display
    heading: str = ""  # the report's heading for this part, when it differs from the title
    editable: bool = True  # a page of the entry tabs (佐证材料 has its own page, not a tab)

    @property
    def report_heading(self) -> str:
        return self.heading or self.title


_COMMON_TAIL = (
    Part("group", N_("自评工作开展情况")),
    Part("assessments", N_("指标自评")),
)

PARTS: dict[str, tuple[Part, ...]] = {
    "department": (
        Part("cover", N_("封面与通知")),
        Part("unit", N_("单位基本情况")),
        Part("key_tasks", N_("年度重点工作任务"), heading="年度总体工作和重点工作任务"),
        Part("targets", N_("绩效目标"), heading="部门整体支出绩效目标"),
        Part("budget", N_("部门整体支出情况")),
        *_COMMON_TAIL,
        Part("analyses", N_("绩效指标分析"), heading="部门整体支出绩效指标分析"),
        Part("practices", N_("主要做法和经验")),
        Part("problems", N_("存在问题和改进措施")),
        Part("other", N_("其他自评情况")),
        Part("evidence", N_("佐证材料"), editable=False),
    ),
    "project": (
        Part("cover", N_("封面与通知")),
        Part("unit", N_("单位基本情况")),
        Part("key_tasks", N_("年度重点工作任务")),
        Part("targets", N_("绩效目标"), heading="绩效指标完成情况"),
        Part("budget", N_("项目资金情况")),
        *_COMMON_TAIL,
        Part("analyses", N_("绩效指标分析")),
        Part("practices", N_("主要做法和经验")),
        Part("problems", N_("存在问题和改进措施")),
        Part("other", N_("其他自评情况")),
        Part("evidence", N_("佐证材料"), editable=False),
    ),
    # 绩效目标申报 (issue 10): the declaration's own two parts; a reviewer may also comment on each
    # target (jixiao.reviews.workflow.comment_sections adds one box per target).
    "targets": (
        Part("declaration", N_("申报信息与总体目标")),
        Part("targets", N_("绩效指标")),
    ),
    # 绩效运行监控 (issue 11): what a return comments on in a monitoring report (one page, no tabs);
    # the keys are the self-evaluation's, so a stored comment stays a known part.
    "monitoring": (
        Part("budget", N_("预算执行情况")),
        Part("targets", N_("绩效目标实现情况")),
        Part("other", N_("总体情况说明")),
    ),
}


def parts_of(kind: str) -> tuple[Part, ...]:
    """The parts of an evaluation of ``kind`` in report order (an unknown kind reads as department)."""
    return PARTS.get(kind, PARTS["department"])


def part_keys() -> frozenset[str]:
    """Every part key of any kind (what a stored comment may be keyed by)."""
    return frozenset(p.key for parts in PARTS.values() for p in parts)


def headings(kind: str) -> dict[str, str]:
    """key → the report's heading of that part, for the report templates."""
    return {p.key: p.report_heading for p in parts_of(kind)}
