"""crawler/startup.py: Scrapy's handler and cookies middleware imported early, without costs a crawl does not
need, and working as before. Each check runs in a fresh interpreter (a child process), as a crawl does."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAINS = ["com.cn", "edu.cn", "www.tsinghua.edu.cn", "gov.cn", "xxgk.a.edu.cn", "127.0.0.2", "localhost"]


def _run(code: str) -> object:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])


def test_the_cookies_middleware_loads_without_tldextract() -> None:
    loaded = _run(
        "import sys\nfrom crawler import startup\nstartup.prepare()\n"
        "import scrapy.downloadermiddlewares.cookies as c\n"
        "print([sorted(m for m in sys.modules if m.split('.')[0] in ('tldextract', 'requests', 'urllib3')),"
        " 'scrapy.core.downloader.handlers.http11' in sys.modules, c.CookiesMiddleware.__name__])"
    )
    assert loaded == [[], True, "CookiesMiddleware"]


def test_its_public_suffix_check_answers_as_with_tldextract_loaded_first() -> None:
    check = f"print([c._is_public_domain(d) for d in {DOMAINS!r}])"
    lazy = _run(
        "import sys\nfrom crawler import startup\nstartup.prepare()\n"
        "import scrapy.downloadermiddlewares.cookies as c\n" + check
    )
    eager = _run("import tldextract\nimport scrapy.downloadermiddlewares.cookies as c\n" + check)
    assert lazy == eager
    assert lazy[:3] == [True, True, False]  # public suffixes refused as cookie domains, a college's host not


def test_tldextract_is_the_real_package_once_used() -> None:
    got = _run(
        "import sys\nfrom crawler import startup\nstartup.prepare()\n"
        "import scrapy.downloadermiddlewares.cookies as c\nc._is_public_domain('edu.cn')\n"
        "import tldextract\n"
        "print([tldextract.__file__.endswith('__init__.py'), hasattr(tldextract, 'extract')])"
    )
    assert got == [True, True]
