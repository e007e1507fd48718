from jiuzhu.registry.models.document import Document as Document
from jiuzhu.registry.models.finances import Asset as Asset
from jiuzhu.registry.models.finances import IncomeItem as IncomeItem
from jiuzhu.registry.models.household import Household as Household
from jiuzhu.registry.models.person import MembershipPeriod as MembershipPeriod
from jiuzhu.registry.models.person import Person as Person
