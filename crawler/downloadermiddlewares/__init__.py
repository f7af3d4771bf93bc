"""Downloader middlewares, one component per file."""
