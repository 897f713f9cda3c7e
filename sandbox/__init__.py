"""A local Slack: the fake Web API and Socket Mode server, and signed requests as Slack sends them."""
