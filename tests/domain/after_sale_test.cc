// Services after the sale (SPEC.md §3.7) on an in-memory state. The cast's last event is seq 27.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

std::string Step(const std::string& service, const std::string& step, const std::string& contract = "K1") {
  return R"({"project_id":"BJF","contract_id":")" + contract + R"(","service":")" + service + R"(","step":")" + step +
         R"(","occurred_at":"$NOW"})";
}

TEST(AfterSaleTest, StepsInOrder) {
  DomainHarness h;
  h.Must("kf01", "create_subscription",
         R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1"],"consultant_id":"gw01",)"
         R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$NOW"})");  // seq 28
  h.Must("kf01", "sign_contract",
         R"({"project_id":"BJF","contract_id":"K1","subscription_id":"S1","contract_no":"HT-1","price_fen":190000000,)"
         R"("occurred_at":"$NOW"})");  // seq 29
  RunSteps(h, {
      {"customer service records no steps", "kf01", "record_service_step", Step("MORTGAGE", "DOCS_COLLECTED"),
       kPermissionDenied, "kf01 may not record_service_step: it needs role TITLE_MORTGAGE"},
      {"a step of another service", "qz01", "record_service_step", Step("MORTGAGE", "FILED"), kInvalidArgument,
       "field 'step': 'FILED' is not a step of MORTGAGE (DOCS_COLLECTED, SUBMITTED_TO_BANK, BANK_APPROVED, LOAN_DISBURSED)"},
      {"no such contract", "qz01", "record_service_step", Step("MORTGAGE", "DOCS_COLLECTED", "K9"), kNotFound,
       "contract 'K9' not found in project BJF"},
      {"a step before its predecessor", "qz01", "record_service_step", Step("MORTGAGE", "BANK_APPROVED"),
       kFailedPrecondition, "MORTGAGE step BANK_APPROVED of contract K1 must come after DOCS_COLLECTED"},
      {"the first step (seq 30)", "qz01", "record_service_step", Step("MORTGAGE", "DOCS_COLLECTED")},
      {"a step twice", "qz01", "record_service_step", Step("MORTGAGE", "DOCS_COLLECTED"), kFailedPrecondition,
       "MORTGAGE step DOCS_COLLECTED of contract K1 is already recorded"},
      {"another service keeps its own order (seq 31)", "qz01", "record_service_step", Step("FILING", "SUBMITTED")},
  });
}

}  // namespace
}  // namespace salesledger::testing
