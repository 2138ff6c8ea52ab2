"""Models arrive with the judging and awards issues."""
