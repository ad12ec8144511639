import sys

from ui.kiosk.app import main

sys.exit(main())
