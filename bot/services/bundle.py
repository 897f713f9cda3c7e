"""All services, built once from config, store and clock, and handed to the handlers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.catalog import Catalog
from bot.config import Config
from bot.customers import KnownCustomers, kept_history
from bot.eightd.rules import EightDRules
from bot.identity import Identity
from bot.lookups import Lookups, NoSlack
from bot.rendering import Renderer
from bot.rendering.eightd import EightDRenderer
from bot.rendering.home import HomeRenderer
from bot.rendering.talk import TalkRenderer
from bot.services import Deps
from bot.services.access import Access
from bot.services.activity import Activity
from bot.services.capture import Capture
from bot.services.channels import Channels
from bot.services.commands import Commands, Subcommand
from bot.services.eightd import EIGHT_D, EightDWork
from bot.services.followups import FollowUps, Planner, opening_hours
from bot.services.home import Home
from bot.services.lifecycle import Lifecycle
from bot.services.notices import SlackNotices
from bot.services.organisation import Organisation
from bot.services.placement import Placement
from bot.services.relocation import Relocation
from bot.services.reporter import ReporterAnswers
from bot.services.reporter_notes import ReporterNotes
from bot.services.reports import Reports
from bot.services.talk import Talk
from bot.store import Store


@dataclass
class Services:
    """What the handlers may call; nothing else reaches them."""

    deps: Deps
    catalog: Catalog
    render: Renderer
    access: Access
    lifecycle: Lifecycle
    activity: Activity
    followups: FollowUps
    commands: Commands
    talk: Talk
    home: Home
    reporter: ReporterAnswers
    reports: Reports
    capture: Capture
    eightd: EightDWork
    placement: Placement
    customers: KnownCustomers
    notices: SlackNotices
    organisation: Organisation
    channels: Channels
    relocation: Relocation

    def identify(self, identity: Identity) -> None:
        """Learn who the bot is in Slack (auth.test, now or at an earlier start): its user, team and address."""
        self.deps.identity = identity
        if identity.url:
            self.render.team_url = identity.url if identity.url.endswith("/") else identity.url + "/"


def build_services(
    config: Config,
    store: Store,
    now: Callable[[], datetime],
    lookups: Lookups | None = None,
    name_of: Callable[[str], str] = str,
    on_rate_limited: Callable[[], None] = lambda: None,
) -> Services:
    """Wire the services together; the only place that knows how they depend on each other.

    `lookups` asks Slack what only Slack knows (user groups, people's organisations, channels), after acks.
    """
    lookups = lookups or NoSlack()
    catalog = Catalog(config.language, config.tz)
    deps = Deps(store=store, config=config, catalog=catalog, now=now)
    hours = opening_hours(config)
    eight_d = EightDRules(config.eight_d.required_for, config.eight_d.containment_within, hours)
    render = Renderer(
        catalog,
        config,
        customer_context=lambda complaint: kept_history(store, complaint),
        eight_d=eight_d,
    )
    access = Access(config.managers, lookups.group_members)
    customers = KnownCustomers(store.all_complaints)
    deps.changes.subscribe(customers.learn)  # a customer named once is known by that spelling from then on
    channels = Channels(lookups.conversation, lookups.join)
    placement = Placement(config, channels.shared)
    notes = ReporterNotes(deps, render)  # one for every service that tells the reporter of a step
    lifecycle = Lifecycle(deps, render, access, notes, customers, placement, eight_d)
    followups = FollowUps(deps, render, Planner(config, hours, eight_d), notes)
    eightd = EightDWork(
        deps, EightDRenderer(render), access, eight_d, notes, config.eight_d.company_name, name_of=name_of
    )
    reports = Reports(deps, render, access, followups.planner, preparers={EIGHT_D: eightd.prepare})
    subcommands: dict[str, Subcommand] = {
        "digest": reports.channel_digest,
        "report": reports.report,
        "export": reports.export,
        "customer": reports.customer,
        "eight_d": eightd.report,
    }
    commands = Commands(deps, lifecycle, render, subcommands)
    talk = Talk(deps, TalkRenderer(render), access)
    home = Home(deps, HomeRenderer(render), followups.planner)
    deps.changes.subscribe(home.refresh_for)  # the Home of everyone a change concerns follows it
    reporter = ReporterAnswers(deps, render, lifecycle)
    return Services(
        deps,
        catalog,
        render,
        access,
        lifecycle,
        Activity(deps, talk),
        followups,
        commands,
        talk=talk,
        home=home,
        reporter=reporter,
        reports=reports,
        capture=Capture(deps, lifecycle, render, customers, placement, name_of=name_of),
        eightd=eightd,
        placement=placement,
        customers=customers,
        notices=SlackNotices(on_rate_limited),
        organisation=Organisation(deps, lookups.member),
        channels=channels,
        relocation=Relocation(deps, render, channels),
    )
