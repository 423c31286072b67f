"""The REST API (/api/v1): one module per resource with its serializers and views."""
