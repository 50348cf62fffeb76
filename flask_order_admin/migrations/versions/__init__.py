"""The plugin's Alembic revisions (branch ``order_admin``); Alembic reads these files, nothing imports them."""
