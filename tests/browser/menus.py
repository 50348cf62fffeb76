"""Bootstrap dropdowns in the browser tests: open one, and wait until it is open, before clicking into it.

A click on a toggle does nothing until Bootstrap's script has run, and the script runs at the end of the page:
a click on a toggle that a page still loading already shows is lost, and a test waiting for an entry then
waits for nothing (tests/browser/test_browser_legacy.py once waited 10 s for "Restore" that way). So the
toggle is awaited first (then it is on the page a click just navigated to, not on the one being left), then
the page's load, then one click; the menu's class ``show`` is the proof that the click was taken.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

SHOWN = re.compile(r"(^|\s)show(\s|$)")
# The toggle's menu: Bootstrap's markup puts it right after the toggle, in the same parent.
MENU_OF_TOGGLE = "xpath=following-sibling::*[contains(concat(' ', normalize-space(@class), ' '), ' dropdown-menu ')][1]"


def open_menu(page: Any, toggle: str) -> Any:
    """Open the dropdown whose toggle ``toggle`` selects; its menu (a locator), open."""
    button = page.locator(toggle)
    button.wait_for(state="visible")
    page.wait_for_load_state("load")
    button.click()
    menu = button.locator(MENU_OF_TOGGLE)
    expect(menu).to_have_class(SHOWN, timeout=10_000)
    return menu


def pick_from_menu(page: Any, toggle: str, entry: str) -> None:
    """Open the dropdown, then click its entry ``entry`` (a selector inside the menu) once it is visible."""
    item = open_menu(page, toggle).locator(entry)
    expect(item).to_be_visible(timeout=10_000)
    item.click()


def choose_order_action(page: Any, action: str) -> None:
    """The order page's "Order actions" menu, then the enabled entry for ``action``."""
    pick_from_menu(page, "#order-actions", f"a.dropdown-item[data-action={action}]")
