"""Crontab expressions for the digests: checked as APScheduler reads them, weekdays counted as crontab does."""

from __future__ import annotations

import re
from datetime import tzinfo

from apscheduler.triggers.cron import CronTrigger

_CRONTAB_DOW_RE = re.compile(r"(\*|\d)(?:-(\d))?(?:/(\d+))?")
_CRONTAB_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(expr: str, tz: tzinfo) -> CronTrigger:
    """A trigger reading weekdays as crontab does (0 and 7 = Sunday); APScheduler 3 counts 0 as Monday."""
    fields_ = expr.split()
    if len(fields_) == 5:
        fields_[4] = ",".join(_crontab_weekdays(part) for part in fields_[4].split(","))
    return CronTrigger.from_crontab(" ".join(fields_), timezone=tz)


def _crontab_weekdays(part: str) -> str:
    """Rewrite one numeric day-of-week item ('1-5', '*/2', '0') as names, which both numberings agree on."""
    match = _CRONTAB_DOW_RE.fullmatch(part)
    if match is None:
        return part  # names ('mon-fri') already mean the same to APScheduler
    first, last, step = match.groups()
    if first == "*" and (step is None or last is not None):
        return part
    low = 0 if first == "*" else int(first)
    # '*' spans 0-6; 'a/n' runs to 7, which crontab also reads as Sunday
    high = int(last) if last is not None else 6 if first == "*" else 7 if step else low
    if high > 7 or low > high:
        return part  # let APScheduler report it
    names = [_CRONTAB_DAY_NAMES[day] for day in range(low, high + 1, int(step or 1))]
    return ",".join(dict.fromkeys(names))


def check_crontab(expr: str, tz: tzinfo) -> None:
    """Raise ValueError, saying why, when APScheduler cannot read a five-field crontab expression."""
    CronTrigger.from_crontab(expr, timezone=tz)
