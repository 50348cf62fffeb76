"""Every ``ORDER_ADMIN_*`` configuration key, declared once: as a field of ``Settings``, with its default,
its check and its documentation (``CONFIG_KEYS`` lists them, read from the fields).

``load_settings`` reads them from ``app.config`` at ``init_app``; a wrong value
fails at start-up with an error naming the key.
"""

from __future__ import annotations

import copy
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, cast

from babel.numbers import is_currency

from .domain import DEFAULT_MERGE_MATRIX, NumberFormat, OrderStatus, normalize_matrix
from .domain.cancel_reasons import DEFAULT_CANCEL_REASONS, CancelReason, cancel_reasons
from .domain.export_columns import DEFAULT_COLUMN_SET, DEFAULT_COLUMNS, ColumnSet, Preset, column_set, presets
from .domain.merge import MergeMatrix
from .domain.messages import NC_, Message
from .errors import OrderAdminConfigError


# "all_exports": see every user's exports in My exports and download them (the audit view); without it a
# manager sees and downloads only their own. Only ORDER_ADMIN_ACCESS answering True grants it.
ACCESS_ACTIONS = ("view", "export", "cancel", "restore", "close", "merge", "unmerge", "comment", "all_exports")

# The default labels are the plugin's texts, shown in the manager's language; a host's own labels are shown as given.
DEFAULT_MENU_NAME = NC_("menu", "Orders")
DEFAULT_PROVIDERS: dict[str, str | Message] = {
    "taobao": NC_("goods provider", "Taobao"), "stock": NC_("goods provider", "Goods in stock"),
}


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _label(value: Any) -> str | Message:
    """A host's own text, shown as given, or the plugin's default, shown in the manager's language."""
    return value if isinstance(value, Message) else _text(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _positive_int(upper: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= upper:
            raise ValueError(f"must be a whole number from 1 to {upper}")
        return value

    return check


def _positive_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError("must be a number of seconds above 0")
    return float(value)


def _positive_hours(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError("must be a number of hours above 0")
    return float(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be True or False")
    return value


def _optional_callable(value: Any) -> Callable[..., Any] | None:
    if value is not None and not callable(value):
        raise ValueError("must be a callable or None")
    return cast("Callable[..., Any] | None", value)


def _callable(value: Any) -> Callable[..., Any]:
    if not callable(value):
        raise ValueError("must be a callable")
    return cast("Callable[..., Any]", value)


def default_actor_name(user: Any) -> str:
    """The user's ``username``, else ``name``, else ``email``, else their Flask-Login id."""
    for attribute in ("username", "name", "email"):
        value = getattr(user, attribute, None)
        if value:
            return str(value)
    return str(user.get_id())


def default_actor_id(user: Any) -> str:
    """The user's Flask-Login id (``get_id()``)."""
    return str(user.get_id())


def _providers(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or not value:
        raise ValueError('must be a non-empty mapping of code to label, e.g. {"taobao": "Taobao"}')
    for code, label in value.items():
        if not isinstance(code, str) or not code or len(code) > 32 or not isinstance(label, (str, Message)):
            raise ValueError(f"bad entry {code!r}: codes are strings of 1 to 32 characters, labels strings")
    return dict(value)


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not is_currency(value):
        raise ValueError('must be an ISO 4217 currency code Babel knows, e.g. "CNY", "RUB", "USD"')
    return value


def _status(value: Any) -> OrderStatus:
    return OrderStatus.parse(value)


def _prefix(value: Any) -> str:
    value = _text(value)
    if len(value) > 16 or any(ch.isdigit() or ch.isspace() for ch in value):
        raise ValueError("must be at most 16 characters, without digits or spaces")
    return cast("str", value)


def _formats(value: Any) -> tuple[str, ...]:
    formats = tuple(value) if isinstance(value, (list, tuple)) else None
    if not formats or any(f not in ("xls", "xlsx") for f in formats):
        raise ValueError('must be a non-empty tuple of "xls" and/or "xlsx"')
    return formats


EXPORT_RUNNERS = ("thread", "rq", "celery")


def _runner(value: Any) -> str:
    if value not in EXPORT_RUNNERS:
        raise ValueError('must be "thread" (a worker thread of the web process), "rq" (RQ on Redis) '
                         'or "celery" (Celery workers)')
    return cast("str", value)


def _redis_url(value: Any) -> str:
    value = _text(value)
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("must be a Redis URL, e.g. redis://127.0.0.1:6379/0")
    return cast("str", value)


def _queue_name(value: Any) -> str:
    value = _text(value)
    if not value or len(value) > 100 or not all(ch.isalnum() or ch in "_-.:" for ch in value):
        raise ValueError("must be 1 to 100 letters, digits and _ - . :")
    return cast("str", value)


def _names_an_object(value: str, *, attribute_required: bool) -> bool:
    """``"package.module:attribute"`` (the attribute optional unless ``attribute_required``)."""
    module, _, name = value.partition(":")
    return bool(module) and all(part.isidentifier() for part in module.split(".")) and (
        name.isidentifier() if name or attribute_required else True)


def _import_string(value: Any) -> str | None:
    if value is None:
        return None
    value = _text(value)
    if not _names_an_object(value, attribute_required=False):
        raise ValueError('must be "package.module:create_app" (a callable that returns the app) or "package.module:app"')
    return cast("str | None", value)


def _celery_app(value: Any) -> Any:
    """None, "module:attribute" (imported on first use) or the Celery app itself."""
    if value is None:
        return None
    if isinstance(value, str):
        if not _names_an_object(value, attribute_required=True):
            raise ValueError('must be "package.module:celery_app" or the Celery app itself')
        return value
    if importlib.util.find_spec("celery") is None or not isinstance(value, importlib.import_module("celery").Celery):
        raise ValueError('must be "package.module:celery_app" or the Celery app itself')
    return value


def _optional_broker_url(value: Any) -> str | None:
    if value is None:
        return None
    url = _text(value)
    scheme, separator, _ = url.partition("://")
    if not separator or not scheme or not all(ch.isalnum() or ch in "+-." for ch in scheme):
        raise ValueError('must be a Celery broker URL, e.g. "redis://127.0.0.1:6379/0" or "amqp://user:password@host//"')
    return url


def _optional_folder(value: Any) -> str | None:
    if value is None:
        return None
    value = _text(value) if not hasattr(value, "__fspath__") else str(value)
    if not value:
        raise ValueError("must be a folder path or None")
    return cast("str | None", value)


def _public_url(value: Any) -> str | None:
    if value is None:
        return None
    url = _text(value)
    scheme, _, rest = url.partition("://")
    if scheme not in ("http", "https") or not rest or rest.startswith("/") or any(ch.isspace() for ch in url):
        raise ValueError('must be the shop\'s address as its managers and agents reach it, e.g. "https://shop.example"')
    return url if url.endswith("/") else url + "/"


def _non_negative_int(upper: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= upper:
            raise ValueError(f"must be a whole number from 0 to {upper}")
        return value

    return check


def _preset_table(value: Any) -> Any:
    return value  # checked against the export columns when the presets are made (load_settings)


@dataclass(frozen=True)
class ConfigKey:
    name: str
    default: Any
    check: Callable[[Any], Any]
    doc: str


def setting(default: Any, check: Callable[[Any], Any], doc: str) -> Any:
    """A ``Settings`` field that is one configuration key: ``ORDER_ADMIN_`` + the field's name in capitals.

    The field's default is the checked default, so a default that fails its own check fails at import.
    """
    checked = check(default)
    metadata = {"default": default, "check": check, "doc": doc}
    if type(checked).__hash__ is None:  # a dict or list: each Settings gets its own copy
        return field(default_factory=lambda: copy.copy(checked), metadata=metadata)
    return field(default=checked, metadata=metadata)


def combined(default: Any, build: Callable[..., Any], *keys: ConfigKey) -> Any:
    """A ``Settings`` field made from several keys: ``build(*their checked values)``."""
    return field(default=default, metadata={"keys": keys, "build": build})


@dataclass(frozen=True)
class Settings:
    """The panel's settings: each field is one ``ORDER_ADMIN_*`` key (``setting``) or is made from a few
    (``combined``); ``load_settings`` reads and checks them all."""

    number_format: NumberFormat = combined(
        NumberFormat(), NumberFormat,
        ConfigKey("ORDER_ADMIN_NUMBER_PREFIX", "ORD-", _prefix, "Text before the zero-padded id in an order number."),
        ConfigKey("ORDER_ADMIN_NUMBER_WIDTH", 10, _positive_int(18), "Digits of the zero-padded id in an order number."),
    )
    providers: Mapping[str, str | Message] = setting(DEFAULT_PROVIDERS, _providers, "Goods providers: code → label.")
    currency: str = setting(
        "CNY", _currency, "Currency of the amounts of an order that names none (an order's own currency field wins).")
    show_timezone: bool = setting(
        True, _boolean,
        'Write the timezone after every time ("UTC+3"); False where every manager works in the shop\'s one zone.')
    merge_matrix: MergeMatrix = setting(
        DEFAULT_MERGE_MATRIX, normalize_matrix, "Added-order status → statuses of the basic orders it may be merged into.")
    merge_same_customer: bool = setting(
        True, _boolean,
        "Merge only orders of the same customer (equal customer_ref, or equal email where a ref is empty).")
    merge_result_status: OrderStatus = setting(
        OrderStatus.AWAITING_PAYMENT, _status, "Status the basic order gets after a merge.")
    cancel_reasons: tuple[CancelReason, ...] = setting(
        DEFAULT_CANCEL_REASONS, cancel_reasons,
        "Reasons a manager picks from (or Other, writing one) on the Cancel confirm screens: a list of strings; "
        "[]: written reasons only.")
    price_resolver: Callable[..., Any] | None = setting(
        None, _optional_callable,
        "callable(item, at) -> Price | None used by Restore; None: restore is refused with a message.")
    price_batch_resolver: Callable[..., Any] | None = setting(
        None, _optional_callable,
        "callable(items, at) -> {item id: Price | None} pricing all lines of an order in one call; "
        "instead of ORDER_ADMIN_PRICE_RESOLVER, not with it.")
    price_resolver_timeout: float = setting(
        10, _positive_number, "Seconds Restore waits for the price resolver before giving up.")
    price_resolver_workers: int = setting(
        2, _positive_int(64),
        "Most price resolver calls running at once in one process; a call that timed out keeps its place "
        "until it returns.")
    access: Callable[..., bool] | None = setting(
        None, _optional_callable,
        "callable(action, order) -> bool deciding who may view and run each action; "
        "None: any authenticated Flask-Login user.")
    actor_name: Callable[[Any], str] = setting(
        default_actor_name, _callable, "callable(user) -> str: how the order history names a logged-in Flask-Login user.")
    actor_id: Callable[[Any], str] = setting(
        default_actor_id, _callable,
        "callable(user) -> str: a logged-in Flask-Login user's stable identity, which owns their exports.")
    url: str = setting("orders", _text, "URL of the orders views under the Flask-Admin URL.")
    endpoint_prefix: str = setting("order_admin", _text, "Prefix of every endpoint the plugin registers.")
    menu_name: str | Message = setting(DEFAULT_MENU_NAME, _label, "Menu entry (or category) of the orders views.")
    menu_category: str | None = setting(None, _optional_text, "Flask-Admin menu category; None: a top-level entry.")
    search_limit: int = setting(50, _positive_int(500), "Most orders a search returns.")
    merge_candidates_limit: int = setting(100, _positive_int(1000), "Most orders the merge view offers.")
    export_max_rows: int = setting(200_000, _positive_int(10_000_000), "Most item rows one export may hold.")
    export_formats: tuple[str, ...] = setting(
        ("xls",), _formats, 'Export formats offered: "xls", and "xlsx" (needs XlsxWriter).')
    # The default column set comes first.
    export_presets: tuple[Preset, ...] = combined(
        presets({}, DEFAULT_COLUMN_SET), lambda columns, table: presets(table, columns),
        ConfigKey(
            "ORDER_ADMIN_EXPORT_COLUMNS", tuple(col.key for col in DEFAULT_COLUMNS), column_set,
            "Columns of an export: names (the 15 default ones; buyer_phone, buyer_email, order_date, status, "
            "comment, item_id, item_url) and the shop's own (header, callable(line)) pairs."),
        ConfigKey(
            "ORDER_ADMIN_EXPORT_PRESETS", {}, _preset_table,
            'Further column sets a manager picks from the export menu: key → {"label": ..., "columns": [...]}.'),
    )
    public_url: str | None = setting(
        None, _public_url,
        "The shop's address (https://shop.example) that relative item and photo URLs in exports are made absolute "
        "on; None: the address of the request that starts the export.")
    export_inline_rows: int = setting(
        5_000, _non_negative_int(1_000_000),
        "Exports of at most this many rows download at once; bigger ones run as background jobs (0: always a job).")
    export_runner: str = setting(
        "thread", _runner,
        'Where export jobs run: "thread" (worker threads of the web process), "rq" (RQ workers on Redis) '
        'or "celery" (Celery workers).')
    export_rq_redis_url: str = setting("redis://127.0.0.1:6379/0", _redis_url, 'Redis of the "rq" runner.')
    export_rq_queue: str = setting("order_admin_exports", _queue_name, 'RQ queue of the "rq" runner.')
    export_app_factory: str | None = setting(
        None, _import_string,
        '"module:create_app" the RQ or Celery worker calls (no arguments) to build this app; needed by the "rq" '
        'and "celery" runners.')
    export_celery_app: Any = setting(
        None, _celery_app,
        'The host\'s Celery app the "celery" runner sends jobs through: the app, or "module:attribute" '
        "(imported on first use); None: one made from ORDER_ADMIN_EXPORT_CELERY_BROKER_URL.")
    export_celery_broker_url: str | None = setting(
        None, _optional_broker_url,
        "Broker of a Celery app made for the exports, when there is no ORDER_ADMIN_EXPORT_CELERY_APP.")
    export_celery_queue: str = setting(
        "order_admin_exports", _queue_name, 'Celery queue of the "celery" runner (its workers must consume it).')
    export_storage: str | None = setting(
        None, _optional_folder, "Folder of finished export files; None: <instance folder>/order_admin_exports.")
    export_keep_hours: float = setting(
        24, _positive_hours, "Hours an export file stays downloadable before it is deleted.")
    export_stale_seconds: float = setting(
        120, _positive_number,
        "A running export that has not reported for this long is marked failed (its worker stopped).")
    export_queued_seconds: float = setting(
        900, _positive_number, "A queued export that no worker has started for this long is marked failed.")
    export_max_jobs_per_user: int = setting(
        2, _positive_int(100), "Export jobs one user may have queued or running at once.")
    export_max_jobs: int = setting(
        4, _positive_int(1000),
        "Export jobs the whole shop may have queued or running at once (also the thread runner's pool size).")
    status_count_budget: int = setting(
        250_000, _positive_int(1_000_000_000),
        "Rows the status pills may count exactly per list page; past it the biggest statuses show the planner's "
        "estimate.")
    bulk_action_limit: int = setting(
        1_000, _positive_int(100_000),
        "Most orders one bulk Cancel, Close or Restore may change (the ticked ones or all the filter matches).")
    sqlite_busy_timeout: float = setting(
        30, _positive_number, "On SQLite, seconds an action waits for another one's write lock before giving up.")
    comment_edit_minutes: int = setting(
        15, _non_negative_int(24 * 60),
        "Minutes after writing a note during which its author may edit or delete it (0: notes stay as written).")

    @property
    def export_columns(self) -> ColumnSet:
        return self.export_presets[0].columns

    def export_preset(self, key: str | None) -> Preset | None:
        """The preset of that key (None or "": the default one); None for an unknown key."""
        if not key:
            return self.export_presets[0]
        return next((preset for preset in self.export_presets if preset.key == key), None)

    def cancel_reason(self, value: str) -> CancelReason | None:
        """The listed reason the form posts as ``value``; None for one not listed (a forged or outdated post)."""
        return next((reason for reason in self.cancel_reasons if reason.value == value), None)

    def provider_label(self, code: str) -> str | Message:
        return self.providers.get(code, code)

    @property
    def has_price_resolver(self) -> bool:
        """Restore can recalculate prices (a resolver per item or a batch one is set)."""
        return self.price_resolver is not None or self.price_batch_resolver is not None


def _check_runner(values: Mapping[str, Any]) -> None:
    """What the queue runners need besides their own keys."""
    runner = values["ORDER_ADMIN_EXPORT_RUNNER"]
    if runner in ("rq", "celery") and values["ORDER_ADMIN_EXPORT_APP_FACTORY"] is None:
        worker = "RQ" if runner == "rq" else "Celery"
        raise OrderAdminConfigError(
            f'ORDER_ADMIN_EXPORT_APP_FACTORY: the "{runner}" runner needs it, e.g. "yourshop:create_app", '
            f"so that the {worker} worker can build the app"
        )
    if runner != "celery":
        return
    if importlib.util.find_spec("celery") is None:
        raise OrderAdminConfigError(
            'ORDER_ADMIN_EXPORT_RUNNER: the "celery" runner needs Celery: pip install "flask-order-admin[celery]"'
        )
    given = values["ORDER_ADMIN_EXPORT_CELERY_APP"] is not None, values["ORDER_ADMIN_EXPORT_CELERY_BROKER_URL"] is not None
    if given == (False, False):
        raise OrderAdminConfigError(
            'ORDER_ADMIN_EXPORT_CELERY_APP: the "celery" runner needs your Celery app ("yourshop.tasks:celery") '
            "or ORDER_ADMIN_EXPORT_CELERY_BROKER_URL to make one"
        )
    if given == (True, True):
        raise OrderAdminConfigError(
            "ORDER_ADMIN_EXPORT_CELERY_BROKER_URL: set either it or ORDER_ADMIN_EXPORT_CELERY_APP "
            "(whose broker is used), not both"
        )


def _key_name(attribute: str) -> str:
    return "ORDER_ADMIN_" + attribute.upper()


def _config_keys() -> tuple[ConfigKey, ...]:
    keys: list[ConfigKey] = []
    for settings_field in fields(Settings):
        meta = settings_field.metadata
        if "check" in meta:
            keys.append(ConfigKey(_key_name(settings_field.name), meta["default"], meta["check"], meta["doc"]))
        keys.extend(meta.get("keys", ()))
    return tuple(keys)


# Every key, in the order of the Settings fields that declare them.
CONFIG_KEYS = _config_keys()


def _checked(key: ConfigKey, config: Mapping[str, Any]) -> Any:
    raw = config.get(key.name, key.default)
    try:
        return key.check(raw)
    except (ValueError, TypeError) as exc:
        raise OrderAdminConfigError(f"{key.name}: {exc} (got {raw!r})") from None


def load_settings(config: Mapping[str, Any]) -> Settings:
    """The settings from ``app.config``: every key checked, then the checks that involve several keys."""
    unknown = sorted(k for k in config if k.startswith("ORDER_ADMIN_") and k not in {c.name for c in CONFIG_KEYS})
    # Test-only variables live in the environment, never in app.config; anything else is a typo.
    unknown = [k for k in unknown if not k.startswith("ORDER_ADMIN_TEST_")]
    values = {key.name: _checked(key, config) for key in CONFIG_KEYS}
    if unknown:
        raise OrderAdminConfigError(f"{unknown[0]}: unknown setting (known: see docs/configuration.md)")
    _check_runner(values)
    result_status = values["ORDER_ADMIN_MERGE_RESULT_STATUS"]
    if result_status not in values["ORDER_ADMIN_MERGE_MATRIX"]:
        raise OrderAdminConfigError(
            f"ORDER_ADMIN_MERGE_RESULT_STATUS: {result_status.value!r} is not a row of ORDER_ADMIN_MERGE_MATRIX, "
            "so a merged order could never be merged again"
        )
    if values["ORDER_ADMIN_PRICE_RESOLVER"] is not None and values["ORDER_ADMIN_PRICE_BATCH_RESOLVER"] is not None:
        raise OrderAdminConfigError(
            "ORDER_ADMIN_PRICE_BATCH_RESOLVER: set either it or ORDER_ADMIN_PRICE_RESOLVER (one item per call), "
            "not both"
        )
    arguments: dict[str, Any] = {}
    for settings_field in fields(Settings):
        meta = settings_field.metadata
        if "check" in meta:
            arguments[settings_field.name] = values[_key_name(settings_field.name)]
        elif "keys" in meta:
            keys = meta["keys"]
            try:
                arguments[settings_field.name] = meta["build"](*(values[key.name] for key in keys))
            except ValueError as exc:  # the keys disagree: named by the last, which refers to the others
                raise OrderAdminConfigError(f"{keys[-1].name}: {exc}") from None
    return Settings(**arguments)


DEFAULT_SETTINGS = load_settings({})
