"""The plugin's catalogs (gettext domain ``flask_order_admin``); ``make catalogs`` updates them."""
