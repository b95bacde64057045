"""What happened, for whoever cares: the areas announce their changes here, and the areas that
build on them (the gap report and the group report rendered ahead of their download) listen.

An area sends with the changed object as sender; it never knows who listens, so it imports
none of them. Listeners are plain module functions, connected when the app is made
(connecting one again changes nothing).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

assessment_submitted = _signals.signal("assessment-submitted")
"""An assessment was submitted (sender: the assessment)."""

action_plan_changed = _signals.signal("action-plan-changed")
"""An assessment's action plan changed: an answer, an item done (sender: the assessment)."""

review_changed = _signals.signal("review-changed")
"""A buyer's review of a contractor's assessment changed (sender: the assessment)."""

workshop_closed = _signals.signal("workshop-closed")
"""A workshop closed and its teams' answers were handed in (sender: the workshop)."""
