// Plans and marketing (SPEC.md §3.8) on an in-memory state. The cast's last event is seq 27.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

std::string Months(int n, const std::string& month = R"({"units":1,"amount_fen":100})") {
  std::string m;
  for (int i = 0; i < n; ++i) m += (i ? "," : "") + month;
  return "[" + m + "]";
}

TEST(PlansTest, SalesPlansFeedbackSpendAndCompetitors) {
  DomainHarness h;
  RunSteps(h, {
      {"a consultant sets no plan", "gw01", "set_sales_plan",
       R"({"project_id":"BJF","year":2026,"product_type":"住宅","months":)" + Months(12) + "}", kPermissionDenied,
       "gw01 may not set_sales_plan: it needs role MARKETING"},
      {"a year out of range", "yx01", "set_sales_plan",
       R"({"project_id":"BJF","year":1999,"product_type":"住宅","months":)" + Months(12) + "}", kInvalidArgument,
       "field 'year' must be in 2000..2100; got 1999"},
      {"eleven months", "yx01", "set_sales_plan",
       R"({"project_id":"BJF","year":2026,"product_type":"住宅","months":)" + Months(11) + "}", kInvalidArgument,
       "field 'months' needs 12 months; got 11"},
      {"a negative month", "yx01", "set_sales_plan",
       R"({"project_id":"BJF","year":2026,"product_type":"住宅","months":)" + Months(12, R"({"units":-1})") + "}",
       kInvalidArgument, "field 'months[0]': units and amount_fen must be 0 or more (amount at most 10^12 fen); got units -1"},
      {"set (seq 28)", "yx01", "set_sales_plan",
       R"({"project_id":"BJF","year":2026,"product_type":"住宅","months":)" + Months(12) + "}"},
      {"a month that is not one", "yx01", "record_plan_feedback",
       R"({"project_id":"BJF","month":"2026-13","analysis":"x"})", kInvalidArgument,
       "field 'month' must be a month YYYY-MM; got '2026-13'"},
      {"feedback (seq 29)", "yx01", "record_plan_feedback", R"({"project_id":"BJF","month":"2026-02","analysis":"来访少"})"},
      {"spend needs its channel", "yx01", "record_marketing_spend",
       R"({"project_id":"BJF","spend_id":"M1","month":"2026-03","amount_fen":100,"occurred_at":"$NOW"})",
       kInvalidArgument, "field 'channel' is required"},
      {"spend (seq 30)", "yx01", "record_marketing_spend",
       R"({"project_id":"BJF","spend_id":"M1","month":"2026-03","channel":"抖音","amount_fen":100,"occurred_at":"$NOW"})"},
      {"a competitor id that names a spend", "yx01", "record_competitor",
       R"({"project_id":"BJF","competitor_id":"M1","name":"对手","avg_price_fen_per_m2":1,"occurred_at":"$NOW"})",
       kAlreadyExists, "competitor_id 'M1' already names a marketing spend in project BJF"},
  });
  EXPECT_EQ(h.state().projects.at("BJF").plan_versions.size(), 1u);
}

}  // namespace
}  // namespace salesledger::testing
