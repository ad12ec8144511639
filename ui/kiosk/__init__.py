"""The touch-screen kiosk for petitioners: content only, never personal data."""
