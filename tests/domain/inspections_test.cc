// Inspections and waivers (SPEC.md §3.9) on an in-memory state. The cast's last event is seq 27.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

TEST(InspectionsTest, RunAndWaive) {
  DomainHarness h;
  h.Advance(absl::Hours(26));  // 2026-03-02 11:00: yesterday's visit is late
  h.Must("gw01", "log_visit",
         R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"$AT[-1500]"})");  // 28
  h.Must("gw01", "log_visit",
         R"({"project_id":"BJF","visit_id":"V2","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"$AT[-1500]"})");  // 29
  RunSteps(h, {
      {"a cashier inspects nothing", "sy01", "run_inspection", R"({"project_id":"BJF"})", kPermissionDenied,
       "sy01 may not run_inspection: it needs role INSPECTOR"},
      {"no such project", "jc01", "run_inspection", R"({"project_id":"NOPE"})", kNotFound, "project 'NOPE' not found"},
      {"inspected (seq 30)", "jc01", "run_inspection", R"({"project_id":"BJF"})"},
      {"a violation id that is not one", "cw01", "waive_violation", R"({"violation_id":"29","reason":"x"})",
       kInvalidArgument, "field 'violation_id' must look like <seq>.<n>, e.g. 34.1; got '29'"},
      {"a reason is required", "cw01", "waive_violation", R"({"violation_id":"29.1"})", kInvalidArgument,
       "field 'reason' is required"},
      {"no such violation", "cw01", "waive_violation", R"({"violation_id":"29.9","reason":"x"})", kNotFound,
       "violation '29.9' not found"},
      {"waived (seq 31)", "cw01", "waive_violation", R"({"violation_id":"29.1","reason":"培训期"})"},
      {"waived twice names who", "cw02", "waive_violation", R"({"violation_id":"29.1","reason":"x"})",
       kFailedPrecondition, "violation 29.1 is already waived (seq 31, by cw01)"},
  });
  ASSERT_EQ(h.state().violations.size(), 2u);  // 28.1 the month's warning, 29.1 the fine
  EXPECT_EQ(h.state().violations[1].amount_fen, 5000);
  EXPECT_TRUE(h.state().violations[1].waived);
}

TEST(InspectionsTest, NobodyWaivesTheirOwn) {
  DomainHarness h;
  h.Must("admin", "update_person",
         R"({"person_id":"cw01","name":"陈财务","roles":["FINANCE_LEAD","CASHIER"],"project_ids":["BJF"],"active":true})");  // 28
  h.Must("kf01", "create_subscription",
         R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
         R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})");  // 29
  h.Must("cw01", "record_payment",
         R"({"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT",)"
         R"("amount_fen":100,"method":"CASH","occurred_at":"$AT[-31]"})");  // 30: late, cw01's own fine
  RunSteps(h, {
      {"one's own violation", "cw01", "waive_violation", R"({"violation_id":"30.1","reason":"x"})", kPermissionDenied,
       "nobody waives their own violation; 30.1 is cw01's"},
      {"another finance lead may (seq 31)", "cw02", "waive_violation", R"({"violation_id":"30.1","reason":"系统故障"})"},
  });
}

}  // namespace
}  // namespace salesledger::testing
