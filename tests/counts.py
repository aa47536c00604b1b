"""The count tables checked against the statements, for the tests of concurrent writers."""

from statements import counting


def counts_are_exact() -> bool:
    """Every grain of the count tables equals a full recount of the statements."""
    kept = {
        counting.table(g): sorted(g.objects.values_list(*counting.dims(g), "n"))
        for g in counting.GRAINS
    }
    counting.rebuild()
    return kept == {
        counting.table(g): sorted(g.objects.values_list(*counting.dims(g), "n"))
        for g in counting.GRAINS
    }
