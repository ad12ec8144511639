"""A throw-away data folder, key and settings for the screenshot scripts: no real user data is read or written.

Call isolate() before the app's modules are imported: they resolve the data folder, key and QSettings from
these variables.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def isolate(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["RECEPTION_DATA_DIR"] = str(folder / "data")
    os.environ["RECEPTION_KEY_FILE"] = str(folder / "data.key")
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    os.environ.pop("RECEPTION_DB_URL", None)
    return folder
