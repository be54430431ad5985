"""Organisations (财政局, 主管部门, 预算单位) and the people who act for them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.organisations.credit_code import credit_code_problem


class OrganisationKind(models.TextChoices):
    BUREAU = "bureau", _("财政局")
    DEPARTMENT = "department", _("主管部门")
    UNIT = "unit", _("预算单位")


class UnitType(models.TextChoices):
    ADMINISTRATIVE = "行政单位", _("行政单位")
    PUBLIC_1 = "公益一类事业单位", _("公益一类事业单位")
    PUBLIC_2 = "公益二类事业单位", _("公益二类事业单位")
    PUBLIC_OTHER = "其他事业单位", _("其他事业单位")
    SOCIAL = "社会团体", _("社会团体")
    OTHER = "其他", _("其他")


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="credit_code")


class Organisation(models.Model):
    """A finance bureau, a supervising department (主管部门) or a budget unit (预算单位).

    A unit's ``parent`` is its supervising department; a department's parent is the bureau.
    """

    kind = models.CharField(_("类型"), max_length=16, choices=OrganisationKind.choices)
    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(
        _("自称"), max_length=20, blank=True, help_text=_("报告中的自称，如“我中心”")
    )
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    unit_type = models.CharField(_("单位类型"), max_length=32, choices=UnitType.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    staffing_quota = models.PositiveIntegerField(_("编制数"), null=True, blank=True)
    staff_actual = models.PositiveIntegerField(_("实有人数"), null=True, blank=True)
    functions = models.TextField(_("主要职能"), blank=True, help_text=_("每行一项"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        # The few bureaus and departments among 50,000 units: the evaluation lists' scope reads
        # them (jixiao.evaluations.selectors.evaluation_scope_q), not every organisation.
        indexes = [models.Index(fields=["kind"], name="organisation_kind")]
        verbose_name = _("组织")
        verbose_name_plural = _("组织")

    def __str__(self) -> str:
        return self.name

    @property
    def function_lines(self) -> list[str]:
        return [line.strip() for line in self.functions.splitlines() if line.strip()]


class Role(models.TextChoices):
    """What a person may do; each role belongs to one kind of organisation."""

    UNIT_EDITOR = "unit_editor", _("单位填报人")
    UNIT_HEAD = "unit_head", _("单位负责人（审定并报送）")
    DEPARTMENT_REVIEWER = "department_reviewer", _("主管部门审核人")
    BUREAU_REVIEWER = "bureau_reviewer", _("财政复核人")
    BUREAU_ADMIN = "bureau_admin", _("财政管理员")


ROLE_ORGANISATION_KIND = {
    Role.UNIT_EDITOR: OrganisationKind.UNIT,
    Role.UNIT_HEAD: OrganisationKind.UNIT,
    Role.DEPARTMENT_REVIEWER: OrganisationKind.DEPARTMENT,
    Role.BUREAU_REVIEWER: OrganisationKind.BUREAU,
    Role.BUREAU_ADMIN: OrganisationKind.BUREAU,
}
UNIT_ROLES = frozenset({Role.UNIT_EDITOR, Role.UNIT_HEAD})
BUREAU_ROLES = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})


class User(AbstractUser):
    """A person who signs in, acting for one organisation in one role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, blank=True)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # Sign-in security (jixiao.accounts): kept on the user so every request can check them without
    # another query.
    must_change_password = models.BooleanField(
        _("须修改密码"), default=False, help_text=_("管理员重置或设置密码后，下次登录须先修改")
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    two_factor_enabled = models.BooleanField(_("已启用两步验证"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_unit_user(self) -> bool:
        return self.role in UNIT_ROLES

    @property
    def is_department_user(self) -> bool:
        return self.role == Role.DEPARTMENT_REVIEWER

    @property
    def is_bureau_user(self) -> bool:
        return self.role in BUREAU_ROLES
