"""Printed documents: rights/remedy notices, visit receipts and guide printouts (reportlab, no Qt)."""
