"""Writes of the judging app, one module per topic. Views, admin, tasks and commands call
these; nothing else changes judging state."""
