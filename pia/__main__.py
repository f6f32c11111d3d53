import sys

from pia.cli import main

sys.exit(main())
