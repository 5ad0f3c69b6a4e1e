"""Only for `scrapyd-deploy`, which builds the egg with `python setup.py bdist_egg` and would
otherwise write a setup.py of its own, whose name, version and packages pyproject.toml overrides
with warnings. Everything is declared in pyproject.toml."""

from setuptools import setup

setup()
