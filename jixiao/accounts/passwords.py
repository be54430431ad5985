"""Password rules (等保 2.0 level 3, issue 9.8), as Django password validators so that every path that
sets a password through a form — self-service change, an admin's reset, a new account — applies them
(settings.AUTH_PASSWORD_VALIDATORS), and password history, kept by the validator's
``password_changed`` hook, which Django calls whenever a user with a new password is saved.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.accounts.models import PasswordHistory


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with a message Django's Chinese catalogue does not translate (yet)."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 {n} 个字符。").format(n=self.min_length)


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        text = unicodedata.normalize("NFKC", password)
        return sum(
            (
                any(c.islower() for c in text),
                any(c.isupper() for c in text),
                any(c.isdigit() for c in text),
                any(not c.isalnum() for c in text),
            )
        )

    def validate(self, password: str, user: Any = None) -> None:
        if self.classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少 {n} 类。").format(
                    n=self.min_classes
                ),
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _("包含小写字母、大写字母、数字、符号中的至少 {n} 类。").format(n=self.min_classes)


class NamesValidator:
    """Not containing the username, nor the name (or short name) of the user's organisation.

    Compared case-insensitively after NFKC, so full-width or capitalised variants count too. Names
    shorter than 3 characters are not checked: they would forbid half of all passwords.
    """

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = _fold(password)
        names = [getattr(user, "username", "") or ""]
        organisation = getattr(user, "organisation", None) if user.organisation_id else None
        if organisation is not None:
            names += [organisation.name, organisation.short_name]
        for name in names:
            if len(name) >= 3 and _fold(name) in folded:
                raise ValidationError(
                    _("密码不能包含用户名或所属单位名称。"), code="password_contains_name"
                )

    def get_help_text(self) -> str:
        return _("不能包含用户名或所属单位名称。")


class PasswordHistoryValidator:
    """Not one of the user's last ``remember`` passwords (the current one included).

    The hashes are kept in ``PasswordHistory`` by ``password_changed`` below; the password the
    user has now is also read from the database, so accounts older than the history are covered.
    """

    def __init__(self, remember: int = 5) -> None:
        self.remember = remember

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[
                : self.remember
            ]
        )
        current = (
            get_user_model()._default_manager.filter(pk=user.pk).values_list("password", flat=True)
        )
        hashes += list(current)
        if any(check_password(password, stored) for stored in hashes if stored):
            raise ValidationError(
                _("不能使用最近 {n} 次用过的密码。").format(n=self.remember),
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("不能与最近 {n} 次用过的密码相同。").format(n=self.remember)

    def password_changed(self, password: str, user: Any = None) -> None:
        """Django calls this after saving a user whose password was set: keep its hash, forget the
        ones beyond ``remember``, and note when it changed (for the expiry policy)."""
        if user is None or not getattr(user, "pk", None):
            return
        now = timezone.now()
        PasswordHistory.objects.create(user_id=user.pk, password=user.password, created_at=now)
        stale = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[
            self.remember :
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
        # update(), not save(): saving here would run this hook again.
        get_user_model()._default_manager.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now


def password_expired(user: Any) -> bool:
    """Whether the bureau's policy (``JIXIAO_PASSWORD_MAX_AGE_DAYS``, 0 = never) asks for a new
    password. An account whose change date is unknown counts from the day it was created."""
    days = settings.JIXIAO_PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return False
    changed = getattr(user, "password_changed_at", None) or getattr(user, "date_joined", None)
    return changed is None or changed + timedelta(days=days) < timezone.now()
