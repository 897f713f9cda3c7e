"""Who and what a Slack workspace holds: people of one or more organisations, and channels with their members.

The fake Slack answers users.info and conversations.info from here, and decides from here whether an event
reaches the app (only from conversations the app is a member of). Tests build small workspaces of their own;
`demo_workspace` is the one the local demo shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class Team:
    """An organisation: the workspace's own, or a customer's company met through a shared channel.

    On Enterprise Grid a team is one workspace of an organisation (`enterprise_id`, E…).
    """

    id: str
    name: str
    domain: str
    enterprise_id: str = ""


@dataclass(frozen=True)
class Person:
    """A member of some team; `team_id` differs from the workspace's for people from another organisation."""

    id: str
    name: str  # the handle (`ana`)
    real_name: str
    team_id: str
    title: str = ""
    is_bot: bool = False
    tz: str = "Europe/Berlin"

    @property
    def display_name(self) -> str:
        """What Slack shows beside a message and in mentions."""
        return self.real_name


@dataclass
class Channel:
    """A conversation with its members; `is_ext_shared` marks a Slack Connect channel shared with another team."""

    id: str
    name: str
    members: list[str]
    is_private: bool = False
    is_ext_shared: bool = False
    topic: str = ""
    purpose: str = ""
    shared_team_ids: list[str] = field(default_factory=list)

    @property
    def channel_type(self) -> str:
        """The `channel_type` of its message events, which also names the event subscription (message.<type>s)."""
        return "group" if self.is_private else "channel"


@dataclass
class Workspace:
    """The people and channels a fake Slack knows by name; unknown ids fall back to generated records."""

    team: Team
    people: dict[str, Person] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.teams.setdefault(self.team.id, self.team)

    def add_team(self, team: Team) -> Team:
        """Another organisation, for people met in shared channels."""
        self.teams[team.id] = team
        return team

    def add_person(self, person: Person) -> Person:
        """A person (or the app's bot user)."""
        self.people[person.id] = person
        return person

    def add_channel(self, channel: Channel) -> Channel:
        """A channel; its members are kept as given."""
        self.channels[channel.id] = channel
        return channel

    def join(self, channel_id: str, user_id: str) -> bool:
        """Adds someone to a channel; False when they were in it already."""
        channel = self.channels[channel_id]
        if user_id in channel.members:
            return False
        channel.members.append(user_id)
        return True

    def leave(self, channel_id: str, user_id: str) -> bool:
        """Takes someone out of a channel; False when they were not in it."""
        channel = self.channels[channel_id]
        if user_id not in channel.members:
            return False
        channel.members.remove(user_id)
        return True

    def share(self, channel_id: str, team_id: str) -> None:
        """Shares a channel with another organisation (Slack Connect)."""
        channel = self.channels[channel_id]
        channel.is_ext_shared = True
        if team_id not in channel.shared_team_ids:
            channel.shared_team_ids.append(team_id)

    def person(self, user_id: str) -> Person | None:
        """The person with this id, if the workspace knows them."""
        return self.people.get(user_id)

    def channel(self, channel_id: str) -> Channel | None:
        """The channel with this id, if the workspace knows it."""
        return self.channels.get(channel_id)

    def is_member(self, channel_id: str, user_id: str) -> bool | None:
        """Whether the user is in the channel; None for a channel the workspace does not know."""
        channel = self.channels.get(channel_id)
        return None if channel is None else user_id in channel.members

    def channels_of(self, user_id: str) -> list[Channel]:
        """The channels a person is in, by name: what their sidebar lists."""
        return sorted((c for c in self.channels.values() if user_id in c.members), key=lambda c: c.name)

    def is_external(self, user_id: str) -> bool:
        """True for a person from another organisation (a Slack Connect stranger): another team, and not another
        workspace of the same Enterprise Grid organisation."""
        person = self.people.get(user_id)
        if person is None or person.team_id == self.team.id:
            return False
        theirs = self.teams.get(person.team_id)
        return not (self.team.enterprise_id and theirs is not None and theirs.enterprise_id == self.team.enterprise_id)

    def user_record(self, person: Person) -> Json:
        """The `user` object of users.info for a known person."""
        profile = {
            "real_name": person.real_name,
            "real_name_normalized": person.real_name,
            "display_name": person.display_name,
            "display_name_normalized": person.display_name,
            "title": person.title,
            "email": f"{person.name}@{self.teams.get(person.team_id, self.team).domain}.example",
            "team": person.team_id,
        }
        record = {
            "id": person.id,
            "team_id": person.team_id,
            "name": person.name,
            "real_name": person.real_name,
            "deleted": False,
            "is_bot": person.is_bot,
            "is_admin": False,
            "is_stranger": self.is_external(person.id),
            "tz": person.tz,
            "tz_label": "Central European Time",
            "tz_offset": 3600,
            "profile": profile,
        }
        enterprise = self.teams.get(person.team_id, self.team).enterprise_id
        if enterprise:
            record.update(enterprise_record(person.id, enterprise, person.team_id))
        return record

    def channel_record(self, channel: Channel, viewer: str) -> Json:
        """The `channel` object of conversations.info for a known channel, as `viewer` (the bot) sees it."""
        return {
            "id": channel.id,
            "name": channel.name,
            "created": 1_700_000_000,
            "creator": channel.members[0] if channel.members else "",
            "is_channel": True,
            "is_group": False,
            "is_im": False,
            "is_mpim": False,
            "is_private": channel.is_private,
            "is_archived": False,
            "is_general": False,
            "is_member": viewer in channel.members,
            "is_shared": channel.is_ext_shared,
            "is_ext_shared": channel.is_ext_shared,
            "is_org_shared": False,
            "context_team_id": self.team.id,
            "shared_team_ids": [self.team.id, *channel.shared_team_ids],
            "topic": {"value": channel.topic, "creator": "", "last_set": 0},
            "purpose": {"value": channel.purpose, "creator": "", "last_set": 0},
            "num_members": len(channel.members),
        }


def enterprise_record(user_id: str, enterprise_id: str, team_id: str) -> Json:
    """What users.info adds for a member of an Enterprise Grid organisation (as in Slack's users.info sample)."""
    return {
        "enterprise_user": {
            "id": user_id,
            "enterprise_id": enterprise_id,
            "enterprise_name": "",
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "teams": [team_id],
        },
        "teams": [team_id],
        "enterprise_id": enterprise_id,
        "enterprise_name": "",
    }


BOT_USER = "UBOT"
MANAGEMENT = "CMANAGEMENT"
SALES = "CSALES"
PRODUCTION = "CPRODUCTION"
SHARED = "CNORDWIND"

_PEOPLE = {
    "en": [
        ("UANA", "ana", "Ana Berger", "Sales"),
        ("UBEN", "ben", "Ben Schulz", "Production lead"),
        ("UCARLA", "carla", "Carla Wolf", "Quality"),
        ("UDORA", "dora", "Dora Brandt", "Managing director"),
    ],
    "de": [
        ("UANA", "ana", "Ana Berger", "Vertrieb"),
        ("UBEN", "ben", "Ben Schulz", "Produktionsleitung"),
        ("UCARLA", "carla", "Carla Wolf", "Qualität"),
        ("UDORA", "dora", "Dora Brandt", "Geschäftsführung"),
    ],
}
_TOPICS = {
    "en": {
        SALES: "Orders, offers and what customers tell us",
        PRODUCTION: "Shop floor, schedules and parts",
        MANAGEMENT: "Escalations, summaries and digests",
        SHARED: "Shared with Nordwind Logistik",
    },
    "de": {
        SALES: "Aufträge, Angebote und was Kunden uns sagen",
        PRODUCTION: "Fertigung, Termine und Teile",
        MANAGEMENT: "Eskalationen, Zusammenfassungen und Berichte",
        SHARED: "Geteilt mit Nordwind Logistik",
    },
}


def demo_workspace(language: str = "en", bot_name: str = "Complaint Desk") -> Workspace:
    """A small manufacturer: sales, production, management, and a channel shared with a customer."""
    words = "de" if language == "de" else "en"
    home = Team("T1", "Muster Maschinenbau" if words == "de" else "Acme Components", "acme")
    workspace = Workspace(home)
    customer = workspace.add_team(Team("T2CUSTOMER", "Nordwind Logistik", "nordwind"))
    workspace.add_person(Person(BOT_USER, "complaint-desk", bot_name, home.id, is_bot=True))
    for user_id, name, real_name, title in _PEOPLE[words]:
        workspace.add_person(Person(user_id, name, real_name, home.id, title))
    buyer = "Einkauf" if words == "de" else "Purchasing"
    workspace.add_person(Person("UERIK", "erik", "Erik Lund", customer.id, f"{buyer}, Nordwind Logistik"))
    topics = _TOPICS[words]
    everyone = ["UANA", "UBEN", "UCARLA", "UDORA", BOT_USER]
    workspace.add_channel(Channel(SALES, "sales", list(everyone), topic=topics[SALES]))
    workspace.add_channel(Channel(PRODUCTION, "production", list(everyone), topic=topics[PRODUCTION]))
    workspace.add_channel(
        Channel(MANAGEMENT, "management", ["UDORA", "UCARLA", BOT_USER], is_private=True, topic=topics[MANAGEMENT])
    )
    workspace.add_channel(
        Channel(
            SHARED,
            "ext-nordwind",
            ["UANA", "UBEN", "UERIK", BOT_USER],
            is_ext_shared=True,
            topic=topics[SHARED],
            shared_team_ids=[customer.id],
        )
    )
    return workspace
