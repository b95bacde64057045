"""What a new password must be: long enough, and not easy to guess.

Strength is judged offline by zxcvbn (common and leaked-style passwords, names, keyboard
patterns, repeats, dates, l33t spellings), with the person's own name and organisation as
extra words to avoid. No password leaves the process.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 12
# zxcvbn's scale 0-4; 3 is "safely unguessable" against an online or throttled attack.
MIN_SCORE = 3
# zxcvbn's cost grows with the length; longer passwords are judged by their start.
_JUDGED_LENGTH = 64


def problem(password: str, *, user_inputs: list[str] | tuple[str, ...] = ()) -> str | None:
    """Why `password` may not be used, or None when it is good."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)s characters.", n=MIN_LENGTH))
    texts = [str(text) for text in user_inputs if text]
    words = texts + [word for text in texts for word in text.split()]
    if zxcvbn(password[:_JUDGED_LENGTH], user_inputs=words)["score"] < MIN_SCORE:
        return str(
            _l(
                "This password is easy to guess: it is common, or a pattern such as a keyboard "
                "row, a repeat, a date or your own name. A few unrelated words work well."
            )
        )
    return None
