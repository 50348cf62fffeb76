"""flask-order-admin: an order management panel for Flask-Admin."""

from .extension import OrderAdmin, OrderAdminState
from .order_models import Constant, OrderModels, Through
from .settings import OrderAdminConfigError

__version__ = "0.1.0"
__all__ = ["Constant", "OrderAdmin", "OrderAdminConfigError", "OrderAdminState", "OrderModels", "Through",
           "__version__"]
