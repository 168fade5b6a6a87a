"""Security headers on every response, unless the response set its own.

Every API answer may carry personal data, so none is stored by a browser or a proxy
(`Cache-Control: no-store`); none is sniffed into another content type; no address leaks
in a Referer; and none may run anything if a browser ever renders one (a policy that allows
nothing). The dashboard's files, the API docs page and the printable subject-access export
set their own cache and content-security policies, which are kept.
"""

from __future__ import annotations

import base64
import hashlib
import re

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DEFAULTS = (
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", API_POLICY.encode()),
)


def page_policy(html: str) -> str:
    """The policy of a page of ours with inline <style> blocks: those blocks (by hash), nothing else."""
    hashes = [base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
              for css in re.findall(r"<style>(.*?)</style>", html, re.S)]
    styles = " ".join(f"'sha256-{h}'" for h in hashes) or "'none'"
    return f"default-src 'none'; style-src {styles}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def with_defaults(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """An answer's headers, with each default it did not set itself (`api.http.middleware.Edge`)."""
    present = {name.lower() for name, _ in headers}
    return headers + [(name, value) for name, value in DEFAULTS if name not in present]
