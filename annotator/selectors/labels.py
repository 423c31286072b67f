"""Reads of a project's label set."""

from annotator.models import Label
from annotator.selectors.compiled import CompiledQuery, columns, instances

_LABEL = CompiledQuery(
    lambda project_id, key: Label.objects.filter(project_id=project_id, key=key).values_list(*columns(Label))[:1],
    project_id=int, key=str,
)


def get_label_in(project_id: int, key: str) -> Label | None:
    """The project's label with this key (every span write names one), or None."""
    row = _LABEL.first(project_id=project_id, key=key)
    return None if row is None else instances(row, Label)[0]
