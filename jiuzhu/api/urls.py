"""/api/v1/: token login, the registry resources, dibao cases, their reviews and policy, the OpenAPI schema and its
documentation."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from jiuzhu.api.auth import TokenObtainApi
from jiuzhu.api.cases import ApplicationBatchViewSet, ApplicationViewSet, DecisionViewSet, EntitlementViewSet
from jiuzhu.api.dibao import DibaoPreviewApi
from jiuzhu.api.docs import ApiDocsView
from jiuzhu.api.errors import api_not_found
from jiuzhu.api.finances import AssetViewSet, IncomeItemViewSet
from jiuzhu.api.households import HouseholdViewSet
from jiuzhu.api.persons import PersonViewSet
from jiuzhu.api.policy import PolicyVersionViewSet
from jiuzhu.api.regions import RegionViewSet
from jiuzhu.api.reviews import ReviewViewSet
from jiuzhu.api.statistics import WorkSummaryApi

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("regions", RegionViewSet, basename="region")
router.register("households", HouseholdViewSet, basename="household")
router.register("persons", PersonViewSet, basename="person")
router.register("income-items", IncomeItemViewSet, basename="income-item")
router.register("assets", AssetViewSet, basename="asset")
router.register("applications/batch", ApplicationBatchViewSet, basename="application-batch")
router.register("applications", ApplicationViewSet, basename="application")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("cases", EntitlementViewSet, basename="case")
router.register("reviews", ReviewViewSet, basename="review")
router.register("policy-versions", PolicyVersionViewSet, basename="policy-version")

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="token"),
    *router.urls,
    path("dibao/preview/", DibaoPreviewApi.as_view(), name="dibao-preview"),
    path("work-summary/", WorkSummaryApi.as_view(), name="work-summary"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    # Last: anything else under /api/v1/ is a JSON 404, not an HTML page.
    re_path(r"^.*$", api_not_found, name="not-found"),
]
