"""What the anonymity tests share: a page's body with what differs on every request
blanked (the CSRF token, the CSP nonce, a feed form's one-time key), so two worlds that
differ only in who answered what can be compared byte for byte."""

from __future__ import annotations

import re

VARYING = (
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(r'("X-CSRFToken": ")[^"]+'),
    re.compile(r'(nonce=")[^"]+'),
    re.compile(r'(name="form_key" value=")[^"]+'),
)


def blank(body: bytes, *more: re.Pattern[str]) -> str:
    """The body as text with every varying value (and each of ``more``) replaced by …"""
    text = body.decode()
    for pattern in (*VARYING, *more):
        text = pattern.sub(lambda m: m.group(1) + "…", text)
    return text
