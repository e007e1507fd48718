"""Synthetic Chinese names for the demo: surname + given name, by sex and birth cohort. Pure.

The lists are common names of north-east Sichuan (达州) by generation: older people carry the
names of their time (秀英, 德明), children born after 2000 the names of theirs (梓涵, 浩然).
Characters with two common readings (长, 乐, 朝, 曾, 单 …) are left out so that the pinyin
initials used by search are unambiguous.
"""

from __future__ import annotations

import itertools
import random

# (surname, weight): roughly the frequency in 达州's villages.
_SURNAMES: tuple[tuple[str, int], ...] = (
    ("张", 9), ("王", 8), ("李", 8), ("刘", 7), ("陈", 7), ("杨", 5), ("何", 4), ("唐", 4), ("邓", 4),
    ("蒋", 3), ("冉", 3), ("向", 3), ("谭", 3), ("黄", 3), ("周", 3), ("罗", 3), ("赵", 3), ("吴", 2),
    ("胡", 2), ("彭", 2), ("徐", 2), ("谢", 2), ("郑", 2), ("朱", 2), ("袁", 2), ("杜", 2), ("廖", 2),
    ("任", 2), ("余", 2), ("付", 2), ("田", 2), ("肖", 2), ("熊", 1), ("龚", 1), ("钟", 1), ("邱", 1),
    ("秦", 1), ("贺", 1), ("文", 1), ("苟", 1), ("龙", 1), ("严", 1), ("雷", 1), ("江", 1), ("侯", 1),
    ("韩", 1), ("魏", 1), ("丁", 1), ("程", 1), ("冯", 1), ("姚", 1), ("石", 1), ("易", 1), ("汤", 1),
    ("傅", 1), ("黎", 1), ("孙", 1), ("马", 1), ("汪", 1), ("欧阳", 1),
)  # fmt: skip

SURNAMES: tuple[str, ...] = tuple(s for s, _w in _SURNAMES)
_SURNAME_CUM: tuple[int, ...] = tuple(itertools.accumulate(w for _s, w in _SURNAMES))

_MALE: dict[str, tuple[str, ...]] = {
    "old": (
        "德明", "德华", "国华", "国清", "永清", "树林", "茂林", "宗富", "光荣", "文高", "明德", "清泉",
        "中华", "玉林", "世昌", "正清", "绍华", "志和", "远山", "登高", "福寿", "有才", "家和", "克勤",
        "万春", "安民", "学文", "仕林", "开明", "成富", "云清", "昌明", "廷富", "代富",
    ),
    "mid": (
        "建国", "建华", "国强", "卫东", "红军", "志强", "建军", "勇", "军", "平", "林", "华", "明", "刚",
        "斌", "波", "洪", "建平", "小平", "春林", "德勇", "光明", "文军", "学军", "永红", "兴华", "世军",
        "立新", "胜利", "跃进", "大兵", "先富",
    ),
    "young": (
        "伟", "强", "磊", "涛", "鹏", "杰", "俊", "浩", "超", "亮", "宇", "翔", "洋", "辉", "海波", "小龙",
        "志勇", "建波", "俊杰", "文涛", "晓东", "海涛", "鹏飞", "小军", "正阳", "林峰", "小兵", "成刚",
    ),
    "child": (
        "浩然", "宇轩", "子豪", "博文", "浩宇", "子轩", "睿", "一鸣", "家豪", "思远", "天佑", "晨阳",
        "嘉豪", "泽宇", "皓轩", "明轩", "宇航", "锦程", "鑫", "凯", "航", "雨泽", "俊熙", "梓睿", "子墨",
        "奕辰", "宏宇", "文博",
    ),
}  # fmt: skip

_FEMALE: dict[str, tuple[str, ...]] = {
    "old": (
        "秀英", "桂兰", "玉兰", "淑珍", "秀珍", "素华", "翠英", "桂芳", "秀兰", "凤英", "玉珍", "素芳",
        "德英", "仕珍", "明秀", "玉芳", "桂英", "兰英", "秀华", "春兰", "菊花", "金秀", "银秀", "翠兰",
        "碧华", "淑芬", "光秀", "清秀", "永秀", "德芳", "世英", "大秀",
    ),
    "mid": (
        "小红", "红梅", "丽华", "建英", "春梅", "秀琼", "小琼", "琼", "英", "芳", "敏", "萍", "燕", "霞",
        "蓉", "慧", "玲", "红", "丽", "小燕", "晓梅", "春燕", "海燕", "德琼", "碧琼", "明芳", "国英",
        "素琼", "成英", "远琼",
    ),
    "young": (
        "静", "艳", "娟", "婷", "倩", "雪", "莉", "琳", "丹", "晶", "佳", "欢", "梅", "媛", "小丽", "晓燕",
        "雪梅", "丽娟", "春艳", "小琴", "思琪", "雨婷", "文静", "小芳", "玉洁", "晓琴",
    ),
    "child": (
        "欣怡", "梓涵", "子涵", "诗涵", "雨涵", "梓萱", "可馨", "思彤", "佳怡", "一诺", "语嫣", "雨欣",
        "紫涵", "欣妍", "若曦", "诗琪", "佳琪", "婉婷", "心怡", "梦瑶", "思雨", "嘉怡", "梓琪", "雅琪",
        "馨月", "语桐", "依诺", "晨曦",
    ),
}  # fmt: skip


def _era(birth_year: int) -> str:
    if birth_year <= 1950:
        return "old"
    if birth_year <= 1975:
        return "mid"
    if birth_year <= 1995:
        return "young"
    return "child"


def random_surname(rng: random.Random) -> str:
    return rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]


def random_given_name(rng: random.Random, *, male: bool, birth_year: int) -> str:
    pool = (_MALE if male else _FEMALE)[_era(birth_year)]
    return pool[rng.randrange(len(pool))]


def random_full_name(
    rng: random.Random, *, male: bool, birth_year: int, surname: str | None = None, avoid: frozenset[str] = frozenset()
) -> str:
    """A full name; `avoid` holds names already used in the household (siblings differ)."""
    family = surname or random_surname(rng)
    for _attempt in range(8):
        name = family + random_given_name(rng, male=male, birth_year=birth_year)
        if name not in avoid:
            return name
    return name


_VILLAGE_FIRST = "青双石白龙金狮高柏新凤黄桂松竹花大小团红永太明玉碧茶兴胜安"
_VILLAGE_SECOND = "龙河桥鹤泉竹子峰林坪湾山坝岩塘沟岭园家庙田垭"


def synthetic_village_name(index: int) -> str:
    """A plausible village name, deterministic by index (青龙村, 双河村 …); the two characters cycle independently."""
    first = _VILLAGE_FIRST[index % len(_VILLAGE_FIRST)]
    second = _VILLAGE_SECOND[(index // len(_VILLAGE_FIRST)) % len(_VILLAGE_SECOND)]
    return f"{first}{second}村"


def synthetic_community_name(township_name: str) -> str:
    stem = township_name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
    return f"{stem[:2]}社区"
