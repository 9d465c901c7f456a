// Who may do what (domain/access.h), as tables written from SPEC.md §1, §3.3 and §5.
#include "domain/access.h"

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
    EXPECT_EQ(OnProject(P(h, r.person), "BJF"), r.on_bjf) << r.person;
    EXPECT_EQ(OnProject(P(h, r.person), "OTHER"), r.on_other) << r.person;
  }
  EXPECT_THAT(RequireProject(P(h, "kf09"), "BJF"),
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
  EXPECT_THAT(RequirePayReader(P(h, "gw01"), "gw01"), IsOk());
  EXPECT_THAT(RequirePayReader(P(h, "gw01"), "gw02"),
              StatusIs(kPermissionDenied, HasSubstr("gw01 may read only their own violations and statements")));
  EXPECT_THAT(RequirePayReader(P(h, "xs01"), "gw01"), StatusIs(kPermissionDenied, HasSubstr("xs01")));
  EXPECT_THAT(RequirePayReader(P(h, "cw01"), "gw01"), IsOk());
  EXPECT_TRUE(ReadsProjectTimeliness(P(h, "xs01"), "BJF"));
  EXPECT_FALSE(ReadsProjectTimeliness(P(h, "xs01"), "OTHER"));
  EXPECT_FALSE(ReadsProjectTimeliness(P(h, "kf01"), "BJF"));
  EXPECT_TRUE(ReadsProjectTimeliness(P(h, "sj01"), "OTHER"));
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

}  // namespace
}  // namespace salesledger::testing
