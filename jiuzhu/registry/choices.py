"""Code lists of the registry. Stored values are stable English codes; labels are Chinese."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class HukouType(models.TextChoices):
    URBAN = "urban", _("城镇户籍")
    RURAL = "rural", _("农村户籍")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    DISSOLVED = "dissolved", _("已注销")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    CHILD_IN_LAW = "child_in_law", _("儿媳/女婿")
    GRANDCHILD = "grandchild", _("孙子女/外孙子女")
    PARENT = "parent", _("父母")
    PARENT_IN_LAW = "parent_in_law", _("公婆/岳父母")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class MaritalStatus(models.TextChoices):
    UNMARRIED = "unmarried", _("未婚")
    MARRIED = "married", _("已婚")
    DIVORCED = "divorced", _("离婚")
    WIDOWED = "widowed", _("丧偶")


class Education(models.TextChoices):
    NONE = "none", _("未上学")
    PRESCHOOL = "preschool", _("学前")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("在职")
    FARMING = "farming", _("务农")
    SELF_EMPLOYED = "self_employed", _("个体经营")
    MIGRANT = "migrant", _("外出务工")
    UNEMPLOYED = "unemployed", _("失业/无业")
    RETIRED = "retired", _("退休")
    STUDENT = "student", _("在校学生")
    PRESCHOOL_CHILD = "preschool_child", _("学龄前儿童")


class WorkAbility(models.TextChoices):
    FULL = "full", _("有劳动能力")
    PARTIAL = "partial", _("部分丧失劳动能力")
    NONE = "none", _("无劳动能力")


class Supporter(models.TextChoices):
    """法定赡养、抚养、扶养义务人: whether a member has one able to support them (a 三无 fact)."""

    ABLE = "able", _("有法定义务人且有履行能力")
    NONE = "none", _("无法定赡养、抚养、扶养义务人")
    UNABLE = "unable", _("法定义务人无履行能力")


class DisabilityCategory(models.TextChoices):
    NONE = "", _("无")
    VISUAL = "visual", _("视力残疾")
    HEARING = "hearing", _("听力残疾")
    SPEECH = "speech", _("言语残疾")
    PHYSICAL = "physical", _("肢体残疾")
    INTELLECTUAL = "intellectual", _("智力残疾")
    MENTAL = "mental", _("精神残疾")
    MULTIPLE = "multiple", _("多重残疾")


class IncomeKind(models.TextChoices):
    WAGES = "wages", _("工资性收入")
    BUSINESS = "business", _("经营净收入")
    PROPERTY = "property", _("财产净收入")
    TRANSFER = "transfer", _("转移净收入")
    PENSION = "pension", _("养老金/退休金")
    SUPPORT = "support", _("赡养（抚养、扶养）费")
    # Not counted as family income for social assistance (S2 Art. 13; S16 Art. 4; DOMAIN §3.2):
    ASSISTANCE = "assistance", _("政府发放的社会救助款物")
    VETERAN_CARE = "veteran_care", _("优待抚恤金")
    BASIC_PENSION = "basic_pension", _("城乡居民基本养老保险基础养老金")
    FAMILY_PLANNING = "family_planning", _("计划生育奖励与扶助金")
    AWARD = "award", _("奖学金、见义勇为等奖励")
    OTHER = "other", _("其他收入")


class IncomeSource(models.TextChoices):
    DECLARED = "declared", _("申报")
    VERIFIED = "verified", _("核实")
    IMPUTED = "imputed", _("推算")


class AssetKind(models.TextChoices):
    DEPOSIT = "deposit", _("存款及金融资产")
    VEHICLE = "vehicle", _("机动车辆")
    REAL_ESTATE = "real_estate", _("房产")
    BUSINESS = "business", _("工商登记/经营实体")
    OTHER = "other", _("其他财产")


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", _("身份证")
    HUKOU_BOOK = "hukou_book", _("户口簿")
    APPLICATION = "application", _("申请书")
    AUTHORISATION = "authorisation", _("核对授权书")
    INCOME_PROOF = "income_proof", _("收入证明")
    DISABILITY_CERTIFICATE = "disability_certificate", _("残疾证")
    MEDICAL_RECORD = "medical_record", _("病历/诊断证明")
    PHOTO = "photo", _("照片")
    CUSTODY_AGREEMENT = "custody_agreement", _("银行卡（存折）代管协议")
    VERIFICATION_REPORT = "verification_report", _("家庭经济状况核对报告")
    MIGRATION_SOURCE = "migration_source", _("存量数据迁移来源")
    OTHER = "other", _("其他材料")


class MembershipEndReason(models.TextChoices):
    MOVED = "moved", _("迁出")
    DIED = "died", _("死亡")
    MARRIED = "married", _("婚嫁迁出")


# GB/T 3304 民族代码 (codes 01–56; 97 other, 98 naturalised foreigner)
ETHNICITIES: list[tuple[str, str | Promise]] = [
    ("01", _("汉族")), ("02", _("蒙古族")), ("03", _("回族")), ("04", _("藏族")), ("05", _("维吾尔族")),
    ("06", _("苗族")), ("07", _("彝族")), ("08", _("壮族")), ("09", _("布依族")), ("10", _("朝鲜族")),
    ("11", _("满族")), ("12", _("侗族")), ("13", _("瑶族")), ("14", _("白族")), ("15", _("土家族")),
    ("16", _("哈尼族")), ("17", _("哈萨克族")), ("18", _("傣族")), ("19", _("黎族")), ("20", _("傈僳族")),
    ("21", _("佤族")), ("22", _("畲族")), ("23", _("高山族")), ("24", _("拉祜族")), ("25", _("水族")),
    ("26", _("东乡族")), ("27", _("纳西族")), ("28", _("景颇族")), ("29", _("柯尔克孜族")), ("30", _("土族")),
    ("31", _("达斡尔族")), ("32", _("仫佬族")), ("33", _("羌族")), ("34", _("布朗族")), ("35", _("撒拉族")),
    ("36", _("毛南族")), ("37", _("仡佬族")), ("38", _("锡伯族")), ("39", _("阿昌族")), ("40", _("普米族")),
    ("41", _("塔吉克族")), ("42", _("怒族")), ("43", _("乌孜别克族")), ("44", _("俄罗斯族")),
    ("45", _("鄂温克族")), ("46", _("德昂族")), ("47", _("保安族")), ("48", _("裕固族")), ("49", _("京族")),
    ("50", _("塔塔尔族")), ("51", _("独龙族")), ("52", _("鄂伦春族")), ("53", _("赫哲族")),
    ("54", _("门巴族")), ("55", _("珞巴族")), ("56", _("基诺族")), ("97", _("其他")), ("98", _("外国血统中国籍人士")),
]  # fmt: skip
