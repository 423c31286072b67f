"""Agreement between analysts: span alignment, F1, Krippendorff's alpha, kappa, consensus. Pure (numpy)."""
