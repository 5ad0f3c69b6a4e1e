"""`python -m archiver`: the same command as the `archiver` console script."""

from archiver.cli import cli

cli()
