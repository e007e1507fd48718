"""The columns of the onboarding spreadsheet (存量对象导入表): one row per person, the rows of a
household sharing its 户编号 (the office's own household number). Household columns (village,
address, account, the dibao case) are filled on the head's row; other rows may leave them empty.

Pure: the same `Field` shapes as the agencies' files, so the same reading, column matching and cell
checks serve both (`jiuzhu.verification.rules`).
"""

from __future__ import annotations

from jiuzhu.registry.choices import DisabilityCategory, HukouType, Relation, Supporter, WorkAbility
from jiuzhu.verification.sources import ID_ALIASES, Field, FieldKind

# Its column is required, its cell is not: a blank one continues the household above (merged cells).
HOUSEHOLD_KEY = Field("household_key", "户编号", FieldKind.TEXT, False, ("户号", "台账户号", "家庭编号", "户序号"))
REQUIRED_COLUMNS = (HOUSEHOLD_KEY,)
NAME = Field("name", "姓名", FieldKind.TEXT, True, ("成员姓名", "人员姓名"))
ID_NUMBER = Field("id_number", "身份证号", FieldKind.ID_NUMBER, True, ID_ALIASES)
RELATION = Field(
    "relation", "与户主关系", FieldKind.CHOICE, True, ("关系", "与户主的关系"),
    choices=(
        (Relation.HEAD, ("户主", "本人")),
        (Relation.SPOUSE, ("配偶", "妻", "夫", "妻子", "丈夫")),
        (Relation.CHILD, ("子女", "子", "女", "儿子", "女儿", "长子", "次子", "长女", "次女")),
        (Relation.CHILD_IN_LAW, ("儿媳/女婿", "儿媳", "女婿")),
        (Relation.GRANDCHILD, ("孙子女/外孙子女", "孙子女", "孙子", "孙女", "外孙", "外孙女", "外孙子女")),
        (Relation.PARENT, ("父母", "父亲", "母亲", "父", "母")),
        (Relation.PARENT_IN_LAW, ("公婆/岳父母", "公婆", "岳父母", "公公", "婆婆", "岳父", "岳母")),
        (Relation.GRANDPARENT, ("祖父母/外祖父母", "祖父母", "外祖父母", "祖父", "祖母", "外祖父", "外祖母")),
        (Relation.SIBLING, ("兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹")),
        (Relation.OTHER, ("其他",)),
    ),
)  # fmt: skip
VILLAGE = Field("village", "所属村（社区）", FieldKind.TEXT, False, ("村（社区）", "所属村", "所属社区", "村居"))
HUKOU_TYPE = Field(
    "hukou_type", "户籍类型", FieldKind.CHOICE, False, ("户口性质", "户籍性质"),
    choices=(
        (HukouType.URBAN, ("城镇", "城镇户籍", "城市", "非农业", "非农业户口")),
        (HukouType.RURAL, ("农村", "农村户籍", "农业", "农业户口")),
    ),
)  # fmt: skip
ADDRESS = Field("address", "家庭住址", FieldKind.TEXT, False, ("住址", "地址", "居住地址"))
PHONE = Field("phone", "联系电话", FieldKind.TEXT, False, ("电话", "手机", "手机号"))
WORK_ABILITY = Field(
    "work_ability", "劳动能力", FieldKind.CHOICE, False, ("劳动能力状况",),
    choices=(
        (WorkAbility.FULL, ("有劳动能力", "有", "健全")),
        (WorkAbility.PARTIAL, ("部分丧失劳动能力", "部分丧失", "部分")),
        (WorkAbility.NONE, ("无劳动能力", "丧失劳动能力", "无")),
    ),
)  # fmt: skip
SUPPORTER = Field(
    "supporter", "法定赡养（抚养、扶养）义务人", FieldKind.CHOICE, False, ("法定义务人", "赡养义务人", "法定赡养人"),
    choices=(
        (Supporter.ABLE, ("有法定义务人且有履行能力", "有")),
        (Supporter.NONE, ("无法定赡养、抚养、扶养义务人", "无法定义务人", "无")),
        (Supporter.UNABLE, ("法定义务人无履行能力", "义务人无履行能力", "无履行能力")),
    ),
)  # fmt: skip
DISABILITY_CATEGORY = Field(
    "disability_category", "残疾类别", FieldKind.CHOICE, False, ("残疾类型",),
    choices=tuple(
        (str(value), (str(label), str(label).removesuffix("残疾")))
        for value, label in DisabilityCategory.choices
        if value
    ),
)  # fmt: skip
DISABILITY_GRADE = Field(
    "disability_grade", "残疾等级", FieldKind.CHOICE, False, ("残疾级别",),
    choices=(("1", ("一级", "1级")), ("2", ("二级", "2级")), ("3", ("三级", "3级")), ("4", ("四级", "4级"))),
)  # fmt: skip
BANK_NAME = Field("bank_name", "开户银行", FieldKind.TEXT, False, ("开户机构", "开户行", "银行"))
ACCOUNT_HOLDER = Field("account_holder", "账户户名", FieldKind.TEXT, False, ("户名", "持卡人"))
ACCOUNT_NUMBER = Field("account_number", "银行账号", FieldKind.ACCOUNT, False, ("账号", "卡号", "银行卡号", "存折账号"))
PROGRAM = Field(
    "program", "保障类别", FieldKind.CHOICE, False, ("低保类别", "救助类别", "保障类型"),
    choices=(
        ("dibao_urban", ("城市低保", "城镇低保", "城市最低生活保障")),
        ("dibao_rural", ("农村低保", "农村最低生活保障")),
    ),
)  # fmt: skip
MEMBER_COUNT = Field("member_count", "保障人数", FieldKind.DECIMAL, False, ("享受人数", "救助人数"))
AMOUNT = Field("amount", "月保障金额（元）", FieldKind.MONEY, False, ("月保障金额", "月保障金", "保障金额", "月低保金"))
FIRST_MONTH = Field("first_month", "起始发放年月", FieldKind.MONTH, False, ("起始发放月份", "享受起始年月", "纳入年月"))
APPROVED_ON = Field("approved_on", "批准日期", FieldKind.DATE, False, ("审批日期", "批准时间"))
NOTE = Field("note", "备注", FieldKind.TEXT)

FIELDS: tuple[Field, ...] = (
    HOUSEHOLD_KEY, VILLAGE, HUKOU_TYPE, ADDRESS, PHONE, NAME, ID_NUMBER, RELATION, WORK_ABILITY, SUPPORTER,
    DISABILITY_CATEGORY, DISABILITY_GRADE, BANK_NAME, ACCOUNT_HOLDER, ACCOUNT_NUMBER, PROGRAM, MEMBER_COUNT,
    AMOUNT, FIRST_MONTH, APPROVED_ON, NOTE,
)  # fmt: skip
# Filled on the head's row; another row of the household leaves them empty or repeats them exactly.
HOUSEHOLD_FIELDS: tuple[Field, ...] = (
    VILLAGE, HUKOU_TYPE, ADDRESS, PHONE, BANK_NAME, ACCOUNT_HOLDER, ACCOUNT_NUMBER, PROGRAM, MEMBER_COUNT, AMOUNT,
    FIRST_MONTH, APPROVED_ON,
)  # fmt: skip
CASE_FIELDS: tuple[Field, ...] = (PROGRAM, MEMBER_COUNT, AMOUNT, FIRST_MONTH, APPROVED_ON)
