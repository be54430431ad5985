"""The demo city: who exists, what each unit reported, and where each evaluation stands.

Plain data, kept apart from the command that loads it, so a reader sees the whole demo at a glance:
four supervising departments, the seed unit and thirteen more units, two campaigns (FY2024 closed
and published, FY2025 open) and the state each unit's evaluation is taken to through the real
workflow services.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from jixiao.organisations.credit_code import check_character
from jixiao.testing.factories import seed_evaluation_data

DEMO_PASSWORD = "jixiao-demo-2025"

BUREAU = "湛江市财政局"
SEED_DEPARTMENT = "湛江市人力资源和社会保障局"
SEED_UNIT = "湛江市职业技能鉴定指导中心"

CAMPAIGN_2025 = {
    "year": 2025,
    "title": "2025年度市级部门整体支出绩效自评",
    "notice_title": "湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知",
    "notice_number": "湛财绩〔2026〕2号",
}
CAMPAIGN_2024 = {
    "year": 2024,
    "title": "2024年度市级部门整体支出绩效自评",
    "notice_title": "湛江市财政局关于开展2025年市级财政资金绩效自评工作的通知",
    "notice_number": "湛财绩〔2025〕3号",
}


def credit_code(kind_digits: str, serial: int) -> str:
    """A valid 统一社会信用代码 for a Zhanjiang (440800) organisation: 11 机关, 12 事业单位."""
    # 9-digit organisation codes from 880000000 up: clear of the test factories' sequence.
    first17 = f"{kind_digits}440800{880000000 + serial:09d}"
    return first17 + check_character(first17)


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: str
    organisation: str
    listed: bool = False  # one of the five demo accounts printed and documented in README.md


@dataclass(frozen=True)
class TargetSpec:
    name: str
    unit: str
    target: str
    actual: str
    points: int
    explanation: str = ""


@dataclass(frozen=True)
class UnitSpec:
    """One budget unit and its FY2025 (and optionally FY2024) evaluation."""

    name: str
    short_name: str
    slug: str  # ASCII, for the unit head's username
    department: str
    unit_type: str
    staffing_quota: int
    staff_actual: int
    serial: int
    functions: tuple[str, ...]
    # FY2025 state: not_started | drafting | submitted | returned | department_approved |
    # approved | published (the first two stay draft)
    state: str
    targets: tuple[TargetSpec, ...] = ()
    budget: tuple[str, str, str] = ("100.00", "100.00", "100.00")  # initial, full_year, executed
    change_reason: str = ""
    execution_explanation: str = ""
    bands: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (band, score)
    return_comment: str = ""
    section_comments: dict[str, str] = field(default_factory=dict)
    returned_by: str = "department"  # department | bureau
    with_2024: bool = False


QUALITATIVE_POINTS = {"B1": 5, "B3": 10, "E3": 10, "S1": 5, "S2": 5, "S3": 5, "U2": 5, "U3": 5}
FULL = {code: ("A", str(points)) for code, points in QUALITATIVE_POINTS.items()}

DEPARTMENTS = (SEED_DEPARTMENT, "湛江市教育局", "湛江市卫生健康局", "湛江市农业农村局")
DEPARTMENT_SLUGS = {
    SEED_DEPARTMENT: "renshe",
    "湛江市教育局": "jiaoyu",
    "湛江市卫生健康局": "weijian",
    "湛江市农业农村局": "nongye",
}

SEED_FUNCTIONS = (
    "负责全市技能人员职业资格考核评价、专项能力考核鉴定、职业技能等级认定评价工作",
    "承担职业技能鉴定题库地级市分库的建设和管理",
    "负责全市职业技能等级认定质量督导和技术支持服务工作",
    "开展职业技能鉴定考评人员、质量督导人员和专家队伍建设",
)

UNITS: tuple[UnitSpec, ...] = (
    UnitSpec(
        name="湛江市就业服务中心",
        short_name="我中心",
        slug="jiuye",
        department=SEED_DEPARTMENT,
        unit_type="公益一类事业单位",
        staffing_quota=20,
        staff_actual=18,
        serial=101,
        functions=(
            "负责全市公共就业服务体系建设",
            "组织实施就业援助和职业介绍",
            "承担失业登记和就业困难人员认定工作",
        ),
        state="submitted",
        targets=(
            TargetSpec(
                "城镇新增就业人数",
                "人",
                "28000",
                "26320",
                10,
                "受部分企业用工需求收缩影响，未完成年度目标；下一步将加强岗位归集和供需对接。",
            ),
            TargetSpec("举办公共就业招聘会", "场", "60", "64", 10),
            TargetSpec(
                "帮扶就业困难人员就业",
                "人",
                "1500",
                "1188",
                5,
                "就业困难人员结构变化，部分人员就业意愿不强；将开展一对一跟踪帮扶。",
            ),
        ),
        budget=("412.60", "436.20", "421.35"),
        change_reason="年中追加就业补助资金配套经费",
        bands={
            **FULL,
            "B1": ("B", "3"),
            "B3": ("B", "7.5"),
            "S2": ("B", "3"),
            "U2": ("B", "3.5"),
            "U3": ("A", "4"),
        },
        with_2024=True,
    ),
    UnitSpec(
        name="湛江市人才服务中心",
        short_name="我中心",
        slug="rencai",
        department=SEED_DEPARTMENT,
        unit_type="公益二类事业单位",
        staffing_quota=12,
        staff_actual=14,  # over quota: the 在职人员控制率 deduction shows
        serial=102,
        functions=("负责人才引进、流动人员人事档案管理服务", "承担高校毕业生就业见习服务"),
        state="drafting",
        targets=(
            TargetSpec("引进各类人才", "人", "800", "912", 15),
            TargetSpec(
                "管理流动人员人事档案", "份", "42000", "41260", 10, "部分档案转出，存量减少。"
            ),
        ),
        budget=("186.40", "186.40", "179.80"),
        bands={"B1": ("A", "4.5"), "B3": ("A", "9")},  # still scoring: partial
    ),
    UnitSpec(
        name="湛江市劳动人事争议仲裁院",
        short_name="我院",
        slug="zhongcai",
        department=SEED_DEPARTMENT,
        unit_type="公益一类事业单位",
        staffing_quota=15,
        staff_actual=13,
        serial=103,
        functions=(
            "负责全市劳动人事争议案件的调解仲裁",
            "指导县（市、区）劳动人事争议调解仲裁工作",
        ),
        state="returned",
        targets=(
            TargetSpec("劳动人事争议案件结案", "件", "2600", "2734", 15),
            TargetSpec("仲裁结案率", "%", "92", "95.6", 10),
        ),
        budget=("268.00", "268.00", "258.40"),
        bands={
            **FULL,
            "B1": ("A", "4"),
            "B3": ("B", "7"),
            "E3": ("A", "8.5"),
            "S1": ("A", "4"),
            "S2": ("B", "3.5"),
            "U2": ("A", "4"),
            "U3": ("A", "4.5"),
        },
        return_comment="请按分部分意见修改后重新报送。",
        section_comments={
            "targets": "“仲裁结案率”年度指标值与年初批复的绩效目标表不一致，请核对。",
            "budget": "年初预算数与部门预算批复数相差 0.6 万元，请核实并说明。",
        },
    ),
    UnitSpec(
        name="湛江市教育考试中心",
        short_name="我中心",
        slug="kaoshi",
        department="湛江市教育局",
        unit_type="公益一类事业单位",
        staffing_quota=18,
        staff_actual=17,
        serial=201,
        functions=(
            "负责全市高考、中考、自学考试等国家教育考试的组织实施",
            "承担考试安全保密和考务管理工作",
        ),
        state="published",
        targets=(
            TargetSpec("组织各类教育考试考生", "人次", "210000", "216480", 10),
            TargetSpec(
                "标准化考点建设", "个", "42", "38", 10, "4 个考点改造因校舍维修顺延至次年实施。"
            ),
            TargetSpec("考生满意度", "%", "95", "97.2", 5),
        ),
        budget=("1260.00", "1385.50", "1302.30"),
        change_reason="年中追加考点视频监控系统升级经费",
        bands={
            **FULL,
            "B1": ("B", "3.5"),
            "B3": ("B", "7"),
            "E3": ("A", "9"),
            "S2": ("B", "3.5"),
            "S3": ("B", "3.5"),
            "U2": ("A", "4"),
        },
    ),
    UnitSpec(
        name="湛江市电化教育馆",
        short_name="我馆",
        slug="dianjiao",
        department="湛江市教育局",
        unit_type="公益一类事业单位",
        staffing_quota=10,
        staff_actual=9,
        serial=202,
        functions=("负责全市教育信息化建设和应用指导", "承担数字教育资源建设与推广"),
        state="approved",
        targets=(
            TargetSpec(
                "建设优质数字教育资源",
                "节",
                "600",
                "402",
                15,
                "资源建设项目招标延迟，部分课程录制推迟；已调整项目进度计划。",
            ),
            TargetSpec(
                "教师信息技术应用能力培训",
                "人次",
                "3000",
                "2310",
                10,
                "培训场地调整，部分培训改为次年开展。",
            ),
        ),
        budget=("320.00", "320.00", "262.40"),
        execution_explanation="信息化设备采购项目因招标流拍延期，资金未能按计划支出。",
        bands={
            "B1": ("B", "3"),
            "B3": ("B", "7"),
            "E3": ("A", "8"),
            "S1": ("A", "4"),
            "S2": ("B", "3"),
            "S3": ("B", "3.5"),
            "U2": ("B", "3.5"),
            "U3": ("A", "4"),
        },
    ),
    UnitSpec(
        name="湛江市青少年宫",
        short_name="我宫",
        slug="shaoniangong",
        department="湛江市教育局",
        unit_type="公益二类事业单位",
        staffing_quota=16,
        staff_actual=15,
        serial=203,
        functions=("开展青少年校外教育和公益培训活动", "组织青少年科技、文化、艺术实践活动"),
        state="department_approved",
        targets=(
            TargetSpec("开展公益培训课程", "期", "120", "131", 15),
            TargetSpec("服务青少年", "人次", "85000", "92300", 10),
        ),
        budget=("458.00", "472.00", "468.20"),
        change_reason="追加暑期公益托管经费",
        bands={**FULL, "S2": ("A", "4.5"), "U3": ("A", "4.5")},
    ),
    UnitSpec(
        name="湛江市教师发展中心",
        short_name="我中心",
        slug="jiaoshi",
        department="湛江市教育局",
        unit_type="公益一类事业单位",
        staffing_quota=24,
        staff_actual=21,
        serial=204,
        functions=("负责全市中小学教师培训和教研工作", "承担教师专业发展指导服务"),
        state="not_started",
        targets=(
            TargetSpec("组织教师全员培训", "人次", "12000", "12640", 15),
            TargetSpec("开展市级教研活动", "场", "150", "158", 10),
        ),
        budget=("530.00", "530.00", "521.70"),
        bands=FULL,
        with_2024=True,
    ),
    UnitSpec(
        name="湛江市疾病预防控制中心",
        short_name="我中心",
        slug="jikong",
        department="湛江市卫生健康局",
        unit_type="公益一类事业单位",
        staffing_quota=160,
        staff_actual=152,
        serial=301,
        functions=("负责全市疾病预防控制和突发公共卫生事件应急处置", "承担免疫规划和健康教育工作"),
        state="department_approved",
        targets=(
            TargetSpec(
                "适龄儿童免疫规划疫苗接种",
                "剂次",
                "420000",
                "231000",
                10,
                "疫苗供应不足和适龄人口下降，接种量低于目标；将与供应商协调并加强查漏补种。",
            ),
            TargetSpec(
                "实验室检测能力建设项目",
                "项",
                "12",
                "5",
                10,
                "实验室改造工程未按期竣工，设备无法安装；已督促施工单位整改。",
            ),
            TargetSpec(
                "健康教育宣传活动", "场", "80", "52", 5, "人员抽调参与应急处置，部分活动取消。"
            ),
        ),
        budget=("3200.00", "3560.00", "1958.00"),
        change_reason="追加应急物资储备经费",
        execution_explanation="实验室改造工程延期，设备采购款 1300 余万元未能支付；部分应急物资采购延至次年。",
        bands={
            "B1": ("C", "2.5"),
            "B3": ("C", "5"),
            "E3": ("B", "6"),
            "S1": ("B", "3"),
            "S2": ("C", "2.5"),
            "S3": ("B", "3"),
            "U2": ("C", "2.5"),
            "U3": ("B", "3"),
        },
    ),
    UnitSpec(
        name="湛江市中心血站",
        short_name="我站",
        slug="xuezhan",
        department="湛江市卫生健康局",
        unit_type="公益一类事业单位",
        staffing_quota=60,
        staff_actual=58,
        serial=302,
        functions=("负责全市无偿献血的宣传、招募和血液采集供应", "承担临床用血质量管理"),
        state="submitted",
        targets=(
            TargetSpec(
                "采集全血",
                "单位",
                "98000",
                "80360",
                15,
                "献血人数受季节性因素影响下降；将加强街头献血点建设和团体献血动员。",
            ),
            TargetSpec("血液检测合格率", "%", "99", "99.4", 10),
        ),
        budget=("1850.00", "1850.00", "1554.00"),
        execution_explanation="采血车购置项目因财政评审延后，当年未能完成采购。",
        bands={
            "B1": ("B", "3.5"),
            "B3": ("B", "7"),
            "E3": ("A", "8"),
            "S1": ("A", "4"),
            "S2": ("B", "3"),
            "S3": ("A", "4"),
            "U2": ("B", "3.5"),
            "U3": ("A", "4"),
        },
    ),
    UnitSpec(
        name="湛江市急救指挥中心",
        short_name="我中心",
        slug="jijiu",
        department="湛江市卫生健康局",
        unit_type="公益一类事业单位",
        staffing_quota=40,
        staff_actual=37,
        serial=303,
        functions=("负责全市院前急救的统一指挥调度", "承担重大活动医疗保障和突发事件紧急医疗救援"),
        state="returned",
        returned_by="bureau",
        targets=(
            TargetSpec("急救电话接听及时率", "%", "98", "99.2", 10),
            TargetSpec(
                "完成院前急救出车", "车次", "52000", "49400", 15, "部分县区急救站点接入延迟。"
            ),
        ),
        budget=("960.00", "1020.00", "913.00"),
        change_reason="追加急救车辆运维经费",
        execution_explanation="部分车辆购置款未到支付节点。",
        bands={
            **FULL,
            "B1": ("B", "3.5"),
            "B3": ("B", "7.5"),
            "S2": ("B", "3.5"),
            "U2": ("B", "3.5"),
        },
        return_comment="预算执行率 89.51% 低于 90%，请补充执行率偏低的原因；问题与改进措施请对应填写。",
        section_comments={
            "budget": "请说明全年执行数 913 万元与全年预算数 1020 万元的差额原因。",
            "problems": "存在问题过于笼统，请结合指标完成情况具体说明。",
        },
    ),
    UnitSpec(
        name="湛江市卫生监督所",
        short_name="我所",
        slug="jiandu",
        department="湛江市卫生健康局",
        unit_type="行政单位",
        staffing_quota=45,
        staff_actual=44,
        serial=304,
        functions=("负责全市医疗卫生、公共场所、生活饮用水等卫生监督执法",),
        state="drafting",
        # Not met and over-completed without a word of why: the missing explanations show.
        targets=(
            TargetSpec("完成“双随机”抽查任务", "户", "1200", "1036", 15),
            TargetSpec("开展卫生监督专项行动", "次", "10", "17", 10),
        ),
        budget=("720.00", "720.00", "591.00"),
        bands=FULL,
    ),
    UnitSpec(
        name="湛江市农业技术推广中心",
        short_name="我中心",
        slug="nongji",
        department="湛江市农业农村局",
        unit_type="公益一类事业单位",
        staffing_quota=30,
        staff_actual=26,
        serial=401,
        functions=("负责全市农业新技术、新品种的引进、试验和推广",),
        state="not_started",
    ),
    UnitSpec(
        name="湛江市农产品质量安全检测中心",
        short_name="我中心",
        slug="nongjian",
        department="湛江市农业农村局",
        unit_type="公益一类事业单位",
        staffing_quota=22,
        staff_actual=20,
        serial=402,
        functions=("负责全市农产品质量安全监督抽检和风险监测",),
        state="drafting",
        targets=(TargetSpec("农产品定量检测批次", "批次", "6000", "6240", 25),),
        budget=("350.00", "350.00", "340.50"),
    ),
)

SEED_UNIT_2024_TARGETS = (
    ("新增取得职业技能等级认定证书", "人次", "10000", "15230"),
    ("新增取得高级工及以上职业技能等级认定证书", "人次", "4000", "4388"),
    ("新增取得技师及以上职业技能等级认定证书", "人次", "280", "301"),
)


def _generic_text(spec: UnitSpec) -> dict[str, Any]:
    """The narrative parts of a demo unit's report, built from its own name and functions."""
    short = spec.short_name
    return {
        "key_tasks": [{"title": f, "detail": ""} for f in spec.functions[:2]],
        "group": {
            "basis": "湛江市财政局《关于印发湛江市市级部门单位整体支出绩效评价管理办法的通知》（湛财评〔2019〕26号）",
            "members": [
                {"role": "组长", "name": f"{spec.name}主要负责人", "duty": ""},
                {
                    "role": "成员",
                    "name": "财务和业务科室负责人",
                    "duty": "负责自评的组织协调、数据核实和报告撰写",
                },
            ],
            "description": "",
        },
        "process": "对照年度绩效目标，核实预算执行和各项指标完成情况，逐项打分并形成自评报告。",
        "submission_quality": f"{short}按时报送自评材料，数据与报表一致。",
        "submission_consistency": f"{short}所报送的自评报告、数据表、评分表与公开的内容一致。",
        "result_statement": f"按照《整体绩效自评指标评分表》要求，{short}逐项核对指标完成情况并客观打分",
        "analyses": [
            {
                "title": "预算编制情况",
                "text": f"{short}按照部门预算编制要求，结合年度重点工作科学编制预算。",
            },
            {
                "title": "预算执行情况",
                "text": "严格按照预算批复使用资金，资金使用符合财经制度规定。",
            },
            {
                "title": "预算监督情况",
                "text": "按规定公开部门预决算信息，主动接受财政、审计和社会监督。",
            },
            {
                "title": "预算使用效益",
                "text": f"围绕{spec.functions[0]}等职能开展工作，年度绩效目标总体完成。",
            },
        ],
        "practices": [
            {"title": "加强预算管理", "text": "严格预算执行，规范资金支出审批。"},
            {"title": "聚焦主责主业", "text": "围绕年度重点任务统筹推进各项工作。"},
        ],
        "problems": ["绩效目标设置的精细化程度有待提高。", "绩效监控与业务工作结合不够紧密。"],
        "improvements": ["科学测算年度指标值，细化量化绩效目标。", "加强绩效运行监控，及时纠偏。"],
        "other": f"{short}本年度无违规违纪及重大风险问题。",
    }


def unit_profile(spec: UnitSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "short_name": spec.short_name,
        "credit_code": credit_code("12" if "事业" in spec.unit_type else "11", spec.serial),
        "unit_type": spec.unit_type,
        "supervisor": spec.department,
        "staffing_quota": spec.staffing_quota,
        "staff_actual": spec.staff_actual,
        "retired": None,
        "temporary": None,
        "functions": list(spec.functions),
    }


def full_data(
    spec: UnitSpec, *, year: int, notice: dict[str, str], filled_on: str
) -> dict[str, Any]:
    """A complete self-evaluation for a demo unit, in the stored JSON shape."""
    data = seed_evaluation_data()
    data.update(_generic_text(spec))
    data["year"] = year
    data["filled_on"] = filled_on
    data["notice"] = dict(notice)
    data["unit"] = unit_profile(spec)
    data["example_note"] = "演示数据：本单位及其数字均为虚构。"
    data["targets"] = [
        {
            "code": f"T{i}",
            "name": t.name,
            "unit": t.unit,
            "direction": ">=",
            "target": t.target,
            "target_high": None,
            "actual": t.actual,
            "parent": "U1",
            "points": str(t.points),
            "explanation": t.explanation,
            "reviewer_deduction": None,
            "reviewer_deduction_reason": "",
            "part_of": None,
        }
        for i, t in enumerate(spec.targets, start=1)
    ]
    initial, full_year, executed = spec.budget
    data["budget"] = {
        "rows": [
            {
                "source": "当年财政拨款",
                "initial": initial,
                "full_year": full_year,
                "executed": executed,
            }
        ],
        "change_reason": spec.change_reason,
        "execution_explanation": spec.execution_explanation,
    }
    data["assessments"] = [
        {
            "code": code,
            "band": band,
            "score": score,
            "target": None,
            "actual": None,
            "explanation": ""
            if band == "A" and score == str(QUALITATIVE_POINTS[code])
            else "对照评分标准，本项存在不足，酌情扣分。",
            "reviewer_deduction": None,
            "reviewer_deduction_reason": "",
            "example": False,
        }
        for code, (band, score) in spec.bands.items()
    ]
    return data


# 撤回公开 in the demo: one 2024 report was published with another year's figures in its
# 预算执行情况, withdrawn with this reason, corrected and published again as version 2.
CORRECTED_2024_UNIT = "湛江市就业服务中心"
WITHDRAWAL_REASON_2024 = (
    "报告“预算执行情况”部分误用了 2023 年度的执行数和执行率，与 2024 年度决算不一致，"
    "撤回更正后重新公开。"
)
CORRECTION_COMMENT_2024 = "请按 2024 年度决算更正“预算执行情况”中的执行数和预算执行率后重新报送。"


def _execution_text(data: dict[str, Any], executed: str, rate: str) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for analysis in out["analyses"]:
        if analysis["title"] == "预算执行情况":
            analysis["text"] = (
                f"全年执行 {executed} 万元，预算执行率 {rate}。"
                "严格按照预算批复使用资金，资金使用符合财经制度规定。"
            )
    return out


def with_wrong_execution_text(data: dict[str, Any]) -> dict[str, Any]:
    """What the withdrawn version said: the 2023 figures (invented, as all demo figures)."""
    return _execution_text(data, "398.17", "93.26%")


def with_right_execution_text(data: dict[str, Any]) -> dict[str, Any]:
    """The corrected version: the year's own 执行数 and 预算执行率 (全年执行数 / 全年预算数)."""
    from decimal import Decimal

    from scoring.rounding import format_amount, format_percent

    row = data["budget"]["rows"][0]
    executed, full_year = Decimal(row["executed"]), Decimal(row["full_year"])
    return _execution_text(
        data, format_amount(executed), format_percent(executed * 100 / full_year)
    )


def partial_data(spec: UnitSpec, prefilled: dict[str, Any]) -> dict[str, Any]:
    """A draft half-way through: the prefilled task plus targets, budget and a few scores."""
    data = copy.deepcopy(prefilled)
    full = full_data(spec, year=data["year"], notice=data["notice"], filled_on="")
    for key in ("targets", "budget", "assessments", "key_tasks"):
        data[key] = full[key]
    data.pop("filled_on", None)
    return data


def seed_2024_data() -> dict[str, Any]:
    """The seed unit's FY2024 evaluation (illustrative figures) for last year's campaign."""
    data = seed_evaluation_data()
    data["year"] = 2024
    data["filled_on"] = "2025-05-16"
    data["notice"] = {
        "title": CAMPAIGN_2024["notice_title"],
        "number": CAMPAIGN_2024["notice_number"],
        "issuer": BUREAU,
    }
    data["example_note"] = "演示数据：2024 年度数字为示例。"
    by_name = {t["name"]: t for t in data["targets"]}
    for name, _unit, target, actual in SEED_UNIT_2024_TARGETS:
        by_name[name]["target"] = target
        by_name[name]["actual"] = actual
    by_name["新增取得职业技能等级认定证书"]["explanation"] = (
        "社会评价组织认定规模扩大，实际完成超出目标。"
    )
    by_name["参加职业技能等级认定人次数"]["actual"] = "21140"
    by_name["评聘特级技师"]["actual"] = "4"
    data["budget"] = {
        "rows": [
            {
                "source": "当年财政拨款",
                "initial": "31.90",
                "full_year": "33.60",
                "executed": "33.60",
            }
        ],
        "change_reason": "人员工资调整",
        "execution_explanation": "",
    }
    for item in data["assessments"]:
        if item["code"] == "S2":
            item["score"] = "3.5"
            item["band"] = "B"
    return data


ACCOUNTS: tuple[Account, ...] = (
    Account("unit_editor", "李敏（填报人）", "unit_editor", SEED_UNIT, listed=True),
    Account("unit_head", "陈志强（中心主任）", "unit_head", SEED_UNIT, listed=True),
    Account(
        "dept_reviewer", "黄丽（人社局审核人）", "department_reviewer", SEED_DEPARTMENT, listed=True
    ),
    Account("bureau_reviewer", "吴建华（绩效管理科）", "bureau_reviewer", BUREAU, listed=True),
    Account("bureau_admin", "周静（财政局管理员）", "bureau_admin", BUREAU, listed=True),
)


# A project self-evaluation (项目支出绩效自评) the seed unit is still filling in, so the demo
# editor has a draft of the second kind to work on.
CAMPAIGN_2025_PROJECT = {
    "year": 2025,
    "title": "2025年度市级项目支出绩效自评",
    "notice_title": "湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知",
    "notice_number": "湛财绩〔2026〕3号",
}
PROJECT_RULESET = "national-project@2020.1"
SEED_PROJECT = "职业技能等级认定质量督导专项"


def seed_project_draft(prefilled: dict[str, Any]) -> dict[str, Any]:
    """The seed unit's project draft: targets set, most actuals in, one still to fill."""
    data = copy.deepcopy(prefilled)
    data["project"] = {
        "name": SEED_PROJECT,
        "implementing_unit": SEED_UNIT,
        "goal_expected": "对全市职业技能等级认定评价机构开展质量督导，规范认定行为，保障证书质量。",
        "goal_actual": "",
    }
    data["targets"] = [
        {"code": "P1", "name": "督导检查评价机构家次", "unit": "家次", "direction": ">=",
         "target": "40", "actual": "46", "parent": "P", "points": "20"},
        {"code": "P2", "name": "认定质量抽查合格率", "unit": "%", "direction": ">=",
         "target": "95", "actual": "97.2", "parent": "P", "points": "15"},
        {"code": "P3", "name": "证书按时核发率", "unit": "%", "direction": ">=",
         "target": "98", "actual": None, "parent": "P", "points": "15"},
        {"code": "O1", "name": "新增取得高级工及以上证书人次", "unit": "人次", "direction": ">=",
         "target": "4400", "actual": "5570", "parent": "O", "points": "30"},
        {"code": "C1", "name": "评价机构和考生满意度", "unit": "%", "direction": ">=",
         "target": "90", "actual": "93.5", "parent": "C", "points": "10"},
    ]  # fmt: skip
    data["budget"] = {
        "rows": [
            {
                "source": "当年财政拨款",
                "initial": "12.00",
                "full_year": "12.00",
                "executed": "11.36",
            }
        ]
    }
    return data


# --- FY2026 targets (绩效目标申报, issue 10) --------------------------------------------------------

CAMPAIGN_2026_TARGETS = {
    "year": 2026,
    "title": "2026年度预算绩效目标申报",
    "notice_title": "湛江市财政局关于做好2026年度市级预算绩效目标申报工作的通知",
    "notice_number": "湛财绩〔2025〕9号",
}
TARGETS_2026_COST_THRESHOLD = "100"  # 万元: a project above it needs a 成本指标

# The seed unit's 2025 self-evaluation found its certificate target (12000 人次) completed at
# 158.08 %, "set low". Its FY2026 declaration raises it toward the 18969 reached: first to 16000,
# which the department returns as still below last year's actual, then to 18000.
SEED_2026_FIRST_CERTIFICATES = "16000"
SEED_2026_CERTIFICATES = "18000"
SEED_2026_RETURN = (
    "新增证书目标 16000 人次仍低于2025年实际完成的 18969 人次，请按上年实际和增长趋势测算。"
)


def seed_2026_declaration(prefilled: dict[str, Any], certificates: str) -> dict[str, Any]:
    """The seed unit's FY2026 部门整体 targets (weights add up to 100)."""
    data = copy.deepcopy(prefilled)
    data["amount"] = "39.60"
    data["overall_goal"] = (
        "全年新增取得职业技能等级认定证书不少于 18000 人次，高技能人才评价规模稳步扩大，"
        "职业技能等级认定质量督导全覆盖，考生满意度不低于 90%。"
    )
    rows = [
        ("T1", "产出指标", "数量指标", "新增取得职业技能等级认定证书", certificates, "人次", "30"),
        (
            "T2",
            "产出指标",
            "数量指标",
            "新增取得高级工及以上职业技能等级认定证书",
            "4400",
            "人次",
            "20",
        ),
        (
            "T3",
            "产出指标",
            "质量指标",
            "新增取得技师及以上职业技能等级认定证书",
            "330",
            "人次",
            "10",
        ),
        ("T4", "效益指标", "社会效益指标", "职业技能等级认定质量督导覆盖率", "100", "%", "20"),
        ("T5", "满意度指标", "服务对象满意度指标", "考生满意度", "90", "%", "20"),
    ]
    data["targets"] = [
        {
            "code": code,
            "level1": level1,
            "level2": level2,
            "name": name,
            "direction": ">=",
            "value": value,
            "unit": unit,
            "weight": weight,
            "criteria": "完成目标值得满分，未完成按完成比例计分。",
            "data_source": "广东省职业技能等级认定信息系统"
            if unit == "人次"
            else "督导台账、问卷调查",
        }
        for code, level1, level2, name, value, unit, weight in rows
    ]
    return data


SEED_2026_ADJUSTMENT_REASON = (
    "2025年高级工及以上证书实际完成 5570 人次，2026年上半年已完成 3120 人次，原目标 4400 人次偏低，"
    "申请调增至 5500 人次。"
)


def seed_2026_adjusted(in_force: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(in_force)
    for row in data["targets"]:
        if row["code"] == "T2":
            row["value"] = "5500"
    return data


def project_2026_declaration(prefilled: dict[str, Any], amount: Any) -> dict[str, Any]:
    """A registered project's FY2026 targets: output, cost, benefit and satisfaction (100)."""
    data = copy.deepcopy(prefilled)
    name = data.get("project_name") or "项目"
    data["amount"] = str(amount) if amount else "50"
    data["overall_goal"] = f"按期完成{name}年度任务，资金使用规范，服务对象满意度不低于 90%。"
    rows = [
        ("T1", "产出指标", "数量指标", f"{name}年度任务完成数", "12", "项", "30"),
        ("T2", "产出指标", "成本指标", "项目支出总额", data["amount"], "万元", "10"),
        ("T3", "产出指标", "时效指标", "任务按期完成率", "95", "%", "10"),
        ("T4", "效益指标", "社会效益指标", "服务对象覆盖率", "90", "%", "30"),
        ("T5", "满意度指标", "服务对象满意度指标", "服务对象满意度", "90", "%", "20"),
    ]
    data["targets"] = [
        {
            "code": code,
            "level1": level1,
            "level2": level2,
            "name": row_name,
            "direction": "<=" if level2 == "成本指标" else ">=",
            "value": value,
            "unit": unit,
            "weight": weight,
            "criteria": "完成目标值得满分，未完成按完成比例计分。",
        }
        for code, level1, level2, row_name, value, unit, weight in rows
    ]
    return data
