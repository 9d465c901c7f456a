// The derived views of SPEC.md §5 over a small history, through a real Ledger.
#include "queries/customers.h"
#include "queries/documents.h"
#include "queries/payments.h"
#include "queries/reports.h"
#include "queries/statements.h"
#include "queries/timeliness.h"
#include "queries/units.h"
#include "queries/views.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;
using Code = absl::StatusCode;

class QueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 2026-03-02 10:00 local.
    h_.clock().Advance(absl::Hours(25));
    h_.Must("kf01", "create_subscription",
            R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01","price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"2026-03-02T09:50:00+08:00"})");
    h_.Must("sy01", "record_payment",
            R"({"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT","amount_fen":5000000,"method":"CARD","occurred_at":"2026-03-02T09:55:00+08:00"})");
    h_.Must("sy01", "record_payment",
            R"({"project_id":"BJF","payment_id":"P2","customer_id":"C1","subscription_id":"S1","kind":"COLLECTED_FEE","fee_item":"契税","amount_fen":300000,"method":"CASH","occurred_at":"2026-03-02T09:58:00+08:00"})");
    h_.Must("sy01", "refund_payment",
            R"({"project_id":"BJF","refund_id":"F1","payment_id":"P1","amount_fen":1000000,"reason":"多收","occurred_at":"2026-03-02T09:59:00+08:00"})");
    h_.Must("kj01", "approve_audit", R"({"project_id":"BJF","target_id":"S1"})");
    h_.Must("gw01", "log_visit",
            R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","kind":"VISIT","occurred_at":"2026-03-02T09:30:00+08:00"})");
  }
  template <typename F>
  auto Q(F f) {
    return h_.Read([&](const State& s) { return f(s); });
  }
  Person Reader(const std::string& id) {
    return h_.Read([&](const State& s) { return s.org.people.at(id); });
  }

  testing::LedgerHarness h_;
};

TEST_F(QueriesTest, UnitShowsBuyerPriceAndBalance) {
  v1::GetUnitRequest r;
  r.set_project_id("BJF");
  r.set_unit_id("A1-1201");
  auto unit = Q([&](const State& s) { return GetUnit(s, r); });
  ASSERT_THAT(unit.status(), IsOk());
  EXPECT_EQ(unit->status(), "SUBSCRIBED");
  EXPECT_THAT(unit->customer_ids(), ::testing::ElementsAre("C1"));
  EXPECT_EQ(unit->price_fen(), 190000000);
  EXPECT_EQ(unit->paid_fen(), 4000000);  // deposit less refund; collected fees apart
  EXPECT_EQ(unit->balance_fen(), 186000000);
  EXPECT_EQ(unit->audit(), "APPROVED");
  EXPECT_TRUE(unit->locked());
  r.set_unit_id("NOPE");
  EXPECT_THAT(Q([&](const State& s) { return GetUnit(s, r); }).status(), StatusIs(Code::kNotFound, HasSubstr("NOPE")));
}

TEST_F(QueriesTest, ListUnitsCountsByStatusAndPages) {
  v1::ListUnitsRequest r;
  r.set_project_id("BJF");
  r.set_page_size(2);
  auto page1 = Q([&](const State& s) { return ListUnits(s, r); });
  ASSERT_THAT(page1.status(), IsOk());
  EXPECT_EQ(page1->counts_by_status().at("SUBSCRIBED"), 1);
  EXPECT_EQ(page1->counts_by_status().at("AVAILABLE"), 2);
  EXPECT_EQ(page1->counts_by_status().at("DRAFT"), 1);
  ASSERT_EQ(page1->units_size(), 2);
  EXPECT_EQ(page1->units(0).unit_id(), "A1-1201");
  EXPECT_EQ(page1->next_page_token(), "A1-1202");
  r.set_page_token(page1->next_page_token());
  auto page2 = Q([&](const State& s) { return ListUnits(s, r); });
  ASSERT_EQ(page2->units_size(), 2);
  EXPECT_EQ(page2->units(1).unit_id(), "A1-1204");
  EXPECT_EQ(page2->next_page_token(), "");
  r.clear_page_token();
  r.set_status("AVAILABLE");
  auto available = Q([&](const State& s) { return ListUnits(s, r); });
  EXPECT_EQ(available->units_size(), 2);
}

TEST_F(QueriesTest, PhonesAreMaskedExceptForTheOwnerLeadAuditorAndAdmin) {
  v1::GetCustomerRequest r;
  r.set_project_id("BJF");
  r.set_customer_id("C1");
  for (const char* full : {"gw01", "xs01", "sj01", "admin"}) {
    const Person reader = Reader(full);
    auto c = Q([&](const State& s) { return GetCustomer(s, r, reader, h_.ledger().personal_fields()); });
    ASSERT_THAT(c.status(), IsOk());
    EXPECT_EQ(c->phone(), "13800000001") << full;
  }
  for (const char* masked : {"gw02", "kf01", "sy01", "cw01"}) {
    const Person reader = Reader(masked);
    auto c = Q([&](const State& s) { return GetCustomer(s, r, reader, h_.ledger().personal_fields()); });
    EXPECT_EQ(c->phone(), "138****0001") << masked;
  }
  const Person owner = Reader("gw01");
  auto c = Q([&](const State& s) { return GetCustomer(s, r, owner, h_.ledger().personal_fields()); });
  ASSERT_EQ(c->visits_size(), 1);
  EXPECT_EQ(c->visits(0).visit_id(), "V1");
}

TEST_F(QueriesTest, DailyCashReportByCashierKindAndMethod) {
  v1::DailyCashReportRequest r;
  r.set_project_id("BJF");
  r.set_day("2026-03-02");
  auto report = Q([&](const State& s) { return GetDailyCashReport(s, r); });
  ASSERT_THAT(report.status(), IsOk());
  ASSERT_EQ(report->cashiers_size(), 1);
  const auto& c = report->cashiers(0);
  EXPECT_EQ(c.cashier_id(), "sy01");
  EXPECT_EQ(c.receipts_by_kind().at("DEPOSIT"), 5000000);
  EXPECT_EQ(c.receipts_by_kind().at("COLLECTED_FEE"), 300000);
  EXPECT_EQ(c.receipts_by_method().at("CARD"), 5000000);
  EXPECT_EQ(c.receipts_by_method().at("CASH"), 300000);
  EXPECT_EQ(c.refunds_fen(), 1000000);
  EXPECT_EQ(report->net_fen(), 4300000);
  r.set_day("2026-03-03");
  EXPECT_EQ(Q([&](const State& s) { return GetDailyCashReport(s, r); })->cashiers_size(), 0);
  r.set_day("March 2");
  EXPECT_THAT(Q([&](const State& s) { return GetDailyCashReport(s, r); }).status(),
              StatusIs(Code::kInvalidArgument, HasSubstr("day")));
}

TEST_F(QueriesTest, SalesReportAndPlanVsActual) {
  v1::SalesReportRequest r;
  r.set_project_id("BJF");
  r.set_granularity(v1::SalesReportRequest::MONTH);
  r.set_from_day("2026-03-01");
  r.set_to_day("2026-03-31");
  auto report = Q([&](const State& s) { return GetSalesReport(s, r); });
  ASSERT_THAT(report.status(), IsOk());
  ASSERT_EQ(report->buckets_size(), 1);
  const auto& b = report->buckets(0);
  EXPECT_EQ(b.period(), "2026-03");
  EXPECT_EQ(b.visits(), 1);
  EXPECT_EQ(b.new_customers(), 2);
  EXPECT_EQ(b.subscriptions(), 1);
  EXPECT_EQ(b.subscription_area_x100(), 8937);
  EXPECT_EQ(b.subscription_amount_fen(), 190000000);
  EXPECT_EQ(b.collections_fen(), 4000000);
  // ISO weeks: Sunday 1 March is in week 9 (the customers), Monday 2 March starts week 10.
  r.set_granularity(v1::SalesReportRequest::WEEK);
  auto weekly = Q([&](const State& s) { return GetSalesReport(s, r); });
  ASSERT_EQ(weekly->buckets_size(), 2);
  EXPECT_EQ(weekly->buckets(0).period(), "2026-W09");
  EXPECT_EQ(weekly->buckets(0).new_customers(), 2);
  EXPECT_EQ(weekly->buckets(1).period(), "2026-W10");
  EXPECT_EQ(weekly->buckets(1).subscriptions(), 1);

  std::string months;
  for (int i = 0; i < 12; ++i) absl::StrAppend(&months, i ? "," : "", R"({"units":2,"amount_fen":380000000})");
  h_.Must("yx01", "set_sales_plan", absl::StrCat(R"({"project_id":"BJF","year":2026,"product_type":"住宅","months":[)", months, "]}"));
  v1::PlanVsActualRequest p;
  p.set_project_id("BJF");
  p.set_year(2026);
  p.set_product_type("住宅");
  auto plan = Q([&](const State& s) { return GetPlanVsActual(s, p); });
  ASSERT_THAT(plan.status(), IsOk());
  EXPECT_EQ(plan->plan_version(), 1);
  const auto& march = plan->months(2);
  EXPECT_EQ(march.plan_amount_fen(), 380000000);
  EXPECT_EQ(march.subscriptions(), 1);
  EXPECT_EQ(march.completion_bp(), 5000);
  EXPECT_EQ(march.collections_fen(), 4000000);
}

TEST_F(QueriesTest, StatementsTimelinessAndAsOf) {
  const uint64_t before_late = h_.head();
  h_.clock().Advance(absl::Hours(24));
  h_.Must("gw01", "log_visit",
          R"({"project_id":"BJF","visit_id":"V2","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"2026-03-02T09:00:00+08:00"})");
  h_.Must("gw01", "log_visit",
          R"({"project_id":"BJF","visit_id":"V3","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"2026-03-02T09:10:00+08:00"})");
  v1::PenaltyStatementRequest r;
  r.set_person_id("gw01");
  r.set_period("2026-03");
  auto statement = Q([&](const State& s) { return GetPenaltyStatement(s, r); });
  ASSERT_THAT(statement.status(), IsOk());
  ASSERT_EQ(statement->items_size(), 2);
  EXPECT_EQ(statement->items(0).amount_fen(), 0);
  EXPECT_EQ(statement->items(1).amount_fen(), 5000);
  EXPECT_EQ(statement->total_fen(), 5000);
  // As of the seq before the late visits: no statement items.
  auto earlier = h_.ledger().StateAt(before_late);
  ASSERT_THAT(earlier.status(), IsOk());
  EXPECT_EQ(GetPenaltyStatement(**earlier, r)->items_size(), 0);
  EXPECT_THAT(h_.ledger().StateAt(h_.head() + 1).status(), StatusIs(Code::kInvalidArgument, HasSubstr("past the head")));

  v1::TimelinessRequest t;
  t.set_project_id("BJF");
  t.set_period("2026-03");
  auto timeliness = Q([&](const State& s) { return GetTimeliness(s, t); });
  ASSERT_THAT(timeliness.status(), IsOk());
  bool found = false;
  for (const auto& row : timeliness->rows()) {
    if (row.person_id() == "gw01" && row.kind() == "log_visit") {
      found = true;
      EXPECT_EQ(row.entries(), 3);
      EXPECT_EQ(row.late(), 2);
      EXPECT_EQ(row.on_time_bp(), 3333);
    }
  }
  EXPECT_TRUE(found);
  bool consultant_rollup = false;
  for (const auto& row : timeliness->by_role()) consultant_rollup |= row.person_id() == "CONSULTANT";
  EXPECT_TRUE(consultant_rollup);
  ASSERT_EQ(timeliness->by_project_size(), 1);
  EXPECT_EQ(timeliness->by_project(0).late(), 2);

  v1::ListViolationsRequest v;
  v.set_page_size(1);
  auto page = Q([&](const State& s) { return ListViolations(s, v); });
  ASSERT_EQ(page->violations_size(), 1);
  EXPECT_FALSE(page->next_page_token().empty());
}

}  // namespace
}  // namespace salesledger
