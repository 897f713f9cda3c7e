"""The edges between the core and the outside: Slack's Web API, HTTP, Socket Mode."""
