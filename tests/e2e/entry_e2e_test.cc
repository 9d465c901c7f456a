// End to end over gRPC: commands through EntryService and AdminService of a real ledgerd.
#include <signal.h>

#include <atomic>
#include <barrier>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "salesledger/v1/query.grpc.pb.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;

class EntryE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledgerd_ = std::make_unique<testing::LedgerdProcess>(LEDGERD_PATH, dir_.Sub("data"));
    channel_ = ledgerd_->Channel();
    admin_ = v1::AdminService::NewStub(channel_);
    entry_ = v1::EntryService::NewStub(channel_);
    admin_token_ = ledgerd_->AdminToken();
  }
  void TearDown() override {
    admin_.reset();
    entry_.reset();
    channel_.reset();
    EXPECT_EQ(ledgerd_->Stop(SIGTERM), 0);
  }

  template <typename Request, typename Method>
  grpc::Status Call(Method method, const std::string& token, Request request, v1::EntryResponse* response = nullptr) {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token);
    v1::EntryResponse ignored;
    if (request.request_id().empty()) request.set_request_id(absl::StrCat("e2e-", ++next_id_));
    return method(&ctx, request, response != nullptr ? response : &ignored);
  }
  grpc::Status Admin(auto fn, auto request, v1::EntryResponse* r = nullptr) {
    return Call([&](grpc::ClientContext* c, const auto& q, v1::EntryResponse* s) { return (admin_.get()->*fn)(c, q, s); },
                admin_token_, request, r);
  }
  grpc::Status Entry(const std::string& token, auto fn, auto request, v1::EntryResponse* r = nullptr) {
    return Call([&](grpc::ClientContext* c, const auto& q, v1::EntryResponse* s) { return (entry_.get()->*fn)(c, q, s); },
                token, request, r);
  }

  // Adds a person with one role on BJF and returns their new bearer token.
  std::string Person(const std::string& id, v1::Role role) {
    v1::AddPersonRequest add;
    add.set_person_id(id);
    add.set_name(id);
    add.add_roles(role);
    add.add_project_ids("BJF");
    EXPECT_TRUE(Admin(&v1::AdminService::Stub::AddPerson, add).ok());
    v1::IssueTokenRequest issue;
    issue.set_person_id(id);
    issue.set_token_id("t-" + id);
    v1::EntryResponse r;
    EXPECT_TRUE(Admin(&v1::AdminService::Stub::IssueToken, issue, &r).ok());
    EXPECT_EQ(r.token().size(), 64u);
    return r.token();
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::LedgerdProcess> ledgerd_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::EntryService::Stub> entry_;
  std::string admin_token_;
  std::atomic<int> next_id_{0};
};

TEST_F(EntryE2eTest, TwoClientsRaceForOneUnitAndExactlyOneWins) {
  v1::DefineProjectRequest project;
  project.set_project_id("BJF");
  project.set_name("滨江府");
  ASSERT_TRUE(Admin(&v1::AdminService::Stub::DefineProject, project).ok());
  const std::string kf = Person("kf01", v1::CUSTOMER_SERVICE), xs = Person("xs01", v1::SALES_LEAD),
                    yx = Person("yx01", v1::MARKETING), gw = Person("gw01", v1::CONSULTANT);
  constexpr int kRaces = 100;
  v1::ReviewSetupRequest review;
  review.set_project_id("BJF");
  review.set_approve(true);
  for (int i = 0; i < kRaces; ++i) {
    v1::DefineUnitRequest unit;
    unit.set_project_id("BJF");
    unit.set_unit_id(absl::StrCat("U", i));
    unit.set_building("A");
    unit.set_floor(i / 10);
    unit.set_room(absl::StrCat(i % 10));
    unit.set_product_type("住宅");
    unit.set_area_x100(9000);
    unit.set_list_price_fen(100000000);
    ASSERT_TRUE(Entry(kf, &v1::EntryService::Stub::DefineUnit, unit).ok());
    review.add_item_ids(unit.unit_id());
  }
  v1::DefinePaymentPlanRequest plan;
  plan.set_project_id("BJF");
  plan.set_plan_id("FULL");
  plan.set_name("全款");
  plan.set_kind(v1::DefinePaymentPlanRequest::FULL);
  plan.set_discount_bp(0);
  ASSERT_TRUE(Entry(kf, &v1::EntryService::Stub::DefinePaymentPlan, plan).ok());
  review.add_item_ids("FULL");
  ASSERT_TRUE(Entry(xs, &v1::EntryService::Stub::ReviewSetup, review).ok());
  v1::ConfirmSetupRequest confirm;
  confirm.set_project_id("BJF");
  *confirm.mutable_item_ids() = review.item_ids();
  ASSERT_TRUE(Entry(yx, &v1::EntryService::Stub::ConfirmSetup, confirm).ok());
  for (const char* c : {"C1", "C2"}) {
    v1::RegisterCustomerRequest customer;
    customer.set_project_id("BJF");
    customer.set_customer_id(c);
    customer.set_name(c);
    customer.set_phone(std::string(c) == "C1" ? "13800000001" : "13800000002");
    customer.set_consultant_id("gw01");
    customer.set_source(v1::RegisterCustomerRequest::VISIT);
    ASSERT_TRUE(Entry(gw, &v1::EntryService::Stub::RegisterCustomer, customer).ok());
  }

  std::barrier start(2);
  std::atomic<int> wins{0}, losses{0}, other{0};
  std::vector<int> winner(kRaces, -1);
  auto client = [&](int who) {
    auto channel = ledgerd_->Channel();  // each client on its own connection
    auto stub = v1::EntryService::NewStub(channel);
    for (int i = 0; i < kRaces; ++i) {
      v1::CreateSubscriptionRequest sub;
      sub.set_request_id(absl::StrCat("race-", i, "-", who));
      sub.set_project_id("BJF");
      sub.set_subscription_id(absl::StrCat("S", i, "-", who));
      sub.set_unit_id(absl::StrCat("U", i));
      sub.add_customer_ids(who == 0 ? "C1" : "C2");
      sub.set_consultant_id("gw01");
      sub.set_price_fen(99000000);
      sub.set_payment_plan_id("FULL");
      *sub.mutable_occurred_at() = google::protobuf::Timestamp();
      sub.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
      start.arrive_and_wait();
      grpc::ClientContext ctx;
      testing::Authorize(ctx, kf);
      v1::EntryResponse r;
      grpc::Status s = stub->CreateSubscription(&ctx, sub, &r);
      if (s.ok()) {
        ++wins;
        winner[i] = who;
      } else if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
                 s.error_message().find("SUBSCRIBED") != std::string::npos) {
        ++losses;
      } else {
        ++other;
      }
    }
  };
  std::thread a(client, 0), b(client, 1);
  a.join();
  b.join();
  EXPECT_EQ(wins.load(), kRaces);
  EXPECT_EQ(losses.load(), kRaces);
  EXPECT_EQ(other.load(), 0);
  for (int i = 0; i < kRaces; ++i) EXPECT_NE(winner[i], -1) << "race " << i;
}

TEST_F(EntryE2eTest, TheActorIsTheAuthenticatedPrincipalAndRefusalsCarryTheirCodes) {
  v1::DefineProjectRequest project;
  project.set_project_id("BJF");
  project.set_name("滨江府");
  v1::EntryResponse r;
  ASSERT_TRUE(Admin(&v1::AdminService::Stub::DefineProject, project, &r).ok());
  const std::string yx = Person("yx01", v1::MARKETING);
  v1::RecordPlanFeedbackRequest feedback;
  feedback.set_project_id("BJF");
  feedback.set_month("2026-03");
  feedback.set_analysis("来访不足");
  v1::EntryResponse done;
  ASSERT_TRUE(Entry(yx, &v1::EntryService::Stub::RecordPlanFeedback, feedback, &done).ok());
  {
    auto audit = v1::AuditService::NewStub(channel_);
    grpc::ClientContext ctx;
    testing::Authorize(ctx, admin_token_);
    v1::ReadEventsRequest read;
    read.set_from_seq(done.seq());
    read.set_to_seq(done.seq());
    auto reader = audit->ReadEvents(&ctx, read);
    v1::ReadEventsResponse event;
    ASSERT_TRUE(reader->Read(&event));
    EXPECT_EQ(event.event().actor_id(), "yx01");  // from the token, nothing else
    EXPECT_EQ(event.event().project_id(), "BJF");
    EXPECT_TRUE(event.event().has_record_plan_feedback());
    EXPECT_TRUE(reader->Finish().ok());
  }
  // The wrong role, a bad field, no token, a request over 1 MiB.
  v1::DefineProjectRequest bad = project;
  bad.set_project_id("P2");
  grpc::Status s = Entry(yx, &v1::EntryService::Stub::RecordPlanFeedback, v1::RecordPlanFeedbackRequest(), nullptr);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("'month' is required"));
  feedback.set_project_id("NOPE");
  s = Entry(yx, &v1::EntryService::Stub::RecordPlanFeedback, feedback);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  feedback.set_project_id("BJF");
  feedback.set_month("March");
  s = Entry(yx, &v1::EntryService::Stub::RecordPlanFeedback, feedback);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("month"));
  {
    grpc::ClientContext ctx;
    v1::EntryResponse ignored;
    EXPECT_EQ(admin_->DefineProject(&ctx, bad, &ignored).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  s = Call([&](grpc::ClientContext* c, const auto& q, v1::EntryResponse* x) { return admin_->DefineProject(c, q, x); }, yx,
           bad);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  bad.set_name(std::string((1 << 20) + 10, 'x'));
  s = Admin(&v1::AdminService::Stub::DefineProject, bad);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // In the project's words (the limit, and what to do), not gRPC's "Received message larger than max".
  EXPECT_THAT(s.error_message(), ::testing::ContainsRegex("^the request has 10486[0-9][0-9] bytes; at most 1 MiB "
                                                          "\\(1048576 bytes\\) is accepted: split a batch"));
  {  // A batch just over the limit says the same.
    v1::CommandBatch batch;
    for (int i = 0; i < 600; ++i) {
      v1::RecordPlanFeedbackRequest* f = batch.add_commands()->mutable_record_plan_feedback();
      *f = feedback;
      f->set_request_id(absl::StrCat("big-", i));
      f->set_analysis(std::string(1800, 'a'));
    }
    grpc::ClientContext ctx;
    testing::Authorize(ctx, yx);
    v1::CommandBatchResponse ignored;
    s = entry_->SubmitBatch(&ctx, batch, &ignored);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_THAT(s.error_message(), HasSubstr("at most 1 MiB (1048576 bytes) is accepted: split a batch"));
  }
  // Invalid UTF-8 reaches the server as bytes protobuf will not parse: INVALID_ARGUMENT, not INTERNAL.
  bad.set_name("ab\xff\xfe");
  s = Admin(&v1::AdminService::Stub::DefineProject, bad);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("not valid UTF-8"));
}

// Late visits over gRPC, then the payroll sheet through `ledgerctl statement --csv`.
TEST_F(EntryE2eTest, LedgerctlPrintsThePenaltyStatement) {
  v1::DefineProjectRequest project;
  project.set_project_id("BJF");
  project.set_name("滨江府");
  ASSERT_TRUE(Admin(&v1::AdminService::Stub::DefineProject, project).ok());
  const std::string gw = Person("gw01", v1::CONSULTANT);
  v1::RegisterCustomerRequest customer;
  customer.set_project_id("BJF");
  customer.set_customer_id("C1");
  customer.set_name("王");
  customer.set_phone("13800000001");
  customer.set_consultant_id("gw01");
  customer.set_source(v1::RegisterCustomerRequest::VISIT);
  ASSERT_TRUE(Entry(gw, &v1::EntryService::Stub::RegisterCustomer, customer).ok());
  for (const char* id : {"V1", "V2"}) {
    v1::LogVisitRequest visit;
    visit.set_project_id("BJF");
    visit.set_visit_id(id);
    visit.set_customer_id("C1");
    visit.set_consultant_id("gw01");
    visit.set_kind(v1::LogVisitRequest::VISIT);
    visit.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now() - absl::Hours(72)));
    ASSERT_TRUE(Entry(gw, &v1::EntryService::Stub::LogVisit, visit).ok());
  }
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  const std::string month = absl::FormatTime("%Y-%m", absl::Now(), shanghai);
  std::string output;
  const std::string command = absl::StrCat(LEDGERCTL_PATH, " statement --person gw01 --month ", month, " --csv --server ",
                                           ledgerd_->address(), " --token-file ", dir_.Sub("data"), "/admin.token");
  ASSERT_EQ(testing::RunCommand(command, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("person_id,name,period,violation_id,rule,amount_fen"));
  EXPECT_THAT(output, ::testing::ContainsRegex("gw01,gw01," + month + ",[0-9]+\\.1,visit_late,0,false,false"));
  EXPECT_THAT(output, ::testing::ContainsRegex("gw01,gw01," + month + ",[0-9]+\\.1,visit_late,5000,false,false"));
  EXPECT_THAT(output, HasSubstr("gw01,gw01," + month + ",TOTAL,,5000"));
  // The project's payroll sheet: everyone with a violation on BJF, names included.
  const std::string sheet = absl::StrCat(LEDGERCTL_PATH, " statement --project BJF --month ", month, " --csv --server ",
                                         ledgerd_->address(), " --token-file ", dir_.Sub("data"), "/admin.token");
  ASSERT_EQ(testing::RunCommand(sheet, &output), 0) << output;
  EXPECT_THAT(output, ::testing::ContainsRegex("gw01,gw01," + month + ",[0-9]+\\.1,visit_late,5000,false,false"));
  EXPECT_THAT(output, HasSubstr("gw01,gw01," + month + ",TOTAL,,5000"));
  // Only finance may read someone else's statement.
  std::ofstream(dir_.Sub("gw.token")) << gw;
  const std::string other = absl::StrCat(LEDGERCTL_PATH, " statement --person admin --month ", month, " --server ",
                                         ledgerd_->address(), " --token-file ", dir_.Sub("gw.token"));
  EXPECT_EQ(testing::RunCommand(other, &output), 1);
  EXPECT_THAT(output, HasSubstr("PERMISSION_DENIED"));
}

// QueryService over gRPC: project scoping, masking by reader, own-statement rule, as_of_seq.
TEST_F(EntryE2eTest, QueriesAreScopedToTheReader) {
  v1::DefineProjectRequest project;
  project.set_project_id("BJF");
  project.set_name("滨江府");
  ASSERT_TRUE(Admin(&v1::AdminService::Stub::DefineProject, project).ok());
  const std::string gw1 = Person("gw01", v1::CONSULTANT), gw2 = Person("gw02", v1::CONSULTANT);
  v1::RegisterCustomerRequest customer;
  customer.set_project_id("BJF");
  customer.set_customer_id("C1");
  customer.set_name("王");
  customer.set_phone("13800000001");
  customer.set_consultant_id("gw01");
  customer.set_source(v1::RegisterCustomerRequest::VISIT);
  v1::EntryResponse registered;
  ASSERT_TRUE(Entry(gw1, &v1::EntryService::Stub::RegisterCustomer, customer, &registered).ok());
  auto query = v1::QueryService::NewStub(channel_);
  auto phone_for = [&](const std::string& token, uint64_t as_of, grpc::Status* status) {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token);
    v1::GetCustomerRequest r;
    r.set_project_id("BJF");
    r.set_customer_id("C1");
    r.set_as_of_seq(as_of);
    v1::CustomerView view;
    *status = query->GetCustomer(&ctx, r, &view);
    return view.phone();
  };
  grpc::Status s;
  EXPECT_EQ(phone_for(gw1, 0, &s), "13800000001");
  EXPECT_EQ(phone_for(gw2, 0, &s), "138****0001");
  EXPECT_EQ(phone_for(admin_token_, registered.seq(), &s), "13800000001");
  EXPECT_TRUE(s.ok());
  phone_for(admin_token_, registered.seq() - 1, &s);  // before the customer existed
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  phone_for(admin_token_, registered.seq() + 100, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, gw2);
    v1::PenaltyStatementRequest r;
    r.set_person_id("gw01");
    r.set_period("2026-03");
    v1::PenaltyStatement statement;
    EXPECT_EQ(query->GetPenaltyStatement(&ctx, r, &statement).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    v1::DefineProjectRequest other;
    other.set_project_id("OTHER");
    other.set_name("别处");
    ASSERT_TRUE(Admin(&v1::AdminService::Stub::DefineProject, other).ok());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, gw1);
    v1::ListUnitsRequest r;
    r.set_project_id("OTHER");
    v1::ListUnitsResponse units;
    grpc::Status denied = query->ListUnits(&ctx, r, &units);
    EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(denied.error_message(), HasSubstr("not assigned to project OTHER"));
  }
}

// Five commands of a consultant's import, in an order that matters: C1; a visit of C1; C2 with
// C1's phone (ALREADY_EXISTS); a project (PERMISSION_DENIED: admin only); C3.
v1::RegisterCustomerRequest* AddCustomer(v1::CommandBatch& batch, const std::string& id, const std::string& phone) {
  v1::RegisterCustomerRequest* c = batch.add_commands()->mutable_register_customer();
  c->set_request_id("batch-" + id);
  c->set_project_id("BJF");
  c->set_customer_id(id);
  c->set_name(id);
  c->set_phone(phone);
  c->set_consultant_id("gw01");
  c->set_source(v1::RegisterCustomerRequest::VISIT);
  return c;
}

v1::CommandBatch ConsultantBatch() {
  v1::CommandBatch batch;
  AddCustomer(batch, "C1", "13800000001");
  v1::LogVisitRequest* visit = batch.add_commands()->mutable_log_visit();  // needs C1, just before it
  visit->set_request_id("batch-V1");
  visit->set_project_id("BJF");
  visit->set_visit_id("V1");
  visit->set_customer_id("C1");
  visit->set_consultant_id("gw01");
  visit->set_kind(v1::LogVisitRequest::VISIT);
  visit->mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  AddCustomer(batch, "C2", "13800000001");  // the same phone: refused
  v1::DefineProjectRequest* not_mine = batch.add_commands()->mutable_define_project();  // admin only
  not_mine->set_request_id("batch-P2");
  not_mine->set_project_id("P2");
  not_mine->set_name("x");
  AddCustomer(batch, "C3", "13800000003");
  return batch;
}

// The answers to ConsultantBatch's commands [from, to) on a ledger where C1 lands at `first`.
void ExpectConsultantResults(const v1::CommandBatchResponse& response, int from, int to, uint64_t first) {
  struct Expected {
    int code;
    uint64_t seq;
  };
  const Expected expected[] = {{0, first},
                               {0, first + 1},
                               {static_cast<int>(grpc::StatusCode::ALREADY_EXISTS), 0},
                               {static_cast<int>(grpc::StatusCode::PERMISSION_DENIED), 0},
                               {0, first + 2}};
  ASSERT_EQ(response.results_size(), to - from);
  for (int i = from; i < to; ++i) {
    const v1::CommandResult& r = response.results(i - from);
    EXPECT_EQ(r.code(), expected[i].code) << "command " << i << ": " << r.message();
    EXPECT_EQ(r.response().seq(), expected[i].seq) << "command " << i;
  }
  if (from <= 2 && 2 < to) EXPECT_THAT(response.results(2 - from).message(), HasSubstr("phone"));
}

// SubmitBatch (ledgerctl import): commands run in order, each as its own RPC would (a later one
// may depend on an earlier one; a refusal stops nothing), retries replay, and a clerk's batch
// holds the clerk's rights only.
TEST_F(EntryE2eTest, SubmitBatchRunsEachCommandInOrderAsItsOwnRpcWould) {
  v1::DefineProjectRequest project;
  project.set_project_id("BJF");
  project.set_name("滨江府");
  v1::EntryResponse defined;
  ASSERT_TRUE(Admin(&v1::AdminService::Stub::DefineProject, project, &defined).ok());
  const std::string gw = Person("gw01", v1::CONSULTANT);  // seqs defined+1 (person), +2 (token)
  const uint64_t first = defined.seq() + 3;

  const v1::CommandBatch batch = ConsultantBatch();

  auto submit = [&](const v1::CommandBatch& b, v1::CommandBatchResponse* r) {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, gw);
    return entry_->SubmitBatch(&ctx, b, r);
  };
  v1::CommandBatchResponse response;
  grpc::Status s = submit(batch, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ExpectConsultantResults(response, 0, 5, first);

  // The same batch again: the accepted ones replay with their seqs, nothing new is appended.
  v1::CommandBatchResponse again;
  ASSERT_TRUE(submit(batch, &again).ok());
  EXPECT_TRUE(again.results(0).response().replayed());
  EXPECT_EQ(again.results(0).response().seq(), first);
  EXPECT_TRUE(again.results(4).response().replayed());
  EXPECT_EQ(again.results(4).response().seq(), first + 2);

  // Too many commands, or no token: the call itself is refused and nothing is appended.
  v1::CommandBatch huge;
  for (int i = 0; i < 1001; ++i) *huge.add_commands() = batch.commands(0);
  v1::CommandBatchResponse refused;
  EXPECT_EQ(submit(huge, &refused).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext anonymous;
  EXPECT_EQ(entry_->SubmitBatch(&anonymous, batch, &refused).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto head = v1::AuditService::NewStub(channel_);
  grpc::ClientContext ctx;
  testing::Authorize(ctx, admin_token_);
  v1::GetHeadResponse h;
  ASSERT_TRUE(head->GetHead(&ctx, v1::GetHeadRequest(), &h).ok());
  EXPECT_EQ(h.seq(), first + 2);
}

// SubmitStream (ledgerctl import): each batch is answered as its own SubmitBatch call would be,
// in the order sent, though the next is decided while the last is written; a batch its own call
// would refuse ends the stream after the ones before it, and nothing after it runs.
TEST_F(EntryE2eTest, SubmitStreamAnswersEachBatchAsItsOwnSubmitBatchWouldInOrder) {
  v1::DefineProjectRequest project;
  project.set_project_id("BJF");
  project.set_name("滨江府");
  v1::EntryResponse defined;
  ASSERT_TRUE(Admin(&v1::AdminService::Stub::DefineProject, project, &defined).ok());
  const std::string gw = Person("gw01", v1::CONSULTANT);
  const uint64_t first = defined.seq() + 3;

  const v1::CommandBatch all = ConsultantBatch();
  // C1 alone, then the visit that needs it, then the other three, then all five again (replays).
  std::vector<std::pair<int, int>> slices = {{0, 1}, {1, 2}, {2, 5}, {0, 5}};
  std::vector<v1::CommandBatch> batches;
  for (const auto& [from, to] : slices) {
    v1::CommandBatch b;
    for (int i = from; i < to; ++i) *b.add_commands() = all.commands(i);
    batches.push_back(std::move(b));
  }
  v1::CommandBatch huge;  // refused as a whole
  for (int i = 0; i < 1001; ++i) *huge.add_commands() = all.commands(0);
  batches.push_back(huge);
  v1::CommandBatch after;  // never runs
  AddCustomer(after, "C4", "13800000004");
  batches.push_back(after);

  grpc::ClientContext ctx;
  testing::Authorize(ctx, gw);
  auto stream = entry_->SubmitStream(&ctx);
  for (const v1::CommandBatch& b : batches) stream->Write(b);
  stream->WritesDone();
  std::vector<v1::CommandBatchResponse> answers;
  for (v1::CommandBatchResponse r; stream->Read(&r);) answers.push_back(r);
  grpc::Status ended = stream->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ended.error_message(), HasSubstr("at most 1000 commands; this one has 1001"));
  ASSERT_EQ(answers.size(), 4u);
  for (size_t k = 0; k < 3; ++k) ExpectConsultantResults(answers[k], slices[k].first, slices[k].second, first);
  ASSERT_EQ(answers[3].results_size(), 5);
  EXPECT_TRUE(answers[3].results(0).response().replayed());
  EXPECT_EQ(answers[3].results(0).response().seq(), first);
  EXPECT_TRUE(answers[3].results(4).response().replayed());
  EXPECT_EQ(answers[3].results(4).response().seq(), first + 2);

  // Without a token the first batch already ends the stream: nothing is answered or appended.
  grpc::ClientContext anonymous;
  auto refused = entry_->SubmitStream(&anonymous);
  refused->Write(after);
  refused->WritesDone();
  v1::CommandBatchResponse none;
  EXPECT_FALSE(refused->Read(&none));
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto head = v1::AuditService::NewStub(channel_);
  grpc::ClientContext head_ctx;
  testing::Authorize(head_ctx, admin_token_);
  v1::GetHeadResponse h;
  ASSERT_TRUE(head->GetHead(&head_ctx, v1::GetHeadRequest(), &h).ok());
  EXPECT_EQ(h.seq(), first + 2);
}

}  // namespace
}  // namespace salesledger
