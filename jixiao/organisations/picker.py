"""单位选择器: choosing one or more organisations among 50,000 by typing part of a name or credit
code (issue 14). A select of every unit was 300 KiB and a second of rendering at 5,000 units, ten
times that at 50,000; the picker renders only what is chosen, and its search answers one keyset
page of matches at a time.

The form field stays a ModelChoiceField / ModelMultipleChoiceField over the same queryset, so what
may be chosen is still checked on the server; only the widget changes. The search
(``organisations:picker``) reads the same rule as the form through ``PickerSource``, named in the
request, never a queryset taken from the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from jixiao.organisations.models import Organisation, OrganisationKind, User
from jixiao.web.keyset import Page, paginate
from jixiao.web.trigram import contains_q

PICKER_PAGE = 20
# Before anything is typed the first page holds this many: a department's few units are all
# listed at once, a search is for the bureau's thousands.
SMALL_SCOPE = 50
PICKER_ORDER = (("head_name", False), ("name", False), ("pk", False))


class PickerSource:
    """What a picker offers (each a rule the form applies as well)."""

    UNITS = "units"  # active budget units (campaign scope, a project's unit)
    ACCOUNT = "account"  # any active organisation (an account's organisation)
    SCOPE = "scope"  # active budget units the person sees (整改: a department's own units)
    ALL = (UNITS, ACCOUNT, SCOPE)


def may_pick(user: Any, source: str) -> bool:
    """Who may search a picker: bureau users any; a department reviewer the units in their own
    scope (SCOPE), whose forms they fill too (下达整改任务)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return bool(user.is_bureau_user or (source == PickerSource.SCOPE and user.is_department_user))


def offered(
    *, source: str, user: User | None = None, campaign_id: int | None = None
) -> QuerySet[Organisation]:
    """The organisations a picker of ``source`` offers; with ``campaign_id``, the active units
    without a task in that campaign (追加单位); for SCOPE, the active units in ``user``'s scope."""
    from jixiao.organisations.selectors import unit_scope_q

    organisations = Organisation.objects.filter(is_active=True)
    if source == PickerSource.UNITS:
        organisations = organisations.filter(kind=OrganisationKind.UNIT)
        if campaign_id is not None:
            organisations = organisations.exclude(evaluations__campaign_id=campaign_id)
    elif source == PickerSource.SCOPE:
        if user is None:
            return organisations.none()
        organisations = organisations.filter(unit_scope_q(user), kind=OrganisationKind.UNIT)
    return organisations


def search_page(
    *,
    user: User,
    source: str,
    q: str = "",
    campaign_id: int | None = None,
    cursor: str | None = None,
    size: int = PICKER_PAGE,
) -> Page:
    """One page of what a picker offers, matching ``q`` (part of the name or of the credit code),
    by department then name; before anything is typed, the first SMALL_SCOPE. Whoever may not
    search it (may_pick) gets an empty page."""
    if not may_pick(user, source):
        return Page(rows=[], next_cursor=None, size=size)
    found = offered(source=source, user=user, campaign_id=campaign_id)
    q = q.strip()
    if not q and cursor is None:
        size = max(size, SMALL_SCOPE)
    if q:
        # One or two characters through the grams column, longer through the trigram index.
        found = found.filter(
            contains_q(Organisation, ("name",), q, also=Q(credit_code__icontains=q.upper()))
        )
    return paginate(
        found.select_related("parent").annotate(head_name=Coalesce("parent__name", Value(""))),
        PICKER_ORDER,
        cursor=cursor,
        size=size,
    )


def label(organisation: Organisation) -> str:
    """ "department / unit" for a unit (two units may share a name across departments in what
    people say, if not in the register), the name alone otherwise."""
    if organisation.kind == OrganisationKind.UNIT and organisation.parent is not None:
        return f"{organisation.parent.name} / {organisation.name}"
    return organisation.name


class OrganisationPicker(forms.Widget):
    """A search box with one page of matches and the organisations already chosen; the chosen
    ones are checked inputs named like the field, so the form posts ids as a select would."""

    template_name = "organisations/_picker.html"

    def __init__(
        self,
        *,
        source: str,
        multiple: bool,
        campaign_id: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.source = source
        self.multiple = multiple
        self.campaign_id = campaign_id
        self.queryset: QuerySet[Organisation] | None = None  # set by the form (the field's)

    @property
    def allow_multiple_selected(self) -> bool:
        return self.multiple

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            getter = getattr(data, "getlist", None)
            return getter(name) if getter else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False if self.multiple else name not in data

    def format_value(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]

    def chosen(self, values: Iterable[str]) -> list[Organisation]:
        # Every chosen one, however many: a form sent back with an error must post them all
        # again (a unit picked by hand is never dropped from view).
        ids = list(dict.fromkeys(int(v) for v in values if str(v).isdigit()))
        if not ids or self.queryset is None:
            return []
        rows = self.queryset.filter(pk__in=ids).select_related("parent")
        found = {o.pk: o for o in rows}
        return [found[pk] for pk in ids if pk in found]

    def search_url(self, name: str) -> str:
        params: dict[str, Any] = {"source": self.source, "name": name}
        if self.multiple:
            params["multiple"] = "1"
        if self.campaign_id is not None:
            params["campaign"] = self.campaign_id
        return f"{reverse('organisations:picker')}?{urlencode(params)}"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = self.chosen(context["widget"]["value"])
        context["widget"].update(
            {
                "multiple": self.multiple,
                "input_type": "checkbox" if self.multiple else "radio",
                "chosen": [(o.pk, label(o)) for o in chosen],
                "search_url": self.search_url(name),
            }
        )
        return context


def use_picker(
    field: forms.Field, *, source: str, multiple: bool, campaign_id: int | None = None
) -> None:
    """Give ``field`` (a model choice field whose queryset is set) the picker widget."""
    assert isinstance(field, forms.ModelChoiceField)
    widget = OrganisationPicker(source=source, multiple=multiple, campaign_id=campaign_id)
    widget.queryset = field.queryset
    widget.is_required = field.required
    field.widget = widget
