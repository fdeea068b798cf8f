"""Bytes to text: declared, undeclared, late-declared and wrongly declared Chinese encodings, no mojibake."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extract import decode_body
from crawler.extract.decode import declared_charset, normalise_charset

TITLE = "关于2026年暑假放假安排的通知——信息公开（第３期）"
RARE = "𠀀镕堃"  # outside GB2312 (the first one only in GB18030's four-byte area)


def page(charset_decl: str = "", filler: int = 0) -> str:
    pad = "<!-- " + "x" * filler + " -->" if filler else ""
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset_decl}">'
        if charset_decl
        else ""
    )
    return f"<html><head>{pad}{meta}<title>{TITLE}</title></head><body><p>{TITLE}</p></body></html>"


@pytest.mark.parametrize(
    ("body", "header", "expected_encoding"),
    [
        (page("utf-8").encode("utf-8"), None, "utf-8"),
        (page().encode("utf-8"), None, "utf-8"),
        (page("gbk").encode("gbk"), None, "gb18030"),
        (page("gb2312").encode("gbk"), None, "gb18030"),
        (page().encode("gbk"), None, "gb18030"),  # GBK with no declaration at all
        (page().encode("gbk"), "gbk", "gb18030"),  # declared in the Content-Type header
        (page("gbk", filler=3000).encode("gbk"), None, "gb18030"),  # declared after the first KB
        (page("utf-8").encode("gbk"), None, "gb18030"),  # says utf-8, is GBK
        (page("gb2312").encode("utf-8"), None, "utf-8"),  # says gb2312, is utf-8
        (page().encode("gbk"), "utf-8", "gb18030"),  # the header lies
        (page().encode("gbk"), "iso-8859-1", "gb18030"),  # a Western default charset from the server
        (b"\xef\xbb\xbf" + page().encode("utf-8"), "gbk", "utf-8"),  # a BOM wins
    ],
)
def test_decode_without_mojibake(body: bytes, header: str | None, expected_encoding: str) -> None:
    text, encoding = decode_body(body, header)
    assert encoding == expected_encoding
    assert TITLE in text
    assert "\ufffd" not in text


JUNK = b"\xff\xfe\xc3\x28 \xe4\xb8"  # bytes no charset reads: a broken CMS export, a cut multi-byte char


@pytest.mark.parametrize(
    ("body", "header", "expected_encoding"),
    [
        (page("utf-8").encode("utf-8") + JUNK, "utf-8", "utf-8"),  # says utf-8, is utf-8 with junk
        (page("utf-8").encode("utf-8") + JUNK, None, "utf-8"),  # declared in the page only
        (page().encode("utf-8") + JUNK, None, "utf-8"),  # not declared at all
        (page("gb2312").encode("utf-8") + JUNK, "gbk", "utf-8"),  # says GBK, is utf-8 with junk
        ((page() * 20).encode("utf-8") + JUNK, "gbk", "utf-8"),  # a long page with a few junk bytes
        (page("gbk").encode("gbk") + b"\xff\xd6", "utf-8", "gb18030"),  # GBK cut mid-character, says utf-8
        (page().encode("gbk") + b"\xff", None, "gb18030"),  # GBK with a junk byte, undeclared
        (page("big5").encode("utf-8") + JUNK, "big5", "utf-8"),  # a wrong big5 label loses to utf-8
    ],
)
def test_junk_bytes_do_not_turn_the_page_into_mojibake(
    body: bytes, header: str | None, expected_encoding: str
) -> None:
    text, encoding = decode_body(body, header)
    assert encoding == expected_encoding
    assert TITLE in text
    assert text.count("\ufffd") <= 6  # only the junk itself is replaced


def test_declared_big5_is_respected() -> None:
    title = "關於暑假放假安排的通知"
    text, encoding = decode_body(f'<meta charset="big5"><title>{title}</title>'.encode("big5"))
    assert (encoding, title in text) == ("big5hkscs", True)


def test_gb18030_characters_outside_gbk() -> None:
    body = f"<p>{TITLE}{RARE}</p>".encode("gb18030")
    text, encoding = decode_body(body, "gb2312")
    assert encoding == "gb18030"
    assert RARE in text


def test_ascii_page_reports_declared_family() -> None:
    assert decode_body(b"<html><meta charset=gbk><p>hi</p></html>") == (
        "<html><meta charset=gbk><p>hi</p></html>",
        "gb18030",
    )
    assert decode_body(b"<p>hi</p>")[1] == "utf-8"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("GBK", "gb18030"),
        ("gb2312", "gb18030"),
        ("x-gbk", "gb18030"),
        ("UTF8", "utf-8"),
        ("'utf-8'", "utf-8"),
        ("windows-1252", "cp1252"),
        ("no-such-charset", None),
        ("", None),
    ],
)
def test_normalise_charset(label: str, expected: str | None) -> None:
    assert normalise_charset(label) == expected


def test_declared_charset_found_late_and_in_xml_declaration() -> None:
    assert declared_charset(b"<!--" + b"a" * 5000 + b'--><meta charset="GB2312">') == "GB2312"
    assert declared_charset(b'<?xml version="1.0" encoding="gbk"?><html/>') == "gbk"
    assert declared_charset(b"<html><p>charset=utf-8 in text</p>") is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "gbk", "latin-1", "nonsense", "utf-16"]))
def test_decode_never_raises(body: bytes, header: str | None) -> None:
    text, encoding = decode_body(body, header)
    assert isinstance(text, str)
    assert encoding


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=4, max_size=60))
def test_undeclared_gbk_chinese_round_trips(text: str) -> None:
    body = f"<p>{text}</p>".encode("gb18030")
    assert decode_body(body)[0] == f"<p>{text}</p>"
