from flask import Blueprint

bp = Blueprint("professionals", __name__, url_prefix="/professionals")
