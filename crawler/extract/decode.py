"""Page bytes to text without mojibake, whatever the page claims about its charset.

College sites serve GBK/GB2312/GB18030 with or without a declaration, declare the charset after the first
kilobyte (so browsers' 1 KB sniff misses it), or declare the wrong one (utf-8 on a GBK page, gb2312 on a
utf-8 page). Scrapy's fallback (ascii, utf-8, cp1252) turns undeclared GBK into mojibake without an error, so
we decode strictly with a short list of candidates and keep the first that decodes without an error.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["declared_charset", "decode_body", "normalise_charset"]

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{2,40})""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_\-.]{2,40})""", re.I)
# Non-ASCII characters that are not Chinese text, its punctuation, full-width forms, private-use icon glyphs
# or Latin-1 symbols (© ·): many of them in a "utf-8" reading mean the bytes were really GBK.
_FOREIGN = re.compile(
    r"[^\x00-\x7f\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\ue000-\uf8ff]"
)
_HAN = re.compile(r"[\u3400-\u9fff]")
_SNIFF_BYTES = 65536  # look for a declaration this far into the body, not only in the first KB

# Legacy single-byte charsets: a Chinese site that declares one of these is nearly always wrong about it.
_WEAK = {"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15"}
_GB_FAMILY = {"gbk", "gb2312", "gb18030", "hz"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def normalise_charset(label: str | None) -> str | None:
    """A Python codec name for a charset label (gbk and gb2312 widen to gb18030, their superset)."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in ("x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "x-euc-cn", "gb_2312-80"):
        label = "gbk"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _GB_FAMILY:
        return "gb18030"
    if name in ("big5", "big5hkscs", "cp950"):
        return "big5hkscs"
    return name


def declared_charset(body: bytes) -> str | None:
    """The charset the page declares (XML declaration or <meta>), searched well past the first KB."""
    head = body[:_SNIFF_BYTES]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _try(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _cjk_share(text: str) -> float:
    """The share of non-ASCII characters (in the first 20,000) that are Chinese text or its punctuation."""
    sample = text[:20000]
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    if not non_ascii:
        return 1.0
    return 1.0 - len(_FOREIGN.findall(sample)) / non_ascii


def _damage(text: str) -> int:
    """How broken a lossy decoding reads: replacement characters, characters foreign to a Chinese page, and
    rare Han characters outside GB2312 (utf-8 bytes read as GBK turn into runs of them: 鐣稿舰椤)."""
    sample = text[:20000]
    rare = sum(1 for ch in set(_HAN.findall(sample)) if not _in_gb2312(ch))
    return sample.count("\ufffd") * 4 + len(_FOREIGN.findall(sample)) + rare


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _nearly_clean(text: str) -> bool:
    """At most one in twenty non-ASCII characters of a lossy reading is a replacement character."""
    sample = text[:20000]
    bad = sample.count("\ufffd")
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    return bad * 20 <= non_ascii


def decode_body(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """(text, encoding used). Never raises; junk bytes end up as U+FFFD only when no candidate fits.

    Order: a byte-order mark; utf-8 when it decodes strictly and reads as Chinese (GBK text is rarely
    valid utf-8), or utf-8 with a few junk bytes in a long text; a declared non-GB multi-byte charset (big5,
    shift_jis …); gb18030 (covers gbk and gb2312, declared or not); a declared single-byte charset. When
    none decodes strictly (a short utf-8 page with junk bytes, a GBK page cut mid-character), the declared
    charset, utf-8 and gb18030 are read with replacement characters and the least damaged reading wins, the
    declared charset first on a tie.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, "replace"), name
    if body.isascii():
        label = normalise_charset(header_charset) or normalise_charset(declared_charset(body))
        return body.decode("ascii"), label if label in ("utf-8", "gb18030") else "utf-8"
    as_utf8 = _try(body, "utf-8")
    if as_utf8 is not None:
        if _cjk_share(as_utf8) >= 0.5:
            return as_utf8, "utf-8"
        # Short GBK runs can be valid utf-8 (一一 = D2 BB D2 BB = "һһ"): keep utf-8 unless the GB
        # reading is Chinese.
        gb = _try(body, "gb18030")
        return (gb, "gb18030") if gb is not None and _cjk_share(gb) >= 0.9 else (as_utf8, "utf-8")
    # utf-8 with a few junk bytes (GBK read as utf-8 breaks on nearly every character)
    lossy = body.decode("utf-8", "replace")
    if _nearly_clean(lossy):
        return lossy, "utf-8"
    declared = [normalise_charset(header_charset), normalise_charset(declared_charset(body))]
    candidates: list[str] = []
    for label in declared:
        if not label or label.startswith(("utf-16", "utf-32")):
            continue
        if label not in _WEAK and label not in ("utf-8", "gb18030") and label not in candidates:
            candidates.append(label)
    candidates.append("gb18030")
    for label in declared:
        if label and label in _WEAK and label not in candidates:
            candidates.append(label)
    for name in candidates:
        decoded = _try(body, name)
        if decoded is not None:
            return decoded, name
    return _least_damaged(body, declared)


def _least_damaged(body: bytes, declared: list[str | None]) -> tuple[str, str]:
    """Nothing decodes strictly: read the body with replacement characters in each multi-byte charset it
    could be (what it declares, utf-8, gb18030) and keep the reading with the least damage."""
    names: list[str] = []
    for label in [*declared, "utf-8", "gb18030"]:
        if label and label not in _WEAK and not label.startswith(("utf-16", "utf-32")) and label not in names:
            names.append(label)
    best: tuple[int, int, str, str] | None = None
    for rank, name in enumerate(names):
        try:
            text = body.decode(name, "replace")
        except LookupError:
            continue
        key = (_damage(text), rank, text, name)
        if best is None or key[:2] < best[:2]:
            best = key
    assert best is not None  # utf-8 and gb18030 always decode with replacement
    return best[2], best[3]
