"""Where the scripts of this folder keep what they install, embed and score: outside the repository."""

import os
from pathlib import Path

# Encoders (pip install --target WORK/enc/<name>), embeddings (WORK/cache) and results (WORK/results).
WORK = Path(os.environ.get("THEME_ENCODERS_WORK") or Path.home() / ".cache" / "policylens-theme-encoders")
