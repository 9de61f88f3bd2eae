"""fairload: teachers' working-time agreements as cited, checkable rules."""

__version__ = "0.1.0"
