"""Project configuration: settings, URLs, WSGI and ASGI entry points. Nothing imports this package."""
