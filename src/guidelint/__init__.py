"""guidelint: a linter for clinical practice guidelines kept as Markdown with YAML front matter."""

__version__ = "0.1.0"
