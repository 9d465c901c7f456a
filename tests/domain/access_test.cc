// Who may do what (domain/access.h), as tables written from SPEC.md §1, §3.3 and §5.
#include "domain/access.h"

#include <map>

#include "absl/algorithm/container.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger::testing {
namespace {

using ::testing::HasSubstr;

const Person& P(const DomainHarness& h, const std::string& id) { return h.state().org.people.at(id); }

TEST(AccessTest, ProjectsArePerPersonExceptForTheOrgWideRoles) {
  DomainHarness h;
  struct Row {
    std::string person;
    bool every_project, on_bjf, on_other;
  };
  for (const Row& r : std::vector<Row>{{"admin", true, true, true},   {"sj01", true, true, true},
                                       {"cw01", true, true, true},    {"jc01", true, true, true},
                                       {"system", true, true, true},  {"xs01", false, true, false},
                                       {"kf09", false, false, true},  {"gw01", false, true, false}}) {
    EXPECT_EQ(ActsOnEveryProject(P(h, r.person)), r.every_project) << r.person;
    EXPECT_EQ(OnProject(h.state(), P(h, r.person), "BJF"), r.on_bjf) << r.person;
    EXPECT_EQ(OnProject(h.state(), P(h, r.person), "OTHER"), r.on_other) << r.person;
  }
  EXPECT_THAT(RequireProject(h.state(), P(h, "kf09"), "BJF"),
              StatusIs(kPermissionDenied, HasSubstr("kf09 is not assigned to project BJF")));
}

TEST(AccessTest, WhoSeesAFullPhoneNumber) {
  DomainHarness h;
  const Project& bjf = h.state().projects.at("BJF");
  const Customer& c1 = bjf.customers.at("C1");  // gw01's
  struct Row {
    std::string reader;
    bool sees;
  };
  for (const Row& r : std::vector<Row>{{"gw01", true},  {"gw02", false}, {"sj01", true}, {"admin", true},
                                       {"xs01", true},  {"kf01", false}, {"cw01", false}, {"jc01", false},
                                       {"kf09", false}}) {  // kf09 is a SALES_LEAD, but of OTHER
    EXPECT_EQ(SeesFullPhone(P(h, r.reader), bjf, c1), r.sees) << r.reader;
  }
}

TEST(AccessTest, PayAndTimelinessReaders) {
  DomainHarness h;
  EXPECT_THAT(RequirePayReader(h.state(), P(h, "gw01"), "gw01"), IsOk());
  EXPECT_THAT(RequirePayReader(h.state(), P(h, "gw01"), "gw02"),
              StatusIs(kPermissionDenied, HasSubstr("gw01 may read only their own violations and statements")));
  EXPECT_THAT(RequirePayReader(h.state(), P(h, "xs01"), "gw01"), StatusIs(kPermissionDenied, HasSubstr("xs01")));
  EXPECT_THAT(RequirePayReader(h.state(), P(h, "cw01"), "gw01"), IsOk());
  EXPECT_TRUE(ReadsProjectTimeliness(h.state(), P(h, "xs01"), "BJF"));
  EXPECT_FALSE(ReadsProjectTimeliness(h.state(), P(h, "xs01"), "OTHER"));
  EXPECT_FALSE(ReadsProjectTimeliness(h.state(), P(h, "kf01"), "BJF"));
  EXPECT_TRUE(ReadsProjectTimeliness(h.state(), P(h, "sj01"), "OTHER"));
}

TEST(AccessTest, CommandRolesNameWhatIsNeeded) {
  DomainHarness h;
  EXPECT_TRUE(RolesFor(v1::Command::kRequestVoid).empty());  // the maker, whatever the role
  EXPECT_TRUE(RolesFor(v1::Command::COMMAND_NOT_SET).empty());
  EXPECT_EQ(RolesFor(v1::Command::kDecideVoid), (RoleSet{v1::SALES_LEAD, v1::ACCOUNTANT}));
  EXPECT_THAT(RequireRoleFor(P(h, "gw01"), v1::Command::kLogVisit), IsOk());
  EXPECT_THAT(RequireRoleFor(P(h, "gw01"), v1::Command::kRecordPayment),
              StatusIs(kPermissionDenied, HasSubstr("gw01 may not record_payment: it needs role CASHIER")));
  EXPECT_THAT(RequireRole(P(h, "sj01"), kOperators, "back up the ledger"),
              StatusIs(kPermissionDenied, HasSubstr("sj01 may not back up the ledger: it needs role ADMIN")));
}

// Every command against every role, written from the README's role table: a person holding only
// that role passes the role check (decide's first) exactly for the roles listed. A new command
// or role fails here until it is added to the table.
TEST(AccessTest, RoleMatrixOfEveryCommand) {
  const std::map<std::string, std::string> table = {
      {"define_region", "ADMIN"},
      {"define_project", "ADMIN"},
      {"move_project_region", "ADMIN"},
      {"add_person", "ADMIN REGION_ADMIN"},
      {"update_person", "ADMIN REGION_ADMIN"},
      {"set_project_leads", "ADMIN REGION_ADMIN"},
      {"issue_token", "ADMIN REGION_ADMIN"},
      {"revoke_token", "ADMIN REGION_ADMIN"},
      {"rotate_token", "*"},
      {"set_policy", "FINANCE_LEAD ADMIN"},
      {"define_unit", "CUSTOMER_SERVICE"},
      {"define_payment_plan", "CUSTOMER_SERVICE"},
      {"change_list_price", "CUSTOMER_SERVICE"},
      {"review_setup", "SALES_LEAD"},
      {"confirm_setup", "MARKETING"},
      {"set_unit_hold", "SALES_LEAD"},
      {"register_customer", "CONSULTANT CUSTOMER_SERVICE"},
      {"log_visit", "CONSULTANT CUSTOMER_SERVICE"},
      {"reserve_unit", "CUSTOMER_SERVICE"},
      {"cancel_reservation", "CUSTOMER_SERVICE"},
      {"create_subscription", "CUSTOMER_SERVICE"},
      {"sign_contract", "CUSTOMER_SERVICE"},
      {"request_change", "CUSTOMER_SERVICE"},
      {"decide_change", "SALES_LEAD"},
      {"record_payment", "CASHIER"},
      {"refund_payment", "CASHIER"},
      {"transfer_payment", "CASHIER"},
      {"approve_audit", "ACCOUNTANT"},
      {"reject_audit", "ACCOUNTANT"},
      {"unlock_record", "ACCOUNTANT"},
      {"register_invoice", "ACCOUNTANT"},
      {"record_service_step", "TITLE_MORTGAGE"},
      {"set_sales_plan", "MARKETING"},
      {"record_plan_feedback", "MARKETING"},
      {"record_marketing_spend", "MARKETING"},
      {"record_competitor", "MARKETING"},
      {"request_void", "*"},
      {"decide_void", "SALES_LEAD ACCOUNTANT"},
      {"run_inspection", "INSPECTOR"},
      {"waive_violation", "FINANCE_LEAD"},
      {"add_cosignature", "AUDITOR"},
      {"print_document", "CUSTOMER_SERVICE CASHIER"},
      {"declare_outage", "FINANCE_LEAD"},
      {"withdraw_outage", "FINANCE_LEAD"},
      {"erase_customer_data", "ADMIN"},
      {"decide_erasure", "FINANCE_LEAD"},  // and not the one who asked (erasure_test)
      {"server_started", "INSPECTOR"},  // and then only the `system` principal (outages_test)
  };
  const auto* oneof = v1::Command::descriptor()->FindOneofByName("command");
  ASSERT_EQ(static_cast<size_t>(oneof->field_count()), table.size());
  for (int i = 0; i < oneof->field_count(); ++i) {
    const auto* field = oneof->field(i);
    auto row = table.find(field->name());
    ASSERT_NE(row, table.end()) << field->name() << " is not in the table";
    const std::vector<std::string> allowed = absl::StrSplit(row->second, ' ');
    for (int r = v1::Role_MIN + 1; r <= v1::Role_MAX; ++r) {
      const auto role = static_cast<v1::Role>(r);
      Person person;
      person.person_id = "p";
      person.roles = {role};
      const bool expected = row->second == "*" || absl::c_linear_search(allowed, v1::Role_Name(role));
      EXPECT_EQ(RequireRoleFor(person, static_cast<v1::Command::CommandCase>(field->number())).ok(), expected)
          << field->name() << " by " << v1::Role_Name(role);
    }
  }
}

// Managers read what their projects and regions hold, and nothing else; regional administrators
// administer their regions' projects and people. P-N1 is in region north, P-S1 in south.
class RegionalAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h.Must("admin", "define_region", R"({"region_id":"north","name":"华北"})");
    h.Must("admin", "define_region", R"({"region_id":"south","name":"华南"})");
    h.Must("admin", "define_project", R"({"project_id":"P-N1","name":"北一","region_id":"north"})");
    h.Must("admin", "define_project", R"({"project_id":"P-S1","name":"南一","region_id":"south"})");
    h.Must("admin", "add_person", R"({"person_id":"mgr","name":"北总","roles":["MANAGER"],"region_ids":["north"]})");
    h.Must("admin", "add_person", R"({"person_id":"mgr-bjf","name":"滨总","roles":["MANAGER"],"project_ids":["BJF"]})");
    h.Must("admin", "add_person", R"({"person_id":"ra","name":"北管","roles":["REGION_ADMIN"],"region_ids":["north"]})");
    h.Must("admin", "add_person", R"({"person_id":"gw-n","name":"北顾","roles":["CONSULTANT"],"project_ids":["P-N1"]})");
    h.Must("admin", "add_person",
           R"({"person_id":"gw-ns","name":"两地","roles":["CONSULTANT"],"project_ids":["P-N1","P-S1"]})");
  }
  DomainHarness h;
};

TEST_F(RegionalAccessTest, ManagersReadTheirProjectsAndRegions) {
  struct Row {
    std::string person, project;
    bool on;
  };
  for (const Row& r : std::vector<Row>{{"mgr", "P-N1", true},     {"mgr", "P-S1", false},    {"mgr", "BJF", false},
                                       {"mgr-bjf", "BJF", true},  {"mgr-bjf", "P-N1", false}, {"ra", "P-N1", false},
                                       {"gw-n", "P-N1", true},    {"gw-n", "P-S1", false}}) {
    EXPECT_EQ(OnProject(h.state(), P(h, r.person), r.project), r.on) << r.person << " " << r.project;
    EXPECT_EQ(ReadsProjectTimeliness(h.state(), P(h, r.person), r.project), r.on && r.person != "gw-n")
        << r.person << " " << r.project;
  }
  EXPECT_THAT(RequirePayReader(h.state(), P(h, "mgr"), "gw-n"), IsOk());
  EXPECT_THAT(RequirePayReader(h.state(), P(h, "mgr"), "gw-ns"),
              StatusIs(kPermissionDenied, HasSubstr("mgr may read the violations and statements of people of their "
                                                    "own projects and regions only; gw-ns is not one of them")));
  EXPECT_THAT(RequirePayReader(h.state(), P(h, "mgr"), "cw01"), StatusIs(kPermissionDenied, HasSubstr("cw01 is not one of them")));
  EXPECT_THAT(RequirePayReader(h.state(), P(h, "mgr-bjf"), "gw01"), IsOk());
  const Project& bjf = h.state().projects.at("BJF");
  EXPECT_FALSE(SeesFullPhone(P(h, "mgr-bjf"), bjf, bjf.customers.at("C1")));  // masked, as for other readers
  // A project moved to another region takes its reader with it.
  h.Must("admin", "move_project_region", R"({"project_id":"P-S1","region_id":"north"})");
  EXPECT_TRUE(OnProject(h.state(), P(h, "mgr"), "P-S1"));
  EXPECT_THAT(RequirePayReader(h.state(), P(h, "mgr"), "gw-ns"), IsOk());
}

TEST_F(RegionalAccessTest, RegionalAdministratorsAdministerTheirRegionsOnly) {
  EXPECT_THAT(RequireAdministersProject(h.state(), P(h, "ra"), "P-N1"), IsOk());
  EXPECT_THAT(RequireAdministersProject(h.state(), P(h, "ra"), "P-S1"),
              StatusIs(kPermissionDenied, HasSubstr("ra does not administer project P-S1: it is in region south, not "
                                                    "one of theirs")));
  EXPECT_THAT(RequireAdministersProject(h.state(), P(h, "ra"), "BJF"),
              StatusIs(kPermissionDenied, HasSubstr("it belongs to no region, so only ADMIN administers it")));
  EXPECT_THAT(RequireAdministersProject(h.state(), P(h, "admin"), "BJF"), IsOk());
  EXPECT_THAT(RequireAdministersPerson(h.state(), P(h, "ra"), P(h, "gw-n")), IsOk());
  EXPECT_THAT(RequireAdministersPerson(h.state(), P(h, "ra"), P(h, "mgr")), IsOk());  // a reader of north
  EXPECT_THAT(RequireAdministersPerson(h.state(), P(h, "ra"), P(h, "gw-ns")),
              StatusIs(kPermissionDenied, HasSubstr("ra may not manage gw-ns: their project P-S1 is not in a region of ra")));
  EXPECT_THAT(RequireAdministersPerson(h.state(), P(h, "ra"), P(h, "ra")),
              StatusIs(kPermissionDenied, HasSubstr("a regional administrator never acts on their own account")));
  EXPECT_THAT(RequireAdministersPerson(h.state(), P(h, "ra"), P(h, "cw01")),
              StatusIs(kPermissionDenied, HasSubstr("they hold a role only ADMIN manages")));
  EXPECT_THAT(RequireAdministersPerson(h.state(), P(h, "ra"), P(h, "mgr-bjf")),
              StatusIs(kPermissionDenied, HasSubstr("their project BJF is not in a region of ra")));
}

}  // namespace
}  // namespace salesledger::testing
