"""Field paths of the self-evaluation (``targets[3].actual``) in the words a unit uses.

The scoring core names a fault by its path in the data; people read 「绩效目标第 3 行（证书按时核发率）
实际完成值」. One table for every page that lists faults (detail page, submission check, API).
"""

from __future__ import annotations

import re
from typing import Any

LABELS: dict[str, str] = {
    "kind": "自评类型",
    "ruleset": "评分规则集",
    "year": "评价年度",
    "filled_on": "填报日期",
    "notice": "通知",
    "notice.title": "通知名称",
    "notice.number": "通知文号",
    "notice.issuer": "发文单位",
    "unit": "单位基本情况",
    "unit.name": "单位名称",
    "unit.short_name": "单位自称",
    "unit.credit_code": "统一社会信用代码",
    "unit.unit_type": "单位类型",
    "unit.supervisor": "主管部门",
    "unit.staffing_quota": "编制数",
    "unit.staff_actual": "实有人数",
    "unit.retired": "离退休人数",
    "unit.temporary": "临时聘用人数",
    "unit.functions": "主要职能",
    "project": "项目信息",
    "project.name": "项目名称",
    "project.implementing_unit": "实施单位",
    "project.goal_expected": "年度总体目标（预期目标）",
    "project.goal_actual": "年度总体目标（实际完成情况）",
    "key_tasks": "年度重点工作任务",
    "key_tasks.title": "任务",
    "key_tasks.detail": "任务内容",
    "targets": "绩效目标",
    "targets.code": "编码",
    "targets.name": "指标名称",
    "targets.unit": "计量单位",
    "targets.direction": "方向",
    "targets.target": "年度指标值",
    "targets.target_high": "区间上限",
    "targets.actual": "实际完成值",
    "targets.parent": "所属评分指标",
    "targets.points": "分值",
    "targets.explanation": "偏差原因分析及改进措施",
    "targets.part_of": "其中（所属目标）",
    "targets.category": "二级指标（类别）",
    "targets.not_applicable": "不适用",
    "budget": "预算",
    "budget.rows": "",  # 预算 · 第 1 行（当年财政拨款）· 年初预算数
    "budget.rows.source": "资金来源",
    "budget.rows.initial": "年初预算数",
    "budget.rows.full_year": "全年预算数",
    "budget.rows.executed": "全年执行数",
    "budget.change_reason": "预算调整原因",
    "budget.execution_explanation": "执行率偏低的原因",
    "group": "评价小组",
    "group.basis": "成立依据",
    "group.members": "小组成员",
    "group.members.name": "姓名",
    "group.members.role": "职务",
    "group.members.duty": "分工",
    "process": "自评工作过程",
    "submission_quality": "自评材料报送时间及质量",
    "submission_consistency": "报送及公开一致情况",
    "assessments": "指标自评",
    "assessments.code": "指标",
    "assessments.band": "档次",
    "assessments.score": "自评得分",
    "assessments.actual": "实际完成值",
    "assessments.target": "年度指标值",
    "assessments.explanation": "说明",
    "assessments.not_applicable": "不适用",
    "analyses": "绩效分析",
    "practices": "主要做法和经验",
    "problems": "存在问题",
    "improvements": "改进措施",
    "other": "其他自评情况",
    "result_statement": "自评结果说明",
}

ROW_NAME_KEYS = {
    "targets": "name",
    "key_tasks": "title",
    "budget.rows": "source",
    "assessments": "code",
}
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def describe_field(path: str, data: dict[str, Any] | None = None) -> str:
    """``targets[3].actual`` → ``绩效目标第 3 行（证书按时核发率） · 实际完成值``; unknown parts
    are kept as they are."""
    names: list[str] = []
    out: list[str] = []
    node: Any = data
    for name, index in _TOKEN.findall(path):
        if index:
            row = int(index)
            key = ".".join(names)
            label = f"第 {row} 行"
            if isinstance(node, list) and 0 < row <= len(node):
                node = node[row - 1]
                row_name = (
                    node.get(ROW_NAME_KEYS.get(key, ""), "") if isinstance(node, dict) else ""
                )
                if row_name:
                    label += f"（{row_name}）"
            else:
                node = None
            if out:
                out[-1] += label
            else:
                out.append(label)
            continue
        names.append(name)
        node = node.get(name) if isinstance(node, dict) else None
        label = LABELS.get(".".join(names), name)
        if label:  # an empty label folds a level into its parent (budget.rows → 预算)
            out.append(label)
    return " · ".join(part for part in out if part)
