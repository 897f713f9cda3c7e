"""Telling when two typed customer names mean the same customer, and what a customer's history looks like.

People type customer names as they come: "Müller GmbH", "mueller gmbh", "Müller GmbH & Co. KG", "MÜLLER".
All of these are one customer. A name is reduced to a key: lower case, umlauts spelt out (ä/ae, ö/oe, ü/ue,
ß/ss), other accents dropped, punctuation and spacing ignored, and legal-form suffixes (GmbH, AG, KG, e.K.,
Ltd, Inc …) taken off the end. Two names are the same customer when their keys are equal.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Protocol

from bot.model import Complaint, CustomerCounts

_SPELT_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "oe"})
_WORD = re.compile(r"[^\W_]+")
# Legal forms, as the words left once punctuation is gone; taken off the end again and again, so
# "GmbH & Co. KG" goes as kg, co, gmbh ("&" and "und" between them go too).
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("e", "k"),
    ("e", "kfm"),
    ("e", "kfr"),
    ("e", "v"),
    ("haftungsbeschraenkt",),
    ("gmbh",),
    ("mbh",),
    ("ag",),
    ("kg",),
    ("kgaa",),
    ("ohg",),
    ("gbr",),
    ("ek",),
    ("ug",),
    ("se",),
    ("ev",),
    ("ltd",),
    ("limited",),
    ("inc",),
    ("incorporated",),
    ("llc",),
    ("llp",),
    ("plc",),
    ("corp",),
    ("corporation",),
    ("co",),
    ("company",),
    ("sa",),
    ("sarl",),
    ("bv",),
    ("nv",),
    ("und",),
    ("and",),
)
MIN_PARTIAL = 3


@lru_cache(maxsize=65536)
def key_words(name: str) -> tuple[str, ...]:
    """The words of a customer name as they compare: folded, spelt out, without punctuation and legal forms."""
    folded = name.casefold().translate(_SPELT_OUT)
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    words = _WORD.findall(plain.translate(_SPELT_OUT))
    changed = True
    while changed and len(words) > 1:
        changed = False
        for form in _LEGAL_FORMS:
            if len(words) > len(form) and tuple(words[-len(form) :]) == form:
                del words[-len(form) :]
                changed = True
                break
    return tuple(words)


@lru_cache(maxsize=65536)
def customer_key(name: str) -> str:
    """The form of a customer name that compares equal for every way people write the same customer."""
    return "".join(key_words(name))


def matching(complaints: Iterable[Complaint], query: str) -> list[Complaint]:
    """The complaints of the customer someone typed: exact matches, else names that contain what was typed."""
    key = customer_key(query)
    if not key:
        return []
    named = [c for c in complaints if c.customer]
    exact = [c for c in named if customer_key(c.customer) == key]
    if exact or len(key) < MIN_PARTIAL:
        return exact
    return [c for c in named if key in customer_key(c.customer)]


def open_first(complaints: Iterable[Complaint]) -> list[Complaint]:
    """Open complaints before resolved ones; the oldest open first, the most recently resolved next."""
    listed = list(complaints)
    still_open = sorted((c for c in listed if c.is_open), key=lambda c: (c.filed_at, c.number))
    done = sorted((c for c in listed if not c.is_open), key=lambda c: (c.resolved_at or c.filed_at, c.number))
    return still_open + done[::-1]


@dataclass(frozen=True)
class CustomerHistory:
    """What a new card says about its customer: earlier complaints, how many are open, the latest one."""

    earlier: int
    open: int
    latest: Complaint


def history(complaints: Iterable[Complaint], complaint: Complaint) -> CustomerHistory | None:
    """The customer's complaints filed before this one; None when there are none (or no customer is named)."""
    key = customer_key(complaint.customer) if complaint.customer else ""
    if not key:
        return None
    earlier = [c for c in complaints if c.number < complaint.number and c.customer and customer_key(c.customer) == key]
    if not earlier:
        return None
    latest = max(earlier, key=lambda c: (c.filed_at, c.number))
    return CustomerHistory(len(earlier), sum(1 for c in earlier if c.is_open), latest)


class CustomerLookups(Protocol):
    """What the card's customer line needs from the store: counts kept per customer, and one complaint."""

    def customer_counts(self, key: str, before: int) -> CustomerCounts:
        """A customer's complaints numbered below `before`."""

    def get(self, number: int) -> Complaint | None:
        """One complaint."""


def kept_history(store: CustomerLookups, complaint: Complaint) -> CustomerHistory | None:
    """What `history` says, from the counts the store keeps per customer: the same cost for any history."""
    key = customer_key(complaint.customer) if complaint.customer else ""
    if not key:
        return None
    counts = store.customer_counts(key, complaint.number)
    latest = store.get(counts.latest) if counts.earlier and counts.latest is not None else None
    return CustomerHistory(counts.earlier, counts.open, latest) if latest is not None else None


class KnownCustomers:
    """The customers named so far, so that a typed name is stored in the spelling already known.

    "mueller gmbh" becomes "Müller GmbH" when that is how the customer was written last, and "Acme" becomes
    "Acme Industries Ltd" when that is the one known customer whose name begins with the word "Acme". A name
    that matches no known customer, or several, is a new customer and stays as typed. The names are read from
    the store at the first filing that names a customer and learnt from every change after that; they are read
    again, in the background, once they are `max_age` seconds old, for what other replicas filed meanwhile.
    """

    def __init__(
        self,
        complaints: Callable[[], Iterable[Complaint]],
        max_age: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._complaints = complaints
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        # key -> (filed at, number, spelling): the spelling of the latest complaint filed under that key
        self._names: dict[str, tuple[datetime, int, str]] | None = None
        self._read_at = 0.0
        self._rereading: threading.Thread | None = None

    def spelling(self, typed: str) -> str:
        """The known spelling of the customer someone typed, or the typed name when it is a new customer."""
        return self.known(typed) or typed

    def known(self, typed: str) -> str:
        """The known spelling of the customer someone typed, or "" when no known customer (or several) match."""
        words = key_words(typed)
        if not words:
            return ""
        self._ensure_read()
        key = "".join(words)
        with self._lock:
            names = self._names or {}
            if key in names:
                return names[key][2]
            if len(key) < MIN_PARTIAL:
                return ""
            begins = [spelt for _, _, spelt in names.values() if key_words(spelt)[: len(words)] == words]
        return begins[0] if len(begins) == 1 else ""

    def learn(self, complaint: Complaint) -> None:
        """Remember the customer of a complaint just filed or changed (nothing until the names were read once)."""
        with self._lock:
            if self._names is not None:
                self._add(self._names, complaint)

    def _ensure_read(self) -> None:
        """Read the names the first time they are needed; start reading them anew once they are old."""
        with self._lock:
            if self._names is not None:
                if self._clock() - self._read_at > self.max_age and self._rereading is None:
                    self._rereading = threading.Thread(target=self._read_again, name="customer-names", daemon=True)
                    self._rereading.start()
                return
            self._names, self._read_at = self._read(), self._clock()

    def _read_again(self) -> None:
        """Read every name anew, keeping what was learnt while reading."""
        try:
            fresh = self._read()
        except Exception:  # the store is down: keep the names known, and try again at the next filing
            fresh = None
        with self._lock:
            if fresh is not None:
                for key, entry in (self._names or {}).items():
                    if key not in fresh or entry[:2] > fresh[key][:2]:
                        fresh[key] = entry
                self._names, self._read_at = fresh, self._clock()
            self._rereading = None

    def _read(self) -> dict[str, tuple[datetime, int, str]]:
        """Every customer named in the store, by key."""
        names: dict[str, tuple[datetime, int, str]] = {}
        for complaint in self._complaints():
            self._add(names, complaint)
        return names

    @staticmethod
    def _add(names: dict[str, tuple[datetime, int, str]], complaint: Complaint) -> None:
        """Keep the complaint's spelling when it is the latest filed under its key."""
        key = customer_key(complaint.customer) if complaint.customer else ""
        if not key:
            return
        entry = (complaint.filed_at, complaint.number, complaint.customer)
        known = names.get(key)
        if known is None or entry[:2] >= known[:2]:
            names[key] = entry
