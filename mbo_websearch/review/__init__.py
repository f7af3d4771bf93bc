"""The analysts' review: web app, terminal loop, Excel round trip, OpenRefine reconciliation."""

from mbo_websearch.review.app import create_app

__all__ = ["create_app"]
