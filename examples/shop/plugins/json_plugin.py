from .base import Plugin
from .mixins import ExportMixin


class JsonPlugin(Plugin, ExportMixin):
    """TypeError at import time: ExportMixin is a Plugin, so it must come
    first (no consistent method resolution order)."""
