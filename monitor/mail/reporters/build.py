"""Make the reporters a run needs from the config: `smtp`, `outbox`, and each [[email.robots]] robot.

Secrets are read from the environment here, before anything is sent, so a missing one stops the run with
the variable's name instead of failing halfway; a dry run needs none (nothing is delivered).
"""

from __future__ import annotations

import threading
from pathlib import Path

from monitor.config import Config

from ..send import SmtpSettings
from . import OUTBOX, REPORTERS, SMTP, Reporter, dingtalk, wecom
from .outbox import OutboxReporter
from .smtp import SmtpReporter
from .webhook import WebhookReporter, read_env

KINDS = (SmtpReporter, OutboxReporter, wecom.WecomReporter, dingtalk.DingtalkReporter)  # all registered

_DRY_RUN_URL = "http://dry-run.invalid/"


def build_reporters(
    config: Config, names: set[str], *, dry_run: bool, outbox: Path, stop: threading.Event | None = None
) -> dict[str, Reporter]:
    """One reporter per name used by a route; raises MailError when a secret is missing."""
    robots = {r.name: r for r in config.email_robots}
    email = config.email
    out: dict[str, Reporter] = {}
    for name in sorted(names):
        if name == SMTP:
            settings = SmtpSettings.from_config(config)
            out[name] = SmtpReporter(name, settings, None if dry_run else settings.password(), stop)
        elif name == OUTBOX:
            out[name] = OutboxReporter(name, outbox)
        else:
            robot = robots[name]  # routing checked the name at load
            cls = REPORTERS[robot.kind]
            assert issubclass(cls, WebhookReporter)
            url = _DRY_RUN_URL if dry_run else read_env(robot.url_env, "needs its webhook URL", name)
            secret = ""
            if robot.secret_env and not dry_run:
                secret = read_env(robot.secret_env, "needs its signing secret", name)
            out[name] = cls(
                name,
                url,
                secret=secret,
                timeout=email.timeout,
                retries=email.retries,
                retry_delay=email.retry_delay,
                stop=stop,
            )
    return out
