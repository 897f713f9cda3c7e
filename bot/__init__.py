"""The complaint desk's core: domain, store, services, timers, reports and rendering; no Slack, no HTTP."""
