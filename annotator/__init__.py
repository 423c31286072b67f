"""Credence: source-credibility annotation of news articles (the one Django app)."""
