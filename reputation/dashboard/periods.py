"""The period a dashboard shows (7, 30, 90 days or chosen dates) and the one before it."""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from reputation.templatetags.typography import with_colon

PRESETS = (7, 30, 90)
DEFAULT = 30
LONGEST = 366  # days: a year and a day, so that "last year" fits


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    preset: int | None = None  # 7, 30, 90, or None for chosen dates

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def bucket(self) -> int:
        """Days per point of a chart: days up to two months, then weeks."""
        return 1 if self.days <= 62 else 7

    def buckets(self) -> list[date]:
        """First day of each point of the charts, oldest first."""
        step = self.bucket()
        return [self.start + timedelta(days=i) for i in range(0, self.days, step)]

    def bucket_of(self, day: date) -> date:
        if self.days <= 62:
            return day
        return self.start + timedelta(days=((day - self.start).days // 7) * 7)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        choices=[(n, n) for n in PRESETS], coerce=int, required=False, empty_value=None
    )
    start = forms.DateField(required=False, label=_("From"))
    end = forms.DateField(required=False, label=_("To"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end date is before the start date."))
            if (end - start).days + 1 > LONGEST:
                raise forms.ValidationError(_("Choose at most 366 days."))
        return data

    def problem(self) -> str:
        """What was wrong with the dates asked for, in one sentence, and what is
        shown instead, so a reversed or too long period is never replaced silently."""
        if not self.errors:
            return ""
        said = [str(e) for e in self.non_field_errors()]
        for name in ("days", "start", "end"):
            said += [
                f"{with_colon(self.fields[name].label or name)} {e}" for e in self[name].errors
            ]
        return " ".join([*said, str(_("The last 30 days are shown instead."))])


def period_from(params, today: date) -> tuple[Period, PeriodForm]:
    """The period asked for in the query string; the last 30 days otherwise."""
    form = PeriodForm(params)
    if form.is_valid():
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
        if start and end:
            return Period(start, end), form
        days = form.cleaned_data.get("days")
        if days:
            return Period(today - timedelta(days=days - 1), today, days), form
    return Period(today - timedelta(days=DEFAULT - 1), today, DEFAULT), form
