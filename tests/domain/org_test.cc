// Organisation and policy (SPEC.md §3.1) on an in-memory state: one row per refusal, in the
// order decide.h documents, with its exact code and words. The cast's last event is seq 27.
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

TEST(OrgTest, DefineProject) {
  DomainHarness h;
  RunSteps(h, {
      {"only ADMIN", "kf01", "define_project", R"({"project_id":"P2","name":"新盘"})", kPermissionDenied,
       "kf01 may not define_project: it needs role ADMIN"},
      {"a name is required", "admin", "define_project", R"({"project_id":"P2"})", kInvalidArgument,
       "field 'name' is required"},
      {"an unknown zone", "admin", "define_project", R"({"project_id":"P2","name":"x","time_zone":"Mars/Olympus"})",
       kInvalidArgument, "field 'time_zone': unknown IANA time zone 'Mars/Olympus'"},
      {"a project id again", "admin", "define_project", R"({"project_id":"BJF","name":"x"})", kAlreadyExists,
       "project 'BJF' already exists"},
      {"defined, Asia/Shanghai by default", "admin", "define_project", R"({"project_id":"P2","name":"新盘"})"},
  });
  EXPECT_EQ(h.state().projects.at("P2").time_zone, "Asia/Shanghai");
}

TEST(OrgTest, AddAndUpdatePerson) {
  DomainHarness h;
  RunSteps(h, {
      {"only ADMIN", "xs01", "add_person", R"({"person_id":"p1","name":"x","roles":["CASHIER"]})", kPermissionDenied,
       "xs01 may not add_person: it needs role ADMIN"},
      {"a role is required", "admin", "add_person", R"({"person_id":"p1","name":"x"})", kInvalidArgument,
       "field 'roles' needs at least one role"},
      {"an unknown role", "admin", "add_person", R"({"person_id":"p1","name":"x","roles":[42]})", kInvalidArgument,
       "field 'roles' has unknown value 42"},
      {"a malformed project id", "admin", "add_person",
       R"({"person_id":"p1","name":"x","roles":["CASHIER"],"project_ids":["B J"]})", kInvalidArgument,
       "field 'project_ids' = 'B J': character 2 is a space"},
      {"one's own supervisor", "admin", "add_person",
       R"({"person_id":"p1","name":"x","roles":["CASHIER"],"supervisor_id":"p1"})", kInvalidArgument,
       "a person cannot be their own supervisor"},
      {"no such supervisor", "admin", "add_person",
       R"({"person_id":"p1","name":"x","roles":["CASHIER"],"supervisor_id":"nobody"})", kNotFound,
       "supervisor 'nobody' not found"},
      {"no such project", "admin", "add_person", R"({"person_id":"p1","name":"x","roles":["CASHIER"],"project_ids":["NOPE"]})",
       kNotFound, "project 'NOPE' not found"},
      {"a person id again", "admin", "add_person", R"({"person_id":"gw01","name":"x","roles":["CASHIER"]})",
       kAlreadyExists, "person 'gw01' already exists"},
      {"active is required", "admin", "update_person", R"({"person_id":"gw02","name":"x","roles":["CONSULTANT"]})",
       kInvalidArgument, "field 'active' is required"},
      {"no such person", "admin", "update_person", R"({"person_id":"p9","name":"x","roles":["CASHIER"],"active":true})",
       kNotFound, "person 'p9' not found"},
      {"the built-in admin", "admin", "update_person", R"({"person_id":"admin","name":"x","roles":["ADMIN"],"active":true})",
       kFailedPrecondition, "the built-in principal 'admin' cannot be changed"},
      {"a loop of supervisors", "admin", "update_person",
       R"({"person_id":"xs01","name":"x","roles":["SALES_LEAD"],"supervisor_id":"gw01","active":true})",
       kFailedPrecondition, "xs01 cannot report to gw01: the chain would loop (xs01 -> gw01 -> xs01)"},
      {"deactivated (seq 28)", "admin", "update_person",
       R"({"person_id":"gw02","name":"顾二","roles":["CONSULTANT"],"project_ids":["BJF"],"active":false})"},
      {"an inactive person cannot act", "gw02", "log_visit",
       R"({"project_id":"BJF","visit_id":"V1","customer_id":"C2","consultant_id":"gw02","kind":"CALL","occurred_at":"$NOW"})",
       kUnauthenticated, "'gw02' is not an active person"},
  });
}

TEST(OrgTest, ProjectLeadsTokensAndPolicy) {
  DomainHarness h;
  RunSteps(h, {
      {"a malformed lead id", "admin", "set_project_leads",
       R"({"project_id":"BJF","sales_lead_id":"x s","accountant_id":"kj01"})", kInvalidArgument,
       "field 'sales_lead_id' = 'x s'"},
      {"no such project", "admin", "set_project_leads",
       R"({"project_id":"NOPE","sales_lead_id":"xs01","accountant_id":"kj01"})", kNotFound, "project 'NOPE' not found"},
      {"no such person", "admin", "set_project_leads",
       R"({"project_id":"BJF","sales_lead_id":"nobody","accountant_id":"kj01"})", kNotFound,
       "sales_lead_id 'nobody' not found"},
      {"a lead without the role", "admin", "set_project_leads",
       R"({"project_id":"BJF","sales_lead_id":"kf01","accountant_id":"kj01"})", kFailedPrecondition,
       "kf01 cannot be the project's SALES_LEAD: they are not an active SALES_LEAD"},
      {"a lead of another project", "admin", "set_project_leads",
       R"({"project_id":"BJF","sales_lead_id":"kf09","accountant_id":"kj01"})", kFailedPrecondition,
       "kf09 is not assigned to project BJF"},
      {"no such person for a token", "admin", "issue_token", R"({"person_id":"nobody","token_id":"t1"})", kNotFound,
       "person 'nobody' not found"},
      {"the admin's token id again", "admin", "issue_token", R"({"person_id":"gw01","token_id":"admin"})",
       kAlreadyExists, "token_id 'admin' already exists"},
      {"the system principal has none", "admin", "issue_token", R"({"person_id":"system","token_id":"t1"})",
       kFailedPrecondition, "the system principal has no tokens"},
      {"issued (seq 28)", "admin", "issue_token", R"({"person_id":"gw01","token_id":"t1"})"},
      {"no such token", "admin", "revoke_token", R"({"token_id":"t9"})", kNotFound, "token 't9' not found"},
      {"revoked (seq 29)", "admin", "revoke_token", R"({"token_id":"t1"})"},
      {"revoked twice", "admin", "revoke_token", R"({"token_id":"t1"})", kFailedPrecondition,
       "token 't1' is already revoked"},
      {"a cashier sets no policy", "sy01", "set_policy", R"({"policy":{}})", kPermissionDenied,
       "sy01 may not set_policy: it needs role FINANCE_LEAD or ADMIN"},
      {"a policy is required", "cw01", "set_policy", R"({})", kInvalidArgument, "field 'policy' is required"},
      {"every rule is required", "cw01", "set_policy",
       R"({"policy":{"visit_late":{"enabled":true,"cutoff_minute_of_day":1440}}})", kInvalidArgument,
       "field 'policy.subscription_backfilled' is required"},
  });
  EXPECT_EQ(h.state().org.tokens.at("t1").revoked, true);
}

}  // namespace
}  // namespace salesledger::testing
