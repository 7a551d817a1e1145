"""Fixtures for the real-browser tests (see browser_support.py)."""

from browser_support import browser, open_page, server  # noqa: F401
