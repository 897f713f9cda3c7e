"""The digest chart: complaints filed and resolved per day, and the median time to claim per week, as a PNG."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.reports import ChartSeries

if TYPE_CHECKING:
    from matplotlib.axes import Axes

FILED_COLOUR = "#8a3b12"
RESOLVED_COLOUR = "#2e7d32"
CLAIM_COLOUR = "#1f5f99"


@dataclass(frozen=True)
class ChartLabels:
    """Every word on the chart, already in the configured language."""

    title: str
    filed: str
    resolved: str
    claim_title: str
    hours: str
    days: tuple[str, ...]
    weeks: tuple[str, ...]
    claim_values: tuple[str, ...]
    number: Callable[[float], str] = str  # axis numbers in the language's own way ("1,5" in German)


def render_png(series: ChartSeries, labels: ChartLabels) -> bytes:
    """Draw the chart; a Figure of its own per call, so digests may be drawn from several threads at once.

    matplotlib is imported here, not at start-up: it costs about a second and is needed once a day. The Agg
    canvas is used directly, so no display and no pyplot state are involved.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=(10, 6.5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    daily, weekly = figure.subplots(2, 1, height_ratios=[3, 2])
    _daily(daily, series, labels)
    _weekly(weekly, series, labels)
    for ax in (daily, weekly):
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: labels.number(value)))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _daily(ax: Axes, series: ChartSeries, labels: ChartLabels) -> None:
    """Side-by-side bars per day: filed and resolved."""
    from matplotlib.ticker import MaxNLocator  # matplotlib is loaded only when a chart is drawn

    positions = list(range(len(series.days)))
    ax.bar([p - 0.2 for p in positions], series.filed, width=0.4, color=FILED_COLOUR, label=labels.filed)
    ax.bar([p + 0.2 for p in positions], series.resolved, width=0.4, color=RESOLVED_COLOUR, label=labels.resolved)
    step = max(1, len(positions) // 10)
    ax.set_xticks(positions[::step], labels.days[::step])
    ax.set_title(labels.title)
    locator = ax.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)
    ax.legend(loc="upper left")
    ax.grid(axis="y", alpha=0.3)


def _weekly(ax: Axes, series: ChartSeries, labels: ChartLabels) -> None:
    """One bar per week with the median hours until someone took a complaint on; weeks without claims say so."""
    positions = list(range(len(series.weeks)))
    values = [value or 0.0 for value in series.claim_hours]
    ax.bar(positions, values, width=0.6, color=CLAIM_COLOUR)
    for position, value, text in zip(positions, values, labels.claim_values, strict=True):
        ax.annotate(text, (position, value), ha="center", va="bottom")
    ax.set_xticks(positions, labels.weeks)
    ax.set_title(labels.claim_title)
    ax.set_ylabel(labels.hours)
    ax.margins(y=0.2)
    ax.grid(axis="y", alpha=0.3)
