"""Use cases: each takes a session, does one thing in its transaction and returns plain data."""
