"""The staff desk: registration, matching, documents, the law library and office settings."""
