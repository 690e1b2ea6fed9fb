"""The `legday` subcommands, one module each (registered in webapp/cli.py)."""
