"""Package marker so importlib.resources can reach resources/classification."""
