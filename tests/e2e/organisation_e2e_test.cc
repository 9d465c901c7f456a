// The organisation over a real ledgerd (issue 17): a regional manager reads the reports of their
// region and nothing else, and enters nothing; a finance lead declares and withdraws an outage
// with ledgerctl, and the statement follows; a clerk rotates their own token with ledgerctl.
#include <signal.h>
#include <sys/stat.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "salesledger/v1/query.grpc.pb.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;

class OrganisationE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledgerd_ = std::make_unique<testing::LedgerdProcess>(LEDGERD_PATH, dir_.Sub("data"));
    // The group: region east with PE1, PW1 in no region; a consultant of PE1, east's manager, a
    // finance lead.
    Import("admin", {R"({"cmd":"define_region","args":{"region_id":"east","name":"华东"}})",
                     R"({"cmd":"define_project","args":{"project_id":"PE1","name":"东湾","region_id":"east"}})",
                     R"({"cmd":"define_project","args":{"project_id":"PW1","name":"西苑"}})",
                     R"({"cmd":"add_person","args":{"person_id":"gwe","name":"东顾问","roles":["CONSULTANT"],"project_ids":["PE1"]}})",
                     R"({"cmd":"add_person","args":{"person_id":"mge","name":"东区总经理","roles":["MANAGER"],"region_ids":["east"]}})",
                     R"({"cmd":"add_person","args":{"person_id":"cwe","name":"财务","roles":["FINANCE_LEAD"]}})"});
    for (const char* person : {"gwe", "mge", "cwe"}) {
      ASSERT_EQ(Ctl("admin", absl::StrCat("token issue --person ", person, " --token-id t-", person, " --valid-days 3 > ",
                                          TokenFile(person))),
                0);
    }
  }
  void TearDown() override { EXPECT_EQ(ledgerd_->Stop(SIGTERM), 0); }

  std::string TokenFile(const std::string& who) {
    return who == "admin" ? dir_.Sub("data") + "/admin.token" : dir_.Sub(who + ".token");
  }
  std::string Token(const std::string& who) {
    std::ifstream in(TokenFile(who));
    std::string token;
    in >> token;
    return token;
  }
  int Ctl(const std::string& who, const std::string& args, std::string* out = nullptr) {
    std::string ignored;
    return testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " ", args, " --server ", ledgerd_->address(),
                                            " --token-file ", TokenFile(who)),
                               out != nullptr ? out : &ignored);
  }
  void Import(const std::string& who, const std::vector<std::string>& lines) {
    const std::string file = dir_.Sub(absl::StrCat("import-", ++imports_, ".jsonl"));
    std::ofstream f(file);
    for (const auto& l : lines) f << l << "\n";
    f.close();
    std::string out;
    ASSERT_EQ(Ctl(who, "import --quiet " + file, &out), 0) << out;
  }
  template <typename Request, typename Response, typename Method>
  grpc::Status Query(const std::string& who, Method method, const Request& request, Response* response) {
    auto stub = v1::QueryService::NewStub(ledgerd_->Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, Token(who));
    return (stub.get()->*method)(&ctx, request, response);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::LedgerdProcess> ledgerd_;
  int imports_ = 0;
};

TEST_F(OrganisationE2eTest, AManagerReadsTheirRegionAndAnOutageExcusesWhatItHeld) {
  // Two visits of yesterday, entered today: late (the month's first is a warning, the second 50 元).
  const absl::TimeZone shanghai = absl::FixedTimeZone(8 * 3600);
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), shanghai);
  const std::string yesterday = absl::FormatCivilTime(today - 1);
  const std::string month = absl::FormatCivilTime(absl::CivilMonth(today));
  Import("gwe", {absl::StrCat(R"({"cmd":"register_customer","args":{"project_id":"PE1","customer_id":"CE1","name":"钱女士",)",
                              R"("phone":"13700000001","consultant_id":"gwe","source":"VISIT"}})"),
                 absl::StrCat(R"({"cmd":"log_visit","args":{"project_id":"PE1","visit_id":"V1","customer_id":"CE1",)",
                              R"("consultant_id":"gwe","kind":"VISIT","occurred_at":")", yesterday, R"(T10:00:00+08:00"}})"),
                 absl::StrCat(R"({"cmd":"log_visit","args":{"project_id":"PE1","visit_id":"V2","customer_id":"CE1",)",
                              R"("consultant_id":"gwe","kind":"CALL","occurred_at":")", yesterday, R"(T15:00:00+08:00"}})")});

  // The manager reads east's customers (phone masked), timeliness, violations and statements.
  v1::ListCustomersRequest customers;
  customers.set_project_id("PE1");
  v1::ListCustomersResponse listed;
  ASSERT_TRUE(Query("mge", &v1::QueryService::Stub::ListCustomers, customers, &listed).ok());
  ASSERT_EQ(listed.customers_size(), 1);
  EXPECT_EQ(listed.customers(0).phone(), "137****0001");
  v1::TimelinessRequest timeliness;
  timeliness.set_project_id("PE1");
  v1::TimelinessResponse rows;
  ASSERT_TRUE(Query("mge", &v1::QueryService::Stub::GetTimeliness, timeliness, &rows).ok());
  bool visits = false;
  for (const auto& r : rows.rows()) {
    if (r.person_id() == "gwe" && r.kind() == "log_visit") {
      visits = true;
      EXPECT_EQ(r.entries(), 2);
      EXPECT_EQ(r.late(), 2);
      EXPECT_EQ(r.excused(), 0);
    }
  }
  EXPECT_TRUE(visits);
  v1::ListViolationsRequest violations;
  violations.set_project_id("PE1");
  v1::ListViolationsResponse found;
  ASSERT_TRUE(Query("mge", &v1::QueryService::Stub::ListViolations, violations, &found).ok());
  ASSERT_EQ(found.violations_size(), 2);
  v1::PenaltyStatementRequest statement;
  statement.set_person_id("gwe");
  statement.set_period(month);
  v1::PenaltyStatement sheet;
  ASSERT_TRUE(Query("mge", &v1::QueryService::Stub::GetPenaltyStatement, statement, &sheet).ok());
  EXPECT_EQ(sheet.total_fen(), 5000);
  // Not another region's project, not the group's people; and no entry at all.
  v1::ListUnitsRequest west;
  west.set_project_id("PW1");
  v1::ListUnitsResponse units;
  grpc::Status s = Query("mge", &v1::QueryService::Stub::ListUnits, west, &units);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(), "mge is not assigned to project PW1");
  statement.set_person_id("cwe");
  s = Query("mge", &v1::QueryService::Stub::GetPenaltyStatement, statement, &sheet);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  statement.set_person_id("gwe");
  {
    auto entry = v1::EntryService::NewStub(ledgerd_->Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, Token("mge"));
    v1::LogVisitRequest visit;
    visit.set_request_id("mge-visit");
    visit.set_project_id("PE1");
    v1::EntryResponse r;
    s = entry->LogVisit(&ctx, visit, &r);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(s.error_message(), "mge may not log_visit: it needs role CONSULTANT or CUSTOMER_SERVICE");
  }

  // The system was down from yesterday 09:00 until now: both deadlines (today 00:00) fell inside.
  std::string out;
  EXPECT_EQ(Ctl("gwe", "outage declare --id O1 --from " + yesterday + "T09:00:00+08:00 --to " +
                           absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone()) + " --reason 断网",
                &out),
            1);
  EXPECT_THAT(out, HasSubstr("gwe may not declare_outage: it needs role FINANCE_LEAD [PERMISSION_DENIED]"));
  const std::string declare = "outage declare --id O1 --projects PE1 --from " + yesterday + "T09:00:00+08:00 --to " +
                              absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone()) + " --reason 断网";
  ASSERT_EQ(Ctl("cwe", declare, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("declared outage O1 (seq "));
  ASSERT_EQ(Ctl("cwe", declare, &out), 0) << out;  // the same request again: answered, not appended twice
  EXPECT_THAT(out, HasSubstr(", earlier)"));
  ASSERT_TRUE(Query("mge", &v1::QueryService::Stub::GetPenaltyStatement, statement, &sheet).ok());
  EXPECT_EQ(sheet.total_fen(), 0);
  ASSERT_EQ(sheet.items_size(), 2);
  EXPECT_EQ(sheet.items(1).excused_by_outage(), "O1");
  ASSERT_TRUE(Query("mge", &v1::QueryService::Stub::GetTimeliness, timeliness, &rows).ok());
  for (const auto& r : rows.rows()) {
    if (r.person_id() == "gwe" && r.kind() == "log_visit") EXPECT_EQ(r.excused(), 2);
  }
  ASSERT_EQ(Ctl("cwe", "outage withdraw --id O1 --reason 误报", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("withdrew outage O1"));
  ASSERT_TRUE(Query("mge", &v1::QueryService::Stub::GetPenaltyStatement, statement, &sheet).ok());
  EXPECT_EQ(sheet.total_fen(), 5000);
  EXPECT_EQ(Ctl("cwe", "outage withdraw --id O1 --reason again --request-id w2", &out), 1);
  EXPECT_THAT(out, HasSubstr("outage 'O1' was already withdrawn"));
  EXPECT_THAT(out, HasSubstr("[FAILED_PRECONDITION]"));
}

TEST_F(OrganisationE2eTest, AClerkRotatesTheirOwnTokenWithLedgerctl) {
  std::string out;
  // The administrator sees the three-day tokens coming up for expiry.
  ASSERT_EQ(Ctl("admin", "status", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("token expiring  t-gwe of gwe at "));
  const std::string old_token = Token("gwe");
  ASSERT_EQ(Ctl("gwe", "token rotate", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("the new one is in " + TokenFile("gwe") + ", the old one no longer works"));
  const std::string new_token = Token("gwe");
  EXPECT_EQ(new_token.size(), 64u);
  EXPECT_NE(new_token, old_token);
  struct stat st;
  ASSERT_EQ(::stat(TokenFile("gwe").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto status_of = [&](const std::string& token) {
    auto stub = v1::QueryService::NewStub(ledgerd_->Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token);
    v1::TimelinessRequest request;
    v1::TimelinessResponse response;
    return stub->GetTimeliness(&ctx, request, &response);
  };
  EXPECT_TRUE(status_of(new_token).ok());
  const grpc::Status old = status_of(old_token);
  EXPECT_EQ(old.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(old.error_message(), "token 't-gwe' was revoked");
  // With the old token in hand nothing rotates.
  std::ofstream(dir_.Sub("old.token")) << old_token << "\n";
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " token rotate --server ", ledgerd_->address(),
                                             " --token-file ", dir_.Sub("old.token")),
                                &out),
            1);
  EXPECT_THAT(out, HasSubstr("[UNAUTHENTICATED]"));
  // The verbs say how they are used.
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " token --help"), &out), 0);
  EXPECT_THAT(out, HasSubstr("ledgerctl token rotate [--token-id NEW]"));
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " outage --help"), &out), 0);
  EXPECT_THAT(out, HasSubstr("ledgerctl outage declare --id O --from T --to T --reason R"));
  EXPECT_THAT(out, HasSubstr("ledgerctl outage withdraw --id O --reason R"));
}

}  // namespace
}  // namespace salesledger
