"""Word lists the demo seeds draw from: goods, buyers and managers' notes, in the demo's language.

What the marketplace writes (a listing's Chinese title, its 颜色分类 and 尺码) is Chinese in every language;
what the shop writes (the buyers, the colour and size it shows, comments, cancel reasons, the title's
translation) is in the demo's language: ``words("ru")``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

ONE_SIZE = "均码"
# (size as the shop shows it, the marketplace's 尺码); the shop's "one size" is in the demo's language.
CLOTHING_SIZES = (("S", "S码"), ("M", "M码"), ("L", "L码"), ("XL", "XL码"), (ONE_SIZE, ONE_SIZE))
SHOE_SIZES = (("36", "36码"), ("37", "37码"), ("38", "38码"), ("39", "39码"), ("40", "40码"), ("42", "42码"))
NO_SIZE = ((None, None),)
COLORS_CN = ("黑色", "白色", "红色", "藏青色", "米色", "粉色", "灰色", "卡其色", "浅蓝色", "绿色")


@dataclass(frozen=True)
class Kind:
    title_cn: str
    titles: dict[str, str]  # the shop's translation of the listing, by demo language (Chinese needs none)
    price_range: tuple[int, int]  # whole yuan
    sizes: tuple[tuple[str | None, str | None], ...]


KINDS = (
    Kind("宽松加厚连帽卫衣女", {"en": "Oversized hooded sweatshirt", "ru": "Толстовка оверсайз с капюшоном"},
         (79, 189), CLOTHING_SIZES),
    Kind("高腰百褶半身裙中长款", {"en": "Pleated midi skirt", "ru": "Плиссированная юбка миди"}, (59, 139), CLOTHING_SIZES),
    Kind("法式复古亚麻连衣裙", {"en": "Linen summer dress", "ru": "Льняное летнее платье"}, (129, 329), CLOTHING_SIZES),
    Kind("短款白鸭绒羽绒服", {"en": "Down jacket, short", "ru": "Пуховик короткий"}, (299, 899), CLOTHING_SIZES),
    Kind("透气网面运动鞋跑步鞋", {"en": "Running sneakers", "ru": "Беговые кроссовки"}, (149, 459), SHOE_SIZES),
    Kind("帆布单肩包大容量托特包", {"en": "Canvas tote bag", "ru": "Сумка-шопер из холста"}, (39, 99), NO_SIZE),
    Kind("直筒阔腿牛仔裤女", {"en": "Wide-leg jeans", "ru": "Широкие джинсы"}, (89, 219), CLOTHING_SIZES),
    Kind("羊绒围巾秋冬保暖", {"en": "Cashmere scarf", "ru": "Кашемировый шарф"}, (99, 399), NO_SIZE),
    Kind("真皮短靴马丁靴", {"en": "Leather ankle boots", "ru": "Кожаные ботинки"}, (259, 699), SHOE_SIZES),
    Kind("真丝枕套桑蚕丝", {"en": "Silk pillowcase", "ru": "Шёлковая наволочка"}, (69, 169), NO_SIZE),
    # Quotes, <, > and & in a title: every page and file must show them as written.
    Kind("儿童雨衣雨鞋套装 小黄鸭", {"en": "Kids' raincoat \"Little <Duck>\" & boots",
                               "ru": "Детский дождевик «Утёнок <Кряк>» & сапожки"}, (49, 129), CLOTHING_SIZES),
    Kind("慵懒风针织开衫毛衣外套", {"en": "Knitted cardigan", "ru": "Вязаный кардиган"}, (99, 259), CLOTHING_SIZES),
)
TITLE_PREFIXES = ("2024秋冬新款 ", "2025春季新款 ", "官方旗舰店 ", "包邮 ", "", "ins风 ")

CHINESE_NAMES = ("王芳", "李伟", "张敏", "刘洋", "陈静", "杨磊", "赵丽", "黄勇", "周杰", "吴婷")
MORE_CHINESE_NAMES = ("孙悦", "马超", "朱琳", "胡斌", "郭晓燕", "林志强", "何雪", "高峰", "罗佳怡", "郑浩")
PINYIN_NAMES = ("Wang Fang", "Li Wei", "Zhang Min", "Liu Yang", "Chen Jing", "Zhou Xin")
LATIN_NAMES = (
    "Anna Petrova", "Maria Ivanova", "Olga Smirnova", "Ekaterina Volkova", "Dmitry Sokolov",
    "Irina Kuznetsova", "John Smith", "Emma Müller", "Lucas Martin", "Sofia Rossi", "Chloé Dubois",
    "Natalia Kowalska",
)
# A Russian buyer's name, with the Latin first name their email starts with.
RUSSIAN_NAMES = (
    ("Анна Петрова", "anna"), ("Мария Иванова", "maria"), ("Ольга Смирнова", "olga"),
    ("Екатерина Волкова", "ekaterina"), ("Дмитрий Соколов", "dmitry"), ("Ирина Кузнецова", "irina"),
    ("Алексей Морозов", "alexey"), ("Наталья Лебедева", "natalia"), ("Сергей Козлов", "sergey"),
    ("Юлия Новикова", "yulia"), ("Пётр Фёдоров", "petr"), ("Ксения Орлова", "ksenia"),
    ("Татьяна Семёнова", "tatiana"), ("Андрей Павлов", "andrey"), ("Светлана Зайцева", "svetlana"),
    ("Елена Соловьёва", "elena"),
)
CN_CITIES = ("上海市浦东新区世纪大道", "北京市朝阳区建国路", "广州市天河区体育西路", "杭州市西湖区文三路")
MORE_CN_CITIES = ("深圳市南山区科技园南路", "成都市锦江区春熙路", "南京市鼓楼区中山北路", "武汉市江汉区解放大道")
LATIN_CITIES = (
    ("Tverskaya St", "Moscow 125009"), ("Nevsky Prospekt", "St Petersburg 191025"),
    ("Karl-Marx-Allee", "10243 Berlin"), ("Rue de Rivoli", "75004 Paris"), ("Baker Street", "London NW1 6XE"),
)
# (postcode and city, street), as a Russian address starts.
RUSSIAN_STREETS = (
    ("125009, г. Москва", "ул. Тверская"), ("191025, г. Санкт-Петербург", "Невский пр-т"),
    ("620014, г. Екатеринбург", "ул. Малышева"), ("630099, г. Новосибирск", "Красный пр-т"),
    ("420111, г. Казань", "ул. Баумана"), ("690091, г. Владивосток", "ул. Светланская"),
    ("344002, г. Ростов-на-Дону", "ул. Большая Садовая"),
)

MANAGERS = ("admin", "olga.manager", "chen.buyer", "sveta.support")


def chinese_phone(rng: random.Random) -> str:
    return f"+86 1{rng.randint(30, 89)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"


def russian_phone(rng: random.Random) -> str:
    return f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"


def chinese_address(cities: tuple[str, ...]) -> Callable[[random.Random], str]:
    return lambda rng: f"{rng.choice(cities)}{rng.randint(1, 999)}号 {rng.randint(1, 30)}楼"


def latin_address(rng: random.Random) -> str:
    street, city = rng.choice(LATIN_CITIES)
    return f"{rng.randint(1, 120)} {street}, apt {rng.randint(1, 200)}, {city}"


def russian_address(rng: random.Random) -> str:
    city, street = rng.choice(RUSSIAN_STREETS)
    return f"{city}, {street}, д. {rng.randint(1, 120)}, кв. {rng.randint(1, 200)}"


@dataclass(frozen=True)
class BuyerGroup:
    """Buyers alike: where they live, how their names, phones and emails look."""

    names: tuple[str, ...]
    phone: Callable[[random.Random], str]
    address: Callable[[random.Random], str]
    email: Callable[[str, int], str]  # (name, buyer's number) -> email


def _latin_email(name: str, n: int) -> str:
    return f"{name.split()[0].lower()}.{n:03d}@example.com"


RUSSIAN_EMAIL_NAMES = dict(RUSSIAN_NAMES)


@dataclass(frozen=True)
class DemoWords:
    """What the shop writes, in one demo language."""

    language: str
    buyer_groups: tuple[BuyerGroup, ...]  # buyer n belongs to group n % len(buyer_groups)
    colors: dict[str, str]  # the marketplace's 颜色分类 -> the colour the shop shows
    one_size: str
    comments: tuple[str, ...]
    cancel_reasons: tuple[str, ...]

    def title(self, prefix: str, kind: Kind) -> str:
        """A listing's title: the marketplace's Chinese, then the shop's translation (none in Chinese)."""
        translation = kind.titles.get(self.language)
        return f"{prefix}{kind.title_cn} {translation}" if translation else f"{prefix}{kind.title_cn}"

    def size(self, size: str | None) -> str | None:
        return self.one_size if size == ONE_SIZE else size


CHINESE_BUYERS = BuyerGroup(CHINESE_NAMES, chinese_phone, chinese_address(CN_CITIES),
                            lambda name, n: f"buyer{n:03d}@example.cn")
ENGLISH = DemoWords(
    "en",
    (
        CHINESE_BUYERS,
        BuyerGroup(PINYIN_NAMES, russian_phone, latin_address, _latin_email),
        BuyerGroup(LATIN_NAMES, russian_phone, latin_address, _latin_email),
    ),
    dict(zip(COLORS_CN, ("Black", "White", "Red", "Navy blue", "Beige", "Pink", "Grey", "Khaki", "Light blue",
                         "Green"), strict=True)),
    "One size",
    (
        "Buyer asked to double-check the size chart before buying.",
        "Seller confirmed the item is in stock, ships in 48 h.",
        "买家要求发货前拍照确认颜色。",
        "Paid via Alipay, payment received.",
        "Seller sent the wrong color; exchange requested.",
        "Customer wants everything in one parcel.",
        "卖家说尺码偏小，建议拍大一码。",
        "Called the buyer: the address is confirmed.",
    ),
    ("Buyer changed their mind.", "Seller out of stock.", "Payment not received in 3 days."),
)
RUSSIAN = DemoWords(
    "ru",
    (BuyerGroup(tuple(name for name, _ in RUSSIAN_NAMES), russian_phone, russian_address,
                lambda name, n: f"{RUSSIAN_EMAIL_NAMES[name]}.{n:03d}@example.ru"),),
    dict(zip(COLORS_CN, ("Чёрный", "Белый", "Красный", "Тёмно-синий", "Бежевый", "Розовый", "Серый", "Хаки",
                         "Голубой", "Зелёный"), strict=True)),
    "Единый размер",
    (
        "Покупательница просит перед выкупом сверить размерную сетку.",
        "Продавец подтвердил наличие, отправка в течение 48 часов.",
        "Попросили продавца сфотографировать цвет перед отправкой.",
        "Оплата через СБП получена.",
        "Продавец прислал не тот цвет, запросили обмен.",
        "Покупатель просит собрать всё в одну посылку.",
        "Продавец говорит, что размер маломерит: советуем брать на размер больше.",
        "Созвонились с покупателем, адрес подтверждён.",
    ),
    ("Покупатель передумал.", "Нет в наличии у продавца.", "Оплата не поступила за 3 дня."),
)
CHINESE = DemoWords(
    "zh_Hans",
    (BuyerGroup(CHINESE_NAMES + MORE_CHINESE_NAMES, chinese_phone, chinese_address(CN_CITIES + MORE_CN_CITIES),
                lambda name, n: f"buyer{n:03d}@example.cn"),),
    {color: color for color in COLORS_CN},
    ONE_SIZE,
    (
        "买家要求购买前再核对一下尺码表。",
        "卖家确认有货，48小时内发货。",
        "买家要求发货前拍照确认颜色。",
        "已通过支付宝付款，款项已到账。",
        "卖家发错颜色，已申请换货。",
        "客户希望所有商品合并成一个包裹。",
        "卖家说尺码偏小，建议拍大一码。",
        "已致电买家，地址已确认。",
    ),
    ("买家不想要了。", "卖家缺货。", "3天内未收到付款。"),
)
DEMO_WORDS = {words.language: words for words in (ENGLISH, RUSSIAN, CHINESE)}


def words(language: str) -> DemoWords:
    """The demo's words in ``language`` (en, ru or zh_Hans)."""
    return DEMO_WORDS[language]
