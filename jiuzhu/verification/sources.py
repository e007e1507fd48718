"""The other agencies' data we import (DOMAIN.md §3.5): each source's fields, in Chinese as the
agencies' spreadsheets name them, with the kind of value each holds.

Pure: no database. A column of the uploaded file is matched to a field by its header (the label
or one of the aliases, spaces ignored) unless a saved mapping says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatasetSource(models.TextChoices):
    HUKOU = "hukou", _("户籍（死亡、迁出）")
    VEHICLE = "vehicle", _("车辆登记")
    REAL_ESTATE = "real_estate", _("不动产登记")
    BUSINESS = "business", _("市场主体登记")
    TAX_WAGES = "tax_wages", _("个人所得税与工资")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险与养老金")
    HOUSING_FUND = "housing_fund", _("住房公积金")
    DEPOSITS = "deposits", _("银行存款")
    CADRES = "cadres", _("公职人员、村干部及其近亲属")


class FieldKind(StrEnum):
    ID_NUMBER = "id_number"  # normalised to 18 characters, stored only as the keyed hash
    ACCOUNT = "account"  # a bank account number: digits only, stored only as the keyed hash
    TEXT = "text"
    DATE = "date"
    MONTH = "month"
    MONEY = "money"  # yuan in the file, fen in the data
    DECIMAL = "decimal"
    CHOICE = "choice"


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the column header the agencies use (Chinese)
    kind: FieldKind
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (stored value, words that mean it)

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


ID_ALIASES = ("身份证号", "身份证号码", "公民身份号码", "证件号码", "证件号", "身份证")
NAME = Field("name", "姓名", FieldKind.TEXT, aliases=("名字", "户名", "人员姓名"))
RELATIONS = (
    ("self", ("本人",)),
    ("spouse", ("配偶", "夫", "妻", "丈夫", "妻子")),
    ("parent", ("父母", "父亲", "母亲", "父", "母")),
    ("child", ("子女", "儿子", "女儿", "子", "女")),
    ("sibling", ("兄弟姐妹", "兄", "弟", "姐", "妹", "兄弟", "姐妹")),
    ("grandparent", ("祖父母", "外祖父母", "祖父", "祖母", "外祖父", "外祖母")),
    ("grandchild", ("孙子女", "外孙子女", "孙子", "孙女", "外孙", "外孙女")),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    DatasetSource.HUKOU: (
        Field("id_number", "公民身份号码", FieldKind.ID_NUMBER, True, ID_ALIASES),
        NAME,
        Field(
            "event", "变动类型", FieldKind.CHOICE, True, ("变动原因", "注销原因", "类型"),
            choices=(("death", ("死亡", "死亡注销")), ("move_out", ("迁出", "迁出注销", "户口迁出"))),
        ),
        Field("event_date", "变动日期", FieldKind.DATE, True, ("注销日期", "死亡日期", "迁出日期", "日期")),
    ),
    DatasetSource.VEHICLE: (
        Field("id_number", "所有人身份证号码", FieldKind.ID_NUMBER, True, ID_ALIASES),
        NAME,
        Field("plate", "号牌号码", FieldKind.TEXT, True, ("车牌号", "车牌号码", "号牌")),
        Field("vehicle_type", "车辆类型", FieldKind.TEXT, aliases=("车型",)),
        Field("registered_on", "登记日期", FieldKind.DATE, aliases=("初次登记日期", "注册日期")),
    ),
    DatasetSource.REAL_ESTATE: (
        Field("id_number", "权利人证件号码", FieldKind.ID_NUMBER, True, ID_ALIASES),
        NAME,
        Field("certificate", "不动产权证号", FieldKind.TEXT, True, ("证书号", "权证号", "产权证号")),
        Field("location", "坐落", FieldKind.TEXT, aliases=("地址", "房屋坐落")),
        Field("area_m2", "建筑面积（平方米）", FieldKind.DECIMAL, aliases=("建筑面积", "面积")),
        Field("use", "用途", FieldKind.TEXT, aliases=("房屋用途", "规划用途")),
    ),
    DatasetSource.BUSINESS: (
        Field("id_number", "投资人证件号码", FieldKind.ID_NUMBER, True, (*ID_ALIASES, "法定代表人证件号码")),
        NAME,
        Field("entity", "主体名称", FieldKind.TEXT, True, ("企业名称", "名称", "字号名称")),
        Field("capital_fen", "注册资本（元）", FieldKind.MONEY, aliases=("注册资本", "出资额")),
        Field("registered_on", "成立日期", FieldKind.DATE, aliases=("登记日期",)),
        Field("status", "登记状态", FieldKind.TEXT, aliases=("状态", "经营状态")),
    ),
    DatasetSource.TAX_WAGES: (
        Field("id_number", "纳税人证件号码", FieldKind.ID_NUMBER, True, ID_ALIASES),
        NAME,
        Field("employer", "扣缴单位", FieldKind.TEXT, aliases=("单位名称", "任职受雇单位")),
        Field(
            "monthly_income_fen", "月收入额（元）", FieldKind.MONEY, True, ("月收入", "工资薪金", "收入额", "应发工资")
        ),
        Field("period", "所属期", FieldKind.MONTH, True, ("所属月份", "税款所属期", "所属期起")),
    ),
    DatasetSource.SOCIAL_INSURANCE: (
        Field("id_number", "公民身份号码", FieldKind.ID_NUMBER, True, ID_ALIASES),
        NAME,
        Field(
            "kind", "类别", FieldKind.CHOICE, True, ("险种", "待遇类别"),
            choices=(
                ("pension", ("养老金", "领取养老金", "退休金", "基本养老金")),
                ("contribution", ("缴费", "参保缴费", "在职缴费")),
            ),
        ),
        Field("monthly_amount_fen", "月金额（元）", FieldKind.MONEY, True, ("月养老金", "月缴费基数", "金额")),
        Field("period", "所属期", FieldKind.MONTH, aliases=("所属月份", "费款所属期")),
    ),
    DatasetSource.HOUSING_FUND: (
        Field("id_number", "证件号码", FieldKind.ID_NUMBER, True, ID_ALIASES),
        NAME,
        Field("monthly_deposit_fen", "月缴存额（元）", FieldKind.MONEY, True, ("月缴存额", "月缴额")),
        Field("balance_fen", "账户余额（元）", FieldKind.MONEY, aliases=("余额",)),
        Field("period", "缴至年月", FieldKind.MONTH, aliases=("所属期", "缴存年月")),
    ),
    DatasetSource.DEPOSITS: (
        Field("id_number", "客户证件号码", FieldKind.ID_NUMBER, True, ID_ALIASES),
        NAME,
        Field("institution", "金融机构", FieldKind.TEXT, aliases=("开户行", "银行名称")),
        # Keeps two deposits of the same amount at the same bank apart (they are not duplicates).
        Field("account", "账号", FieldKind.ACCOUNT, aliases=("存款账号", "卡号", "账户", "存单号")),
        Field("balance_fen", "存款余额（元）", FieldKind.MONEY, True, ("余额", "存款余额", "金额")),
    ),
    DatasetSource.CADRES: (
        Field("id_number", "公民身份号码", FieldKind.ID_NUMBER, True, ID_ALIASES),
        NAME,
        Field(
            "cadre_id_number", "干部身份证号码", FieldKind.ID_NUMBER, True,
            ("公职人员身份证号码", "干部证件号码", "本人身份证号码"),
        ),
        Field("cadre_name", "干部姓名", FieldKind.TEXT, aliases=("公职人员姓名",)),
        Field("post", "职务", FieldKind.TEXT, True, ("岗位", "工作单位及职务")),
        Field("relation", "与干部关系", FieldKind.CHOICE, True, ("关系", "亲属关系"), choices=RELATIONS),
    ),
}  # fmt: skip


def fields_of(source: str) -> tuple[Field, ...]:
    return FIELDS[DatasetSource(source)]
