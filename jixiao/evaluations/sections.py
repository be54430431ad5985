"""The parts of a self-evaluation a unit fills in, one page each (填报分节).

A section knows which forms and row lists it shows, how to prefill them from the stored JSON, how to
write what was typed back into a copy of that JSON, and where in its forms each fault the scoring
core finds belongs (``targets[2].actual`` → the second kept row's 实际完成值). The data stays one
document in the shape of ``scoring.evaluation.SelfEvaluation`` (docs/decisions.md, "Web system").
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms as djforms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jixiao.evaluations import forms as f
from jixiao.evaluations.bound_targets import is_bound
from jixiao.web.scoring_text import scoring_text
from scoring.loading import InputProblem
from scoring.messages import Term
from scoring.report_parts import KINDS, parts_of
from scoring.results import EvaluationResult, FlagCode
from scoring.ruleset import Band, Indicator, NotApplicableRule, RuleKind, RuleSet

Path = tuple[str | int, ...]
Origins = dict[str, list[int]]  # formset prefix → form index of each kept row, in data order


@dataclass(frozen=True)
class Rows:
    """A list of rows (a formset) in a section: ``prefix`` names it in the HTML and in ``Origins``."""

    prefix: str
    form: type[djforms.Form]
    label: Promise
    path: Path  # where the list lives in the data, e.g. ("budget", "rows")
    add_label: Promise = _lazy("添加一行")  # noqa: RUF009 - a lazy string is immutable
    fixed: bool = False
    table: bool = False  # short rows without long text: one table line each


@dataclass(frozen=True)
class Section:
    key: str
    label: Promise
    hint: Promise
    data_keys: tuple[str, ...]  # top-level keys of the data this section writes
    forms: tuple[tuple[str, type[djforms.Form]], ...] = ()
    rows: tuple[Rows, ...] = ()
    # Exact data paths of scalar fields → (form prefix, field name).
    fields: Mapping[Path, tuple[str, str]] = field(default_factory=dict)
    root_errors: bool = False  # faults of the whole document (duplicate codes) belong here
    rows_first: bool = False  # the figures come before the text that explains them


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _blank_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


# The tab words come from the one list of parts (scoring.report_parts); these are the department
# kind's, and sections_for() gives each kind its own.
_TITLES = {p.key: _lazy(p.title) for p in parts_of("department")}

SECTIONS: tuple[Section, ...] = (
    Section(
        "cover",
        _TITLES["cover"],
        _lazy("评价年度、填报日期和本次自评所依据的财政局通知。"),
        ("year", "filled_on", "notice", "project"),
        forms=(("cover", f.CoverForm), ("project", f.ProjectForm)),
        fields={
            ("year",): ("cover", "year"),
            ("filled_on",): ("cover", "filled_on"),
            ("notice",): ("cover", "notice_title"),
            ("notice", "title"): ("cover", "notice_title"),
            ("notice", "number"): ("cover", "notice_number"),
            ("notice", "issuer"): ("cover", "notice_issuer"),
            ("project",): ("project", "project_name"),
            ("project", "name"): ("project", "project_name"),
            ("project", "implementing_unit"): ("project", "implementing_unit"),
            ("project", "goal_expected"): ("project", "goal_expected"),
            ("project", "goal_actual"): ("project", "goal_actual"),
        },
    ),
    Section(
        "unit",
        _TITLES["unit"],
        _lazy("单位概况、编制与人员、主要职能；编制数和实有人数用于计算在职人员控制率。"),
        ("unit",),
        forms=(("unit", f.UnitForm),),
        fields={
            ("unit", name): ("unit", name)
            for name in (
                "name",
                "short_name",
                "credit_code",
                "unit_type",
                "supervisor",
                "staffing_quota",
                "staff_actual",
                "retired",
                "temporary",
                "functions",
            )
        },
    ),
    Section(
        "key_tasks",
        _TITLES["key_tasks"],
        _lazy("本年度的重点工作任务及其具体内容。"),
        ("key_tasks",),
        rows=(
            Rows(
                "key_tasks", f.KeyTaskForm, _lazy("重点工作任务"), ("key_tasks",), _lazy("添加任务")
            ),
        ),
    ),
    Section(
        "targets",
        _TITLES["targets"],
        _lazy(
            "单位自设的绩效指标及完成情况。计分的目标须选择所属评分指标并填写分值和年度指标值；"
            "未完成目标或偏离度过大的须写明偏差原因分析及改进措施。"
        ),
        ("targets",),
        rows=(Rows("targets", f.TargetForm, _lazy("绩效目标"), ("targets",), _lazy("添加目标")),),
        root_errors=True,
    ),
    Section(
        "budget",
        _TITLES["budget"],
        _lazy("按资金来源填写年初预算数、全年预算数和全年执行数（万元），合计自动计算。"),
        ("budget",),
        forms=(("budget", f.BudgetForm),),
        rows=(
            Rows(
                "rows",
                f.BudgetRowForm,
                _lazy("资金来源"),
                ("budget", "rows"),
                _lazy("添加资金来源"),
                table=True,
            ),
        ),
        fields={
            ("budget", "change_reason"): ("budget", "change_reason"),
            ("budget", "execution_explanation"): ("budget", "execution_explanation"),
        },
        rows_first=True,
    ),
    Section(
        "group",
        _TITLES["group"],
        _lazy("评价小组的成立依据与成员、自评工作过程，以及材料报送的质量和一致性。"),
        ("group", "process", "submission_quality", "submission_consistency"),
        forms=(("group", f.GroupForm),),
        rows=(
            Rows(
                "members",
                f.MemberForm,
                _lazy("小组成员"),
                ("group", "members"),
                _lazy("添加成员"),
                table=True,
            ),
        ),
        fields={
            ("group", "basis"): ("group", "basis"),
            ("group", "description"): ("group", "description"),
            ("process",): ("group", "process"),
            ("submission_quality",): ("group", "submission_quality"),
            ("submission_consistency",): ("group", "submission_consistency"),
        },
    ),
    Section(
        "assessments",
        _TITLES["assessments"],
        _lazy(
            "评分表中固定指标的自评：定性指标选择档次并在档内打分；定量指标填写实际值；"
            "由预算和人员数据计算的指标自动得分。"
        ),
        ("assessments",),
        rows=(
            Rows(
                "assessments",
                f.AssessmentForm,
                _lazy("指标自评"),
                ("assessments",),
                fixed=True,
            ),
        ),
        root_errors=True,
    ),
    Section(
        "analyses",
        _TITLES["analyses"],
        _lazy("按预算编制、执行、监督、使用效益等维度分析绩效情况。"),
        ("analyses",),
        rows=(Rows("analyses", f.TitledTextForm, _lazy("分析"), ("analyses",), _lazy("添加一项")),),
    ),
    Section(
        "practices",
        _TITLES["practices"],
        _lazy("主要做法和经验，每条一个要点和说明。"),
        ("practices",),
        rows=(
            Rows("practices", f.TitledTextForm, _lazy("做法"), ("practices",), _lazy("添加一条")),
        ),
    ),
    Section(
        "problems",
        _TITLES["problems"],
        _lazy("存在的问题和对应的改进措施，每条一项。"),
        ("problems", "improvements"),
        rows=(
            Rows("problems", f.LineForm, _lazy("存在问题"), ("problems",), _lazy("添加问题")),
            Rows(
                "improvements", f.LineForm, _lazy("改进措施"), ("improvements",), _lazy("添加措施")
            ),
        ),
    ),
    Section(
        "other",
        _TITLES["other"],
        _lazy("自评结果的说明和其他需要说明的情况。"),
        ("other", "result_statement"),
        forms=(("other", f.OtherForm),),
        fields={
            ("other",): ("other", "other"),
            ("result_statement",): ("other", "result_statement"),
        },
    ),
)

SECTIONS_BY_KEY = {s.key: s for s in SECTIONS}

_BY_KIND: dict[str, tuple[Section, ...]] = {
    kind: tuple(
        dataclasses.replace(SECTIONS_BY_KEY[p.key], label=_lazy(p.title))
        for p in parts_of(kind)
        if p.editable
    )
    for kind in KINDS
}


def sections_for(kind: str) -> tuple[Section, ...]:
    """The entry tabs of an evaluation of ``kind`` (department | project), in report order, named
    as the return form, the comments and the report name them (scoring.report_parts)."""
    return _BY_KIND.get(kind, _BY_KIND["department"])


def evaluation_kind(data: Mapping[str, Any]) -> str:
    """department | project, as the stored content says (a draft without it is a department one)."""
    kind = str((data or {}).get("kind") or "department")
    return kind if kind in KINDS else "department"


# --- the rule-set as the forms need it ---------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """A fixed leaf of the rule-set as the 指标自评 page shows it."""

    indicator: Indicator
    level1: str
    level2: str

    @property
    def name(self) -> Term:
        """The indicator's name, carrying its English name (the filter scoring_text shows it)."""
        return Term(self.indicator.name, self.indicator.name_en)

    @property
    def rule_kind(self) -> str:
        return self.indicator.rule.kind.value if self.indicator.rule else ""

    @property
    def derived(self) -> bool:
        """Scored from the budget or staffing figures: nothing to type in."""
        return self.indicator.rule is not None and self.indicator.rule.source is not None

    @property
    def qualitative(self) -> bool:
        return self.rule_kind == RuleKind.QUALITATIVE.value


def fixed_leaves(ruleset: RuleSet | None) -> list[Leaf]:
    if ruleset is None:
        return []
    out = []
    for path, node in ruleset.walk():
        if node.is_leaf:
            names = [Term(p.name, p.name_en) for p in path]
            out.append(Leaf(node, names[0] if names else "", names[-1] if names else ""))
    return out


def open_nodes(ruleset: RuleSet | None) -> list[tuple[str, str]]:
    if ruleset is None:
        return []
    return [
        (node.code, f"{node.code} {node.name}（{node.points}分）")
        for path, node in ruleset.walk()
        if node.open
    ]


# --- stored data → initial values ------------------------------------------------------------


def _initial(section: Section, data: dict[str, Any], ruleset: RuleSet | None) -> dict[str, Any]:
    """Initial values by form / formset prefix."""
    d = data
    if section.key == "cover":
        notice = d.get("notice") or {}
        project = d.get("project") or {}
        return {
            "cover": {
                "year": d.get("year"),
                "filled_on": d.get("filled_on"),
                "notice_title": notice.get("title", ""),
                "notice_number": notice.get("number", ""),
                "notice_issuer": notice.get("issuer", ""),
            },
            "project": {
                "project_name": project.get("name", ""),
                "implementing_unit": project.get("implementing_unit", ""),
                "goal_expected": project.get("goal_expected", ""),
                "goal_actual": project.get("goal_actual", ""),
            },
        }
    if section.key == "unit":
        unit = dict(d.get("unit") or {})
        unit["functions"] = "\n".join(unit.get("functions") or [])
        return {"unit": unit}
    if section.key == "budget":
        budget = d.get("budget") or {}
        return {
            "budget": {
                "change_reason": budget.get("change_reason", ""),
                "execution_explanation": budget.get("execution_explanation", ""),
            },
            "rows": list(budget.get("rows") or []),
        }
    if section.key == "group":
        group = d.get("group") or {}
        return {
            "group": {
                "basis": group.get("basis", ""),
                "description": group.get("description", ""),
                "process": d.get("process", ""),
                "submission_quality": d.get("submission_quality", ""),
                "submission_consistency": d.get("submission_consistency", ""),
            },
            "members": list(group.get("members") or []),
        }
    if section.key == "targets":
        return {
            "targets": [
                {**t, "parent": t.get("parent") or "", "part_of": t.get("part_of") or ""}
                for t in d.get("targets") or []
            ]
        }
    if section.key == "assessments":
        stored = {a.get("code"): a for a in d.get("assessments") or []}
        return {
            "assessments": [
                {**stored.get(leaf.indicator.code, {}), "code": leaf.indicator.code}
                for leaf in fixed_leaves(ruleset)
            ]
        }
    if section.key == "problems":
        return {
            "problems": [{"text": t} for t in d.get("problems") or []],
            "improvements": [{"text": t} for t in d.get("improvements") or []],
        }
    if section.key == "other":
        return {
            "other": {
                "other": d.get("other", ""),
                "result_statement": d.get("result_statement", ""),
            }
        }
    # Plain row lists whose rows are stored as they are typed.
    return {rows.prefix: list(d.get(str(rows.path[0])) or []) for rows in section.rows}


# --- typed values → data ---------------------------------------------------------------------


def _apply(
    section: Section,
    data: dict[str, Any],
    values: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    """A copy of ``data`` with this section's part replaced by the cleaned values."""
    d = copy.deepcopy(data)
    if section.key == "cover":
        c = values["cover"]
        d["year"] = c["year"]
        d["filled_on"] = c["filled_on"].isoformat() if c["filled_on"] else None
        notice = {
            "title": c["notice_title"],
            "number": c["notice_number"],
            "issuer": c["notice_issuer"],
        }
        d["notice"] = notice if any(notice.values()) else None
        if "project" in values:
            p = values["project"]
            d["project"] = {
                "name": p["project_name"],
                "implementing_unit": p["implementing_unit"],
                "goal_expected": p["goal_expected"],
                "goal_actual": p["goal_actual"],
            }
    elif section.key == "unit":
        u = dict(values["unit"])
        u["functions"] = [line.strip() for line in u["functions"].splitlines() if line.strip()]
        d["unit"] = {**(d.get("unit") or {}), **u}
    elif section.key == "key_tasks":
        d["key_tasks"] = rows["key_tasks"]
    elif section.key == "targets":
        stored = {t.get("code"): t for t in d.get("targets") or []}
        d["targets"] = [_target(row, stored.get(row["code"], {})) for row in rows["targets"]]
    elif section.key == "budget":
        d["budget"] = {
            "rows": [
                {
                    "source": r["source"],
                    "initial": _dec(r["initial"]),
                    "full_year": _dec(r["full_year"]),
                    "executed": _dec(r["executed"]),
                }
                for r in rows["rows"]
            ],
            "change_reason": values["budget"]["change_reason"],
            "execution_explanation": values["budget"]["execution_explanation"],
        }
    elif section.key == "group":
        g = values["group"]
        d["group"] = {
            **(d.get("group") or {}),
            "basis": g["basis"],
            "description": g["description"],
            "members": rows["members"],
        }
        for key in ("process", "submission_quality", "submission_consistency"):
            d[key] = g[key]
    elif section.key == "assessments":
        d["assessments"] = _assessments(d.get("assessments") or [], rows["assessments"])
    elif section.key in ("analyses", "practices"):
        d[section.key] = rows[section.key]
    elif section.key == "problems":
        d["problems"] = [r["text"] for r in rows["problems"]]
        d["improvements"] = [r["text"] for r in rows["improvements"]]
    elif section.key == "other":
        d["other"] = values["other"]["other"]
        d["result_statement"] = values["other"]["result_statement"]
    return d


# Set outside the entry form (the API, a YAML import): a web save keeps them (rule-set options
# 不适用 and category caps, docs/rulesets.md「评分选项」).
KEPT_OUTSIDE_FORM = ("category", "not_applicable")


def _target(row: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    kept = {name: stored[name] for name in KEPT_OUTSIDE_FORM if name in stored}
    for name in KEPT_OUTSIDE_FORM:
        # from the form when it shows the field; written when set or stored before, so an
        # unchanged save of older data adds nothing
        if name in row and (row[name] or name in stored):
            kept[name] = row[name]
    return {
        **kept,
        "code": row["code"].strip(),
        "name": row["name"],
        "unit": row["unit"],
        "direction": row["direction"],
        "target": _dec(row["target"]),
        "target_high": _dec(row["target_high"]),
        "actual": _dec(row["actual"]),
        "parent": _blank_none(row["parent"]),
        "points": _dec(row["points"]),
        "explanation": row["explanation"],
        "part_of": _blank_none(row["part_of"]),
        # The reviewer's deduction is not the unit's to change; it survives the unit's edits.
        "reviewer_deduction": stored.get("reviewer_deduction"),
        "reviewer_deduction_reason": stored.get("reviewer_deduction_reason", ""),
    }


_ASSESSMENT_INPUTS = ("band", "score", "target", "actual", "explanation")


def _assessments(stored_list: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[Any]:
    stored = {a.get("code"): a for a in stored_list}
    on_page = {r["code"] for r in rows}
    out: list[Any] = []
    for r in rows:
        old = stored.get(r["code"], {})
        new = {
            "code": r["code"],
            "band": r["band"] or None,
            "score": _dec(r["score"]),
            "target": _dec(r["target"]),
            "actual": _dec(r["actual"]),
            "explanation": r["explanation"],
        }
        if "not_applicable" in r and (r["not_applicable"] or "not_applicable" in old):
            new["not_applicable"] = bool(r["not_applicable"])  # the form shows it (rescale)
        elif "not_applicable" in old:
            new["not_applicable"] = old["not_applicable"]  # set outside the form: kept
        if not any(new.get(k) for k in (*_ASSESSMENT_INPUTS, "not_applicable")) and not old:
            continue
        # 示例分值 stays marked only while the example's band and score are left as they were.
        unchanged = (old.get("band"), _norm(old.get("score"))) == (new["band"], _norm(new["score"]))
        out.append(
            {
                **new,
                "reviewer_deduction": old.get("reviewer_deduction"),
                "reviewer_deduction_reason": old.get("reviewer_deduction_reason", ""),
                "example": bool(old.get("example")) and unchanged,
            }
        )
    # Assessments of codes the rule-set no longer has are kept rather than silently dropped.
    out += [a for code, a in stored.items() if code not in on_page]
    return out


def _norm(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value)).normalize()


# --- binding, validation and fault placement ---------------------------------------------------


_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_field_path(text: str) -> Path:
    """``budget.rows[1].initial`` (1-based, as scoring.loading writes it) → ("budget", "rows", 0,
    "initial")."""
    parts: list[str | int] = []
    for name, index in _TOKEN.findall(text):
        parts.append(int(index) - 1 if index else name)
    return tuple(parts)


@dataclass
class Entry:
    """One section's forms, bound to a request or prefilled from the stored data."""

    section: Section
    forms: dict[str, djforms.Form]
    formsets: dict[str, f.RowFormSet]
    leaves: list[Leaf]
    bands: tuple[Band, ...] = ()
    section_errors: list[str] = field(default_factory=list)
    not_applicable_allowed: bool = False  # the rule-set drops 不适用 indicators (rescale)
    other_problems: list[str] = field(default_factory=list)
    origins: Origins = field(default_factory=dict)

    @property
    def row_groups(self) -> list[tuple[Rows, f.RowFormSet]]:
        return [(rows, self.formsets[rows.prefix]) for rows in self.section.rows]

    @property
    def assessment_rows(self) -> list[tuple[djforms.Form, Leaf]]:
        formset = self.formsets.get("assessments")
        return list(zip(formset.forms, self.leaves, strict=False)) if formset is not None else []

    @property
    def has_typed_figures(self) -> bool:
        """Whether any fixed leaf asks for a typed target / actual (otherwise the column is hidden)."""
        return any(not leaf.derived and not leaf.qualitative for leaf in self.leaves)

    def is_valid(self) -> bool:
        # Evaluate every form so each shows its own errors.
        results = [form.is_valid() for form in self.forms.values()]
        results += [formset.is_valid() for formset in self.formsets.values()]
        return all(results)

    def kept_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Cleaned rows that are neither deleted nor left empty, recording where each came from."""
        out: dict[str, list[dict[str, Any]]] = {}
        for prefix, formset in self.formsets.items():
            out[prefix] = []
            self.origins[prefix] = []
            for index, form in enumerate(formset.forms):
                cleaned = getattr(form, "cleaned_data", None)
                if not cleaned or cleaned.get("DELETE"):
                    continue
                out[prefix].append({k: v for k, v in cleaned.items() if k != "DELETE"})
                self.origins[prefix].append(index)
        return out

    def merged(self, data: dict[str, Any]) -> dict[str, Any]:
        """The stored data with this section's cleaned values written in (after is_valid())."""
        values = {name: form.cleaned_data for name, form in self.forms.items()}
        merged = _apply(self.section, data, values, self.kept_rows())
        if self.section.key == "assessments":
            # Empty rows are not stored, so a stored assessment finds its row by code.
            by_code = {leaf.indicator.code: i for i, leaf in enumerate(self.leaves)}
            self.origins["assessments"] = [
                by_code.get(str(a.get("code")), -1) for a in merged["assessments"]
            ]
        return merged

    def place_problems(
        self, problems: Iterable[InputProblem], data: Mapping[str, Any] | None = None
    ) -> bool:
        """Put each of the scoring core's faults next to its field; True if any is this section's.

        Faults with no field of their own on this page are listed in the unit's words
        (field_labels), read against ``data`` (the merged data the faults were found in).
        """
        from jixiao.evaluations.field_labels import describe_field

        blocking = False
        for problem in problems:
            path = parse_field_path(problem.field)
            message = scoring_text(problem.message)
            where = describe_field(problem.field, dict(data or {})) if problem.field else ""
            if self._place(path, message):
                blocking = True
            elif not path and self.section.root_errors:
                self.section_errors.append(message)
                blocking = True
            elif path and path[0] in self.section.data_keys:
                self.section_errors.append(f"{where}：{message}")
                blocking = True
            else:
                self.other_problems.append(f"{where}：{message}" if where else message)
        return blocking

    def _place(self, path: Path, message: str) -> bool:
        for rows in self.section.rows:
            n = len(rows.path)
            if path[:n] == rows.path and len(path) > n and isinstance(path[n], int):
                kept = self.origins.get(rows.prefix, [])
                index = path[n]
                if not isinstance(index, int) or index >= len(kept) or kept[index] < 0:
                    return False
                form = self.formsets[rows.prefix].forms[kept[index]]
                name = path[n + 1] if len(path) > n + 1 else None
                if isinstance(name, str) and name in form.fields:
                    form.add_error(name, message)
                else:
                    form.add_error(None, message)
                return True
        for length in range(len(path), 0, -1):
            target = self.section.fields.get(path[:length])
            if target is not None and target[0] in self.forms:
                self.forms[target[0]].add_error(target[1], message)
                return True
        return False

    def missing_fields(self, data: dict[str, Any], result: EvaluationResult) -> dict[str, str]:
        """HTML names of the explanation fields the rules require and that are empty → message."""
        out: dict[str, str] = {}
        if self.section.key == "budget":
            for flag in result.flags:
                if not flag.missing_explanation:
                    continue
                if flag.code is FlagCode.EXECUTION_LOW:
                    out["budget-execution_explanation"] = scoring_text(flag.message)
                elif flag.code in (FlagCode.ADJUSTMENT_HIGH, FlagCode.EXECUTION_OVER):
                    out["budget-change_reason"] = scoring_text(flag.message)
            return out
        prefix = {"targets": "targets", "assessments": "assessments"}.get(self.section.key)
        if prefix is None:
            return out
        codes = [str(item.get("code")) for item in data.get(prefix) or []]
        rows = self.origins.get(prefix) or list(range(len(codes)))
        if self.section.key == "assessments" and not self.origins.get(prefix):
            # Prefilled page: one row per leaf, in rule-set order.
            codes = [leaf.indicator.code for leaf in self.leaves]
            rows = list(range(len(codes)))
        for indicator in result.indicators:
            messages = [
                scoring_text(fl.message) for fl in indicator.flags if fl.missing_explanation
            ]
            if messages and indicator.code in codes:
                position = codes.index(indicator.code)
                if position < len(rows):
                    out[f"{prefix}-{rows[position]}-explanation"] = "；".join(messages)
        return out

    def mark_missing(self, missing: Mapping[str, str]) -> None:
        """Give the empty required explanations the ``missing`` class (before rendering)."""
        forms_by_prefix: list[djforms.Form] = list(self.forms.values())
        for formset in self.formsets.values():
            forms_by_prefix += list(formset.forms)
        for form in forms_by_prefix:
            for name, bound in form.fields.items():
                if form.add_prefix(name) in missing:
                    classes = bound.widget.attrs.get("class", "")
                    bound.widget.attrs["class"] = f"{classes} missing".strip()
                    bound.widget.attrs["title"] = missing[form.add_prefix(name)]


def build_entry(
    section: Section,
    data: dict[str, Any],
    ruleset: RuleSet | None,
    post: Mapping[str, Any] | None = None,
    *,
    registered: bool = False,
) -> Entry:
    """The section's forms: bound to ``post`` when given, else prefilled from ``data``.
    ``registered``: the evaluation is about a 项目库 project, whose name is not the unit's to edit."""
    initial = _initial(section, data, ruleset)
    leaves = fixed_leaves(ruleset) if section.key == "assessments" else []
    bands = ruleset.bands if ruleset is not None else ()
    allow_not_applicable = (
        ruleset is not None and ruleset.options.not_applicable is NotApplicableRule.RESCALE
    )
    forms: dict[str, djforms.Form] = {}
    for name, form_class in section.forms:
        if name == "project" and data.get("kind") != "project":
            continue
        # Bound forms get the stored values too: a disabled (server-owned) field takes its value
        # from them, never from the post.
        extra: dict[str, Any] = {"registered": True} if name == "project" and registered else {}
        forms[name] = (
            form_class(post, initial=initial.get(name), prefix=name, **extra)
            if post is not None
            else form_class(initial=initial.get(name), prefix=name, **extra)
        )
    formsets: dict[str, f.RowFormSet] = {}
    for rows in section.rows:
        formset_class = f.row_formset(rows.form, fixed=rows.fixed)
        kwargs: dict[str, Any] = {"prefix": rows.prefix}
        if rows.form is f.TargetForm:
            kwargs["form_kwargs"] = {
                "parents": open_nodes(ruleset),
                "not_applicable_allowed": allow_not_applicable,
            }
            if is_bound(data):
                # Bound to the approved targets: exactly their rows, their fields shown and never
                # taken from the post (a disabled field's value is its initial value, so the
                # bound formset gets the stored rows as initial when posted too).
                count = len(initial.get(rows.prefix) or [])
                formset_class = f.bound_target_formset(count)
                kwargs["form_kwargs"]["bound"] = True
                kwargs["initial"] = initial.get(rows.prefix)
        if rows.form is f.AssessmentForm:
            kwargs["row_kwargs"] = [{"leaf": leaf.indicator, "bands": bands} for leaf in leaves]
            kwargs["form_kwargs"] = {"bands": bands, "not_applicable_allowed": allow_not_applicable}
        if post is not None:
            formsets[rows.prefix] = formset_class(post, **kwargs)
        else:
            kwargs.setdefault("initial", initial.get(rows.prefix))
            formsets[rows.prefix] = formset_class(**kwargs)
    return Entry(
        section, forms, formsets, leaves, bands, not_applicable_allowed=allow_not_applicable
    )


def section_for(key: str) -> Section | None:
    return SECTIONS_BY_KEY.get(key)


def section_label(key: str, kind: str = "department") -> str:
    section = next((s for s in sections_for(kind) if s.key == key), None)
    return str(section.label) if section else _("未知部分")
