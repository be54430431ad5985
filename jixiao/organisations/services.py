"""Writes to organisations and accounts; only a bureau admin (财政管理员) may make them.

Every service checks the acting user itself (a view that forgot to would still be safe) and runs in a
transaction. A refused action raises ``Http404`` for a non-admin (the pages do not exist for them)
and ``OrganisationRefused`` with a Chinese reason for an admin asking for something impossible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.activity.services import changed_fields, record_event
from jixiao.activity.texts import log_text
from jixiao.organisations.models import (
    ROLE_ORGANISATION_KIND,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from jixiao.organisations.unit_import import UnitImportCheck, UnitRow, check_unit_workbook


class OrganisationRefused(Exception):
    """The admin asked for something the rules do not allow; nothing was written."""


def require_bureau_admin(user: Any) -> User:
    """The user if they are an active bureau admin; Http404 otherwise (no existence leak)."""
    if not (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.BUREAU_ADMIN
        and user.organisation_id is not None
    ):
        raise Http404
    return user  # type: ignore[no-any-return]


def parent_problem(*, kind: str, parent: Organisation | None) -> str | None:
    """Why ``parent`` cannot be the parent of an organisation of ``kind`` (None when it can)."""
    if kind == OrganisationKind.UNIT:
        if parent is None or parent.kind != OrganisationKind.DEPARTMENT:
            return _("预算单位的上级必须是一个主管部门")
    elif kind == OrganisationKind.DEPARTMENT:
        if parent is None or parent.kind != OrganisationKind.BUREAU:
            return _("主管部门的上级必须是财政局")
    elif parent is not None:
        return _("财政局没有上级")
    return None


ORGANISATION_FIELDS = (
    "kind",
    "name",
    "short_name",
    "credit_code",
    "unit_type",
    "parent",
    "staffing_quota",
    "staff_actual",
    "functions",
    "is_active",
)


@transaction.atomic
def save_organisation(
    *, user: User, organisation_id: int | None, values: dict[str, Any]
) -> Organisation:
    """Create (``organisation_id`` None) or update an organisation from cleaned form values."""
    require_bureau_admin(user)
    before: dict[str, Any] = {}
    if organisation_id is None:
        organisation = Organisation()
    else:
        found = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        if found is None:
            raise Http404
        organisation = found
        before = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
    for name in ORGANISATION_FIELDS:
        if name in values:
            setattr(organisation, name, values[name])
    organisation.credit_code = organisation.credit_code or None  # unique: empty means "none"
    problem = parent_problem(kind=organisation.kind, parent=organisation.parent)
    if problem:
        raise OrganisationRefused(problem)
    if organisation.pk:
        original_kind = Organisation.objects.values_list("kind", flat=True).get(pk=organisation.pk)
        if original_kind != organisation.kind:
            # Children and accounts are bound to the kind (a unit's parent is a department; a
            # role belongs to one kind), so changing it under them would break both.
            if organisation.children.exists():
                raise OrganisationRefused(_("该组织下还有下级单位，不能更改类型"))
            if organisation.members.exists():
                raise OrganisationRefused(_("该组织已有账号，不能更改类型"))
    organisation.full_clean()
    created = organisation.pk is None
    organisation.save()
    after = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
    record_event(
        actor=user,
        action="organisation.create" if created else "organisation.update",
        target=organisation,
        summary=(_("新建组织：{name}") if created else _("修改组织：{name}")).format(
            name=organisation.name
        ),
        details={"changes": changed_fields(before, after)},
    )
    return organisation


@dataclass(frozen=True)
class UnitImportOutcome:
    """What an import did (``written``) or why it did nothing (``check.problems``)."""

    check: UnitImportCheck
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    renamed: dict[str, str] = field(default_factory=dict)  # new name → name before the import

    @property
    def written(self) -> bool:
        return bool(self.created or self.updated)


def import_units(*, user: User, data: bytes) -> UnitImportOutcome:
    """Check every row of the workbook; write them all (create, or update by credit code) only if
    every row is valid. Raises UnitImportFileError for a file that cannot be read at all."""
    require_bureau_admin(user)
    departments = dict(
        Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, is_active=True).values_list(
            "name", "pk"
        )
    )
    stored = list(Organisation.objects.values_list("name", "credit_code", "kind"))
    check = check_unit_workbook(
        data,
        departments=departments,
        non_unit_codes={code for _n, code, kind in stored if code and kind != "unit"},
        credit_code_by_name={name: code for name, code, _k in stored},
    )
    if not check.ok:
        return UnitImportOutcome(check=check)
    created: list[str] = []
    updated: list[str] = []
    renamed: dict[str, str] = {}
    with transaction.atomic():
        existing = {
            o.credit_code: o
            for o in Organisation.objects.select_for_update().filter(
                kind=OrganisationKind.UNIT,
                credit_code__in=[row.credit_code for row in check.rows],
            )
        }
        for row in check.rows:
            unit = existing.get(row.credit_code)
            if unit is None:
                unit = Organisation(kind=OrganisationKind.UNIT, credit_code=row.credit_code)
                created.append(row.name)
            else:
                updated.append(row.name)
                if unit.name != row.name:
                    renamed[row.name] = unit.name
            _apply_row(unit, row)
            unit.save()
        record_event(
            actor=user,
            action="organisation.import",
            target=user,
            summary=log_text(
                "批量导入单位：新建 {created} 个，更新 {updated} 个",
                created=len(created),
                updated=len(updated),
            ),
            details={"created": created, "updated": updated, "renamed": renamed},
        )
    return UnitImportOutcome(
        check=check, created=tuple(created), updated=tuple(updated), renamed=renamed
    )


def _apply_row(unit: Organisation, row: UnitRow) -> None:
    unit.name = row.name
    unit.unit_type = row.unit_type
    unit.parent_id = row.department_id
    unit.staffing_quota = row.staffing_quota
    unit.staff_actual = row.staff_actual
    # An empty optional cell keeps what is stored: a short sheet never wipes a unit's functions.
    if row.functions:
        unit.functions = row.functions
    if row.short_name:
        unit.short_name = row.short_name


# ---------------------------------------------------------------- accounts


def role_problem(*, role: str, organisation: Organisation | None) -> str | None:
    """Why ``role`` does not fit ``organisation`` (ROLE_ORGANISATION_KIND), None when it does."""
    if organisation is None:
        return _("请选择所属组织")
    try:
        expected = ROLE_ORGANISATION_KIND[Role(role)]
    except ValueError:
        return _("请选择角色")
    if organisation.kind != expected:
        return _("角色“{role}”只能属于{kind}，而“{name}”是{actual}").format(
            role=Role(role).label,
            kind=OrganisationKind(expected).label,
            name=organisation.name,
            actual=organisation.get_kind_display(),
        )
    return None


ACCOUNT_FIELDS = ("username", "display_name", "phone", "email", "organisation", "role")


@transaction.atomic
def create_user(*, user: User, values: dict[str, Any], password: str) -> User:
    """A new account; the password is hashed with the configured hasher (Argon2)."""
    require_bureau_admin(user)
    problem = role_problem(role=values.get("role", ""), organisation=values.get("organisation"))
    if problem:
        raise OrganisationRefused(problem)
    account = User(**{name: values[name] for name in ACCOUNT_FIELDS if name in values})
    account.set_password(password)
    # The admin knows this password: the person chooses their own at first sign-in.
    account.must_change_password = True
    account.full_clean(exclude=["password"])
    account.save()
    record_event(
        actor=user,
        action="account.create",
        target=account,
        summary=log_text(
            "新建账号：{username}（{role}，{organisation}）",
            username=account.username,
            role=account.get_role_display(),
            organisation=account.organisation,
        ),
    )
    return account


def _locked_account(user_id: int) -> User:
    account = User.objects.select_for_update().filter(pk=user_id).first()
    if account is None:
        raise Http404
    return account


@transaction.atomic
def update_user(*, user: User, user_id: int, values: dict[str, Any]) -> User:
    require_bureau_admin(user)
    account = _locked_account(user_id)
    before = {name: getattr(account, name) for name in ACCOUNT_FIELDS}
    for name in ACCOUNT_FIELDS:
        if name in values:
            setattr(account, name, values[name])
    problem = role_problem(role=account.role, organisation=account.organisation)
    if problem:
        raise OrganisationRefused(problem)
    if account.pk == user.pk and account.role != Role.BUREAU_ADMIN:
        raise OrganisationRefused(_("不能取消自己的财政管理员角色，请由另一位管理员操作"))
    account.full_clean(exclude=["password"])
    account.save()
    record_event(
        actor=user,
        action="account.update",
        target=account,
        summary=log_text("修改账号：{username}", username=account.username),
        details={
            "changes": changed_fields(before, {n: getattr(account, n) for n in ACCOUNT_FIELDS})
        },
    )
    return account


@transaction.atomic
def reset_password(*, user: User, user_id: int, password: str) -> User:
    require_bureau_admin(user)
    account = _locked_account(user_id)
    account.set_password(password)
    # The admin knows the new password: the person must replace it before anything else.
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    record_event(
        actor=user,
        action="account.password",
        target=account,
        summary=log_text("重置密码：{username}（下次登录须修改）", username=account.username),
        details={"must_change_password": True},
    )
    return account


@transaction.atomic
def set_user_active(*, user: User, user_id: int, active: bool) -> User:
    """停用 / 启用 an account. A deactivated person cannot sign in; their history stays."""
    require_bureau_admin(user)
    account = _locked_account(user_id)
    if account.pk == user.pk and not active:
        raise OrganisationRefused(_("不能停用自己的账号"))
    account.is_active = active
    account.save(update_fields=["is_active"])
    record_event(
        actor=user,
        action="account.activate" if active else "account.deactivate",
        target=account,
        summary=(_("启用账号：{username}") if active else _("停用账号：{username}")).format(
            username=account.username
        ),
    )
    return account
