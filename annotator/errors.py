"""Domain errors raised by services; api/errors.py renders them as JSON with a field and a code."""


class DomainError(Exception):
    """A refused change. ``code`` is stable for clients; ``field`` names the input at fault (or None)."""

    code = "invalid"
    status = 400

    def __init__(
        self, message: str, *, field: str | None = None, code: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class InvalidSpan(DomainError):
    code = "invalid_span"


class ScoreOutOfScale(DomainError):
    code = "score_out_of_scale"


class WrongProject(DomainError):
    """A label, source or article from another project."""

    code = "wrong_project"


class DuplicateSpan(DomainError):
    code = "duplicate_span"
    status = 409


class DuplicateAssignment(DomainError):
    code = "duplicate_assignment"
    status = 409


class AssignmentLocked(DomainError):
    """The assignment was submitted: edits wait until a reviewer reopens it."""

    code = "assignment_locked"
    status = 409


class ReviewLocked(DomainError):
    """The article is adjudicated: its gold layer and its analysts' work are final until reopened."""

    code = "review_locked"
    status = 409


class StaleVersion(DomainError):
    """The client edited an older version than the one stored (optimistic locking)."""

    code = "stale_version"
    status = 412


def check_version(thing: str, expected: int | None, current: int) -> None:
    """Raise StaleVersion when the client edited ``thing`` at ``expected`` but it is now at ``current``.

    ``expected`` None means the client sent no version, so there is nothing to compare.
    """
    if expected is not None and expected != current:
        raise StaleVersion(
            f"the {thing} was changed since you loaded it (your version {expected}, now {current}).", field="version"
        )


class ArticleTextLocked(DomainError):
    code = "article_text_locked"
    status = 409


class InvalidImport(DomainError):
    """A file that cannot be loaded; nothing of it was written."""

    code = "invalid_import"

    def __init__(self, message: str, *, file: str, line: int | None = None, field: str | None = None) -> None:
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {message}", field=field)
        self.file = file
        self.line = line


class AlreadyEnrolled(DomainError):
    """The user has a confirmed authenticator; replacing it is an administrator's job."""

    code = "two_factor_already_enrolled"
    status = 409


class IdempotencyKeyReused(DomainError):
    """An Idempotency-Key sent again with a different request."""

    code = "idempotency_key_reused"
    status = 422


class IdempotencyKeyInFlight(DomainError):
    """An Idempotency-Key whose first request has not answered yet."""

    code = "idempotency_key_in_flight"
    status = 409


class InvalidProjectSettings(DomainError):
    code = "invalid_project_settings"


class Forbidden(DomainError):
    """A member of the project without the right to make this change (their role, or not their work)."""

    code = "forbidden"
    status = 403


class ExportNotReady(DomainError):
    """The export job has not written its file (queued, running or failed)."""

    code = "export_not_ready"
    status = 409


class JobNotReady(DomainError):
    """The background job has not finished its work (queued, running or failed)."""

    code = "job_not_ready"
    status = 409
