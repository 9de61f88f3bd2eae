"""Template tags for the schools pages."""
