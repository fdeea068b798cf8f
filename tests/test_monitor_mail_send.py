"""SMTP delivery against a real server on loopback (monitor/mail/send.py): plain, STARTTLS and implicit TLS,
the refusals that protect the password, and retries on temporary failures only."""

from __future__ import annotations

import logging
import socket
from email.message import EmailMessage
from pathlib import Path

import pytest
from mailsink import self_signed, smtp_server

from monitor.config import ConfigError
from monitor.configure import load_config
from monitor.mail.send import MailError, SmtpSettings, send_message

PASSWORD = "s3cret-Pa55-word"
ENV = "XXGK_TEST_SMTP_PASSWORD"


def message() -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "信息公开周报"
    msg["From"] = "xxgk@example.edu.cn"
    msg["To"] = "office@example.edu.cn"
    msg.set_content("正文")
    return msg


def settings(port: int, security: str = "none", **kw: object) -> SmtpSettings:
    values: dict = {"retries": 2, "retry_delay": 0.01, "timeout": 5.0, **kw}
    return SmtpSettings(host="127.0.0.1", port=port, security=security, password_env=ENV, **values)


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


def test_plain_relay_delivers_once() -> None:
    with smtp_server() as server:
        assert send_message(settings(server.port), message(), password=None) == []
    (got,) = server.sink.messages
    assert got.mail_from == "xxgk@example.edu.cn" and got.rcpt_tos == ["office@example.edu.cn"]
    assert got.message["Subject"] == "信息公开周报"


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_login(
    security: str, cert: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(ENV, PASSWORD)
    caplog.set_level(logging.DEBUG, logger="xxgk")
    with smtp_server(security=security, cert=cert, login=("xxgk", PASSWORD)) as server:
        s = settings(server.port, security, username="xxgk", ca_file=str(cert[0]))
        send_message(s, message(), password=s.password())
    assert server.sink.logins == [("xxgk", PASSWORD)]
    assert len(server.sink.messages) == 1
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("xxgk")]
    assert not any(PASSWORD in line for line in ours)


def test_untrusted_certificate_fails_before_the_login(cert: tuple[Path, Path]) -> None:
    with (
        smtp_server(security="starttls", cert=cert, login=("xxgk", PASSWORD)) as server,
        pytest.raises(MailError) as info,
    ):
        send_message(settings(server.port, "starttls", username="xxgk"), message(), password=PASSWORD)
    assert info.value.permanent and "TLS failed" in str(info.value)
    assert server.sink.logins == [] and server.sink.messages == []
    assert PASSWORD not in str(info.value)


def test_starttls_asked_but_not_offered_sends_nothing() -> None:
    with smtp_server() as server, pytest.raises(MailError, match="does not offer STARTTLS") as info:
        send_message(settings(server.port, "starttls", username="xxgk"), message(), password=PASSWORD)
    assert info.value.permanent
    assert server.sink.attempts == 0 and server.sink.logins == []


def test_temporary_failure_is_retried_with_doubling_delays() -> None:
    slept: list[float] = []
    with smtp_server(replies=["451 4.3.0 try again later", "421 4.7.0 busy"]) as server:
        send_message(settings(server.port, retry_delay=1.0), message(), password=None, sleep=slept.append)
    assert server.sink.attempts == 3 and len(server.sink.messages) == 1
    assert slept == [1.0, 2.0]


def test_permanent_failure_is_not_retried() -> None:
    with (
        smtp_server(replies=["550 5.7.1 relaying denied"]) as server,
        pytest.raises(MailError, match="550") as info,
    ):
        send_message(settings(server.port), message(), password=None, sleep=lambda s: None)
    assert info.value.permanent and server.sink.attempts == 1


def test_refused_connection_fails_at_once_without_retrying() -> None:
    """Issue 19: no server listening cannot recover in seconds; retrying it only made the run take minutes."""
    with smtp_server() as server:
        port = server.port  # closed once the server stops
    slept: list[float] = []
    with pytest.raises(MailError, match="cannot connect") as info:
        send_message(settings(port, retries=2), message(), password=None, sleep=slept.append)
    assert info.value.permanent and info.value.unreachable and slept == []


def test_unresolvable_host_fails_at_once() -> None:
    s = SmtpSettings(host="smtp.invalid", port=25, security="none", retries=3, retry_delay=5.0, timeout=5.0)
    slept: list[float] = []
    with pytest.raises(MailError, match="cannot connect") as info:
        send_message(s, message(), password=None, sleep=slept.append)
    assert info.value.permanent and slept == []


def test_server_that_never_answers_times_out_and_is_retried() -> None:
    """A timeout can recover (a busy server): it is retried, then reported as no server answering."""
    with socket.socket() as silent:  # accepts TCP (the kernel's backlog) but never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        slept: list[float] = []
        with pytest.raises(MailError, match=r"no answer within 0\.3 s") as info:
            s = settings(silent.getsockname()[1], retries=1, retry_delay=1.0, timeout=0.3)
            send_message(s, message(), password=None, sleep=slept.append)
    assert not info.value.permanent and info.value.unreachable and slept == [1.0]


def test_password_comes_only_from_the_named_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(MailError, match=ENV):
        settings(25, "starttls", username="xxgk").password()
    assert settings(25, "starttls").password() is None  # no login configured: no password needed


@pytest.mark.parametrize(
    ("email", "words"),
    [
        ('security = "none"\nusername = "xxgk"\n', ["email.username", "never sent unencrypted"]),
        (f'password_env = "{PASSWORD}"\n', ["email.password_env", "NAME of an environment variable"]),
        ('security = "tls"\n', ["email.security", "'starttls'"]),
    ],
)
def test_config_refuses_unsafe_mail_settings(tmp_path: Path, email: str, words: list[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[email]\n" + email, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        SmtpSettings.from_config(load_config(path))
    for word in words:
        assert word in str(info.value)
    assert PASSWORD not in str(info.value)
