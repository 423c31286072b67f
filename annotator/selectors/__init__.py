"""Every read beyond a one-line filter; access.py is the only way to fetch an object for a user."""
