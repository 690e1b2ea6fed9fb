"""`python -m webapp ...` is the same as the `legday` command."""

from webapp.cli import main

main()
