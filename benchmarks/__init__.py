"""Performance benchmark: the real bot and a plain bolt app, side by side, against a fake Slack with latency."""
