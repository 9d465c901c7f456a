// Audit (SPEC.md §3.6, §6.2) on an in-memory state. The cast's last event is seq 27.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

constexpr char kSubscribe[] =
    R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
    R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})";
constexpr char kPay[] =
    R"({"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT",)"
    R"("amount_fen":100,"method":"CASH","occurred_at":"$NOW"})";

TEST(AuditTest, ApproveRejectUnlockAndInvoices) {
  DomainHarness h;
  h.Must("kf01", "create_subscription", kSubscribe);  // seq 28
  h.Must("sy01", "record_payment", kPay);             // seq 29
  RunSteps(h, {
      {"a cashier audits nothing", "sy01", "approve_audit", R"({"project_id":"BJF","target_id":"P1"})",
       kPermissionDenied, "sy01 may not approve_audit: it needs role ACCOUNTANT"},
      {"no such record", "kj01", "approve_audit", R"({"project_id":"BJF","target_id":"X1"})", kNotFound,
       "no payment, refund, subscription or contract 'X1' in project BJF"},
      {"a unit is not audited", "kj01", "approve_audit", R"({"project_id":"BJF","target_id":"A1-1201"})", kNotFound,
       "no payment, refund, subscription or contract 'A1-1201' in project BJF"},
      {"a payment is not locked", "kj01", "unlock_record", R"({"project_id":"BJF","target_id":"P1","reason":"x"})",
       kFailedPrecondition, "P1 is a payment or refund: only subscriptions and contracts are locked"},
      {"an unaudited subscription is not locked", "kj01", "unlock_record",
       R"({"project_id":"BJF","target_id":"S1","reason":"x"})", kFailedPrecondition, "S1 is not locked (not audited)"},
      {"approved: locked (seq 30)", "kj01", "approve_audit", R"({"project_id":"BJF","target_id":"S1"})"},
      {"approved twice", "kj01", "reject_audit", R"({"project_id":"BJF","target_id":"S1","reason":"x"})",
       kFailedPrecondition, "S1 is already audited (audited at seq 30)"},
      {"rejected (seq 31)", "kj01", "reject_audit", R"({"project_id":"BJF","target_id":"P1","reason":"金额不符"})"},
      {"a rejected record is voided, not audited again", "kj01", "approve_audit", R"({"project_id":"BJF","target_id":"P1"})",
       kFailedPrecondition, "P1 was rejected (rejected at seq 31); its maker must void it and enter it again"},
      {"unlocked (seq 32)", "kj01", "unlock_record", R"({"project_id":"BJF","target_id":"S1","reason":"改价"})"},
      {"an invoice type is required", "kj01", "register_invoice",
       R"({"project_id":"BJF","payment_id":"P1","invoice_no":"FP-1"})", kInvalidArgument,
       "field 'invoice_type' is required"},
      {"registered (seq 33)", "kj01", "register_invoice",
       R"({"project_id":"BJF","payment_id":"P1","invoice_no":"FP-1","invoice_type":"RECEIPT"})"},
      {"an invoice number twice", "kj01", "register_invoice",
       R"({"project_id":"BJF","payment_id":"P1","invoice_no":"FP-1","invoice_type":"VAT_GENERAL"})", kAlreadyExists,
       "invoice_no 'FP-1' is already registered"},
  });
  EXPECT_FALSE(h.state().projects.at("BJF").subscriptions.at("S1").locked);
}

}  // namespace
}  // namespace salesledger::testing
