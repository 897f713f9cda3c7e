"""The one message catalog: every user-visible word, in English and German, with Babel formatting."""

from __future__ import annotations

import datetime as dt
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    format_timedelta,
    get_datetime_format,
)
from babel.numbers import format_decimal, format_percent

from bot.catalog import de, en

CATALOGS: dict[str, dict[str, str]] = {"en": en.MESSAGES, "de": de.MESSAGES}
LOCALES = {"en": "en_GB", "de": "de_DE"}

# Words people type after /complaint, in every language; all of them work whatever `language` says.
SUBCOMMANDS: dict[str, str] = {
    "list": "list",
    "liste": "list",
    "digest": "digest",
    "übersicht": "digest",
    "uebersicht": "digest",
    "report": "report",
    "bericht": "report",
    "help": "help",
    "hilfe": "help",
    "export": "export",
    "customer": "customer",
    "kunde": "customer",
    "8d": "eight_d",
}


class Catalog:
    """Texts and formatted values for one language and time zone."""

    def __init__(self, language: str, tz: ZoneInfo) -> None:
        self.language = language
        self.tz = tz
        self.locale = LOCALES[language]
        self._messages = CATALOGS[language]
        self._datetime_pattern = str(get_datetime_format("medium", locale=self.locale))  # looked up once

    def t(self, key: str, **params: object) -> str:
        """The text for `key`, with its placeholders filled in."""
        return self._messages[key].format(**params)

    def has(self, key: str) -> bool:
        """Whether a key exists (for optional words such as a custom severity's name)."""
        return key in self._messages

    def word(self, prefix: str, value: str) -> str:
        """A translated name for a configured value, or the value itself when none is known."""
        key = f"{prefix}.{value}"
        return self.t(key) if self.has(key) else value

    def duration(self, value: timedelta) -> str:
        """'3 hours' / '3 Stunden', rounded the way people say it."""
        return format_timedelta(value, threshold=1.5, locale=self.locale)

    def ago(self, then: datetime, now: datetime) -> str:
        """'3 hours ago' / 'vor 3 Stunden'."""
        return format_timedelta(then - now, add_direction=True, threshold=1.5, locale=self.locale)

    def span(self, value: timedelta) -> str:
        """A duration as it reads after a preposition: 'seit 2 Tagen', 'nach 3 Stunden', 'in 1 Tag'.

        German wants the dative there, which format_timedelta's plain form ('2 Tage') is not. Babel's own
        relative form ('in 2 Tagen') is built on the dative, so it is taken and its direction word left off.
        """
        relative = format_timedelta(abs(value), add_direction=True, threshold=1.5, locale=self.locale)
        found = re.search(r"\d.*", relative)
        return found.group(0) if found else self.duration(value)

    def since(self, then: datetime, now: datetime) -> str:
        """The age of something for 'for 2 days' / 'seit 2 Tagen' (the catalog text supplies the preposition)."""
        return self.span(now - then)

    def when(self, value: datetime) -> str:
        """A date and time in the configured zone, in the language's own format, to the minute."""
        local = value.astimezone(self.tz)
        pattern = self._datetime_pattern
        time_text = format_time(local, format="short", locale=self.locale)
        return pattern.replace("{1}", format_date(local, format="medium", locale=self.locale)).replace("{0}", time_text)

    def date(self, value: datetime) -> str:
        """A date in the configured zone, written out: '4 May 2026' / '4. Mai 2026'."""
        return format_date(value.astimezone(self.tz).date(), format="long", locale=self.locale)

    def day(self, value: dt.date) -> str:
        """Day and month only, for a chart's axis: '4 May' / '4. Mai'."""
        return format_skeleton("MMMd", datetime.combine(value, datetime.min.time()), locale=self.locale)

    def number(self, value: float) -> str:
        """A number with the language's separators."""
        return format_decimal(value, locale=self.locale)

    def percent(self, share: float) -> str:
        """A share (0.25) as the language writes it: '25%' / '25 %'."""
        return format_percent(share, locale=self.locale)
