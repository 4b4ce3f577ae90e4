"""Reference data loading and the The Hague demo. (Being written.)"""

from flask.cli import AppGroup

reference_cli = AppGroup("reference", help="Reference data.")
demo_cli = AppGroup("demo", help="Demo data.")
