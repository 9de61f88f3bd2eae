"""The HTTP API: the pages' data as JSON, for a token holder, with the pages' permissions."""
