"""Access-control matrix: every URL pattern × every role × an object the role owns and one it does not.

The rules (docs/decisions.md, house-style.md):

* anonymous visitors are sent to the login page (the JSON API answers 401), except the public portal,
  the login page and the API's public endpoints;
* an object outside the person's scope answers 404, never 200 and never 403 (a 403 would confirm
  that it exists);
* a page reserved to other roles answers 404 as well (campaign pages for units, account pages for
  anyone but the bureau admin, …);
* in scope, the page answers 200, or the code written in the table below (a POST-only endpoint
  answers 405 to GET; an empty POST answers 400 where a form re-renders with its errors, 302 where
  the view refuses with a message and sends the person back, 403 where the person sees the object
  but may not change it).

Every refused request must change nothing: the test fingerprints every row of the project's tables
before and after each request.

A new URL pattern that is not in ``MATRIX`` fails ``test_every_url_pattern_is_in_the_matrix``: add a
row (and its kwargs in ``Objects.kwargs``) before adding the view.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jixiao.audit.models import AuditedFile
from jixiao.campaigns.models import Campaign
from jixiao.conftest import World, build_world, shared_database_data
from jixiao.evaluations.models import Evaluation, Evidence, Status
from jixiao.jobs.models import Job
from jixiao.monitoring import services as monitoring_services
from jixiao.monitoring.testing import filled, open_test_round
from jixiao.notifications.models import Delivery, Notification
from jixiao.projects.models import Project
from jixiao.rectification.models import RectificationEvidence, RectificationTask
from jixiao.reviews import services as review_services
from jixiao.reviews.models import FrozenDocument, Publication, Recheck, SampleDraw, Transition
from jixiao.targets.models import TargetAdjustment
from jixiao.testing import factories as f

# --- who ---------------------------------------------------------------------------------------

ROLES = (
    "anonymous",
    "editor",  # 填报人 of ``unit``
    "head",  # 负责人 of ``unit``
    "other_editor",  # 填报人 of ``other_unit`` (same department as ``unit``)
    "department",  # reviewer of ``department`` (``unit``, ``other_unit``)
    "other_department",  # reviewer of ``other_department`` (``foreign_unit``)
    "bureau",  # 财政局 reviewer
    "admin",  # 财政局 admin
)

# --- what each answers -------------------------------------------------------------------------

LOGIN = "login"  # 302 to the login page with ?next=
CHANGES = "changes"  # marks an in-scope POST that is allowed to change something


@dataclass(frozen=True)
class Row:
    """Expected answers of one view to one method, per role, for the role's own object.

    An object the role does not own always answers 404 (checked separately); an ``anonymous``
    request is checked once, with the first role's object.
    """

    method: str
    codes: tuple[Any, ...]  # one per ROLES entry: an int, LOGIN, or (int, CHANGES)
    has_object: bool = True  # whether the URL names an object that can be out of scope
    public: bool = False  # same answer whoever asks, and for any object that exists

    def expected(self, role: str) -> tuple[Any, bool]:
        code = self.codes[ROLES.index(role)]
        if isinstance(code, tuple):
            return code[0], True
        return code, False


def GET(*codes: Any, has_object: bool = True, public: bool = False) -> Row:
    assert len(codes) == len(ROLES), codes
    return Row("GET", codes, has_object, public)


def POST(*codes: Any, has_object: bool = True, public: bool = False) -> Row:
    assert len(codes) == len(ROLES), codes
    return Row("POST", codes, has_object, public)


def PUT(*codes: Any, has_object: bool = True) -> Row:
    assert len(codes) == len(ROLES), codes
    return Row("PUT", codes, has_object)


C = CHANGES
N = 404  # not yours / not for your role
X = 405  # method not allowed
L = LOGIN

# fmt: off
#                                              anon  editor  head   o.edit  dept   o.dept bureau admin
MATRIX: dict[str, tuple[Row, ...]] = {
    # --- site ---
    "home":                          (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "login":                         (GET(200,  200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "logout":                        (GET(X,    X,      X,     X,      X,     X,     X,     X,   has_object=False),
                                      POST(302, 302,    302,   302,    302,   302,   302,   302, has_object=False)),
    "session_status":                (GET(401,  200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "session_keepalive":             (GET(X,    X,      X,     X,      X,     X,     X,     X,   has_object=False),
                                      POST(401, 200,    200,   200,    200,   200,   200,   200, has_object=False)),
    # Probes for load balancers and supervisors: public, and they name no object.
    "healthz":                       (GET(200,  200,    200,   200,    200,   200,   200,   200, public=True, has_object=False),),
    "readyz":                        (GET(200,  200,    200,   200,    200,   200,   200,   200, public=True, has_object=False),),
    "set_language":                  (POST(302, 302,    302,   302,    302,   302,   302,   302, has_object=False),),
    # --- 账号安全 (accounts): one's own password and second factor ---
    "accounts:password_change":      (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),
                                      POST(L,   400,    400,   400,    400,   400,   400,   400, has_object=False)),
    "accounts:two_factor":           (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),
                                      POST(L,   400,    400,   400,    400,   400,   400,   400, has_object=False)),
    # Nothing to verify for an account without two-factor sign-in: back to where it was going.
    "accounts:two_factor_verify":    (GET(L,    302,    302,   302,    302,   302,   302,   302, has_object=False),
                                      POST(L,   302,    302,   302,    302,   302,   302,   302, has_object=False)),
    # --- 绩效自评 ---
    "evaluations:list":              (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "evaluations:list_export":       (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "evaluations:detail":            (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "evaluations:edit":              (GET(L,    200,    200,   200,    200,   200,   200,   200),
                                      POST(L,   400,    400,   400,    403,   403,   403,   403)),
    "evaluations:preview_score":     (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   200,    200,   200,    200,   200,   200,   200)),
    "evaluations:autosave":          (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   200,    200,   200,    200,   200,   200,   200)),
    "evaluations:document":          (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "evaluations:preview":           (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "evaluations:evidence":          (GET(L,    200,    200,   200,    200,   200,   200,   200),
                                      POST(L,   400,    400,   400,    403,   403,   403,   403)),
    "evaluations:evidence_download": (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "evaluations:evidence_delete":   (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   (302, C), (302, C), (302, C), 302, 302, 302, 302)),
    # --- 绩效目标申报 (targets): the pages are evaluations:detail/edit; these answer the page ---
    "targets:checks":                (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   200,    200,   200,    200,   200,   200,   200)),
    "targets:autosave":              (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   200,    200,   200,    200,   200,   200,   200)),
    # 目标调整: only the unit asks (an empty request lacks its reason); everyone in scope reads.
    "targets:adjust":                (GET(L,    200,    200,   200,    N,     N,     N,     N),
                                      POST(L,   400,    400,   400,    N,     N,     N,     N)),
    "targets:versions":              (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "targets:adjustments":           (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "targets:adjustment":            (GET(L,    200,    200,   200,    200,   200,   200,   200),
                                      POST(L,   400,    400,   400,    400,   400,   400,   400)),
    # --- 自评工作 (campaigns) ---
    "campaigns:list":                (GET(L,    N,      N,     N,      200,   200,   200,   200, has_object=False),),
    "campaigns:create":              (GET(L,    N,      N,     N,      N,     N,     200,   200, has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     200,   200, has_object=False)),
    "campaigns:overview":            (GET(L,    N,      N,     N,      200,   200,   200,   200, has_object=False),),
    "campaigns:rulesets":            (GET(L,    N,      N,     N,      N,     N,     200,   200, has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     400,   400, has_object=False)),
    "campaigns:ruleset_export":      (GET(L,    N,      N,     N,      N,     N,     200,   200, has_object=False),),
    "campaigns:detail":              (GET(L,    N,      N,     N,      200,   200,   200,   200),),
    "campaigns:edit":                (GET(L,    N,      N,     N,      N,     N,     200,   200),
                                      POST(L,   N,      N,     N,      N,     N,     200,   200)),
    "campaigns:add_units":           (GET(L,    N,      N,     N,      N,     N,     200,   200),
                                      POST(L,   N,      N,     N,      N,     N,     200,   200)),
    "campaigns:progress_export":     (GET(L,    N,      N,     N,      200,   200,   200,   200),),
    "campaigns:extend":              (GET(L,    N,      N,     N,      N,     N,     200,   200),
                                      POST(L,   N,      N,     N,      N,     N,     400,   400)),
    # --- 审核 (reviews) ---
    "reviews:queue":                 (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "reviews:queue_export":          (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    # 批量审核: an empty POST is sent back to the queue with the reason (nothing selected).
    "reviews:bulk_preview":          (GET(X,    X,      X,     X,      X,     X,     X,     X, has_object=False),
                                      POST(L,   302,    302,   302,    302,   302,   302,   302, has_object=False)),
    "reviews:bulk_apply":            (GET(X,    X,      X,     X,      X,     X,     X,     X, has_object=False),
                                      POST(L,   302,    302,   302,    302,   302,   302,   302, has_object=False)),
    "reviews:transition":            (GET(X,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   302,    (302, C), 302, 302,   302,   302,   302)),
    "reviews:frozen":                (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "reviews:freeze_status":         (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "reviews:refreeze":              (GET(X,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   N,      N,     N,      N,     N,     302,   302)),
    # 撤回公开: the bureau admin's confirmation page; the fixture's evaluation is not published, so
    # the admin is sent back with the reason (a published one is tested in reviews/tests).
    "reviews:withdraw":              (GET(L,    N,      N,     N,      N,     N,     N,     302),
                                      POST(L,   N,      N,     N,      N,     N,     N,     302)),
    # The bureau's kept copy of a withdrawn file; the fixture's publication is not withdrawn.
    "reviews:withdrawn_file":        (GET(L,    N,      N,     N,      N,     N,     N,     N),),
    "reviews:snapshot":              (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "reviews:samples":               (GET(L,    N,      N,     N,      N,     N,     200,   200, has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     200,   200, has_object=False)),
    "reviews:sample":                (GET(L,    N,      N,     N,      N,     N,     200,   200),),
    "reviews:recheck":               (GET(L,    N,      N,     N,      N,     N,     200,   200),
                                      POST(L,   N,      N,     N,      N,     N,     200,   200)),
    # --- 整改 (rectification): a task is its unit's; the bureau or the department raises and
    # confirms; an empty POST re-renders its form with the errors ---
    "rectification:list":            (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "rectification:create":          (GET(L,    N,      N,     N,      200,   200,   200,   200, has_object=False),
                                      POST(L,   N,      N,     N,      400,   400,   400,   400, has_object=False)),
    "rectification:detail":          (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "rectification:report":          (GET(X,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   400,    400,   400,    400,   400,   400,   400)),
    "rectification:decide":          (GET(X,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   400,    400,   400,    400,   400,   400,   400)),
    "rectification:evidence_upload": (GET(X,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   400,    400,   400,    400,   400,   400,   400)),
    "rectification:evidence_download": (GET(L,  200,    200,   200,    200,   200,   200,   200),),
    # --- 结果应用 (results): the bureau's; the rules are the admin's ---
    "results:index":                 (GET(L,    N,      N,     N,      N,     N,     200,   200, has_object=False),),
    "results:export":                (GET(L,    N,      N,     N,      N,     N,     200,   200, has_object=False),),
    "results:refresh":               (GET(X,    X,      X,     X,      X,     X,     X,     X,   has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     302,   302, has_object=False)),
    "results:rules":                 (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     N,     400, has_object=False)),
    # An approved or published evaluation (the fixture's published one); an empty advice keeps
    # the table's.
    "results:override":              (GET(L,    N,      N,     N,      N,     N,     200,   200),
                                      POST(L,   N,      N,     N,      N,     N,     302,   302)),
    "results:assessment":            (GET(L,    N,      N,     N,      N,     N,     200,   200, has_object=False),),
    # Without a computed snapshot (the fixture's) the xlsx sends the bureau back to the page.
    "results:assessment_export":     (GET(L,    N,      N,     N,      N,     N,     302,   302, has_object=False),),
    "results:assessment_compute":    (GET(X,    X,      X,     X,      X,     X,     X,     X,   has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     302,   302, has_object=False)),
    "results:trends":                (GET(L,    N,      N,     N,      N,     N,     200,   200, has_object=False),),
    "results:public":                (GET(200,  200,    200,   200,    200,   200,   200,   200, public=True, has_object=False),),
    "results:publish_advice":        (GET(X,    X,      X,     X,      X,     X,     X,     X,   has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     302,   302, has_object=False)),
    # --- 单位与账号 (organisations) ---
    "organisations:list":            (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),),
    "organisations:create":          (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     N,     200, has_object=False)),
    "organisations:edit":            (GET(L,    N,      N,     N,      N,     N,     N,     200),
                                      POST(L,   N,      N,     N,      N,     N,     N,     200)),
    "organisations:import":          (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     N,     400, has_object=False)),
    "organisations:import_template": (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),),
    "organisations:users":           (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),),
    "organisations:picker":          (GET(L,    N,      N,     N,      N,     N,     200,   200, has_object=False),),
    "organisations:user_create":     (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     N,     200, has_object=False)),
    "organisations:user_edit":       (GET(L,    N,      N,     N,      N,     N,     N,     200),
                                      POST(L,   N,      N,     N,      N,     N,     N,     200)),
    "organisations:user_password":   (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   N,      N,     N,      N,     N,     N,     400)),
    "organisations:user_two_factor": (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   N,      N,     N,      N,     N,     N,     (302, C))),
    "organisations:user_active":     (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   N,      N,     N,      N,     N,     N,     (302, C))),
    # --- 项目库 (projects): unit editors write their own, the bureau admin all; others read ---
    "projects:list":                 (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "projects:export":               (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "projects:create":               (GET(L,    200,    200,   200,    N,     N,     N,     200, has_object=False),
                                      POST(L,   400,    400,   400,    N,     N,     N,     400, has_object=False)),
    "projects:import":               (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     N,     400, has_object=False)),
    "projects:mapping":              (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),
                                      POST(L,   N,      N,     N,      N,     N,     N,     (302, C), has_object=False)),
    "projects:detail":               (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "projects:edit":                 (GET(L,    200,    200,   200,    N,     N,     N,     200),
                                      POST(L,   400,    400,   400,    N,     N,     N,     400)),
    "projects:unit_budget":          (GET(L,    200,    200,   200,    200,   200,   200,   200),
                                      POST(L,   400,    400,   400,    403,   403,   403,   400)),
    # --- 报告审查 (audit) ---
    "audit_web:upload":              (GET(L,    N,      N,     N,      200,   200,   200,   200, has_object=False),
                                      POST(L,   N,      N,     N,      200,   200,   200,   200, has_object=False)),
    "audit_web:job":                 (GET(L,    N,      N,     N,      200,   200,   200,   200),),
    "audit_web:job_results":         (GET(L,    N,      N,     N,      200,   200,   200,   200),),
    "audit_web:summary":             (GET(L,    N,      N,     N,      200,   200,   200,   200),),
    # 审查结果: a result is its requester's organisation's (and, auditing an evaluation, that
    # evaluation's reviewers'); the fixture's results audit uploads.
    "audit_web:results":             (GET(L,    N,      N,     N,      200,   200,   200,   200, has_object=False),),
    "audit_web:result":              (GET(L,    N,      N,     N,      200,   200,   200,   200),),
    # The fixture's file was not kept after its audit: sent back with the reason, nothing changes.
    "audit_web:reaudit":             (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   N,      N,     N,      302,   302,   302,   302)),
    # 审查全部已提交: a job over the campaign's submitted evaluations in the reviewer's scope.
    "audit_web:campaign":            (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   N,      N,     N,      (302, C), (302, C), (302, C), (302, C))),
    # 审查本报告: the role's own evaluation is a draft, not handed in: sent back with the reason.
    "audit_web:evaluation":          (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   N,      N,     N,      302,   302,   302,   302)),
    "audit_web:prefill":             (GET(L,    200,    200,   200,    N,     N,     N,     N),
                                      POST(L,   200,    200,   200,    N,     N,     N,     N)),
    # --- 批量生成 (documents) ---
    "documents:request_campaign":    (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   (302, C), (302, C), (302, C), (302, C), (302, C), (302, C), (302, C))),
    # --- 后台任务 (jobs): a job is its requester's ---
    "jobs:list":                     (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "jobs:detail":                   (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "jobs:progress":                 (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "jobs:download":                 (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "jobs:retry":                    (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   (302, C), (302, C), (302, C), (302, C), (302, C), (302, C), (302, C))),
    # --- 操作日志 (activity) ---
    "activity:list":                 (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),
                                      POST(L,   405,    405,   405,    405,   405,   405,   405, has_object=False)),
    "activity:export":               (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),
                                      POST(L,   405,    405,   405,    405,   405,   405,   405, has_object=False)),
    # --- 指标库 (indicators): entries by role (a unit: 共性, its own, and those ≥3 units use) ---
    "indicators:search":             (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "indicators:picker":             (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "indicators:detail":             (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    # --- 通知 (notifications): one's own inbox and settings; failed deliveries for the admin ---
    "notifications:inbox":           (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "notifications:badge":           (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "notifications:open":            (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   (302, C), (302, C), (302, C), (302, C), (302, C), (302, C), (302, C))),
    "notifications:read":            (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   (302, C), (302, C), (302, C), (302, C), (302, C), (302, C), (302, C))),
    "notifications:read_all":        (GET(L,    X,      X,     X,      X,     X,     X,     X, has_object=False),
                                      POST(L,   (302, C), (302, C), (302, C), (302, C), (302, C), (302, C), (302, C), has_object=False)),
    "notifications:preferences":     (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),
                                      POST(L,   400,    400,   400,    400,   400,   400,   400, has_object=False)),
    "notifications:failures":        (GET(L,    N,      N,     N,      N,     N,     N,     200, has_object=False),),
    "notifications:retry":           (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   N,      N,     N,      N,     N,     N,     (302, C))),
    # --- 公开 (portal): anyone, any published report ---
    "portal:index":                  (GET(200,  200,    200,   200,    200,   200,   200,   200, public=True, has_object=False),),
    "portal:detail":                 (GET(200,  200,    200,   200,    200,   200,   200,   200, public=True),),
    "portal:download":               (GET(200,  200,    200,   200,    200,   200,   200,   200, public=True),),
    # --- JSON API (session auth; 401 when anonymous) ---
    "api:openapi-json":              (GET(200,  200,    200,   200,    200,   200,   200,   200, public=True, has_object=False),),
    "api:openapi-view":              (GET(200,  200,    200,   200,    200,   200,   200,   200, public=True, has_object=False),),
    "api:api-root":                  (GET(404,  404,    404,   404,    404,   404,   404,   404, public=True, has_object=False),),
    "api:list_evaluations":          (GET(401,  200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "api:evaluation_detail":         (GET(401,  200,    200,   200,    200,   200,   200,   200),),
    "api:evaluation_score":          (GET(401,  200,    200,   200,    200,   200,   200,   200),),
    "api:save_data":                 (PUT(401,  (200, C), (200, C), (200, C), 400, 400,   400,   400),),
    "api:post_transition":           (POST(401, 400,    (200, C), 400, 400,   400,   400,   400),),
    "api:list_campaigns":            (GET(401,  200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "api:campaign_progress":         (GET(401,  200,    200,   200,    200,   200,   200,   200),),
    "api:campaign_tasks":            (GET(401,  200,    200,   200,    200,   200,   200,   200),),
    "api:search_indicators":         (GET(401,  200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "api:indicator_detail":          (GET(401,  200,    200,   200,    200,   200,   200,   200),),
    "api:list_projects":             (GET(401,  200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "api:project_detail":            (GET(401,  200,    200,   200,    200,   200,   200,   200),),
    "api:declaration_detail":        (GET(401,  200,    200,   200,    200,   200,   200,   200),),
    "api:declaration_adjustments":   (GET(401,  200,    200,   200,    200,   200,   200,   200),),
    # An empty request lacks its reason (unit) or is not the role's to make (reviewers): refused.
    "api:request_adjustment":        (POST(401, 400,    400,   400,    400,   400,   400,   400),),
    "api:adjustment_detail":         (GET(401,  200,    200,   200,    200,   200,   200,   200),),
    "api:adjustment_decision":       (POST(401, 400,    400,   400,    400,   400,   400,   400),),
    "api:public_reports":            (GET(200,  200,    200,   200,    200,   200,   200,   200, public=True, has_object=False),),
    # --- 绩效运行监控 (monitoring): a report is an evaluation of a monitoring round ---
    "monitoring:report":             (GET(L,    200,    200,   200,    200,   200,   200,   200),
                                      POST(L,   409,    409,   409,    302,   302,   302,   302)),
    "monitoring:sheet":              (GET(L,    200,    200,   200,    200,   200,   200,   200),),
    "monitoring:import":             (GET(L,    X,      X,     X,      X,     X,     X,     X),
                                      POST(L,   400,    400,   400,    302,   302,   302,   302)),
    "monitoring:round":              (GET(L,    N,      N,     N,      N,     N,     200,   200),
                                      POST(L,   N,      N,     N,      N,     N,     200,   200)),
    "monitoring:warnings":           (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "monitoring:warnings_export":    (GET(L,    200,    200,   200,    200,   200,   200,   200, has_object=False),),
    "monitoring:warning":            (GET(L,    302,    302,   302,    302,   302,   302,   302),),
    "api:monitoring_report":         (GET(401,  200,    200,   200,    200,   200,   200,   200),
                                      PUT(401,  (200, C), (200, C), (200, C), 400, 400,  400,   400)),
    "api:monitoring_save":           (GET(401,  200,    200,   200,    200,   200,   200,   200),
                                      PUT(401,  (200, C), (200, C), (200, C), 400, 400,  400,   400)),
    "api:monitoring_warnings":       (GET(401,  200,    200,   200,    200,   200,   200,   200, has_object=False),),
}
# fmt: on

MISSING = 9_999_999  # an id nothing has: for the bureau, which sees everything, "not yours" is this


# --- the URL patterns --------------------------------------------------------------------------


@functools.cache
def url_patterns() -> dict[str, tuple[str, ...]]:
    """Every named URL of the site as ``namespace:name`` → the names of its kwargs (walked once a
    run: the URL configuration does not change while the tests run)."""
    found: dict[str, tuple[str, ...]] = {}

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found[name] = tuple(entry.pattern.regex.groupindex)

    walk(get_resolver(), None)
    return found


def test_every_url_pattern_is_in_the_matrix() -> None:
    patterns = url_patterns()
    unchecked = sorted(set(patterns) - set(MATRIX))
    assert not unchecked, (
        f"URL patterns without a row in tests/test_access_matrix.py MATRIX: {unchecked}; "
        "add one (and map their kwargs in Objects.kwargs) so every view's access is checked"
    )
    gone = sorted(set(MATRIX) - set(patterns))
    assert not gone, f"MATRIX rows for URL patterns that no longer exist: {gone}"


def test_every_kwarg_has_an_object() -> None:
    unknown = {
        name: [k for k in kwargs if k not in KWARG_KINDS]
        for name, kwargs in url_patterns().items()
        if any(k not in KWARG_KINDS for k in kwargs)
    }
    assert not unknown, f"URL kwargs the matrix cannot fill in yet: {unknown}"


# --- the objects -------------------------------------------------------------------------------

# Which kind of object each URL kwarg names (fixed values need no object).
KWARG_KINDS = {
    "pk": "evaluation",
    "evaluation_id": "evaluation",
    "declaration_id": "declaration",
    "adjustment_id": "adjustment",
    "campaign_id": "campaign",
    "evidence_id": "evidence",
    "transition_id": "transition",
    "draw_id": "draw",
    "recheck_id": "recheck",
    "publication_id": "publication",
    "task_id": "rectification_task",
    "rectification_evidence_id": "rectification_evidence",
    "organisation_id": "organisation",
    "user_id": "account",
    "job_id": "job",
    "project_id": "project",
    "unit_id": "unit",
    "warning_id": "warning",
    "indicator_id": "indicator",
    "notification_id": "notification",
    "delivery_id": "delivery",
    "result_id": "audit_result",
    "section": "fixed",
    "fmt": "fixed",
    "action": "fixed",
    "ref": "fixed",
}
FIXED = {"section": "targets", "fmt": "pdf", "action": "submit", "ref": "gd-department@2025.1"}
# evaluations:document renders on the fly; the text format checks the same access for a fraction of
# the time a PDF takes.
FIXED_BY_VIEW = {"evaluations:document": {"fmt": "txt"}, "monitoring:sheet": {"fmt": "xlsx"}}


@dataclass
class Objects:
    world: World
    users: dict[str, Any]
    evaluations: dict[str, tuple[Evaluation, Evaluation | None]]  # role → (own, not own)
    campaigns: dict[str, tuple[Campaign, Campaign | None]]
    evidence: dict[int, Evidence]  # evaluation id → its evidence
    transitions: dict[int, Transition]
    draw: SampleDraw
    recheck: Recheck
    publication: Publication
    jobs: dict[str, Job]
    audit_jobs: dict[str, Job]  # 报告审查 jobs (kind audit.upload), one per role
    indicators: dict[str, tuple[int, int | None]]  # 指标库 entries: role → (visible, hidden)
    projects: dict[int, Project]  # unit id → a registered project of that unit
    # 绩效运行监控: role → (own report, not own), the round, each report's first warning
    monitoring: dict[str, tuple[Evaluation, Evaluation | None]] = field(default_factory=dict)
    monitoring_campaign: Campaign | None = None
    warnings: dict[int, Any] = field(default_factory=dict)
    # 通知: one unread notification per role, and one failed delivery (the admin's failures page)
    notifications: dict[str, Notification] = field(default_factory=dict)
    delivery: Delivery | None = None
    # 绩效目标申报, as evaluations: role → (own declaration, not own)
    declarations: dict[str, tuple[Evaluation, Evaluation | None]] = field(default_factory=dict)
    # 整改: evaluation id → a 整改任务 of its unit (with one evidence file)
    rectification: dict[int, Any] = field(default_factory=dict)
    adjustments: dict[int, TargetAdjustment] = field(default_factory=dict)  # declaration id → one

    def kwargs(
        self, view: str, kwarg_names: tuple[str, ...], role: str, own: bool
    ) -> dict[str, Any]:
        who = "editor" if role == "anonymous" else role
        evaluation = self.evaluations[who][0 if own else 1]
        campaign = self.campaigns[who][0 if own else 1]
        if view.startswith(("monitoring:", "api:monitoring_")):
            evaluation = self.monitoring[who][0 if own else 1]
            campaign = self.monitoring_campaign if own else None
        out: dict[str, Any] = {}
        for name in kwarg_names:
            kind = KWARG_KINDS[name]
            if kind == "fixed":
                out[name] = FIXED_BY_VIEW.get(view, {}).get(name, FIXED[name])
            elif kind == "evaluation":
                out[name] = evaluation.pk if evaluation else MISSING
            elif kind == "declaration":
                declaration = self.declarations[who][0 if own else 1]
                out[name] = declaration.pk if declaration else MISSING
            elif kind == "adjustment":
                declaration = self.declarations[who][0 if own else 1]
                out[name] = self.adjustments[declaration.pk].pk if declaration else MISSING
            elif kind == "campaign":
                if view == "campaigns:extend":
                    # The task must belong to the campaign: the bureau's "not own" is a mismatch.
                    out[name] = self.world.campaign.pk
                else:
                    out[name] = campaign.pk if campaign else MISSING
            elif kind == "evidence":
                out[name] = self.evidence[evaluation.pk].pk if evaluation else MISSING
            elif kind == "transition":
                out[name] = self.transitions[evaluation.pk].pk if evaluation else MISSING
            elif kind == "draw":
                out[name] = self.draw.pk if own else MISSING
            elif kind == "recheck":
                out[name] = self.recheck.pk if own else MISSING
            elif kind == "publication":
                out[name] = self.publication.pk if own else MISSING
            elif kind == "rectification_task":
                out[name] = self.rectification[evaluation.pk].pk if evaluation else MISSING
            elif kind == "rectification_evidence":
                out[name] = (
                    self.rectification[evaluation.pk].evidence.get().pk if evaluation else MISSING
                )
            elif kind == "organisation":
                out[name] = self.world.unit.pk if own else MISSING
            elif kind == "account":
                out[name] = self.world.editor.pk if own else MISSING
            elif kind == "project":
                out[name] = self.projects[evaluation.unit_id].pk if evaluation else MISSING
            elif kind == "unit":
                out[name] = evaluation.unit_id if evaluation else MISSING
            elif kind == "warning":
                out[name] = self.warnings[evaluation.pk].pk if evaluation else MISSING
            elif kind == "notification":
                mine = self.notifications[who] if own else self.notifications[_someone_else(who)]
                out[name] = mine.pk
            elif kind == "delivery":
                out[name] = self.delivery.pk if own and self.delivery else MISSING
            elif kind == "audit_result":
                owner = who if own else _someone_else(who)
                out[name] = AuditedFile.objects.get(job=self.audit_jobs[owner]).pk
            elif kind == "job":
                jobs = self.audit_jobs if view.startswith("audit_web:") else self.jobs
                out[name] = jobs[who].pk if own else jobs[_someone_else(who)].pk
            elif kind == "indicator":
                visible, hidden = self.indicators[who]
                out[name] = visible if own else (hidden or MISSING)
        if view == "results:override":
            out["evaluation_id"] = self.published.pk if own else MISSING
        if view == "campaigns:extend" and not own and role in ("bureau", "admin"):
            out["campaign_id"] = self.campaigns["bureau"][0].pk
            out["evaluation_id"] = self.published.pk  # a task of another campaign
        return out

    @property
    def published(self) -> Evaluation:
        return self.publication.evaluation


def _someone_else(role: str) -> str:
    return "head" if role == "editor" else "editor"


# The rows below take about as long to build as a request takes to answer, and 2,700 cases use
# them: they are built once for the module and each test runs in a savepoint rolled back after it
# (jixiao.conftest.shared_database_data), so every case still starts from exactly these rows.
# A module that reuses ``objects`` imports ``matrix_rows`` with it (and builds the rows once too).
@pytest.fixture(scope="module")
def matrix_rows(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[Objects, Path]]:
    media = tmp_path_factory.mktemp("matrix-media")
    with shared_database_data(
        django_db_blocker, lambda: build_objects(build_world()), MEDIA_ROOT=str(media)
    ) as built:
        yield built, media


@pytest.fixture
def objects(matrix_rows: tuple[Objects, Path], db: None, settings: Any, tmp_path: Path) -> Objects:
    """The module's rows, with their files and objects in memory copied for this test alone (a
    case may delete a file or change an instance)."""
    built, media = matrix_rows
    shutil.copytree(media, tmp_path / "media")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return copy.deepcopy(built)


def build_objects(world: World) -> Objects:
    w = world
    # Two more campaigns, each with the task of one unit only, so a department that is not involved
    # has a campaign it must not see.
    foreign_campaign = f.CampaignFactory.create(bureau=w.bureau, title="外部门专项自评")
    f.EvaluationFactory.create(campaign=foreign_campaign, unit=w.foreign_unit)
    own_campaign = f.CampaignFactory.create(bureau=w.bureau, title="本单位专项自评")
    published = f.EvaluationFactory.create(
        campaign=own_campaign, unit=w.unit, status=Status.PUBLISHED
    )
    users = {
        "editor": w.editor,
        "head": w.head,
        "other_editor": w.other_editor,
        "department": w.department_reviewer,
        "other_department": w.other_department_reviewer,
        "bureau": w.bureau_reviewer,
        "admin": w.bureau_admin,
    }
    evaluations = {
        "editor": (w.evaluation, w.other_evaluation),
        "head": (w.evaluation, w.other_evaluation),
        "other_editor": (w.other_evaluation, w.evaluation),
        "department": (w.evaluation, w.foreign_evaluation),
        "other_department": (w.foreign_evaluation, w.evaluation),
        "bureau": (w.evaluation, None),
        "admin": (w.evaluation, None),
    }
    campaigns = {
        "editor": (w.campaign, foreign_campaign),
        "head": (w.campaign, foreign_campaign),
        "other_editor": (w.campaign, foreign_campaign),
        "department": (w.campaign, foreign_campaign),
        "other_department": (w.campaign, own_campaign),
        "bureau": (w.campaign, None),
        "admin": (w.campaign, None),
    }
    evidence: dict[int, Evidence] = {}
    transitions: dict[int, Transition] = {}
    for e in (w.evaluation, w.other_evaluation, w.foreign_evaluation):
        content = f"佐证 {e.pk}".encode()
        sha = hashlib.sha256(content).hexdigest()
        item = Evidence(
            evaluation=e,
            indicator_code="T1",
            original_name=f"佐证{e.pk}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=sha,
            uploaded_by=w.editor,
        )
        item.file.save(f"{sha}.pdf", ContentFile(content), save=False)
        item.save()
        evidence[e.pk] = item
        transitions[e.pk] = Transition.objects.create(
            evaluation=e,
            action="submit",
            from_status=Status.DRAFT,
            to_status=Status.DRAFT,
            actor=w.head,
            snapshot=review_services.snapshot(e),
        )
        FrozenDocument.objects.create(
            evaluation=e,
            format="pdf",
            filename=f"{e.pk}.pdf",
            content=b"%PDF-1.7 frozen",
            sha256=hashlib.sha256(b"%PDF-1.7 frozen").hexdigest(),
            size=15,
        )
    publication = Publication.objects.create(
        evaluation=published, published_by=w.bureau_admin, total=Decimal("98.00"), grade="优"
    )
    FrozenDocument.objects.create(
        evaluation=published,
        format="pdf",
        filename="公开.pdf",
        content=b"%PDF-1.7 public",
        sha256=hashlib.sha256(b"%PDF-1.7 public").hexdigest(),
        size=15,
    )
    draw = SampleDraw.objects.create(
        campaign=w.campaign, drawn_by=w.bureau_reviewer, seed="matrix", requested=1
    )
    recheck = Recheck.objects.create(draw=draw, evaluation=w.evaluation)
    jobs: dict[str, Job] = {}
    for role, user in users.items():
        # Done with one failed item: downloadable, and a retry may run it again.
        core_job = Job.objects.create(
            kind="documents.package",
            title=f"{role} 的任务",
            requested_by=user,
            organisation=user.organisation,
            params={"evaluation_ids": [w.evaluation.pk], "formats": "txt"},
            state=Job.State.DONE,
            total=2,
            done_count=1,
            failed_count=1,
            failures=[{"item": "某单位", "reason": "无法评分"}],
            attempts=1,
            finished_at=timezone.now(),
        )
        core_job.result.save(f"core-job-{core_job.pk}.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
        jobs[role] = core_job
    audit_jobs: dict[str, Job] = {}
    for role, user in users.items():
        audit_job = Job.objects.create(
            kind="audit.upload", title=f"{role} 的报告审查", requested_by=user,
            organisation=user.organisation, state=Job.State.DONE, total=1, done_count=1,
            attempts=1, finished_at=timezone.now(),
        )  # fmt: skip
        AuditedFile.objects.create(
            job=audit_job, position=0, name="报告.txt", status=AuditedFile.Status.AUDITED,
            requested_by=user, organisation=user.organisation, level="warning", warnings=1,
            findings=[{"severity": "warning", "code": "over_completion", "message": "超额",
                       "quote": "158.08%", "location": {"line": 3, "page": None}}],
        )  # fmt: skip
        audit_jobs[role] = audit_job
    projects = {
        unit.pk: Project.objects.create(
            unit=unit, department=unit.parent, year=2026, code=f"P{unit.pk}", name=f"项目{unit.pk}"
        )
        for unit in (w.unit, w.other_unit, w.foreign_unit)
    }
    monitoring_campaign, reports = open_test_round(
        bureau_user=w.bureau_admin, units=[w.unit, w.other_unit, w.foreign_unit]
    )
    by_unit = {r.unit_id: r for r in reports if r.project_id is None}
    warnings = {}
    for report in by_unit.values():
        report.data = monitoring_services.validate(
            monitoring_services.with_server_owned(report.data, filled(report))
        ).model_dump(mode="json")
        report.save()
        parsed = monitoring_services.validate(report.data)
        monitoring_services.rewrite_warnings(
            report, parsed, monitoring_services.result_of(report, parsed)
        )
        warnings[report.pk] = report.monitoring_warnings.order_by("pk").first()
    mine, other, foreign = by_unit[w.unit.pk], by_unit[w.other_unit.pk], by_unit[w.foreign_unit.pk]
    monitoring = {
        "editor": (mine, other),
        "head": (mine, other),
        "other_editor": (other, mine),
        "department": (mine, foreign),
        "other_department": (foreign, mine),
        "bureau": (mine, None),
        "admin": (mine, None),
    }
    # 指标库: one entry three units use (everyone sees it), one only ``unit`` uses, one only
    # ``foreign_unit`` uses (units do not see each other's); reviewers see every entry.
    shared = _indicator_used_by("培训人次", w.unit, w.other_unit, w.foreign_unit)
    only_unit = _indicator_used_by("鉴定场次", w.unit)
    only_foreign = _indicator_used_by("宣传活动次数", w.foreign_unit)
    indicators = {
        "editor": (shared, only_foreign),
        "head": (shared, only_foreign),
        "other_editor": (shared, only_unit),
        "department": (shared, None),
        "other_department": (shared, None),
        "bureau": (shared, None),
        "admin": (shared, None),
    }
    notifications = {
        role: Notification.objects.create(
            recipient=user, kind="deadline_3", key=f"matrix:{role}", title=f"{role} 的通知", url="/evaluations/"
        )
        for role, user in users.items()
    }  # fmt: skip
    delivery = Delivery.objects.create(
        recipient=w.editor, kind="deadline_3", key="matrix", channel="email", address="editor@test.invalid",
        subject="提醒", state=Delivery.State.FAILED, attempts=5, last_error="SMTPServerDisconnected",
    )  # fmt: skip
    # 绩效目标申报: a targets campaign with a declaration for each of the three units.
    targets_campaign = f.CampaignFactory.create(
        bureau=w.bureau, kind="targets", ruleset_ref="", year=2026, title="2026年度绩效目标申报"
    )
    own_d, other_d, foreign_d = (
        f.EvaluationFactory.create(
            campaign=targets_campaign,
            unit=unit,
            status=Status.APPROVED,
            ruleset_ref="",
            data={"kind": "targets", "year": 2026, "unit_name": unit.name, "targets": []},
        )
        for unit in (w.unit, w.other_unit, w.foreign_unit)
    )
    declarations = {
        "editor": (own_d, other_d),
        "head": (own_d, other_d),
        "other_editor": (other_d, own_d),
        "department": (own_d, foreign_d),
        "other_department": (foreign_d, own_d),
        "bureau": (own_d, None),
        "admin": (own_d, None),
    }
    rectification: dict[int, Any] = {}
    for e in (w.evaluation, w.other_evaluation, w.foreign_evaluation):
        task = RectificationTask.objects.create(
            unit=e.unit, department=e.unit.parent, evaluation=e, year=2025, problem="问题",
            measures="措施", deadline=timezone.localdate(), source_kind="other",
            raised_by=w.bureau_reviewer,
        )  # fmt: skip
        proof = RectificationEvidence(
            task=task, original_name="整改.pdf", content_type="application/pdf", size=3,
            sha256=hashlib.sha256(f"整改{e.pk}".encode()).hexdigest(), uploaded_by=w.editor,
        )  # fmt: skip
        proof.file.save(proof.sha256, ContentFile(b"%PDF"), save=False)
        proof.save()
        rectification[e.pk] = task
    return Objects(
        projects=projects,
        monitoring=monitoring,
        monitoring_campaign=monitoring_campaign,
        warnings=warnings,
        indicators=indicators,
        notifications=notifications,
        delivery=delivery,
        world=w,
        declarations=declarations,
        adjustments={
            d.pk: TargetAdjustment.objects.create(
                declaration=d,
                number=1,
                reason="调整",
                data=d.data,
                base_data=d.data,
                requested_by=w.editor,
            )
            for d in (own_d, other_d, foreign_d)
        },
        users=users,
        evaluations=evaluations,
        campaigns=campaigns,
        evidence=evidence,
        transitions=transitions,
        draw=draw,
        recheck=recheck,
        publication=publication,
        jobs=jobs,
        audit_jobs=audit_jobs,
        rectification=rectification,
    )


def _indicator_used_by(name: str, *units: Any) -> int:
    from jixiao.indicators.tests.helpers import use

    rows = [use(unit, 2025, name, 100 + n) for n, unit in enumerate(units)]
    return rows[0].indicator_id


# --- the fingerprint of everything the project stores ------------------------------------------

# The activity log records who did what (a refused request may well be logged); everything else the
# project stores is fingerprinted, including apps added later.
LOG_APPS = {"activity"}
IGNORED_FIELDS = {"last_login"}  # logging in is not a change made by the refused request


def fingerprint() -> str:
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for label, sql, params in _fingerprint_queries():
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                digest.update(json.dumps(row, default=_plain, sort_keys=True).encode())
            digest.update(f"|{label}|".encode())
    return digest.hexdigest()


@functools.cache
def _fingerprint_queries() -> tuple[tuple[str, str, tuple[Any, ...]], ...]:
    """Every fingerprinted table's query (all rows by primary key), compiled once per run: building
    40 ORM queries was most of a fingerprint's time, and each case takes two. The rows are read
    as the database returns them, which tells any change apart as well as the model's values do."""
    queries = []
    for config in apps.get_app_configs():
        if not config.name.startswith("jixiao.") or config.label in LOG_APPS:
            continue
        for model in config.get_models():
            fields = [
                f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED_FIELDS
            ]
            query = model._default_manager.order_by("pk").values_list(*fields).query
            sql, params = query.sql_with_params()
            queries.append((model._meta.label, sql, tuple(params)))
    return tuple(queries)


def _plain(value: Any) -> str:
    return value.hex() if isinstance(value, bytes | memoryview) else str(value)


# --- the cases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    view: str
    method: str
    role: str
    own: bool

    @property
    def id(self) -> str:
        target = "own" if self.own else "not-own"
        return f"{self.view}-{self.method}-{self.role}-{target}"


def cases() -> list[Case]:
    out: list[Case] = []
    for view, rows in MATRIX.items():
        for row in rows:
            for role in ROLES:
                out.append(Case(view, row.method, role, True))
                if row.has_object and role != "anonymous":
                    out.append(Case(view, row.method, role, False))
    return out


CASES = cases()


def _row(case: Case) -> Row:
    return next(r for r in MATRIX[case.view] if r.method == case.method)


def _request(client: Client, method: str, url: str, evaluation: Evaluation) -> Any:
    if method == "GET":
        return client.get(url)
    if method == "PUT":
        # The evaluation's own data at its current version: a save that would succeed for anyone
        # allowed to write, so only the access rules can refuse it.
        body = json.dumps({"version": evaluation.version, "data": evaluation.data})
        return client.put(url, body, content_type="application/json")
    if url.startswith("/api/"):
        return client.post(url, json.dumps({"action": "submit"}), content_type="application/json")
    return client.post(url, {})


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case: Case, objects: Objects) -> None:
    row = _row(case)
    patterns = url_patterns()
    kwargs = objects.kwargs(case.view, patterns[case.view], case.role, case.own)
    url = reverse(case.view, kwargs=kwargs)
    client = Client()
    if case.role != "anonymous":
        client.force_login(objects.users[case.role])
    expected, may_change = row.expected(case.role)
    if not case.own and expected != X:
        # Out of scope, or (public views) a publication that does not exist. A 405 comes before
        # any lookup and tells nothing about the object, so it stays.
        expected, may_change = 404, False
    before = fingerprint()
    who = "editor" if case.role == "anonymous" else case.role
    subject = (objects.monitoring if "monitoring" in case.view else objects.evaluations)[who][0]
    response = _request(client, case.method, url, subject)
    where = f"{case.method} {url} as {case.role} ({'own' if case.own else 'not own'} object)"
    if expected == LOGIN:
        assert response.status_code == 302, f"{where}: {response.status_code}, expected login"
        assert response["Location"].startswith(reverse("login")), (
            f"{where}: redirected to {response['Location']}, expected the login page"
        )
    else:
        assert response.status_code == expected, (
            f"{where}: answered {response.status_code}, expected {expected}"
        )
    if not may_change:
        assert fingerprint() == before, f"{where}: refused, yet the stored data changed"


# --- once submitted, the unit can no longer change its evaluation ----------------------------

# Every way the unit writes to its own evaluation, and the answer while the evaluation is locked
# (submitted and after). Each refusal must leave everything as it was.
LOCKED_WRITES: dict[str, tuple[str, int]] = {
    "evaluations:edit": ("POST", 403),
    "evaluations:autosave": ("POST", 200),  # the status line says it was not saved
    "evaluations:evidence": ("POST", 403),
    "evaluations:evidence_delete": ("POST", 302),  # back to the list, with the reason
    "reviews:transition": ("POST", 302),  # back to the evaluation, with the reason
    "audit_web:prefill": ("POST", 404),  # only an editable evaluation can be prefilled
    "api:save_data": ("PUT", 400),
    "api:post_transition": ("POST", 400),
}
LOCKED_STATUSES = (
    Status.SUBMITTED,
    Status.DEPARTMENT_APPROVED,
    Status.APPROVED,
    Status.PUBLISHED,
)
LOCKED_CASES = [
    (view, status, role)
    for view in LOCKED_WRITES
    for status in LOCKED_STATUSES
    for role in ("editor", "head")
]


@pytest.mark.parametrize(
    ("view", "status", "role"),
    LOCKED_CASES,
    ids=[f"{v}-{s}-{r}" for v, s, r in LOCKED_CASES],
)
def test_locked_evaluation_refuses_the_units_writes(
    view: str, status: str, role: str, objects: Objects
) -> None:
    evaluation = objects.world.evaluation
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    evaluation.refresh_from_db()
    method, expected = LOCKED_WRITES[view]
    url = reverse(view, kwargs=objects.kwargs(view, url_patterns()[view], role, own=True))
    client = Client()
    client.force_login(objects.users[role])
    before = fingerprint()
    response = _request(client, method, url, evaluation)
    where = f"{method} {url} as {role} on a {status} evaluation"
    assert response.status_code == expected, f"{where}: answered {response.status_code}"
    assert fingerprint() == before, f"{where}: refused, yet the stored data changed"
    assert Evaluation.objects.get(pk=evaluation.pk).status == status


# --- list pages show only what is in scope -----------------------------------------------------

# Pages that list evaluations, units or campaigns. A name from outside the person's scope must not
# appear on them (the evaluations of the other units are submitted, so any reviewer's pile would
# show them if the scope leaked).
LIST_PAGES = (
    "home",
    "evaluations:list",
    "evaluations:list_export",
    "reviews:queue",
    "reviews:queue_export",
    "campaigns:list",
    "campaigns:overview",
    "jobs:list",
    "rectification:list",
    "audit_web:results",
    "api:list_evaluations",
    "api:list_campaigns",
    # A campaign with a task for every unit: each person sees the units in their scope only.
    "campaigns:detail",
    "campaigns:progress_export",
    "api:campaign_progress",
    "api:campaign_tasks",
)
OTHER_UNIT = "同部门另一单位甲"
FOREIGN_UNIT = "外部门某学校乙"
# Whose names each role must not see (``unit``'s own name is also the seed data's, so it is in every
# evaluation's content and cannot serve as a marker).
HIDDEN_NAMES = {
    "editor": (OTHER_UNIT, FOREIGN_UNIT),
    "head": (OTHER_UNIT, FOREIGN_UNIT),
    "other_editor": (FOREIGN_UNIT,),
    "department": (FOREIGN_UNIT,),
    "other_department": (OTHER_UNIT,),
}
LIST_CASES = [(view, role) for view in LIST_PAGES for role in HIDDEN_NAMES]


@pytest.mark.parametrize(("view", "role"), LIST_CASES, ids=[f"{v}-{r}" for v, r in LIST_CASES])
def test_list_pages_show_nothing_out_of_scope(view: str, role: str, objects: Objects) -> None:
    w = objects.world
    type(w.other_unit).objects.filter(pk=w.other_unit.pk).update(name=OTHER_UNIT)
    type(w.foreign_unit).objects.filter(pk=w.foreign_unit.pk).update(name=FOREIGN_UNIT)
    Evaluation.objects.filter(pk__in=[w.other_evaluation.pk, w.foreign_evaluation.pk]).update(
        status=Status.SUBMITTED
    )
    client = Client()
    client.force_login(objects.users[role])
    kwargs = {"campaign_id": w.campaign.pk} if "campaign_id" in url_patterns()[view] else {}
    response = client.get(reverse(view, kwargs=kwargs))
    if response.status_code == 404:
        return  # the page is not for this role (the matrix checks that)
    assert response.status_code == 200, f"{view} as {role}: {response.status_code}"
    content = _text_of(response)
    for name in HIDDEN_NAMES[role]:
        assert name not in content, f"{view} as {role} shows {name}, which is out of scope"
    if role == "department" and view in (
        "evaluations:list",
        "evaluations:list_export",
        "api:list_evaluations",
        "campaigns:detail",
        "campaigns:progress_export",
    ):
        assert OTHER_UNIT in content  # in scope, and listed: the check above is not vacuous
    if view == "api:campaign_progress":
        # Counts, not names: the campaign has one task per unit, three in all.
        visible = {"editor": 1, "head": 1, "other_editor": 1, "department": 2}
        assert response.json()["total"] == visible.get(role, 1), f"{view} as {role}"


def _text_of(response: Any) -> str:
    """Everything a person can read in the response: page text, JSON, or a workbook's cells."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    if "spreadsheetml" in response["Content-Type"]:
        from io import BytesIO

        from openpyxl import load_workbook

        body = b"".join(response.streaming_content) if response.streaming else response.content
        book = load_workbook(BytesIO(body), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return str(response.content.decode())


# --- a deactivated account loses access at once ------------------------------------------------


def test_deactivated_account_is_logged_out_everywhere(objects: Objects) -> None:
    """An admin disabling an account ends its open sessions: the next request is anonymous."""
    w = objects.world
    client = Client()
    client.force_login(w.editor)
    detail = reverse("evaluations:detail", args=[w.evaluation.pk])
    assert client.get(detail).status_code == 200
    type(w.editor).objects.filter(pk=w.editor.pk).update(is_active=False)
    before = fingerprint()
    response = client.get(detail)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    api = reverse("api:evaluation_detail", kwargs={"evaluation_id": w.evaluation.pk})
    assert client.get(api).status_code == 401
    data = reverse("api:save_data", kwargs={"evaluation_id": w.evaluation.pk})
    body = json.dumps({"version": w.evaluation.version, "data": w.evaluation.data})
    assert client.put(data, body, content_type="application/json").status_code == 401
    assert fingerprint() == before
