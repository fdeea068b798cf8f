"""What a file link's answer says (crawler/filecheck.py): when HEAD must be asked again, which redirect is a
sign-in."""

from __future__ import annotations

import pytest

from crawler.filecheck import ask_again, login_target


@pytest.mark.parametrize(
    ("method", "status", "ctype", "again"),
    [
        ("HEAD", 405, "text/plain", True),  # no HEAD served
        ("HEAD", 501, None, True),
        ("HEAD", 200, "text/html; charset=utf-8", True),  # a page where a file was linked
        ("HEAD", 200, "application/pdf", False),
        ("HEAD", 404, "text/html", False),  # says it plainly
        ("GET", 405, "text/html", False),  # already a GET
    ],
)
def test_a_head_answer_that_says_nothing_is_asked_again(
    method: str, status: int, ctype: str | None, again: bool
) -> None:
    assert ask_again(method, status, ctype) is again


@pytest.mark.parametrize(
    ("url", "login"),
    [
        ("https://cas.example.edu.cn/cas/login?service=x", True),
        ("https://authserver.example.edu.cn/authserver/index", True),
        ("https://sso.example.edu.cn/", True),
        ("https://www.example.edu.cn/uia/index.jsp", True),
        ("https://cdn.example.com/files/xxzc.pdf", False),
        ("https://files.example.edu.cn/casestudy/a.pdf", False),
        (None, False),
    ],
)
def test_a_redirect_to_a_sign_in_service_is_a_login(url: str | None, login: bool) -> None:
    assert login_target(url) is login
