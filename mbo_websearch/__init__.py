"""mbo-websearch: the application (CLI, review web app, reports, demo)."""

__version__ = "0.1.0"
