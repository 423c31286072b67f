"""Server-rendered pages: login, home, and the pages built on the API."""
