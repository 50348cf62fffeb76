"""flask-order-admin: an order management panel for Flask-Admin."""

from .extension import OrderAdmin, OrderAdminState
from .settings import OrderAdminConfigError

__version__ = "0.1.0"
__all__ = ["OrderAdmin", "OrderAdminConfigError", "OrderAdminState", "__version__"]
