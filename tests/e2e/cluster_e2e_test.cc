// Replicated mode end to end (issue 19): three ledgerd nodes on one scratch PostgreSQL 15, 64 gRPC
// clients writing through all three while the writer is killed (-9) or stalled (SIGSTOP for 10 s,
// then SIGCONT). After every round: each acknowledged entry is present exactly once, at the seq it
// was acknowledged with, on every node; the nodes' heads are equal (one hash chain); receipt
// numbers run from BJF-R000001 with no gap; every node lists the same payments; each node's chain
// and tree verify and its projections equal a fresh fold. CI runs 5 rounds of each fault; set
// SALESLEDGER_CLUSTER_ROUNDS=50 for the full run (README). PatroniClusterTest runs the whole of
// tools/cluster.sh and adds the failover manager's faults: a killed PostgreSQL primary, lost standbys.
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "salesledger/v1/query.grpc.pb.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/temp_dir.h"
#include "tools/scratch_postgres.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;

constexpr int kNodes = 3;

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::chmod(dir_.path().c_str(), 0755);  // the postgres user walks into it
    StartCluster();
    SetUpProject();
  }

  // One scratch PostgreSQL; three nodes started and restarted by the test.
  virtual void StartCluster() {
    auto pg = ScratchPostgres::Start(dir_.Sub("pg"), "ledger");
    ASSERT_TRUE(pg.ok()) << pg.status();
    pg_ = *std::move(pg);
    // The first node alone, so that it writes the genesis (and holds admin.token).
    StartNode(0);
    ASSERT_EQ(WaitForWriter(absl::Seconds(30)), 0);
    admin_token_ = nodes_[0]->AdminToken();
    admin_token_file_ = dir_.Sub("n1/admin.token");
    // One log, one key: the others sign with a copy of the first node's log.key.
    for (int i = 1; i < kNodes; ++i) {
      const std::string data = dir_.Sub(absl::StrCat("n", i + 1));
      std::filesystem::create_directories(data);
      std::filesystem::copy_file(dir_.Sub("n1/log.key"), data + "/log.key");
      StartNode(i);
    }
  }

  void TearDown() override { StopClients(); }

  void StartNode(int i) {
    nodes_[i] = std::make_unique<testing::LedgerdProcess>(
        LEDGERD_PATH, dir_.Sub(absl::StrCat("n", i + 1)),
        std::vector<std::string>{"--log-store", pg_->conninfo(), "--node-name", absl::StrCat("n", i + 1), "--lease", "2"});
    std::lock_guard<std::mutex> lock(mu_);
    addresses_[i] = nodes_[i]->address();
  }

  std::string Address(int i) {
    std::lock_guard<std::mutex> lock(mu_);
    return addresses_[i];
  }

  std::optional<v1::GetStatusResponse> Status(int i, uint64_t min_seq = 0) {
    grpc::ClientContext ctx;
    // Before the first node has written the genesis there is no admin.token yet: no answer.
    testing::Authorize(ctx, admin_token_.empty() && nodes_[0] != nullptr ? nodes_[0]->AdminToken() : admin_token_);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(min_seq > 0 ? 10 : 1));
    if (min_seq > 0) ctx.AddMetadata("x-salesledger-min-seq", absl::StrCat(min_seq));
    v1::GetStatusResponse r;
    auto stub = v1::AdminService::NewStub(grpc::CreateChannel(Address(i), grpc::InsecureChannelCredentials()));
    if (!stub->GetStatus(&ctx, v1::GetStatusRequest(), &r).ok()) return std::nullopt;
    return r;
  }

  // The node that says it writes, once one does (other than `not_this`).
  int WaitForWriter(absl::Duration timeout, int not_this = -1) {
    for (absl::Time end = absl::Now() + timeout; absl::Now() < end; absl::SleepFor(absl::Milliseconds(50))) {
      for (int i = 0; i < kNodes; ++i) {
        if (Address(i).empty() || i == not_this) continue;
        std::optional<v1::GetStatusResponse> s = Status(i);
        if (s.has_value() && s->cluster().role() == "writer") return i;
      }
    }
    return -1;
  }

  void SetUpProject() {
    auto admin = v1::AdminService::NewStub(grpc::CreateChannel(Address(1), grpc::InsecureChannelCredentials()));
    auto call = [&](auto method, auto request, v1::EntryResponse* r) {
      grpc::ClientContext ctx;
      testing::Authorize(ctx, admin_token_);
      const grpc::Status s = ((*admin).*method)(&ctx, request, r);
      EXPECT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
      return s;
    };
    // Through a follower (n2): forwarded to the writer.
    v1::EntryResponse r;
    v1::DefineProjectRequest project;
    project.set_request_id("p");
    project.set_project_id("BJF");
    project.set_name("滨江府");
    ASSERT_TRUE(call(&v1::AdminService::Stub::DefineProject, project, &r).ok());
    v1::AddPersonRequest person;
    person.set_request_id("yx");
    person.set_person_id("yx01");
    person.set_name("杨");
    person.add_roles(v1::MARKETING);
    person.add_project_ids("BJF");
    ASSERT_TRUE(call(&v1::AdminService::Stub::AddPerson, person, &r).ok());
    v1::IssueTokenRequest issue;
    issue.set_request_id("t");
    issue.set_person_id("yx01");
    issue.set_token_id("t-yx01");
    ASSERT_TRUE(call(&v1::AdminService::Stub::IssueToken, issue, &r).ok());
    token_ = r.token();
    // A cashier, whose payments take receipt numbers, and the customer they are for.
    for (const auto& [id, role] : {std::pair{"gw01", v1::CONSULTANT}, std::pair{"sy01", v1::CASHIER}}) {
      person.set_request_id(id);
      person.set_person_id(id);
      person.clear_roles();
      person.add_roles(role);
      ASSERT_TRUE(call(&v1::AdminService::Stub::AddPerson, person, &r).ok());
      issue.set_request_id(absl::StrCat("t-", id));
      issue.set_person_id(id);
      issue.set_token_id(absl::StrCat("t-", id));
      ASSERT_TRUE(call(&v1::AdminService::Stub::IssueToken, issue, &r).ok());
      (role == v1::CASHIER ? cashier_token_ : consultant_token_) = r.token();
    }
    v1::RegisterCustomerRequest customer;
    customer.set_request_id("c");
    customer.set_project_id("BJF");
    customer.set_customer_id("C1");
    customer.set_name("王");
    customer.set_phone("13800000001");
    customer.set_consultant_id("gw01");
    customer.set_source(v1::RegisterCustomerRequest::VISIT);
    grpc::ClientContext ctx;
    testing::Authorize(ctx, consultant_token_);
    auto entry = v1::EntryService::NewStub(grpc::CreateChannel(Address(2), grpc::InsecureChannelCredentials()));
    const grpc::Status registered = entry->RegisterCustomer(&ctx, customer, &r);
    ASSERT_TRUE(registered.ok()) << registered.error_message();
  }

  static v1::RecordCompetitorRequest Competitor(const std::string& id) {
    v1::RecordCompetitorRequest r;
    r.set_request_id(id);
    r.set_project_id("BJF");
    r.set_competitor_id(id);
    r.set_name("对手");
    r.set_avg_price_fen_per_m2(3000000);
    r.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    return r;
  }

  static v1::RecordPaymentRequest Payment(const std::string& id) {
    v1::RecordPaymentRequest r;
    r.set_request_id(id);
    r.set_project_id("BJF");
    r.set_payment_id(id);
    r.set_customer_id("C1");
    r.set_kind(v1::RecordPaymentRequest::EARNEST);
    r.set_amount_fen(2000000);
    r.set_method(v1::RecordPaymentRequest::TRANSFER);
    r.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    return r;
  }

  // 64 clients, each sending its entries to the nodes in turn; an entry that gets no answer is
  // retried with the same request_id on the next node until one acknowledges it. One client in
  // eight is the cashier recording payments, the others record competitors.
  void StartClients() {
    for (int c = 0; c < 64; ++c) {
      clients_.emplace_back([this, c] {
        std::map<std::string, std::unique_ptr<v1::EntryService::Stub>> stubs;
        const bool cashier = c % 8 == 0;
        for (int i = 0; !stop_; ++i) {
          const std::string id = absl::StrCat(cashier ? "pay" : "c", c, "-", i);
          const v1::RecordCompetitorRequest competitor = Competitor(id);
          const v1::RecordPaymentRequest payment = Payment(id);
          for (int node = (c + i) % kNodes, tries = 0; tries < 400; node = (node + 1) % kNodes, ++tries) {
            const std::string address = Address(node);
            auto& stub = stubs[address];
            if (stub == nullptr) {
              stub = v1::EntryService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
            }
            grpc::ClientContext ctx;
            testing::Authorize(ctx, cashier ? cashier_token_ : token_);
            ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
            v1::EntryResponse response;
            const grpc::Status s = cashier ? stub->RecordPayment(&ctx, payment, &response)
                                           : stub->RecordCompetitor(&ctx, competitor, &response);
            if (s.ok()) {
              std::lock_guard<std::mutex> lock(mu_);
              auto [it, fresh] = acked_.emplace(id, response.seq());
              if (!fresh) mismatched_.push_back(id);
              if (cashier) receipts_[id] = response.receipt_no();
              ++acks_;
              max_acked_seq_ = std::max(max_acked_seq_, response.seq());
              break;
            }
            // No answer (the node died, stalled or is shutting down): the outcome is unknown, retry.
            if (s.error_code() != grpc::StatusCode::UNAVAILABLE && s.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED &&
                s.error_code() != grpc::StatusCode::CANCELLED) {
              std::lock_guard<std::mutex> lock(mu_);
              refused_.push_back(absl::StrCat(id, ": ", s.error_code(), " ", s.error_message()));
              break;
            }
            absl::SleepFor(absl::Milliseconds(50));
          }
        }
      });
    }
  }

  void StopClients() {
    stop_ = true;
    for (auto& t : clients_) t.join();
    clients_.clear();
    stop_ = false;
  }

  int Acks() {
    std::lock_guard<std::mutex> lock(mu_);
    return acks_;
  }

  size_t Payments() {
    std::lock_guard<std::mutex> lock(mu_);
    return receipts_.size();
  }

  // From `fault` to the first entry acknowledged by a writer other than `old`: it names a seq
  // past the new writer's head when it took over (answers in flight at the fault name earlier ones).
  absl::Duration TimeToNewWritersAck(absl::Time fault, int old) {
    const int writer = WaitForWriter(absl::Seconds(60), old);
    EXPECT_GE(writer, 0);
    std::optional<v1::GetStatusResponse> s = writer >= 0 ? Status(writer) : std::nullopt;
    const uint64_t from = s.has_value() ? s->head_seq() : 0;
    for (absl::Time end = absl::Now() + absl::Seconds(60); absl::Now() < end; absl::SleepFor(absl::Milliseconds(2))) {
      std::lock_guard<std::mutex> lock(mu_);
      if (max_acked_seq_ > from) break;
    }
    return absl::Now() - fault;
  }

  // Every payment `address` lists, serialized page after page.
  std::string ListPayments(const std::string& address) {
    auto query = v1::QueryService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    std::string all;
    v1::ListPaymentsRequest request;
    request.set_project_id("BJF");
    request.set_page_size(1000);
    do {
      grpc::ClientContext ctx;
      testing::Authorize(ctx, admin_token_);
      v1::ListPaymentsResponse page;
      const grpc::Status s = query->ListPayments(&ctx, request, &page);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      for (const v1::PaymentView& p : page.payments()) all += p.SerializeAsString();
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return all;
  }

  // Every node: the same head, every acknowledged entry exactly once at its acknowledged seq, the
  // chain and tree whole, projections equal to a fresh fold.
  void CheckNodesAgree() {
    std::optional<v1::GetStatusResponse> first;
    for (absl::Time end = absl::Now() + absl::Seconds(60); absl::Now() < end; absl::SleepFor(absl::Milliseconds(100))) {
      first = Status(0);
      bool same = first.has_value();
      for (int i = 1; i < kNodes && same; ++i) {
        std::optional<v1::GetStatusResponse> s = Status(i);
        same = s.has_value() && s->head_seq() == first->head_seq() && s->head_hash() == first->head_hash();
      }
      if (same) break;
      first.reset();
    }
    ASSERT_TRUE(first.has_value()) << "the nodes' heads did not come together";
    std::lock_guard<std::mutex> lock(mu_);
    std::string first_payments;
    EXPECT_THAT(mismatched_, ::testing::IsEmpty());
    EXPECT_THAT(refused_, ::testing::IsEmpty());
    for (int i = 0; i < kNodes; ++i) {
      auto audit = v1::AuditService::NewStub(grpc::CreateChannel(addresses_[i], grpc::InsecureChannelCredentials()));
      std::map<std::string, uint64_t> stored;
      int duplicates = 0, receipts = 0;
      for (const char* kind : {"record_competitor", "record_payment"}) {
        grpc::ClientContext ctx;
        testing::Authorize(ctx, admin_token_);
        v1::ReadEventsRequest read;
        read.set_kind(kind);
        auto reader = audit->ReadEvents(&ctx, read);
        v1::ReadEventsResponse r;
        while (reader->Read(&r)) {
          duplicates += !stored.emplace(r.event().request_id(), r.event().seq()).second;
          // In seq order, the receipts count up from 1 with no number skipped or repeated.
          if (r.event().has_record_payment()) {
            ASSERT_EQ(r.event().receipt_no(), absl::StrFormat("BJF-R%06d", ++receipts)) << "node " << i + 1;
            auto acked = receipts_.find(r.event().request_id());
            if (acked != receipts_.end()) {
              EXPECT_EQ(acked->second, r.event().receipt_no()) << acked->first;
            }
          }
        }
        ASSERT_TRUE(reader->Finish().ok());
      }
      EXPECT_EQ(duplicates, 0) << "node " << i + 1;
      EXPECT_GE(static_cast<size_t>(receipts), receipts_.size()) << "node " << i + 1;
      for (const auto& [id, seq] : acked_) {
        auto it = stored.find(id);
        ASSERT_NE(it, stored.end()) << "acknowledged " << id << " missing on node " << i + 1;
        ASSERT_EQ(it->second, seq) << id << " on node " << i + 1;
      }
      // The projections: every node lists the same payments, byte for byte.
      const std::string payments = ListPayments(addresses_[i]);
      if (i == 0) {
        if (receipts > 0) {
          EXPECT_THAT(payments, HasSubstr(absl::StrFormat("BJF-R%06d", receipts)));
        }
        first_payments = payments;
      }
      EXPECT_EQ(payments, first_payments) << "node " << i + 1 << "'s payments differ from node 1's";
      std::string out;
      ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " verify --server ", addresses_[i],
                                                 " --token-file ", admin_token_file_),
                                    &out),
                0)
          << out;
      EXPECT_THAT(out, HasSubstr("chain: OK"));
      EXPECT_THAT(out, HasSubstr("equals a fresh fold"));
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<ScratchPostgres> pg_;
  std::unique_ptr<testing::LedgerdProcess> nodes_[kNodes];
  std::string admin_token_, admin_token_file_, token_, consultant_token_, cashier_token_;
  std::mutex mu_;  // guards addresses_, acked_, receipts_, acks_, max_acked_seq_, mismatched_, refused_
  std::string addresses_[kNodes];
  std::map<std::string, uint64_t> acked_;  // request_id -> the seq it was acknowledged with
  std::map<std::string, std::string> receipts_;  // a payment's request_id -> its acknowledged receipt_no
  int acks_ = 0;
  uint64_t max_acked_seq_ = 0;
  std::vector<std::string> mismatched_, refused_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> clients_;
};

TEST_F(ClusterTest, AcknowledgedEntriesSurviveAKilledAndAStalledWriterOnEveryNode) {
  const char* env = std::getenv("SALESLEDGER_CLUSTER_ROUNDS");
  const int rounds = env != nullptr ? std::atoi(env) : 5;
  StartClients();
  for (int round = 0; round < rounds; ++round) {
    while (Acks() < 200 * (round + 1)) absl::SleepFor(absl::Milliseconds(10));
    int writer = WaitForWriter(absl::Seconds(30));
    ASSERT_GE(writer, 0);
    absl::Time fault = absl::Now();
    EXPECT_EQ(nodes_[writer]->Stop(SIGKILL), 128 + SIGKILL);
    std::cout << "round " << round << ": kill -9 of the writer n" << writer + 1 << ", first acknowledged write after "
              << absl::FormatDuration(TimeToNewWritersAck(fault, writer)) << std::endl;
    StartNode(writer);  // the supervisor's part: it comes back as a follower and catches up

    writer = WaitForWriter(absl::Seconds(30));
    ASSERT_GE(writer, 0);
    fault = absl::Now();
    nodes_[writer]->Signal(SIGSTOP);
    const absl::Duration resumed = TimeToNewWritersAck(fault, writer);
    absl::SleepFor(fault + absl::Seconds(10) - absl::Now());
    nodes_[writer]->Signal(SIGCONT);
    // Awake, it finds its lease taken: it writes nothing and exits to be restarted.
    EXPECT_EQ(nodes_[writer]->WaitForExit(20000), 75) << "node n" << writer + 1;
    std::cout << "round " << round << ": SIGSTOP of the writer n" << writer + 1 << " for 10 s, first acknowledged write after "
              << absl::FormatDuration(resumed) << std::endl;
    StartNode(writer);
  }
  StopClients();
  std::cout << Acks() << " entries acknowledged over " << rounds << " rounds, " << Payments() << " of them payments"
            << std::endl;
  EXPECT_GT(Payments(), 0u);
  CheckNodesAgree();
}

TEST_F(ClusterTest, AFollowerRestartedAfterTenThousandEventsCatchesUpAndReadsItsWrites) {
  int writer = WaitForWriter(absl::Seconds(30));
  ASSERT_GE(writer, 0);
  const int follower = (writer + 1) % kNodes, other = (writer + 2) % kNodes;
  EXPECT_EQ(nodes_[follower]->Stop(SIGKILL), 128 + SIGKILL);
  auto entry = v1::EntryService::NewStub(grpc::CreateChannel(Address(writer), grpc::InsecureChannelCredentials()));
  for (int b = 0; b < 20; ++b) {
    v1::CommandBatch batch;
    for (int i = 0; i < 500; ++i) *batch.add_commands()->mutable_record_competitor() = Competitor(absl::StrCat("b", b, "-", i));
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token_);
    v1::CommandBatchResponse response;
    ASSERT_TRUE(entry->SubmitBatch(&ctx, batch, &response).ok());
    for (const auto& result : response.results()) ASSERT_EQ(result.code(), 0) << result.message();
    std::lock_guard<std::mutex> lock(mu_);
    for (int i = 0; i < 500; ++i) acked_.emplace(absl::StrCat("b", b, "-", i), response.results(i).response().seq());
  }
  StartNode(follower);

  // An entry through the other follower, forwarded; its retry on the restarted one is the same entry.
  const v1::RecordCompetitorRequest mine = Competitor("mine");
  v1::EntryResponse first, again;
  {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token_);
    auto stub = v1::EntryService::NewStub(grpc::CreateChannel(Address(other), grpc::InsecureChannelCredentials()));
    ASSERT_TRUE(stub->RecordCompetitor(&ctx, mine, &first).ok());
    EXPECT_FALSE(first.replayed());
  }
  {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token_);
    auto stub = v1::EntryService::NewStub(grpc::CreateChannel(Address(follower), grpc::InsecureChannelCredentials()));
    const grpc::Status retried = stub->RecordCompetitor(&ctx, mine, &again);
    ASSERT_TRUE(retried.ok()) << retried.error_code() << " " << retried.error_message();
    EXPECT_TRUE(again.replayed());
    EXPECT_EQ(again.seq(), first.seq());
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    acked_.emplace("mine", first.seq());
  }
  // Read-your-writes on the restarted follower: it answers once it holds the entry...
  std::optional<v1::GetStatusResponse> s = Status(follower, first.seq());
  ASSERT_TRUE(s.has_value());
  EXPECT_GE(s->head_seq(), first.seq());
  EXPECT_EQ(s->cluster().role(), "follower");
  EXPECT_EQ(s->cluster().writer_node(), absl::StrCat("n", writer + 1));
  // ...and refuses a seq nobody has written yet, saying how far it is.
  grpc::ClientContext ctx;
  testing::Authorize(ctx, admin_token_);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
  ctx.AddMetadata("x-salesledger-min-seq", absl::StrCat(first.seq() + 1000000));
  v1::GetStatusResponse r;
  auto admin = v1::AdminService::NewStub(grpc::CreateChannel(Address(follower), grpc::InsecureChannelCredentials()));
  const grpc::Status late = admin->GetStatus(&ctx, v1::GetStatusRequest(), &r);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(late.error_message(), HasSubstr(absl::StrCat("not yet seq ", first.seq() + 1000000)));
  CheckNodesAgree();
}

TEST_F(ClusterTest, AnImportStreamedToAFollowerIsTakenByTheWriterInOrder) {
  const int writer = WaitForWriter(absl::Seconds(30));
  ASSERT_GE(writer, 0);
  const int follower = (writer + 1) % kNodes;
  auto entry = v1::EntryService::NewStub(grpc::CreateChannel(Address(follower), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  testing::Authorize(ctx, token_);
  auto stream = entry->SubmitStream(&ctx);
  constexpr int kBatches = 5, kEach = 100;
  for (int b = 0; b < kBatches; ++b) {
    v1::CommandBatch batch;
    for (int i = 0; i < kEach; ++i) *batch.add_commands()->mutable_record_competitor() = Competitor(absl::StrCat("s", b, "-", i));
    ASSERT_TRUE(stream->Write(batch));
  }
  stream->WritesDone();
  uint64_t last = 0;
  v1::CommandBatchResponse response;
  for (int b = 0; b < kBatches; ++b) {
    ASSERT_TRUE(stream->Read(&response)) << "batch " << b;
    ASSERT_EQ(response.results_size(), kEach);
    for (int i = 0; i < kEach; ++i) {
      ASSERT_EQ(response.results(i).code(), 0) << response.results(i).message();
      EXPECT_GT(response.results(i).response().seq(), last);  // answered in the order sent
      last = response.results(i).response().seq();
      std::lock_guard<std::mutex> lock(mu_);
      acked_.emplace(absl::StrCat("s", b, "-", i), last);
    }
  }
  EXPECT_FALSE(stream->Read(&response));
  const grpc::Status finished = stream->Finish();
  ASSERT_TRUE(finished.ok()) << finished.error_message();
  CheckNodesAgree();
}

TEST_F(ClusterTest, ANodeWithAnotherLogKeyIsRefusedAndNamesBothKeys) {
  // A fourth node started without a copy of the cluster's log.key makes a key of its own.
  std::string out;
  const int code = testing::RunCommand(
      absl::StrCat("timeout 60 ", LEDGERD_PATH, " --data-dir ", dir_.Sub("n4"), " --listen 127.0.0.1:0 --log-store '",
                   pg_->conninfo(), "' --node-name n4 2>&1"),
      &out);
  EXPECT_EQ(code, 1) << out;
  EXPECT_THAT(out, HasSubstr("is not the cluster's (verifier "));
  EXPECT_THAT(out, HasSubstr("holding a copy of a cluster node's log.key"));
  EXPECT_THAT(out, HasSubstr("[FAILED_PRECONDITION]"));
  // On a new data dir with the copy it joins, and follows.
  std::filesystem::create_directories(dir_.Sub("n4-new"));
  std::filesystem::copy_file(dir_.Sub("n1/log.key"), dir_.Sub("n4-new/log.key"));
  testing::LedgerdProcess fourth(LEDGERD_PATH, dir_.Sub("n4-new"),
                                 {"--log-store", pg_->conninfo(), "--node-name", "n4", "--lease", "2"});
  std::optional<v1::GetStatusResponse> writer = Status(WaitForWriter(absl::Seconds(30)));
  ASSERT_TRUE(writer.has_value());
  auto admin = v1::AdminService::NewStub(fourth.Channel());
  grpc::ClientContext ctx;
  testing::Authorize(ctx, admin_token_);
  ctx.AddMetadata("x-salesledger-min-seq", absl::StrCat(writer->head_seq()));
  v1::GetStatusResponse status;
  ASSERT_TRUE(admin->GetStatus(&ctx, v1::GetStatusRequest(), &status).ok());
  EXPECT_EQ(status.cluster().role(), "follower");
  EXPECT_GE(status.head_seq(), writer->head_seq());
}

// The whole of tools/cluster.sh: etcd, three PostgreSQL 15 under Patroni (synchronous, strict), and
// three ledgerd nodes on 127.0.0.1:50061..50063 restarted by their supervisor loops.
class PatroniClusterTest : public ClusterTest {
 protected:
  void StartCluster() override {
    cluster_ = absl::StrCat("SALESLEDGER_CLUSTER_DIR=", dir_.Sub("cluster"), " ", CLUSTER_SH, " ");
    std::string out;
    ASSERT_EQ(testing::RunCommand(cluster_ + "up", &out), 0) << out;
    for (int i = 0; i < kNodes; ++i) addresses_[i] = absl::StrCat("127.0.0.1:", 50061 + i);
    admin_token_file_ = dir_.Sub("cluster/n1/admin.token");
    std::ifstream in(admin_token_file_);
    in >> admin_token_;
    ASSERT_FALSE(admin_token_.empty());
    ASSERT_GE(WaitForWriter(absl::Seconds(60)), 0);
    for (int i = 0; i < kNodes; ++i) {  // every node serving, not just the writer
      for (int tries = 0; tries < 300 && !Status(i).has_value(); ++tries) absl::SleepFor(absl::Milliseconds(100));
    }
  }
  void TearDown() override {
    StopClients();  // a failed assertion may have left them running
    std::string out;
    EXPECT_EQ(testing::RunCommand(cluster_ + "down", &out), 0) << out;
  }

  // The PostgreSQL instance (1..3) that Patroni lists as the leader, -1 while none is (or none
  // other than `not_this`).
  int Leader(int not_this = -1) {
    std::string out;
    testing::RunCommand(absl::StrCat("patronictl -c ", dir_.Sub("cluster/pg1/patroni.yml"), " list -f json"), &out);
    // [{"Cluster": "salesledger", "Member": "pg2", "Host": ..., "Role": "Leader", ...}, ...]
    for (size_t at = out.find("\"Member\": \"pg"); at != std::string::npos; at = out.find("\"Member\": \"pg", at + 1)) {
      const int member = out[at + 13] - '0';
      const size_t end = out.find('}', at);
      if (member != not_this && out.substr(at, end - at).find("\"Role\": \"Leader\"") != std::string::npos) return member;
    }
    return -1;
  }

  // The PostgreSQL instance (1..3) that the writer commits to, once it is Patroni's leader too.
  int Primary() {
    for (absl::Time end = absl::Now() + absl::Seconds(60); absl::Now() < end; absl::SleepFor(absl::Milliseconds(200))) {
      const int writer = WaitForWriter(absl::Seconds(60));
      std::optional<v1::GetStatusResponse> s = writer >= 0 ? Status(writer) : std::nullopt;
      const std::string primary = s.has_value() ? s->cluster().postgresql_primary() : "";  // 127.0.0.1:544N
      if (!primary.empty() && primary.back() - '0' == Leader()) return Leader();
    }
    return -1;
  }

  // Until Patroni lists all three PostgreSQL instances running again.
  void WaitForThreeInstances() {
    std::string out;
    for (absl::Time end = absl::Now() + absl::Seconds(300); absl::Now() < end; absl::SleepFor(absl::Milliseconds(500))) {
      testing::RunCommand(absl::StrCat("patronictl -c ", dir_.Sub("cluster/pg1/patroni.yml"), " list -f json"), &out);
      int running = 0;
      for (size_t at = out.find("\"running\""); at != std::string::npos; at = out.find("\"running\"", at + 1)) ++running;
      for (size_t at = out.find("\"streaming\""); at != std::string::npos; at = out.find("\"streaming\"", at + 1)) ++running;
      if (running == 3 && out.find("Sync Standby") != std::string::npos) return;
    }
    FAIL() << "Patroni did not list three running instances: " << out;
  }

  grpc::Status Write(int node, const v1::RecordCompetitorRequest& request, v1::EntryResponse* response, int seconds) {
    grpc::ClientContext ctx;
    testing::Authorize(ctx, token_);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    auto stub = v1::EntryService::NewStub(grpc::CreateChannel(Address(node), grpc::InsecureChannelCredentials()));
    return stub->RecordCompetitor(&ctx, request, response);
  }

  std::string cluster_;
};

TEST_F(PatroniClusterTest, AcknowledgedEntriesSurviveAKilledPostgresPrimary) {
  const char* env = std::getenv("SALESLEDGER_CLUSTER_ROUNDS");
  const int rounds = env != nullptr ? std::atoi(env) : 5;
  StartClients();
  for (int round = 0; round < rounds; ++round) {
    while (Acks() < 200 * (round + 1)) absl::SleepFor(absl::Milliseconds(10));
    const int primary = Primary();
    ASSERT_GE(primary, 1);
    const int writer = WaitForWriter(absl::Seconds(30));
    ASSERT_GE(writer, 0);
    // The writer's head before the fault (read after it, a node busy failing might not answer).
    std::optional<v1::GetStatusResponse> before = Status(writer);
    ASSERT_TRUE(before.has_value());
    const absl::Time fault = absl::Now();
    std::string out;
    ASSERT_EQ(testing::RunCommand(absl::StrCat(cluster_, "kill pg", primary), &out), 0) << out;
    // The writer's commit fails, it starts again and takes the lease back, or another node does.
    // An ack past every group that could have been in flight at the fault (64 clients, up to 8
    // groups) is one of a commit made after it.
    const uint64_t from = before->head_seq() + 64 * 8;
    for (absl::Time end = absl::Now() + absl::Seconds(90); absl::Now() < end; absl::SleepFor(absl::Milliseconds(2))) {
      std::lock_guard<std::mutex> lock(mu_);
      if (max_acked_seq_ > from) break;
    }
    const absl::Duration resumed = absl::Now() - fault;
    // The fault was real: Patroni promoted another instance, and the writer commits to it.
    int promoted = -1;
    for (absl::Time end = absl::Now() + absl::Seconds(60); promoted == -1 && absl::Now() < end;) {
      promoted = Leader(primary);
      if (promoted == -1) absl::SleepFor(absl::Milliseconds(200));
    }
    EXPECT_NE(promoted, -1) << "Patroni lists no new leader after pg" << primary << " was killed";
    EXPECT_EQ(Primary(), promoted);
    std::cout << "round " << round << ": kill -9 of the PostgreSQL primary pg" << primary << " (pg" << promoted
              << " promoted), writes acknowledged again after " << absl::FormatDuration(resumed) << std::endl;
    if (round + 1 == rounds) break;
    ASSERT_EQ(testing::RunCommand(cluster_ + "up", &out), 0) << out;  // it comes back as a standby
    WaitForThreeInstances();
  }
  StopClients();
  std::cout << Acks() << " entries acknowledged over " << rounds << " rounds, " << Payments() << " of them payments"
            << std::endl;
  EXPECT_GT(Payments(), 0u);
  CheckNodesAgree();
}

TEST_F(PatroniClusterTest, LosingOneInstanceKeepsWritingLosingTwoRefusesWritesButServesReads) {
  const int primary = Primary();
  ASSERT_GE(primary, 1);
  const int standby_a = primary % 3 + 1, standby_b = (primary + 1) % 3 + 1;
  std::string out;
  ASSERT_EQ(testing::RunCommand(absl::StrCat(cluster_, "kill pg", standby_a), &out), 0) << out;
  v1::EntryResponse response;
  grpc::Status s;
  for (int i = 0; i < 60; ++i) {  // the other standby becomes the synchronous one
    s = Write(1, Competitor("one-lost"), &response, 5);
    if (s.ok()) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  ASSERT_TRUE(s.ok()) << s.error_message();
  {
    std::lock_guard<std::mutex> lock(mu_);
    acked_.emplace("one-lost", response.seq());
  }

  ASSERT_EQ(testing::RunCommand(absl::StrCat(cluster_, "kill pg", standby_b), &out), 0) << out;
  const int writer = WaitForWriter(absl::Seconds(30));
  ASSERT_GE(writer, 0);
  const v1::RecordCompetitorRequest refused = Competitor("two-lost");
  s = Write(writer, refused, &response, 30);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  // Reads go on, on every node that is up (the writer may be restarting).
  const int follower = (writer + 1) % kNodes;
  std::optional<v1::GetStatusResponse> read = Status(follower);
  ASSERT_TRUE(read.has_value());
  EXPECT_GE(read->head_seq(), acked_["one-lost"]);

  // The standbys return: the refused entry, retried as it was, is taken once — or is found taken,
  // when the commit that waited for a standby went through as it came back.
  ASSERT_EQ(testing::RunCommand(cluster_ + "up", &out), 0) << out;
  WaitForThreeInstances();
  for (int i = 0; i < 120; ++i) {
    s = Write(follower, refused, &response, 5);
    if (s.ok()) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  ASSERT_TRUE(s.ok()) << s.error_message();
  {
    std::lock_guard<std::mutex> lock(mu_);
    acked_.emplace("two-lost", response.seq());
  }
  CheckNodesAgree();
}

}  // namespace
}  // namespace salesledger
