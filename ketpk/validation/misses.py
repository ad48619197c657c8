"""Known misses: (model id, study id, observation label) -> why the model misses it.

Only rows outside their band belong here; each reason names the evidence.
"""

from __future__ import annotations

KNOWN_MISSES: dict[tuple[str, str, str], str] = {}
