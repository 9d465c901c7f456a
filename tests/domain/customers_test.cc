// Customers and visits (SPEC.md §3.3) on an in-memory state. The cast's last event is seq 27;
// C1 (phone 13800000001) is gw01's, C2 gw02's.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

TEST(CustomersTest, RegisterCustomer) {
  DomainHarness h;
  RunSteps(h, {
      {"a cashier registers nobody", "sy01", "register_customer",
       R"({"project_id":"BJF","customer_id":"C3","name":"赵","phone":"13700000003","consultant_id":"gw01","source":"VISIT"})",
       kPermissionDenied, "sy01 may not register_customer: it needs role CONSULTANT or CUSTOMER_SERVICE"},
      {"a phone with letters", "gw01", "register_customer",
       R"({"project_id":"BJF","customer_id":"C3","name":"赵","phone":"138-abc","consultant_id":"gw01","source":"VISIT"})",
       kInvalidArgument, "field 'phone' may hold only digits, spaces, dashes and parentheses; got '138-abc'"},
      {"a source is required", "gw01", "register_customer",
       R"({"project_id":"BJF","customer_id":"C3","name":"赵","phone":"13700000003","consultant_id":"gw01"})",
       kInvalidArgument, "field 'source' is required"},
      {"a consultant of another project", "gw01", "register_customer",
       R"({"project_id":"BJF","customer_id":"C3","name":"赵","phone":"13700000003","consultant_id":"kf09","source":"VISIT"})",
       kInvalidArgument, "consultant 'kf09' is not assigned to project BJF"},
      {"the phone of another consultant's customer (撞单)", "gw02", "register_customer",
       R"({"project_id":"BJF","customer_id":"C3","name":"王","phone":"138 0000 0001","consultant_id":"gw02","source":"CALL"})",
       kAlreadyExists, "phone 138****0001 is already registered (customer C1, consultant gw01)"},
      {"registered (seq 28)", "gw01", "register_customer",
       R"({"project_id":"BJF","customer_id":"C3","name":"赵","phone":"+86 137-0000-0003","consultant_id":"gw01","source":"VISIT"})"},
  });
  EXPECT_EQ(h.state().projects.at("BJF").customers.at("C3").phone_digits, "8613700000003");
}

TEST(CustomersTest, LogVisit) {
  DomainHarness h;
  RunSteps(h, {
      {"the kind is required", "gw01", "log_visit",
       R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","occurred_at":"$NOW"})",
       kInvalidArgument, "field 'kind' is required"},
      {"an unknown intent", "gw01", "log_visit",
       R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","kind":"CALL","intent":7,"occurred_at":"$NOW"})",
       kInvalidArgument, "field 'intent' has unknown value 7; it must be one of HIGH, MEDIUM, LOW"},
      {"before the year 2000", "gw01", "log_visit",
       R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"1999-12-31T23:00:00Z"})",
       kInvalidArgument, "field 'occurred_at' (1999-12-31T23:00:00+00:00) is before the year 2000"},
      {"the desk names no consultant", "desk", "log_visit",
       R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"desk","kind":"CALL","occurred_at":"$NOW"})",
       kInvalidArgument, "consultant_id 'desk' is a shared account"},
      {"no such customer", "gw01", "log_visit",
       R"({"project_id":"BJF","visit_id":"V1","customer_id":"C9","consultant_id":"gw01","kind":"CALL","occurred_at":"$NOW"})",
       kNotFound, "customer 'C9' not found in project BJF"},
      {"a visit id that names a customer", "gw01", "log_visit",
       R"({"project_id":"BJF","visit_id":"C2","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"$NOW"})",
       kAlreadyExists, "visit_id 'C2' already names a customer in project BJF"},
      {"logged from the desk for gw01 (seq 28)", "desk", "log_visit",
       R"({"project_id":"BJF","visit_id":"V1","customer_id":"C1","consultant_id":"gw01","kind":"VISIT","occurred_at":"$AT[-30]"})"},
  });
  EXPECT_EQ(h.state().projects.at("BJF").visits.size(), 1u);
}

}  // namespace
}  // namespace salesledger::testing
