"""Why a page could not be read, in the Chinese the office reads: DNS, refused, timeout, HTTP status, blocked.

The crawler records a failed fetch as an outcome and the technical text (`network_error:
CannotResolveHostError: DNS lookup failed ...`, `timeout: no complete answer in time (...)`, `http_error: HTTP
404`, `blocked: js_challenge`); a site's error is the text without the outcome. That text stays in the JSON
report (`error`) for whoever debugs; everything shown to people (text and HTML report, the email, the robots)
says `error_words(error)` instead. Matching is on stable words of the exception names and messages of
Twisted, Scrapy and the OS (English whatever the locale), never on a site's markup.
"""

from __future__ import annotations

import re

# (pattern on the recorded text, the words), first match wins; the patterns are case-insensitive.
_NETWORK: tuple[tuple[str, str], ...] = (
    (
        r"DNS lookup failed|CannotResolveHost|DNSLookupError|Name or service not known|nodename nor servname"
        r"|No address associated|getaddrinfo|Temporary failure in name resolution",
        "域名无法解析（DNS 查询失败：网址中的域名不存在或已停用）",
    ),
    (r"Connection ?Refused|Connection was refused|refused", "连接被拒绝（服务器没有在该地址和端口提供服务）"),
    (
        r"^timeout\b|no complete answer in time|Timeout|timed ?out|took longer than",
        "超时（服务器在规定时间内没有完整应答）",
    ),
    (
        r"Connection ?Lost|Connection reset|ConnectionDone|ResponseNeverReceived|ResponseFailed",
        "连接中断（服务器中途断开了连接）",
    ),
    (r"SSL|TLS|certificate", "安全连接失败（HTTPS 证书或加密握手出错）"),
    (r"NoRoute|No route to host|Network is unreachable|HostUnreachable", "网络不通（无法到达服务器）"),
)
_NETWORK_RE = tuple((re.compile(p, re.IGNORECASE), words) for p, words in _NETWORK)

_HTTP = {
    400: "请求无效",
    401: "需要登录",
    403: "禁止访问",
    404: "页面不存在",
    410: "页面已删除",
    429: "请求过多，被服务器限制",
    500: "服务器内部错误",
    502: "网关错误",
    503: "服务暂时不可用",
    504: "网关超时",
}
_HTTP_RE = re.compile(r"\bHTTP (\d{3})\b")

_BLOCKED = {
    "login": "需要登录才能查看",
    "captcha": "需要输入验证码",
    "js_challenge": "需要通过脚本验证（反爬虫验证页）",
    "waf": "被网站防火墙拦截",
    "needs JavaScript": "栏目列表由网页脚本加载，无法读取",
    "needs_js": "栏目列表由网页脚本加载，无法读取",
}

_OUTCOMES = frozenset(
    {"http_error", "network_error", "timeout", "too_large", "robots_denied", "offsite_redirect"}
    | {"redirect_loop", "not_html", "blocked"}
)
_OTHER = {
    "too_large": "页面超过大小上限，未读取",
    "redirect_loop": "页面重定向循环，无法打开",
    "offsite_redirect": "页面跳转到站外，未跟随",
    "robots_denied": "网站的 robots.txt 禁止抓取",
    "not_html": "不是网页",
}


def error_words(error: str | None) -> str:
    """A recorded fetch error as the office reads it ("" for none); never the technical text itself."""
    if not error:
        return ""
    text = error.strip()
    head, _, rest = text.partition(":")
    outcome = head if head in _OUTCOMES else ""
    detail = rest.strip() if outcome else text  # a column's error is "outcome: text", a site's only the text
    if detail.startswith("soft 404"):
        return "页面显示内容不存在（返回 200 的“软 404”）"
    if outcome == "blocked":
        return next(
            (w for key, w in _BLOCKED.items() if detail.startswith(key)), "需要登录、验证码或脚本验证"
        )
    if outcome in _OTHER:
        return _OTHER[outcome]
    m = _HTTP_RE.search(text)
    if m and (outcome == "http_error" or detail.startswith("HTTP ")):
        code = int(m.group(1))
        words = _HTTP.get(code) or ("服务器错误" if code >= 500 else "请求被拒绝")
        return f"HTTP {code}（{words}）"
    if outcome == "http_error":
        return "服务器返回错误"
    for pattern, words in _NETWORK_RE:
        if pattern.search(text):
            return words
    return "网络错误（无法读取页面）"
