"""The API's JSON shapes. Decimals (money, scores, rates) travel as strings, so no figure ever
passes through a float on either side."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class Problem(Schema):
    """One fault in posted data: the field (dotted path) and what is wrong, in Chinese."""

    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    problems: list[str] = []


class InvalidDataOut(Schema):
    detail: str
    problems: list[Problem]


class ConflictOut(Schema):
    detail: str
    current_version: int


class OrganisationRef(Schema):
    id: int
    name: str


class EvaluationSummary(Schema):
    id: int
    campaign_id: int
    year: int
    unit: OrganisationRef
    department: OrganisationRef | None
    project_name: str
    status: str
    status_label: str
    progress: str
    total: str | None
    grade: str
    version: int
    ruleset: str
    updated_at: str


class EvaluationDetail(EvaluationSummary):
    data: dict[str, Any]
    deadline: str
    is_editable: bool


class FlagOut(Schema):
    code: str
    message: str
    needs_explanation: bool
    explained: bool


class IndicatorOut(Schema):
    code: str
    name: str
    level1: str
    level2: str
    kind: str
    direction: str | None
    unit: str
    target: str | None
    actual: str | None
    completion_rate: str | None
    band: str | None
    points: str
    score: str
    explanation: str
    reviewer_deduction: str | None
    unit_defined: bool
    # 不适用 (dropped by the rule-set's rescale option): points and score are 0, and
    # declared_points the points before rescaling (also set on the rescaled indicators)
    not_applicable: bool
    declared_points: str | None
    flags: list[FlagOut]


class GroupOut(Schema):
    code: str
    name: str
    points: str
    score: str


class RatiosOut(Schema):
    execution_rate: str | None
    execution_rate_initial: str | None
    adjustment_rate: str | None
    staffing_control_rate: str | None
    completion_rates: dict[str, str]


class ScoreOut(Schema):
    """The full scoring result; ``scored`` is false while the draft does not validate yet."""

    evaluation_id: int
    scored: bool
    ruleset: str | None
    ruleset_name: str | None
    total: str | None
    total_points: str | None
    grade: str | None
    grade_name: str | None
    indicators: list[IndicatorOut]
    groups: list[GroupOut]
    ratios: RatiosOut | None
    flags: list[FlagOut]
    problems: list[str]
    missing_explanations: list[str]


class DataIn(Schema):
    version: int
    data: dict[str, Any]
    # A draft may be saved before it is complete; by default the data must validate.
    draft: bool = False


class SavedOut(Schema):
    id: int
    version: int
    total: str | None
    grade: str
    problems: list[str]


class TransitionIn(Schema):
    action: str
    comment: str = ""
    section_comments: dict[str, str] = {}


class TransitionOut(Schema):
    id: int
    status: str
    status_label: str
    version: int


class CampaignOut(Schema):
    id: int
    year: int
    title: str
    notice_title: str
    notice_number: str
    kind: str
    ruleset: str
    deadline: str


class ProgressOut(Schema):
    campaign: CampaignOut
    total: int
    overdue: int = 0  # still to hand in and past the deadline
    progress: dict[str, int]
    grades: dict[str, int]
    average_total: str | None


class DocumentOut(Schema):
    format: str
    filename: str
    size: int
    sha256: str
    sm3: str  # GB/T 32905 digest of the same bytes


class PublicReportOut(Schema):
    id: int
    year: int
    unit: str
    department: str
    project_name: str
    total: str
    grade: str
    published_at: str
    version: int = 1  # 2 and later: a corrected report published after a withdrawn one (撤回公开)
    documents: list[DocumentOut]


class TaskOut(EvaluationSummary):
    """One row of a campaign's progress table (the stored list columns, no content)."""

    deadline: str
    overdue: bool
    days_left: int | None
    execution_rate: str | None  # budget execution rate, %
    over_completions: int  # targets far above target (偏离度过大)
    over_unexplained: int  # … of them without an explanation
    problem_count: int  # problems the scoring reports


# Every list: ``count`` matching rows, one page of ``items``, and ``next_cursor`` to pass as
# ``cursor`` for the page after (null on the last page). The keyset lists count on the first page
# (and on offset pages) only: a cursor page answers ``count: null`` (issue 14).
COUNT_FIRST_PAGE = (
    "符合条件的总条数。只在第一页（及使用 offset 的页）计算；带 cursor 的后续页为 null，"
    "请沿用第一页的数值。"
)


class EvaluationPage(Schema):
    count: int | None = Field(None, description=COUNT_FIRST_PAGE)
    next_cursor: str | None = None
    items: list[EvaluationSummary]


class CampaignPage(Schema):
    count: int | None = Field(None, description=COUNT_FIRST_PAGE)
    next_cursor: str | None = None
    items: list[CampaignOut]


class PublicReportPage(Schema):
    count: int | None = Field(None, description=COUNT_FIRST_PAGE)
    next_cursor: str | None = None
    items: list[PublicReportOut]


class TaskPage(Schema):
    count: int
    next_cursor: str | None = None
    items: list[TaskOut]
