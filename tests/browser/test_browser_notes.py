"""Notes in Russian: the author edits a note (marked «изменён», its earlier text one click away) and deletes
another after the confirm screen («Комментарий удалён: who, when»); the order's last change moves each time."""

from __future__ import annotations

import pytest

from tests.browser.menus import follow
from tests.browser.test_browser_languages import SCREENSHOTS, walk  # noqa: F401  (the walk fixture)
from tests.browser.test_browser_phone import ARTIFACTS

pytestmark = pytest.mark.browser


def last_change(db_session, order_id):
    from flask_order_admin.models import Order

    db_session.expire_all()
    changed = db_session.get(Order, order_id).updated_at
    db_session.rollback()
    return changed


def write_note(page, text):
    page.fill("#comment-text", text)
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector(".alert-success:has-text('Комментарий добавлен')")


def note_entry(page, text):
    return page.locator(".order-admin-note-entry", has=page.locator(".order-admin-note", has_text=text))


@pytest.mark.parametrize("walk", ["ru"], indirect=True)
def test_edit_then_delete_a_note_in_russian(walk, new_order, db_session):  # noqa: F811
    page = walk.page
    order_id = new_order("processing", lines=1, language="ru")
    walk.open(f"/admin/orders/details/?id={order_id}&tab=comments")
    write_note(page, "Звонил покупателю, не отвечает")
    write_note(page, "Покупатель просит красный цвет")
    walk.typed += ["Звонил покупателю, не отвечает", "Покупатель просит красный цвет", "Покупатель просит синий цвет"]
    walk.check("comments tab with the author's notes")

    before = last_change(db_session, order_id)
    entry = note_entry(page, "красный")
    entry.locator("summary:has-text('Изменить')").click()
    entry.locator("textarea").fill("Покупатель просит синий цвет")
    entry.locator("button:has-text('Сохранить')").click()
    page.wait_for_selector(".alert-success:has-text('Комментарий изменён')")
    assert last_change(db_session, order_id) > before
    edited = note_entry(page, "синий")
    edited.locator(".order-admin-note-edited summary:has-text('изменён')").click()
    versions = edited.locator(".order-admin-note-version")
    versions.first.wait_for(state="visible")
    assert versions.all_inner_texts() == ["Покупатель просит красный цвет"]
    walk.check("comments tab after the edit")

    before = last_change(db_session, order_id)
    note_entry(page, "не отвечает").locator("a.order-admin-note-delete").click()
    page.wait_for_selector("#confirm-question")
    assert "Удалить этот комментарий?" in page.inner_text("#confirm-question")
    assert "Звонил покупателю, не отвечает" in page.inner_text("#note-to-delete")
    assert page.inner_text("#confirm-yes").strip() == "Удалить комментарий"
    walk.check("delete a note: the confirm screen")
    page.click("#confirm-yes")
    page.wait_for_selector(".alert-success:has-text('Комментарий удалён')")
    assert last_change(db_session, order_id) > before
    deleted = page.locator("#pane-comments .order-admin-note-deleted")
    assert deleted.count() == 1 and deleted.inner_text().startswith("Комментарий удалён: admin, ")
    assert "не отвечает" not in page.inner_text("#pane-comments")
    note_entry(page, "синий").locator(".order-admin-note-edited summary").click()
    walk.check("comments tab after the delete")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "comment-edit-ru.png"), full_page=True)

    walk.open(f"/admin/orders/details/?id={order_id}&tab=history")
    history = page.inner_text("#pane-history")
    assert "Покупатель просит синий цвет" in history and "Комментарий удалён: admin" in history
    walk.check("history tab with an edited and a deleted note")
    walk.assert_no_english()


@pytest.mark.parametrize("language", ["en", "ru", "zh_Hans"])
def test_the_edited_marker_follows_the_notes_time_on_its_line(page, base_url, new_order, language):
    """Issue 21: «изменён» stood on a line of its own under the note; it ends the author and time line (on the
    Comments tab) and the note's text (in the history), in every language."""
    order_id = new_order("processing", lines=1)
    page.goto(f"{base_url}/admin/?lang={language}")
    page.goto(f"{base_url}/admin/orders/details/?id={order_id}&tab=comments")
    for text in ("first words", "second words"):
        page.fill("#comment-text", text)
        follow(page, "#comment-form button[type=submit]")
        page.wait_for_selector(f"#pane-comments .order-admin-note:has-text('{text}')")
    entry = note_entry(page, "second words")
    entry.locator(".order-admin-note-edit summary").click()
    entry.locator("textarea").fill("second words, edited")
    # The page the form leads to, loaded (its styles applied) before anything is measured: a box read while
    # it was still arriving was 18 px high against 21 (a round under load).
    with page.expect_navigation():
        entry.locator("form button[type=submit]").click()
    edited = note_entry(page, "second words, edited")
    marker = edited.locator(".order-admin-note-meta .order-admin-note-edited summary")
    marker.wait_for()
    meta = edited.locator(".order-admin-note-meta").bounding_box()
    unedited = note_entry(page, "first words").locator(".order-admin-note-meta").bounding_box()
    box = marker.bounding_box()
    assert meta["height"] == unedited["height"]  # one line, as a note never edited
    assert meta["y"] <= box["y"] and box["y"] + box["height"] <= meta["y"] + meta["height"] + 1
    marker.click()
    versions = edited.locator(".order-admin-note-version")
    versions.first.wait_for(state="visible")
    assert versions.all_inner_texts() == ["second words"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#pane-comments").screenshot(path=str(ARTIFACTS / f"note-edited-{language}.png"))

    page.goto(f"{base_url}/admin/orders/details/?id={order_id}&tab=history")
    text = page.locator("#pane-history .order-admin-note", has_text="second words, edited")
    marker = page.locator("#pane-history .order-admin-note-edited summary")
    assert marker.count() == 1
    assert abs(marker.bounding_box()["y"] - text.bounding_box()["y"]) < text.bounding_box()["height"]
    page.locator("#pane-history").screenshot(path=str(ARTIFACTS / f"note-edited-history-{language}.png"))
