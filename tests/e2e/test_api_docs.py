"""The API documentation page renders in a real browser under its Content-Security-Policy."""

from __future__ import annotations

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip these tests with the reason, or fail them under REQUIRE_BROWSER=1
    Page = expect = None


def test_swagger_ui_renders_every_group_without_csp_violations(page: Page):
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    offsite: list[str] = []
    page.on("request", lambda request: request.url.startswith(("http://", "https://"))
            and "127.0.0.1" not in request.url and offsite.append(request.url))

    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("coprod-match API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    page.get_by_role("button", name="GET /api/v1/neighbourhoods", exact=False).first.click()
    operation = page.locator(".opblock-get").first
    expect(operation).to_contain_text("/api/v1/neighbourhoods")
    # Try it out: the request goes to this server and the answer is shown.
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_contain_text("200")

    assert not offsite, f"the docs page fetched from other sites: {offsite}"
    assert not [text for text in problems if "Content Security Policy" in text or "Refused" in text], problems
