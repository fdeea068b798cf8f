"""Downloader middlewares, one small class per module, wired in crawler/settings.py.

Each exists so that every request ends as exactly one recorded outcome: robots denial, redirects (off-site,
loops), conditional GET validators and the moment a request was first sent.
"""
