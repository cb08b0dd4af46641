"""Compile the French catalogues (.po -> .mo) whenever the package is built or installed, editable installs too."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueHook(BuildHookInterface):  # type: ignore[misc]
    """Write ``httplab/locale/<lang>/LC_MESSAGES/<domain>.mo`` next to each ``.po`` and ship it."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile each catalogue and add its .mo to the build."""
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po in sorted((root / "httplab" / "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle)
            out = io.BytesIO()
            write_mo(out, catalog, use_fuzzy=False)
            po.with_suffix(".mo").write_bytes(out.getvalue())
            build_data["artifacts"].append(str(po.with_suffix(".mo").relative_to(root)))
