"""The `legday` subcommands, one module each; webapp/cli.py registers them."""
