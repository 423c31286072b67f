"""Every write to the database, one module per concept; functions named verb_noun(*, ...)."""
