"""The words that say why a verdict is held at the red-flag cap, the same on every surface.

"Held at Developing: 2 red flags" on the results page, the gap report, the contractor
comparison (page, CSV, XLSX, PDF) and the workshop board and group report.
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Callable

_IDENTITY = gettext_module.NullTranslations()


def held_at(
    band_label: str,
    red_flags: int,
    unanswered_critical: int = 0,
    *,
    gettext: Callable[..., str] | None = None,
    ngettext: Callable[..., str] | None = None,
) -> str:
    """Why the verdict is held at `band_label`: its red flags and unanswered critical questions.

    The callables may format their variables themselves (Flask-Babel's do) or not (gettext's);
    the text is formatted here either way.
    """
    gettext = gettext or _IDENTITY.gettext
    ngettext = ngettext or _IDENTITY.ngettext
    reasons = []
    if red_flags:
        reasons.append(
            ngettext("%(num)d red flag", "%(num)d red flags", red_flags) % {"num": red_flags}
        )
    if unanswered_critical:
        reasons.append(
            ngettext(
                "%(num)d critical question unanswered",
                "%(num)d critical questions unanswered",
                unanswered_critical,
            )
            % {"num": unanswered_critical}
        )
    return gettext("Held at %(band)s: %(reasons)s") % {
        "band": band_label,
        "reasons": ", ".join(reasons),
    }
