// Voids (SPEC.md §3.8) on an in-memory state. The cast's last event is seq 27.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

std::string Void(const std::string& id, uint64_t seq) {
  return R"({"project_id":"BJF","void_id":")" + id + R"(","target_seq":)" + std::to_string(seq) +
         R"(,"reason":"录错"})";
}
std::string DecideVoid(const std::string& id, bool approve = true) {
  return R"({"project_id":"BJF","void_id":")" + id + R"(","approve":)" + (approve ? "true" : "false") + "}";
}

TEST(VoidsTest, TheMakerAsksTheLeadOrAccountantDecides) {
  DomainHarness h;
  h.Must("gw01", "log_visit",
         R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"$NOW"})");  // 28
  h.Must("kf01", "create_subscription",
         R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
         R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})");  // 29
  h.Must("sy01", "record_payment",
         R"({"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT",)"
         R"("amount_fen":1000,"method":"CASH","occurred_at":"$NOW"})");  // 30
  h.Must("sy01", "refund_payment",
         R"({"project_id":"BJF","refund_id":"RF1","payment_id":"P1","amount_fen":1000,"reason":"退","occurred_at":"$NOW"})");  // 31
  RunSteps(h, {
      {"target_seq is required", "gw01", "request_void", R"({"project_id":"BJF","void_id":"VD1","reason":"x"})",
       kInvalidArgument, "field 'target_seq' is required"},
      {"past the head", "gw01", "request_void", Void("VD1", 99), kNotFound, "no event at seq 99; the last is seq 31"},
      {"not an entry of the project", "admin", "request_void", Void("VD1", 2), kFailedPrecondition,
       "the event at seq 2 is not a sales or money entry of project BJF and cannot be voided"},
      {"only its maker asks", "gw02", "request_void", Void("VD1", 28), kPermissionDenied,
       "gw02 may not void seq 28: only its maker (gw01) may ask to void it"},
      {"a subscription that took money", "kf01", "request_void", Void("VD1", 29), kFailedPrecondition,
       "cannot void: payment P1 is on subscription S1"},
      {"a refunded payment names its refund", "sy01", "request_void", Void("VD1", 30), kFailedPrecondition,
       "cannot void: payment P1 was refunded by RF1 (1000 fen, seq 31)"},
      {"asked (seq 32)", "gw01", "request_void", Void("VD1", 28)},
      {"asked twice", "gw01", "request_void", Void("VD2", 28), kFailedPrecondition, "void VD1 of seq 28 is pending"},
      {"a visit is a sales entry: not the accountant's", "kj01", "decide_void", DecideVoid("VD1"), kPermissionDenied,
       "kj01 may not decide the void of a sales entry: it needs role SALES_LEAD"},
      {"no such void", "xs01", "decide_void", DecideVoid("VD9"), kNotFound, "void 'VD9' not found in project BJF"},
      {"approved (seq 33)", "xs01", "decide_void", DecideVoid("VD1")},
      {"decided twice", "xs01", "decide_void", DecideVoid("VD1", false), kFailedPrecondition,
       "void VD1 was already decided: approved at seq 33"},
      {"voided twice names the void", "gw01", "request_void", Void("VD2", 28), kFailedPrecondition,
       "the entry creating V1 is already voided (voided by void VD1 at seq 33)"},
  });
  EXPECT_TRUE(h.state().projects.at("BJF").visits[0].voided);
}

}  // namespace
}  // namespace salesledger::testing
