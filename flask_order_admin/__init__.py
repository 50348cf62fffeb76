"""flask-order-admin: an order management panel for Flask-Admin."""

from .extension import OrderAdmin, OrderAdminState
from .panel import OrderPanel
from .store.order_models import Constant, MinorUnits, OrderModels, Through
from .services import session_work as _session_work  # noqa: F401  (sees the host's flushes from the start)
from .errors import OrderAdminConfigError

__version__ = "0.1.0"
__all__ = ["Constant", "MinorUnits", "OrderAdmin", "OrderAdminConfigError", "OrderAdminState", "OrderModels",
           "OrderPanel", "Through", "__version__"]
