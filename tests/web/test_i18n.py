"""The UI language follows the user's preference, then the session choice, then the browser."""

from __future__ import annotations

from coprod_match.models import Role
from tests import factories
from tests.conftest import csrf_token, login_as


def heading(client, path="/auth/login", **headers) -> str:
    return client.get(path, headers=headers).get_data(as_text=True)


def test_browser_language_decides_for_visitors(client):
    assert "<h1>Inloggen</h1>" in heading(client, **{"Accept-Language": "nl-NL,nl;q=0.9"})
    assert "<h1>Log in</h1>" in heading(client, **{"Accept-Language": "en-GB,en;q=0.8"})
    # A language we do not offer falls back to Dutch.
    assert "<h1>Inloggen</h1>" in heading(client, **{"Accept-Language": "fr"})
    assert '<html lang="ar" dir="rtl">' in heading(client, **{"Accept-Language": "ar-MA,ar;q=0.9"})


def test_the_language_chooser_names_each_language_in_itself(client):
    page = heading(client, **{"Accept-Language": "nl"})
    for code, name in {"tr": "Türkçe", "ar": "العربية", "pl": "Polski", "bg": "Български",
                       "uk": "Українська", "en": "English"}.items():
        assert f'<option value="{code}" lang="{code}" >{name}</option>' in page


def test_choosing_a_language_is_remembered(client):
    token = csrf_token(client, "/")
    response = client.post("/language", data={"locale": "nl", "next": "/auth/login", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    assert "<h1>Inloggen</h1>" in heading(client)  # the client still sends Accept-Language: en


def test_language_choice_rejects_foreign_redirects(client):
    token = csrf_token(client, "/")
    response = client.post("/language", data={"locale": "en", "next": "https://evil.example/", "csrf_token": token})
    assert response.headers["Location"].endswith("/")
    assert "evil" not in response.headers["Location"]


def test_user_preference_wins_and_is_saved(client, make_user, db_session):
    user = make_user(Role.CITIZEN, locale="nl")
    login_as(client, user)
    assert "Mijn pagina" in heading(client, "/citizens/account")
    token = csrf_token(client, "/")
    client.post("/language", data={"locale": "en", "next": "/citizens/account", "csrf_token": token})
    db_session.expire_all()
    assert user.preferred_locale == "en"
    assert "My page" in heading(client, "/citizens/account", **{"Accept-Language": "nl"})


def _choose_language(client, locale: str) -> None:
    token = csrf_token(client, "/")
    client.post("/language", data={"locale": locale, "next": "/", "csrf_token": token})


def test_a_language_chosen_before_logging_in_becomes_the_accounts(client, auth, make_user, db_session):
    # The account's stored language used to win at login and undo the visitor's choice.
    user = make_user(Role.CITIZEN, locale="nl")
    _choose_language(client, "tr")
    assert auth.login(user.email).status_code == 302
    db_session.expire_all()
    assert user.preferred_locale == "tr"
    assert 'lang="tr"' in heading(client, "/citizens/account", **{"Accept-Language": "nl"})


def test_a_choice_is_stored_once_and_a_language_from_a_mail_link_is_no_choice(client, auth, make_user, db_session):
    first, second = make_user(Role.CITIZEN, locale="nl"), make_user(Role.CITIZEN, locale="ar")
    _choose_language(client, "pl")
    auth.login(first.email)
    auth.logout()
    # The next person in this browser chose nothing: their own language stays theirs.
    auth.login(second.email)
    db_session.expire_all()
    assert (first.preferred_locale, second.preferred_locale) == ("pl", "ar")
    auth.logout()
    with client.session_transaction() as session:
        session["locale"] = "uk"  # as speak_the_mails_language sets it for a page opened from a mail
    auth.login(first.email)
    db_session.expire_all()
    assert first.preferred_locale == "pl"


def test_taxonomy_labels_follow_the_language(client, db_session, reference_data):
    import datetime as dt

    initiative = factories.initiative(db_session, title="Samen eten", neighbourhood="Moerwijk",
                                      start_date=dt.date(2026, 1, 1), interests=["meals"])
    db_session.commit()
    path = f"/initiatives/{initiative.id}"
    assert "Koken en samen eten" in heading(client, path, **{"Accept-Language": "nl"})
    assert "Cooking and shared meals" in heading(client, path, **{"Accept-Language": "en"})


def test_the_page_says_its_language_and_direction(client):
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page


def test_arabic_is_written_right_to_left():
    from coprod_match.i18n import text_direction

    assert [text_direction(code) for code in ("ar", "nl", "en", "tr")] == ["rtl", "ltr", "ltr", "ltr"]


def test_the_stylesheet_mirrors_by_itself_for_right_to_left():
    """Logical properties only (margin-inline-start, text-align: start ...): a right-to-left page needs no second sheet."""
    import re
    from pathlib import Path

    sheet = (Path(__file__).parents[2] / "static" / "site.css").read_text()
    physical = re.findall(r"(?<![\w-])(?:(?:margin|padding|border)-(?:left|right)[\w-]*|left|right)\s*:|"
                          r"text-align:\s*(?:left|right)|float:\s*(?:left|right)", sheet)
    assert physical == []
