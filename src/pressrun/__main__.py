import sys

from pressrun.cli import main

sys.exit(main())
