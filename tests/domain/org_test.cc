// Organisation and policy (SPEC.md §3.1) on an in-memory state: one row per refusal, in the
// order decide.h documents, with its exact code and words. The cast's last event is seq 27.
#include "gmock/gmock.h"
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
       "xs01 may not add_person: it needs role ADMIN or REGION_ADMIN"},
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

// Regions and their administrators (地区系统管理员): P-N1 is in north, P-S1 in south, BJF in none.
// ra administers north. The cast ends at seq 27; the set-up here adds seqs 28..34.
class RegionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h.Must("admin", "define_region", R"({"region_id":"north","name":"华北"})");
    h.Must("admin", "define_region", R"({"region_id":"south","name":"华南"})");
    h.Must("admin", "define_project", R"({"project_id":"P-N1","name":"北一","region_id":"north"})");
    h.Must("admin", "define_project", R"({"project_id":"P-S1","name":"南一","region_id":"south"})");
    h.Must("admin", "add_person", R"({"person_id":"ra","name":"北管","roles":["REGION_ADMIN"],"region_ids":["north"]})");
    h.Must("admin", "add_person", R"({"person_id":"mgr","name":"北总","roles":["MANAGER"],"region_ids":["north"]})");
    h.Must("admin", "add_person",
           R"({"person_id":"gw-ns","name":"两地","roles":["CONSULTANT"],"project_ids":["P-N1","P-S1"]})");
  }
  DomainHarness h;
};

TEST_F(RegionsTest, DefiningAndMovingRegions) {
  RunSteps(h, {
      {"only ADMIN defines regions", "ra", "define_region", R"({"region_id":"west","name":"西"})", kPermissionDenied,
       "ra may not define_region: it needs role ADMIN"},
      {"a region again", "admin", "define_region", R"({"region_id":"north","name":"x"})", kAlreadyExists,
       "region 'north' already exists"},
      {"a project in no such region", "admin", "define_project", R"({"project_id":"P9","name":"x","region_id":"west"})",
       kNotFound, "region 'west' not found"},
      {"moved by ADMIN alone", "ra", "move_project_region", R"({"project_id":"BJF","region_id":"north"})",
       kPermissionDenied, "ra may not move_project_region: it needs role ADMIN"},
      {"into no such region", "admin", "move_project_region", R"({"project_id":"BJF","region_id":"west"})", kNotFound,
       "region 'west' not found"},
      {"where it already is", "admin", "move_project_region", R"({"project_id":"P-N1","region_id":"north"})",
       kFailedPrecondition, "project P-N1 is already in region north"},
      {"BJF joins north (seq 35)", "admin", "move_project_region", R"({"project_id":"BJF","region_id":"north"})"},
      {"region_ids only for managers and regional administrators", "admin", "add_person",
       R"({"person_id":"p1","name":"x","roles":["CONSULTANT"],"region_ids":["north"]})", kInvalidArgument,
       "field 'region_ids' is for a MANAGER or a REGION_ADMIN only"},
      {"a regional administrator needs regions", "admin", "add_person",
       R"({"person_id":"p1","name":"x","roles":["REGION_ADMIN"]})", kInvalidArgument,
       "a REGION_ADMIN needs field 'region_ids'"},
      {"in a region that exists", "admin", "add_person",
       R"({"person_id":"p1","name":"x","roles":["MANAGER"],"region_ids":["west"]})", kNotFound,
       "region 'west' not found"},
  });
  EXPECT_EQ(h.state().projects.at("BJF").region_id, "north");
  EXPECT_EQ(h.state().projects.at("OTHER").region_id, "");
  EXPECT_EQ(h.state().org.regions.at("south").name, "华南");
}

TEST_F(RegionsTest, ARegionalAdministratorManagesTheirRegionAndNothingElse) {
  RunSteps(h, {
      {"a consultant of north (seq 35)", "ra", "add_person",
       R"({"person_id":"gw-n","name":"北顾","roles":["CONSULTANT"],"project_ids":["P-N1"]})"},
      {"a manager of north (seq 36)", "ra", "add_person",
       R"({"person_id":"mgr2","name":"北副总","roles":["MANAGER"],"region_ids":["north"]})"},
      {"never a group role", "ra", "add_person",
       R"({"person_id":"p1","name":"x","roles":["FINANCE_LEAD"],"project_ids":["P-N1"]})", kPermissionDenied,
       "ra may not grant role FINANCE_LEAD: a regional administrator never grants INSPECTOR, FINANCE_LEAD, AUDITOR, "
       "ADMIN, REGION_ADMIN"},
      {"nor another regional administrator", "ra", "add_person",
       R"({"person_id":"p1","name":"x","roles":["REGION_ADMIN"],"region_ids":["north"]})", kPermissionDenied,
       "ra may not grant role REGION_ADMIN"},
      {"not on a project of another region", "ra", "add_person",
       R"({"person_id":"p1","name":"x","roles":["CASHIER"],"project_ids":["P-S1"]})", kPermissionDenied,
       "ra may not manage p1: their project P-S1 is not in a region of ra"},
      {"not on a project of no region", "ra", "add_person",
       R"({"person_id":"p1","name":"x","roles":["CASHIER"],"project_ids":["BJF"]})", kPermissionDenied,
       "ra may not manage p1: their project BJF is not in a region of ra"},
      {"not a group-wide person", "ra", "add_person", R"({"person_id":"p1","name":"x","roles":["CASHIER"]})",
       kPermissionDenied, "ra may not manage p1: they belong to no project or region, so to the group"},
      {"not a manager of another region", "ra", "add_person",
       R"({"person_id":"p1","name":"x","roles":["MANAGER"],"region_ids":["south"]})", kPermissionDenied,
       "ra may not manage p1: their region south is not one of ra's"},
      {"moved to another region: no longer theirs", "ra", "update_person",
       R"({"person_id":"gw-n","name":"北顾","roles":["CONSULTANT"],"project_ids":["P-S1"],"active":true})",
       kPermissionDenied, "ra may not manage gw-n: their project P-S1 is not in a region of ra"},
      {"not someone also of another region", "ra", "update_person",
       R"({"person_id":"gw-ns","name":"两地","roles":["CONSULTANT"],"project_ids":["P-N1"],"active":true})",
       kPermissionDenied, "ra may not manage gw-ns: their project P-S1 is not in a region of ra"},
      {"never themselves", "ra", "update_person",
       R"({"person_id":"ra","name":"北管","roles":["REGION_ADMIN"],"region_ids":["north","south"],"active":true})",
       kPermissionDenied, "ra may not manage ra: a regional administrator never acts on their own account"},
      {"not the group's people", "ra", "update_person",
       R"({"person_id":"cw01","name":"x","roles":["CASHIER"],"project_ids":["P-N1"],"active":true})",
       kPermissionDenied, "ra may not manage cw01: they hold a role only ADMIN manages"},
      {"renamed (seq 37)", "ra", "update_person",
       R"({"person_id":"gw-n","name":"北顾问","roles":["CONSULTANT","CUSTOMER_SERVICE"],"project_ids":["P-N1"],"active":true})"},
      {"leads of another region's project", "ra", "set_project_leads",
       R"({"project_id":"P-S1","sales_lead_id":"x","accountant_id":"y"})", kPermissionDenied,
       "ra does not administer project P-S1: it is in region south, not one of theirs"},
      {"leads of a project of no region", "ra", "set_project_leads",
       R"({"project_id":"BJF","sales_lead_id":"xs01","accountant_id":"kj01"})", kPermissionDenied,
       "ra does not administer project BJF: it belongs to no region, so only ADMIN administers it"},
      {"leads of their project are checked as ADMIN's are", "ra", "set_project_leads",
       R"({"project_id":"P-N1","sales_lead_id":"gw-n","accountant_id":"kj01"})", kFailedPrecondition,
       "gw-n cannot be the project's SALES_LEAD"},
      {"a token for their consultant (seq 38)", "ra", "issue_token", R"({"person_id":"gw-n","token_id":"t-gwn"})"},
      {"no token for themselves", "ra", "issue_token", R"({"person_id":"ra","token_id":"t-ra"})", kPermissionDenied,
       "ra may not manage ra: a regional administrator never acts on their own account"},
      {"no token for the group's people", "ra", "issue_token", R"({"person_id":"sy01","token_id":"t-sy"})",
       kPermissionDenied, "ra may not manage sy01: their project BJF is not in a region of ra"},
      {"no token for a person who does not exist", "ra", "issue_token", R"({"person_id":"nobody","token_id":"t-x"})",
       kNotFound, "person 'nobody' not found"},
      {"the admin's token is not theirs to revoke", "ra", "revoke_token", R"({"token_id":"admin"})", kPermissionDenied,
       "ra may not manage admin: they hold a role only ADMIN manages"},
      {"their consultant's token revoked (seq 39)", "ra", "revoke_token", R"({"token_id":"t-gwn"})"},
      {"a project is ADMIN's to define", "ra", "define_project", R"({"project_id":"P-N2","name":"北二"})",
       kPermissionDenied, "ra may not define_project: it needs role ADMIN"},
      {"nor a policy", "ra", "set_policy", R"({"policy":{}})", kPermissionDenied,
       "ra may not set_policy: it needs role FINANCE_LEAD or ADMIN"},
      {"nor a sales entry", "ra", "log_visit",
       R"({"project_id":"P-N1","visit_id":"V1","customer_id":"C1","consultant_id":"gw-n","kind":"CALL","occurred_at":"$NOW"})",
       kPermissionDenied, "ra may not log_visit: it needs role CONSULTANT or CUSTOMER_SERVICE"},
  });
  EXPECT_EQ(h.state().org.people.at("gw-n").name, "北顾问");
  EXPECT_TRUE(h.state().org.tokens.at("t-gwn").revoked);
}

TEST_F(RegionsTest, AManagerEntersNothing) {
  const auto* oneof = v1::Command::descriptor()->FindOneofByName("command");
  for (int i = 0; i < oneof->field_count(); ++i) {
    const std::string cmd = oneof->field(i)->name();
    // Anyone may rotate their own token, and ask to void an entry of theirs (a manager has none).
    if (cmd == "rotate_token" || cmd == "request_void") continue;
    auto refused = h.Run("mgr", cmd, "{}");
    EXPECT_EQ(refused.status().code(), kPermissionDenied) << cmd;
    EXPECT_THAT(std::string(refused.status().message()), ::testing::StartsWith("mgr may not " + cmd)) << cmd;
  }
}

// Tokens expire (定期更改系统密码): issue_token asks for at most the policy's maximum, 90 days by
// default; the holder rotates their own valid token.
TEST(TokensTest, ExpiryAndRotation) {
  DomainHarness h;
  RunSteps(h, {
      {"longer than the policy allows", "admin", "issue_token", R"({"person_id":"gw01","token_id":"t1","valid_days":91})",
       kInvalidArgument, "field 'valid_days' = 91: a token lives 1 to 90 days (the policy's token_max_age_days)"},
      {"one day (seq 28)", "admin", "issue_token", R"({"person_id":"gw01","token_id":"t1","valid_days":1})"},
      {"the policy's maximum (seq 29)", "admin", "issue_token", R"({"person_id":"gw02","token_id":"t2"})"},
  });
  const absl::Time issued = h.now();
  EXPECT_EQ(h.state().org.tokens.at("t1").expires_at, issued + absl::Hours(24));
  EXPECT_EQ(h.state().org.tokens.at("t2").expires_at, issued + absl::Hours(24 * 90));
  EXPECT_EQ(h.state().org.tokens.at("admin").expires_at, absl::InfiniteFuture());  // the genesis token
  h.Advance(absl::Hours(20));
  RunSteps(h, {
      {"a token is required", "gw01", "rotate_token", R"({})", kInvalidArgument, "field 'token_id' is required"},
      {"no such token", "gw01", "rotate_token", R"({"token_id":"t9"})", kNotFound, "token 't9' not found"},
      {"only one's own", "gw01", "rotate_token", R"({"token_id":"t2"})", kPermissionDenied,
       "gw01 may rotate only their own tokens; 't2' is gw02's"},
      {"the new id is taken", "gw01", "rotate_token", R"({"token_id":"t1","new_token_id":"t2"})", kAlreadyExists,
       "token_id 't2' already exists"},
      {"rotated (seq 30)", "gw01", "rotate_token", R"({"token_id":"t1"})"},
      {"the old one is gone at once", "gw01", "rotate_token", R"({"token_id":"t1"})", kFailedPrecondition,
       "token 't1' was revoked; ask an administrator for a new one"},
  });
  const Token& fresh = h.state().org.tokens.at("gw01-30");
  EXPECT_EQ(fresh.person_id, "gw01");
  EXPECT_EQ(fresh.expires_at, h.now() + absl::Hours(24));  // as long as the old one was issued for
  EXPECT_FALSE(fresh.revoked);
  EXPECT_TRUE(h.state().org.tokens.at("t1").revoked);
  EXPECT_EQ(h.state().org.token_by_hash.at(fresh.sha256), "gw01-30");
  h.Advance(absl::Hours(25));
  RunSteps(h, {
      {"expired: no rotation", "gw01", "rotate_token", R"({"token_id":"gw01-30"})", kFailedPrecondition,
       "token 'gw01-30' expired at"},
      {"a shorter maximum (seq 31)", "cw01", "set_policy", R"({"policy":{"token_max_age_days":30,)"
       R"("visit_late":{"enabled":true,"cutoff_minute_of_day":1440,"warnings_per_month":1,"amount_fen":5000},)"
       R"("subscription_backfilled":{"enabled":true,"max_lag_minutes":30,"amount_fen":10000,"joint_amount_fen":10000},)"
       R"("payment_backfilled":{"enabled":true,"max_lag_minutes":30,"amount_fen":10000,"joint_amount_fen":10000},)"
       R"("audit_overdue":{"enabled":true,"after_hours":24,"amount_fen":10000,"joint_amount_fen":10000},)"
       R"("service_step_late":{"enabled":true,"max_lag_minutes":1440,"amount_fen":10000,"joint_amount_fen":10000},)"
       R"("plan_missing":{"enabled":true,"plan_deadline_month":1,"plan_deadline_day":31,"plan_days_after_project":30,"feedback_day":5}}})"},
      {"then 31 days is too long", "admin", "issue_token", R"({"person_id":"gw01","token_id":"t3","valid_days":31})",
       kInvalidArgument, "a token lives 1 to 30 days"},
      {"rotating the genesis token (seq 32)", "admin", "rotate_token", R"({"token_id":"admin","new_token_id":"admin-2"})"},
  });
  // A token that never expired is rotated into one of the policy's maximum age.
  EXPECT_EQ(h.state().org.tokens.at("admin-2").expires_at, h.now() + absl::Hours(24 * 30));
}

}  // namespace
}  // namespace salesledger::testing
