"""The ledger sorts 名称 by pinyin: the stored key, its upkeep on edits, and the order in SQL."""

from __future__ import annotations

from pypinyin import lazy_pinyin
from sqlalchemy import select

from db.models import Business
from desktop.domain import businesses as B
from desktop.domain import divisions
from desktop.domain.textkeys import NAME_SORT_LEN, name_sort, pinyin

# Each in the place a clerk expects; 7-11 first, as digits come before every syllable.
IN_PINYIN_ORDER = [
    "7-11便利店",    # 7-11 bian li dian
    "阿强理发店",    # a qiang
    "百味餐厅",      # bai wei
    "陈氏修车行",    # chen shi
    "重庆小面馆",    # chong qing: pypinyin's phrase dictionary reads 重 as chong here
    "西安肉夹馍",    # xi an: the space ends the syllable xi...
    "先锋书店",      # xian: ...so xi an comes before xian
    "张记面馆",      # zhang ji
]


def test_the_key_is_spaced_lower_case_pinyin_then_the_name():
    assert pinyin("重庆小面馆") == "chong qing xiao mian guan"
    assert name_sort("7-11便利店") == "7-11 bian li dian\t7-11便利店"
    assert name_sort("KFC 肯德基") == "kfc ken de ji\tKFC 肯德基"
    assert name_sort("老王火锅店（解放路店）") == \
        "lao wang huo guo dian （ jie fang lu dian ）\t老王火锅店（解放路店）"
    assert name_sort("绿茶") == "lv cha\t绿茶"  # ü is typed as v, as in every pinyin IME
    # The tab sorts below the space: a name comes before the longer names it starts.
    assert name_sort("西") < name_sort("西安肉夹馍") < name_sort("先锋书店")
    # Names that read alike stay together, by their characters: 张 (U+5F20) before 章 (U+7AE0).
    assert name_sort("张记") < name_sort("章记") < name_sort("张记面馆")
    assert len(name_sort("庄" * 100)) == NAME_SORT_LEN
    assert Business.__table__.c.name_sort.type.length == NAME_SORT_LEN


def test_reading_word_by_word_gives_pypinyins_reading_of_the_whole_name():
    names = IN_PINYIN_ORDER + ["长沙臭豆腐", "中国银行营业厅", "乐器行", "音乐教室", "KFC 肯德基",
                               "老王火锅店（解放路店）", "7天酒店", "行长办公室", "单县羊汤"]
    for name in names:
        whole = " ".join(" ".join(lazy_pinyin(name, errors="default", strict=False)).split())
        assert pinyin(name) == whole.lower(), name


def _community(db) -> int:
    with db.transaction() as s:
        return divisions.create_community(s, "南山社区", user="tester")


def _create(db, community_id: int, name: str) -> B.BusinessRow:
    with db.transaction() as s:
        return B.create(s, B.BusinessInput(name=name, community_id=community_id, category="其他"),
                        user="tester")


def test_the_ledger_sorts_names_by_pinyin_both_ways_ties_by_id(any_db):
    cid = _community(any_db)
    ids: dict[str, list[int]] = {}
    for name in reversed(IN_PINYIN_ORDER + ["张记面馆"]):  # a second 张记面馆, another shop
        ids.setdefault(name, []).append(_create(any_db, cid, name).id)
    expected = [(n, i) for n in IN_PINYIN_ORDER for i in sorted(set(ids[n]))]
    query = B.BusinessQuery(community_id=cid, sort="name")
    with any_db.session() as s:
        assert [(r.name, r.id) for r in B.page(s, query, 0, 100)] == expected
        assert [(r.name, r.id) for r in B.page(s, query.with_sort("name", True), 0, 100)] == \
            expected[::-1]
        # Exports stream the list in the same order.
        assert [tuple(r) for r in s.execute(B.value_select(s, query, ["name", "id"]))] == expected


def test_renaming_a_business_moves_it(any_db):
    cid = _community(any_db)
    for name in ("百味餐厅", "陈氏修车行"):
        _create(any_db, cid, name)
    row = _create(any_db, cid, "阿强理发店")
    with any_db.transaction() as s:
        B.update(s, row.id, row.version, B.BusinessInput(**{**row.as_input().__dict__,
                                                              "name": "张强理发店"}))
    with any_db.session() as s:
        assert s.scalar(select(Business.name_sort).where(Business.id == row.id)) == \
            name_sort("张强理发店")
        names = [r.name for r in B.page(s, B.BusinessQuery(community_id=cid), 0, 10)]
    assert names == ["百味餐厅", "陈氏修车行", "张强理发店"]
