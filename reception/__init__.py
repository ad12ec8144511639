"""信访接待与释法系统 — domain and services (no Qt)."""
