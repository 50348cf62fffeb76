"""Bootstrap dropdowns and tabs in the browser tests: open one, and wait until it is open, before going on.

A click on a toggle does nothing until Bootstrap's script has run, and the script runs at the end of the page:
a click on a toggle that a page still loading already shows is lost, and a test waiting for an entry then
waits for nothing (tests/browser/test_browser_legacy.py once waited 10 s for "Restore" that way). So the
toggle is awaited first (then it is on the page a click just navigated to, not on the one being left), then
the page's load, then one click; the menu's class ``show`` is the proof that the click was taken. The order
page's tabs likewise: a click before the script follows the tab's link and loads the page anew, under the
next step's feet.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

SHOWN = re.compile(r"(^|\s)show(\s|$)")
ACTIVE = re.compile(r"(^|\s)active(\s|$)")
# The toggle's menu: Bootstrap's markup puts it right after the toggle, in the same parent.
MENU_OF_TOGGLE = "xpath=following-sibling::*[contains(concat(' ', normalize-space(@class), ' '), ' dropdown-menu ')][1]"


def click_when_loaded(page: Any, selector: str) -> Any:
    """Click what ``selector`` selects once the page showing it has run its scripts; its locator."""
    button = page.locator(selector)
    button.wait_for(state="visible")
    page.wait_for_load_state("load")
    button.click()
    return button


def follow(page: Any, selector: str) -> None:
    """Click the link or button ``selector`` selects (once its page has loaded) and return once the page it
    leads to has loaded: a reading right after a bare click may read the page being left (its URL, its
    ``#order-title``, a list that is still the old one) or the database before the request ran."""
    with page.expect_navigation():
        click_when_loaded(page, selector)


def submit_search(page: Any, box: str, text: str) -> None:
    """Type ``text`` into the search box ``box`` and press Enter; returns once the page it leads to has loaded."""
    page.fill(box, text)
    with page.expect_navigation():
        page.press(box, "Enter")


def open_menu(page: Any, toggle: str) -> Any:
    """Open the dropdown whose toggle ``toggle`` selects; its menu (a locator), open."""
    button = click_when_loaded(page, toggle)
    menu = button.locator(MENU_OF_TOGGLE)
    expect(menu).to_have_class(SHOWN, timeout=10_000)
    return menu


def pick_from_menu(page: Any, toggle: str, entry: str) -> None:
    """Open the dropdown, then click its entry ``entry`` (a selector inside the menu) once it is visible."""
    item = open_menu(page, toggle).locator(entry)
    expect(item).to_be_visible(timeout=10_000)
    item.click()


def choose_order_action(page: Any, action: str) -> None:
    """The order page's "Order actions" menu, then the enabled entry for ``action``; returns once the page it
    leads to has loaded (a reading right after the click would read a page still arriving: a merge's
    candidates once counted 0). Export is a download, no page: it returns after the click."""
    if action == "export":
        pick_from_menu(page, "#order-actions", "a.dropdown-item[data-action=export]")
        return
    with page.expect_navigation():
        pick_from_menu(page, "#order-actions", f"a.dropdown-item[data-action={action}]")


def open_tab(page: Any, tab: str) -> Any:
    """Show the order page's tab ``tab`` (items, history, comments) in place; its pane (a locator), shown."""
    link = click_when_loaded(page, f"#tab-{tab}")
    expect(link).to_have_class(ACTIVE, timeout=10_000)
    pane = page.locator(f"#pane-{tab}")
    expect(pane).to_be_visible(timeout=10_000)
    return pane
