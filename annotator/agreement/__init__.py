"""Agreement between analysts: alignment, F1, alpha (plain and unitized), kappa, consensus, report. Pure."""
