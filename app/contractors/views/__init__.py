"""Views for contractor assessments, one module per audience: the buyer's pages, the
comparison of contractors, and the contractor's link pages. Each parses, calls a service and
renders.

The buyer's pages need a signed-in user of the owning organisation; the contractor reaches
only /invitation/... and, through the grant its link gives, the one assessment's pages.
"""

from app.contractors.views import buyer, comparison, invitation  # noqa: F401  (routes on bp)
