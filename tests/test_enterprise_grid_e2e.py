"""Enterprise Grid: the bot installed on a whole organisation, people and events from its other workspaces.

Acme's organisation (E1) has two workspaces, Berlin (T1, where auth.test says the bot is) and Munich (T2). Max
works in Munich (a W… member id, as Grid gives); Nina works for Nordwind, another organisation (E9) met in a
shared channel. Payloads carry `enterprise_id` and `is_enterprise_install: true`, as Slack sends them for an
org-wide install; everything works as in a single workspace, and only Nina is kept out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import rendering
from bot.identity import stored_identity
from sandbox.fake_slack import FakeSlack
from sandbox.sender import Installation, Response, SlackSender
from sandbox.workspace import BOT_USER, Channel, Person, Team, Workspace
from tests.harness import Bot, make_config, start_bot
from tests.slack_samples import check_request

ORG, OTHER_ORG = "E1", "E9"
BERLIN, MUNICH, NORDWIND = "T1", "T2", "T9"
ANA, MAX, NINA = "UANA", "W0MAX", "W0NINA"
FLOOR = "CFLOOR"  # a channel shared by both workspaces of the organisation (not with another organisation)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """The organisation's two workspaces, and a stranger from another organisation."""
    home = Team(BERLIN, "Acme Berlin", "acme-berlin", enterprise_id=ORG)
    workspace = Workspace(home)
    workspace.add_team(Team(MUNICH, "Acme Munich", "acme-munich", enterprise_id=ORG))
    workspace.add_team(Team(NORDWIND, "Nordwind", "nordwind", enterprise_id=OTHER_ORG))
    workspace.add_person(Person(BOT_USER, "complaint-desk", "Complaint Desk", BERLIN, is_bot=True))
    workspace.add_person(Person(ANA, "ana", "Ana Berger", BERLIN))
    workspace.add_person(Person(MAX, "max", "Max Huber", MUNICH))
    workspace.add_person(Person(NINA, "nina", "Nina Dahl", NORDWIND))
    workspace.add_channel(Channel(FLOOR, "shop-floor", [ANA, MAX, BOT_USER]))
    with FakeSlack(workspace=workspace, team_id=BERLIN, enterprise_id=ORG, org_wide=True) as server:
        yield server


@pytest.fixture
def desk(fake: FakeSlack, tmp_path: Path) -> Iterator[Bot]:
    """The bot, with managers given as a user group."""
    fake.usergroups["S0LEADS"] = [MAX]
    config = make_config(
        str(tmp_path / "data" / "complaints.json"),
        channels={"management": "CMGMT", "fallback": "CFALLBACK"},
        managers=["S0LEADS"],
    )
    bot = start_bot(fake, config)
    yield bot
    bot.stop()


def from_workspace(bot: Bot, team: str) -> SlackSender:
    """Slack's requests from one of the organisation's workspaces to the org-wide install, held against its samples."""
    where = Installation(team_id=team, enterprise_id=ORG, enterprise_name="Acme", org_wide=True)
    return SlackSender(bot.runtime.http.port, installation=where, on_send=check_request, messages=bot.fake.message)


def command(bot: Bot, text: str, user: str, team: str) -> Response:
    """`/complaint` as an org-wide install receives it from one of the organisation's workspaces."""
    url = bot.fake.response_url_for(FLOOR, user)
    return from_workspace(bot, team).command(text, user=user, channel=FLOOR, response_url=url)


def test_the_identity_knows_the_organisation_and_the_org_wide_install(desk: Bot) -> None:
    identity = stored_identity(desk.store)
    assert (identity.team_id, identity.enterprise_id, identity.org_wide) == (BERLIN, ORG, True)


def test_a_command_from_another_workspace_of_the_organisation_files_at_once(desk: Bot) -> None:
    answer = command(desk, "Flanges delivered with the wrong bore", MAX, MUNICH)
    assert answer.status == 200 and "Filed as #1" in answer.text
    assert desk.complaint(1).reporter == MAX
    assert desk.fake.calls_to("users.info") == []


def test_an_event_from_another_workspace_claims_as_in_a_single_workspace(desk: Bot) -> None:
    number = desk.file("Flanges delivered with the wrong bore", user=ANA, channel=FLOOR)
    ts = desk.complaint(number).card_ts or ""
    assert from_workspace(desk, MUNICH).reaction(FLOOR, ts, MAX, "raising_hand").status == 200
    desk.settle()
    assert desk.complaint(number).owner == MAX


def test_a_button_from_another_workspace_is_checked_after_the_ack_and_a_stranger_refused(desk: Bot) -> None:
    number = desk.file("Flanges delivered with the wrong bore", user=ANA, channel=FLOOR)
    for user, team in ((MAX, MUNICH), (NINA, NORDWIND)):
        pressed = {"type": "button", "action_id": rendering.ACTION_HISTORY, "block_id": "b", "value": str(number)}
        assert from_workspace(desk, MUNICH).block_action(pressed, user, channel=FLOOR, team=team).status == 200
    desk.settle()
    assert sorted(call.args["user"] for call in desk.fake.calls_to("users.info")) == [MAX, NINA]
    shown = {e["user"]: e["text"] for e in desk.fake.ephemerals}
    assert f"History of #{number}" in shown[MAX]
    assert "only for the people of the company" in shown[NINA]


def test_a_manager_group_on_an_org_wide_token_is_looked_up_in_the_installing_workspace(desk: Bot) -> None:
    answer = command(desk, "report", MAX, MUNICH)
    assert answer.status == 200
    desk.settle()
    [lookup] = desk.fake.calls_to("usergroups.users.list")
    assert lookup.args == {"usergroup": "S0LEADS", "team_id": BERLIN}
    assert desk.fake.messages("CMGMT")  # Max is a manager: the report was posted
