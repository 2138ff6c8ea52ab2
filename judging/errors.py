class JudgingRefused(Exception):
    """A judging action is not allowed. The message is Vietnamese and safe to show."""


class StaleSheet(JudgingRefused):
    """The sheet was saved elsewhere (another tab) after this form was loaded."""
