"""The device names on "Where you are logged in", from real User-Agent headers."""

from __future__ import annotations

import pytest

from coprod_match.devices import describe_device


@pytest.mark.parametrize(("user_agent", "expected"), [
    ("Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0", ("Firefox", "Android")),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
     "Safari/537.36 Edg/124.0.2478.51", ("Edge", "Windows")),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.4 Mobile/15E148 Safari/604.1", ("Safari", "iPhone")),
    ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36", ("Samsung Internet", "Android")),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 "
     "Safari/537.36", ("Chrome", "macOS")),
    ("curl/8.5.0", ("", "")),
    (None, ("", "")),
    ("x" * 100_000, ("", "")),
])
def test_describe_device(user_agent, expected):
    assert describe_device(user_agent) == expected
