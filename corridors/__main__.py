import sys

from corridors.cli import run

sys.exit(run())
