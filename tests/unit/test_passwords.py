from coprod_match.passwords import hash_password, password_problem, verify_password


def test_acceptable_password():
    assert password_problem("Zomeravond aan zee 7", email="a@b.nl", name="Amal") is None


def test_too_short_common_and_personal_passwords():
    assert password_problem("Kort1!") is not None
    assert password_problem("Password123") is not None  # common, any letter case
    assert password_problem("qwertyuiop") is not None
    assert password_problem("zzzzzzzzzzzz") is not None
    assert password_problem("mohamed.ali-rules", email="mohamed.ali@example.org") is not None
    assert password_problem("ik ben Fatima Zahra!", name="Fatima Zahra") is not None


def test_hash_and_verify():
    hashed = hash_password("Zomeravond aan zee 7")
    assert hashed.startswith("scrypt:")
    assert verify_password(hashed, "Zomeravond aan zee 7")
    assert not verify_password(hashed, "zomeravond aan zee 7")
    assert not verify_password(None, "anything at all")
