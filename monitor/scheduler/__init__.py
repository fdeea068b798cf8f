"""The scheduler daemon (`xxgk schedule`): crawls and the weekly email on a schedule, for months, unattended.

`timetable` says what runs when (the daemon acts on it, `xxgk status` shows it); `expressions` turns config
text into APScheduler 3.x triggers and answers "was a run missed while we were down?"; `jobs` runs one crawl
(a child process, through `monitor.crawl_runner`) or one weekly email and never lets a failure stop the
daemon; `daemon` wires them into a BackgroundScheduler with signal handling. This package file imports
nothing, so `monitor.config.keys` can borrow the expression checks without an import cycle.
"""
