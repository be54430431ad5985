"""Where a 整改任务 comes from: a generic reference (kind, id, label, url) resolved here, on the
server, from what the user may see — never taken from the request as it is, except for kinds this
app cannot read (a monitoring warning: jixiao.monitoring links here with its own label and url)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Organisation, OrganisationKind, User
from jixiao.organisations.selectors import unit_scope_q
from jixiao.rectification.models import SourceKind


@dataclass(frozen=True)
class Source:
    """A resolved source: what the task links to and what the form is prefilled with."""

    kind: str
    id: str
    label: str
    url: str
    unit: Organisation | None
    evaluation: Evaluation | None
    year: int
    problem: str = ""
    measures: str = ""


def safe_local_url(url: str) -> str:
    """A same-site path, or "" (never a scheme, a host or a protocol-relative //host)."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url or len(url) > 300:
        return ""
    return url


def _evaluation(user: User, pk: Any) -> Evaluation:
    evaluation = (
        Evaluation.objects.filter(unit_scope_q(user, "unit"), pk=_int(pk))
        .select_related("unit", "campaign")
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def _int(value: Any) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 12:
        raise Http404
    return int(text)


def _unit(user: User, pk: Any) -> Organisation | None:
    if not str(pk or "").strip():
        return None
    unit = Organisation.objects.filter(
        unit_scope_q(user), kind=OrganisationKind.UNIT, pk=_int(pk)
    ).first()
    if unit is None:
        raise Http404
    return unit


def _detail_url(evaluation: Evaluation) -> str:
    return reverse("evaluations:detail", args=[evaluation.pk])


def resolve_source(*, user: User, query: Any) -> Source:
    """The source named by ``kind`` and ``id`` in ``query`` (a QueryDict or dict), read in the
    user's scope; Http404 when it does not exist or is not the user's to see."""
    kind = str(query.get("kind", "")).strip() or SourceKind.OTHER
    ident = str(query.get("id", "")).strip()
    this_year = timezone.localdate().year
    if kind == SourceKind.REVIEW_RETURN:
        from jixiao.reviews.models import Transition
        from jixiao.reviews.selectors import RETURN_ACTIONS

        step = (
            Transition.objects.filter(
                unit_scope_q(user, "evaluation__unit"), pk=_int(ident), action__in=RETURN_ACTIONS
            )
            .select_related("evaluation__unit", "evaluation__campaign")
            .first()
        )
        if step is None:
            raise Http404
        e = step.evaluation
        texts = [step.comment] + [str(v) for v in (step.section_comments or {}).values()]
        return Source(
            kind,
            str(step.pk),
            _("退回意见（{at}）").format(at=timezone.localtime(step.at).strftime("%Y-%m-%d")),
            _detail_url(e),
            e.unit,
            e,
            e.campaign.year,
            problem="\n".join(t for t in texts if t.strip()),
        )
    if kind == SourceKind.RECHECK:
        from jixiao.reviews.models import Recheck

        recheck = (
            Recheck.objects.filter(unit_scope_q(user, "evaluation__unit"), pk=_int(ident))
            .select_related("evaluation__unit", "evaluation__campaign")
            .first()
        )
        if recheck is None:
            raise Http404
        e = recheck.evaluation
        return Source(
            kind,
            str(recheck.pk),
            _("复核意见（复核得分 {score}）").format(
                score=recheck.score if recheck.score is not None else "—"
            ),
            reverse("reviews:recheck", args=[recheck.pk]),
            e.unit,
            e,
            e.campaign.year,
            problem=recheck.opinion,
        )
    if kind == SourceKind.REPORT_PROBLEM:
        evaluation_id, _sep, index = ident.partition(":")
        e = _evaluation(user, evaluation_id)
        problems = [str(p) for p in e.data.get("problems") or []]
        improvements = [str(p) for p in e.data.get("improvements") or []]
        n = _int(index)
        if n >= len(problems):
            raise Http404
        return Source(
            kind,
            f"{e.pk}:{n}",
            _("自评报告存在问题第 {n} 条").format(n=n + 1),
            _detail_url(e),
            e.unit,
            e,
            e.campaign.year,
            problem=problems[n],
            measures=improvements[n] if n < len(improvements) else "",
        )
    if kind == SourceKind.AUDIT_FINDING:
        from jixiao.audit.selectors import get_result

        file_id, _sep, index = ident.partition(":")
        # The results the user may read (their organisation's, and audits of evaluations in
        # their scope); any other → 404.
        audited = get_result(user=user, result_id=_int(file_id))
        unit = _unit(user, query.get("unit"))
        unit_id = audited.unit_organisation_id
        if unit is None and audited.evaluation_id is not None and unit_id is not None:
            # an audit of an evaluation's own report: that evaluation's unit, when in scope (an
            # upload's unit is only what the report says, so the reviewer picks it)
            unit = Organisation.objects.filter(
                unit_scope_q(user), kind=OrganisationKind.UNIT, pk=unit_id
            ).first()
        n = _int(index)
        if n >= len(audited.findings):
            raise Http404
        finding = audited.findings[n]
        quote = str(finding.get("quote") or "")
        return Source(
            kind,
            f"{audited.pk}:{n}",
            _("报告审查：{name}").format(name=audited.name)[:200],
            reverse("audit_web:result", args=[audited.pk]),
            unit,
            audited.evaluation
            if unit is not None and unit.pk == audited.unit_organisation_id
            else None,
            int(audited.year) if str(getattr(audited, "year", "") or "").isdigit() else this_year,
            problem=str(finding.get("message") or "") + (f"（{quote}）" if quote else ""),
        )
    if kind == SourceKind.MONITORING_WARNING:
        # Imported here: monitoring is a neighbour app; the warning is read in the user's scope.
        from jixiao.monitoring.models import MonitoringWarning

        warning = (
            MonitoringWarning.objects.filter(unit_scope_q(user, "unit"), pk=_int(ident))
            .select_related("unit", "evaluation", "campaign")
            .first()
        )
        if warning is None:
            raise Http404
        what = warning.project_name or _("部门整体")
        target = f"“{warning.target_name}”" if warning.target_name else ""
        return Source(
            kind,
            str(warning.pk),
            f"{warning.campaign.title}：{what}{target}（{warning.get_level_display()}）",
            reverse("monitoring:warning", args=[warning.pk]),
            warning.unit,
            warning.evaluation,
            warning.campaign.year,
            problem=f"{what}{target}：{warning.text}",
        )
    if kind == SourceKind.OTHER:
        # Not readable here: the caller's label and url, kept only if the url is a local path.
        year = str(query.get("year", "")).strip()
        return Source(
            kind,
            ident[:64],
            str(query.get("label", "")).strip()[:200],
            safe_local_url(str(query.get("url", ""))),
            _unit(user, query.get("unit")),
            None,
            int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else this_year,
            problem=str(query.get("problem", "")).strip()[:2000],
        )
    raise Http404


def default_deadline() -> dt.date:
    """Thirty days, the time a provincial rule gives a unit to submit its 整改措施 (cycle.md §3)."""
    return timezone.localdate() + dt.timedelta(days=30)
