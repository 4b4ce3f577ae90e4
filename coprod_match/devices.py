"""A short, recognisable name for the device behind a User-Agent: ("Firefox", "Android").

Shown on "Where you are logged in" so a person can tell their phone from a
library computer. Only a few well-known names are recognised; anything else
is left empty rather than guessed. Order matters: Edge and Opera also say
"Chrome", Chrome also says "Safari", Android also says "Linux".
"""

from __future__ import annotations

_BROWSERS = (
    ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_PLATFORMS = (
    ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("CrOS", "ChromeOS"),
    ("Windows", "Windows"), ("Macintosh", "macOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"),
)
# No browser sends more; a longer header is not worth reading.
_MAX_READ = 512


def describe_device(user_agent: str | None) -> tuple[str, str]:
    """(browser, platform), each "" when not recognised."""
    text = (user_agent or "")[:_MAX_READ]
    browser = next((name for marker, name in _BROWSERS if marker in text), "")
    platform = next((name for marker, name in _PLATFORMS if marker in text), "")
    return browser, platform
