"""Word lists the demo seed draws from: goods, buyers and managers' notes."""

from __future__ import annotations

from dataclasses import dataclass

CLOTHING_SIZES = (("S", "S码"), ("M", "M码"), ("L", "L码"), ("XL", "XL码"), ("One size", "均码"))
SHOE_SIZES = (("36", "36码"), ("37", "37码"), ("38", "38码"), ("39", "39码"), ("40", "40码"), ("42", "42码"))
NO_SIZE = ((None, None),)
COLORS = (
    ("Black", "黑色"), ("White", "白色"), ("Red", "红色"), ("Navy blue", "藏青色"), ("Beige", "米色"),
    ("Pink", "粉色"), ("Grey", "灰色"), ("Khaki", "卡其色"), ("Light blue", "浅蓝色"), ("Green", "绿色"),
)


@dataclass(frozen=True)
class Kind:
    title_en: str
    title_cn: str
    price_range: tuple[int, int]  # whole yuan
    sizes: tuple[tuple[str | None, str | None], ...]


KINDS = (
    Kind("Oversized hooded sweatshirt", "宽松加厚连帽卫衣女", (79, 189), CLOTHING_SIZES),
    Kind("Pleated midi skirt", "高腰百褶半身裙中长款", (59, 139), CLOTHING_SIZES),
    Kind("Linen summer dress", "法式复古亚麻连衣裙", (129, 329), CLOTHING_SIZES),
    Kind("Down jacket, short", "短款白鸭绒羽绒服", (299, 899), CLOTHING_SIZES),
    Kind("Running sneakers", "透气网面运动鞋跑步鞋", (149, 459), SHOE_SIZES),
    Kind("Canvas tote bag", "帆布单肩包大容量托特包", (39, 99), NO_SIZE),
    Kind("Wide-leg jeans", "直筒阔腿牛仔裤女", (89, 219), CLOTHING_SIZES),
    Kind("Cashmere scarf", "羊绒围巾秋冬保暖", (99, 399), NO_SIZE),
    Kind("Leather ankle boots", "真皮短靴马丁靴", (259, 699), SHOE_SIZES),
    Kind("Silk pillowcase", "真丝枕套桑蚕丝", (69, 169), NO_SIZE),
    Kind("Kids' raincoat \"Little <Duck>\" & boots", "儿童雨衣雨鞋套装 小黄鸭", (49, 129), CLOTHING_SIZES),
    Kind("Knitted cardigan", "慵懒风针织开衫毛衣外套", (99, 259), CLOTHING_SIZES),
)
TITLE_PREFIXES = ("2024秋冬新款 ", "2025春季新款 ", "官方旗舰店 ", "包邮 ", "", "ins风 ")

CHINESE_NAMES = ("王芳", "李伟", "张敏", "刘洋", "陈静", "杨磊", "赵丽", "黄勇", "周杰", "吴婷")
PINYIN_NAMES = ("Wang Fang", "Li Wei", "Zhang Min", "Liu Yang", "Chen Jing", "Zhou Xin")
LATIN_NAMES = (
    "Anna Petrova", "Maria Ivanova", "Olga Smirnova", "Ekaterina Volkova", "Dmitry Sokolov",
    "Irina Kuznetsova", "John Smith", "Emma Müller", "Lucas Martin", "Sofia Rossi", "Chloé Dubois",
    "Natalia Kowalska",
)
CN_CITIES = ("上海市浦东新区世纪大道", "北京市朝阳区建国路", "广州市天河区体育西路", "杭州市西湖区文三路")
LATIN_CITIES = (
    ("Tverskaya St", "Moscow 125009"), ("Nevsky Prospekt", "St Petersburg 191025"),
    ("Karl-Marx-Allee", "10243 Berlin"), ("Rue de Rivoli", "75004 Paris"), ("Baker Street", "London NW1 6XE"),
)

MANAGERS = ("admin", "olga.manager", "chen.buyer", "sveta.support")
COMMENTS = (
    "Buyer asked to double-check the size chart before buying.",
    "Seller confirmed the item is in stock, ships in 48 h.",
    "买家要求发货前拍照确认颜色。",
    "Paid via Alipay, payment received.",
    "Seller sent the wrong color; exchange requested.",
    "Customer wants everything in one parcel.",
    "卖家说尺码偏小，建议拍大一码。",
    "Called the buyer: the address is confirmed.",
)
CANCEL_REASONS = ("Buyer changed their mind.", "Seller out of stock.", "Payment not received in 3 days.")
