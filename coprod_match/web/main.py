"""Home page, language choice and health endpoints."""

from flask import Blueprint

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    return "coprod-match"
