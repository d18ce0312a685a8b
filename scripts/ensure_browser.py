"""Before `make test`: install Debian's Chromium for the browser test when we can (root + apt).

Without it the browser test skips with a reason, unless CINE_REQUIRE_BROWSER=1 (CI), where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def main() -> int:
    if shutil.which("chromium"):
        return 0
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("note: chromium not installed; the browser test will be skipped", file=sys.stderr)
        return 0
    print("Installing Debian's chromium for the browser test (one time)...", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    result = subprocess.run(["apt-get", "install", "-y", "-qq", "chromium", "fonts-noto-color-emoji"], env=env, check=False,
                            stdout=subprocess.DEVNULL)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
