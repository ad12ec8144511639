"""Content of the touch-screen kiosk: guided questions, 信访须知, attract messages, the legal-aid pre-check."""
