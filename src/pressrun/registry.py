"""Find exporters through the ``pressrun.exporters`` entry-point group (built-ins included)."""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from pressrun.errors import PressrunError

GROUP = "pressrun.exporters"


def available() -> dict[str, EntryPoint]:
    """Registered exporter names → entry points, without importing them."""
    return {ep.name: ep for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name)}


def load(names: list[str] | None = None) -> list[type]:
    """Exporter classes for ``names`` (all when None), in run order."""
    registered = available()
    wanted = names or list(registered)
    unknown = [n for n in wanted if n not in registered]
    if unknown:
        raise PressrunError(
            f"unknown format(s): {', '.join(unknown)}; available: {', '.join(registered) or 'none'}"
        )
    classes = []
    for name in dict.fromkeys(wanted):
        cls = registered[name].load()
        if getattr(cls, "name", None) != name:
            raise PressrunError(f"exporter entry point '{name}' loads {cls!r}, whose name is not '{name}'")
        classes.append(cls)
    return sorted(classes, key=lambda c: (c.order, c.name))
