// Money (SPEC.md §3.5) on an in-memory state. The cast's last event is seq 27.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

constexpr char kSubscribe[] =
    R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
    R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})";

std::string Pay(const std::string& id, const std::string& kind, int64_t amount, const std::string& sub = "S1",
                const std::string& customer = "C1") {
  return R"({"project_id":"BJF","payment_id":")" + id + R"(","customer_id":")" + customer + R"(",)" +
         (sub.empty() ? "" : R"("subscription_id":")" + sub + R"(",)") + R"("kind":")" + kind +
         R"(","amount_fen":)" + std::to_string(amount) + R"(,"method":"CARD","occurred_at":"$NOW"})";
}
std::string Refund(const std::string& id, const std::string& payment, int64_t amount) {
  return R"({"project_id":"BJF","refund_id":")" + id + R"(","payment_id":")" + payment + R"(","amount_fen":)" +
         std::to_string(amount) + R"(,"reason":"多收","occurred_at":"$NOW"})";
}

TEST(MoneyTest, RecordPayment) {
  DomainHarness h;
  h.Must("kf01", "create_subscription", kSubscribe);  // seq 28
  RunSteps(h, {
      {"a consultant takes no money", "gw01", "record_payment", Pay("P1", "DEPOSIT", 100), kPermissionDenied,
       "gw01 may not record_payment: it needs role CASHIER"},
      {"a deposit needs its subscription", "sy01", "record_payment", Pay("P1", "DEPOSIT", 100, ""), kInvalidArgument,
       "field 'subscription_id' is required"},
      {"a collected fee needs its item", "sy01", "record_payment", Pay("P1", "COLLECTED_FEE", 100), kInvalidArgument,
       "field 'fee_item' is required"},
      {"more than 10^12 fen", "sy01", "record_payment", Pay("P1", "DEPOSIT", 1000000000001), kInvalidArgument,
       "field 'amount_fen' must be more than 0 and at most 10^12 fen; got 1000000000001"},
      {"no such subscription", "sy01", "record_payment", Pay("P1", "DEPOSIT", 100, "S9"), kNotFound,
       "subscription 'S9' not found in project BJF"},
      {"a customer who is not a buyer", "sy01", "record_payment", Pay("P1", "DEPOSIT", 100, "S1", "C2"),
       kFailedPrecondition, "customer C2 is not a buyer on subscription S1"},
      {"a deposit, receipt BJF-R000001 (seq 29)", "sy01", "record_payment", Pay("P1", "DEPOSIT", 5000000)},
      {"a payment id again", "sy01", "record_payment", Pay("P1", "DEPOSIT", 100), kAlreadyExists,
       "payment_id 'P1' already names a payment in project BJF"},
      {"earnest money with no subscription (seq 30)", "sy01", "record_payment", Pay("E1", "EARNEST", 2000000, "")},
  });
  EXPECT_EQ(h.state().projects.at("BJF").payments.at("P1").receipt_no, "BJF-R000001");
  EXPECT_EQ(h.state().projects.at("BJF").payments.at("E1").receipt_no, "BJF-R000002");
}

TEST(MoneyTest, RefundAndTransfer) {
  DomainHarness h;
  h.Must("kf01", "create_subscription", kSubscribe);         // seq 28
  h.Must("sy01", "record_payment", Pay("P1", "DEPOSIT", 1000));  // seq 29
  h.Must("sy01", "record_payment", Pay("E1", "EARNEST", 500, ""));  // seq 30
  RunSteps(h, {
      {"a refund needs its reason", "sy01", "refund_payment",
       R"({"project_id":"BJF","refund_id":"RF1","payment_id":"P1","amount_fen":100,"occurred_at":"$NOW"})",
       kInvalidArgument, "field 'reason' is required"},
      {"no such payment", "sy01", "refund_payment", Refund("RF1", "P9", 100), kNotFound,
       "payment 'P9' not found in project BJF"},
      {"more than was paid", "sy01", "refund_payment", Refund("RF1", "P1", 1001), kFailedPrecondition,
       "payment P1 has 1000 fen left to refund of 1000 (untouched); the refund asks for 1001"},
      {"refunded in part (seq 31)", "sy01", "refund_payment", Refund("RF1", "P1", 400)},
      {"more than is left, and why", "sy01", "refund_payment", Refund("RF2", "P1", 601), kFailedPrecondition,
       "payment P1 has 600 fen left to refund of 1000 (refunded by RF1 (400 fen, seq 31)); the refund asks for 601"},
      {"only earnest money is transferred", "sy01", "transfer_payment",
       R"({"project_id":"BJF","transfer_id":"T1","payment_id":"P1","subscription_id":"S1","occurred_at":"$NOW"})",
       kFailedPrecondition, "payment P1 is DEPOSIT; only EARNEST money is transferred to a deposit"},
      {"transferred (seq 32)", "sy01", "transfer_payment",
       R"({"project_id":"BJF","transfer_id":"T1","payment_id":"E1","subscription_id":"S1","occurred_at":"$NOW"})"},
      {"transferred twice, and where to", "sy01", "transfer_payment",
       R"({"project_id":"BJF","transfer_id":"T2","payment_id":"E1","subscription_id":"S1","occurred_at":"$NOW"})",
       kFailedPrecondition, "payment E1 was already transferred (transferred by T1 to subscription S1)"},
      {"nothing is left of a transferred payment", "sy01", "refund_payment", Refund("RF3", "E1", 1),
       kFailedPrecondition, "payment E1 has 0 fen left to refund of 500 (transferred by T1 to subscription S1)"},
  });
}

}  // namespace
}  // namespace salesledger::testing
