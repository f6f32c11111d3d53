"""Redaction and publication of an assessment for its officers and reviewers (blueprint
`publishing`; templates in templates/publishing/)."""

from pia.web.publishing.views import bp

__all__ = ["bp"]
