// The replicated log on a real PostgreSQL 15 (a scratch server per suite, a database per test):
// the writer commits there before its RocksDB, replicas follow it verified, and the lease and the
// primary key fence a replaced writer.
#include "ledger/pg_log_store.h"

#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/event_log.h"
#include "libpq-fe.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tools/scratch_postgres.h"

namespace salesledger {
namespace {

using salesledger::v1::Event;
using ::testing::HasSubstr;
using testing::IsOk;
using testing::IsOkAndHolds;
using testing::StatusIs;

class PgLogStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    ::chmod(dir_->path().c_str(), 0755);  // the postgres user walks into it
    auto server = ScratchPostgres::Start(dir_->Sub("pg"), "ledger");
    ASSERT_THAT(server, IsOk());
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  // A database of this test's own, so that every test starts from an empty replicated log.
  void SetUp() override {
    static std::atomic<int> n{0};
    database_ = absl::StrCat("t", ++n);
    PGconn* c = PQconnectdb(server_->conninfo().c_str());
    PGresult* r = PQexec(c, absl::StrCat("CREATE DATABASE ", database_).c_str());
    ASSERT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
  }

  std::string Conninfo() const { return absl::StrCat(server_->conninfo(), " dbname=", database_); }

  std::unique_ptr<PgLogStore> Store(const std::string& node, absl::Duration lease = absl::Seconds(5)) {
    PgLogStoreOptions options;
    options.conninfo = Conninfo();
    options.node = node;
    options.address = absl::StrCat("127.0.0.1:5006", node.substr(1));
    options.lease = lease;
    options.timeout = absl::Seconds(5);
    auto store = PgLogStore::Connect(options);
    EXPECT_THAT(store, IsOk());
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::unique_ptr<EventLog> Log(const std::string& name, LogUpstream* upstream) {
    EventLogOptions options;
    options.path = local_.Sub(name);
    options.upstream = upstream;
    auto log = EventLog::Open(options);
    EXPECT_THAT(log, IsOk());
    return log.ok() ? *std::move(log) : nullptr;
  }

  static absl::StatusOr<Appended> Put(EventLog& log, const std::string& request_id) {
    Event e;
    e.set_actor_id("kf01");
    e.set_project_id("BJF");
    e.set_policy_version(1);
    e.mutable_genesis()->set_ledger_id(request_id);
    return log.AppendEvent(request_id, Sha256(request_id), e);
  }

  // Everything the store holds past `log`'s head, into `log`.
  static absl::Status CatchUp(PgLogStore& store, EventLog& log) {
    while (true) {
      absl::StatusOr<std::vector<ReplicatedEvent>> events = store.ReadFrom(log.GetHead().seq + 1, 100);
      if (!events.ok()) return events.status();
      if (events->empty()) return absl::OkStatus();
      if (absl::Status s = log.AppendReplicated(*events); !s.ok()) return s;
    }
  }

  // Claims the lease and opens for appends, after catching up as a writer must.
  static void BecomeWriter(PgLogStore& store, EventLog& log, uint64_t expected_term) {
    absl::StatusOr<std::optional<uint64_t>> term = store.Campaign();
    ASSERT_THAT(term, IsOk());
    ASSERT_EQ(*term, std::optional<uint64_t>(expected_term));
    ASSERT_THAT(CatchUp(store, log), IsOk());
    store.SetAppending(true);
  }

  static testing::TempDir* dir_;
  static ScratchPostgres* server_;
  testing::TempDir local_;
  std::string database_;
};

testing::TempDir* PgLogStoreTest::dir_ = nullptr;
ScratchPostgres* PgLogStoreTest::server_ = nullptr;

TEST_F(PgLogStoreTest, TheWriterCommitsUpstreamFirstAndAReplicaFollowsWithTheSameChainAndTree) {
  auto a = Store("n1"), b = Store("n2");
  auto writer = Log("a", a.get()), replica = Log("b", b.get());
  BecomeWriter(*a, *writer, 1);
  for (int i = 1; i <= 40; ++i) ASSERT_THAT(Put(*writer, absl::StrCat("r", i)), IsOk());
  EXPECT_THAT(a->LastSeq(), IsOkAndHolds(40u));

  ASSERT_THAT(CatchUp(*b, *replica), IsOk());
  EXPECT_EQ(replica->GetHead().seq, 40u);
  EXPECT_EQ(replica->GetHead().hash, writer->GetHead().hash);
  EXPECT_THAT(replica->VerifyChain(1, 0), IsOk());
  EXPECT_EQ(*replica->TreeRoot(40), *writer->TreeRoot(40));
  auto upstream = a->ReadFrom(7, 1);
  ASSERT_THAT(upstream, IsOk());
  ASSERT_EQ(upstream->size(), 1u);
  EXPECT_EQ((*upstream)[0].request_id, "r7");
  EXPECT_EQ((*upstream)[0].request_digest, Sha256("r7"));
  EXPECT_EQ((*upstream)[0].hash, writer->ReadEvent(7)->hash());
}

TEST_F(PgLogStoreTest, AFollowerWaitingForACommitIsWokenByTheWritersCommit) {
  auto a = Store("n1"), b = Store("n2");
  auto writer = Log("a", a.get());
  BecomeWriter(*a, *writer, 1);
  EXPECT_THAT(b->WaitForCommit(absl::Milliseconds(50)), IsOk());  // nothing committed: at the timeout
  std::atomic<bool> woken{false};
  absl::Time returned;
  std::thread follower([&] {
    EXPECT_THAT(b->WaitForCommit(absl::Seconds(60)), IsOk());
    returned = absl::Now();
    woken = true;
  });
  absl::SleepFor(absl::Milliseconds(200));  // the follower is waiting
  EXPECT_FALSE(woken);
  const absl::Time committed = absl::Now();
  ASSERT_THAT(Put(*writer, "r1"), IsOk());
  follower.join();
  // Woken by the commit, not by the 60 s timeout.
  EXPECT_LT(returned - committed, absl::Seconds(30));
  EXPECT_THAT(b->ReadFrom(1, 10), IsOk());
  b->StopWaitingForCommits();
  EXPECT_THAT(b->WaitForCommit(absl::Milliseconds(10)), IsOk());  // reconnects
}

TEST_F(PgLogStoreTest, TheFirstNodesLogKeyIsTheClustersAndEveryLaterNodeIsToldIt) {
  auto a = Store("n1"), b = Store("n2");
  EXPECT_THAT(a->AgreeOnLogKey("host/salesledger+0a1b2c3d+AAAA"), IsOkAndHolds("host/salesledger+0a1b2c3d+AAAA"));
  EXPECT_THAT(b->AgreeOnLogKey("host/salesledger+99999999+BBBB"), IsOkAndHolds("host/salesledger+0a1b2c3d+AAAA"));
  EXPECT_THAT(a->AgreeOnLogKey("host/salesledger+0a1b2c3d+AAAA"), IsOkAndHolds("host/salesledger+0a1b2c3d+AAAA"));
}

TEST_F(PgLogStoreTest, AFollowerRefusesEntriesAndNamesTheWriter) {
  auto a = Store("n1"), b = Store("n2");
  auto writer = Log("a", a.get()), follower = Log("b", b.get());
  BecomeWriter(*a, *writer, 1);
  EXPECT_THAT(b->Campaign(), IsOkAndHolds(std::optional<uint64_t>()));  // a live lease is a's
  ASSERT_THAT(b->Writer(), IsOk());
  EXPECT_THAT(Put(*follower, "r1").status(),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("node n2 does not write; the writer is node n1 at 127.0.0.1:50061")));
  EXPECT_THAT(follower->failure(), IsOk());  // refused before deciding: the replica is unharmed
  EXPECT_EQ(follower->GetHead().seq, 0u);
}

TEST_F(PgLogStoreTest, AReplacedWriterCannotCommitAndItsNodeStopsAppending) {
  auto a = Store("n1", absl::Seconds(1)), b = Store("n2", absl::Seconds(1));
  auto old_writer = Log("a", a.get()), new_writer = Log("b", b.get());
  BecomeWriter(*a, *old_writer, 1);
  ASSERT_THAT(Put(*old_writer, "r1"), IsOk());
  // a stalls past its lease (it renews nothing); b takes over with term 2 and writes seq 2.
  absl::SleepFor(absl::Milliseconds(1500));
  BecomeWriter(*b, *new_writer, 2);
  ASSERT_THAT(Put(*new_writer, "r2"), IsOk());

  // a wakes up believing it writes: its commit is fenced by the lease, nothing reaches either store.
  EXPECT_THAT(Put(*old_writer, "r3").status(),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("the writer lease of term 1 is no longer node n1's")));
  EXPECT_THAT(old_writer->failure(), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("retry with the same request_id")));
  EXPECT_THAT(Put(*old_writer, "r4").status(), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("term 1")));
  EXPECT_EQ(old_writer->GetHead().seq, 1u);
  EXPECT_THAT(a->LastSeq(), IsOkAndHolds(2u));
  EXPECT_THAT(a->Renew(), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("lost the writer lease of term 1")));
  auto lease = b->Writer();
  ASSERT_THAT(lease, IsOk());
  EXPECT_EQ(lease->term, 2u);
  EXPECT_EQ(lease->node, "n2");
  EXPECT_FALSE(lease->expired);
}

TEST_F(PgLogStoreTest, TheSeqIsTheFenceForAWriterThatDidNotCatchUp) {
  auto a = Store("n1", absl::Seconds(1)), b = Store("n2", absl::Seconds(1));
  auto first = Log("a", a.get()), behind = Log("b", b.get());
  BecomeWriter(*a, *first, 1);
  ASSERT_THAT(Put(*first, "r1"), IsOk());
  absl::SleepFor(absl::Milliseconds(1500));
  // b claims the lease but skips the catch-up: its seq 1 collides with the one upstream.
  ASSERT_THAT(b->Campaign(), IsOkAndHolds(std::optional<uint64_t>(2)));
  b->SetAppending(true);
  EXPECT_THAT(Put(*behind, "r2").status(),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("another writer already holds that seq or request_id")));
  EXPECT_EQ(behind->GetHead().seq, 0u);
  auto held = a->ReadFrom(1, 10);
  ASSERT_THAT(held, IsOk());
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ((*held)[0].request_id, "r1");
}

TEST_F(PgLogStoreTest, ARetryOnTheNewWriterGetsTheOriginalAnswer) {
  auto a = Store("n1", absl::Seconds(1)), b = Store("n2", absl::Seconds(1));
  auto first = Log("a", a.get()), second = Log("b", b.get());
  BecomeWriter(*a, *first, 1);
  ASSERT_THAT(Put(*first, "r1"), IsOk());
  auto original = Put(*first, "r2");
  ASSERT_THAT(original, IsOk());
  // The client never heard back, and retries on the node that took over.
  absl::SleepFor(absl::Milliseconds(1500));
  BecomeWriter(*b, *second, 2);
  auto retried = Put(*second, "r2");
  ASSERT_THAT(retried, IsOk());
  EXPECT_TRUE(retried->replayed);
  EXPECT_EQ(retried->event.seq(), 2u);
  EXPECT_EQ(retried->event.hash(), original->event.hash());
  EXPECT_THAT(b->LastSeq(), IsOkAndHolds(2u));
}

TEST_F(PgLogStoreTest, AReplicaTakesNothingThatDoesNotFollowItsHead) {
  auto a = Store("n1");
  auto writer = Log("a", a.get()), replica = Log("b", nullptr);
  BecomeWriter(*a, *writer, 1);
  for (int i = 1; i <= 3; ++i) ASSERT_THAT(Put(*writer, absl::StrCat("r", i)), IsOk());
  auto events = a->ReadFrom(1, 10);
  ASSERT_THAT(events, IsOk());

  std::vector<ReplicatedEvent> tampered = *events;
  tampered[1].bytes[tampered[1].bytes.size() - 1] ^= 1;
  EXPECT_THAT(replica->AppendReplicated(tampered),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("chain broken at seq 2: its hash is not")));
  std::vector<ReplicatedEvent> skipped = {(*events)[0], (*events)[2]};
  EXPECT_THAT(replica->AppendReplicated(skipped),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("chain broken at seq 3: the replicated log sent it after seq 1")));
  EXPECT_EQ(replica->GetHead().seq, 0u);  // all or nothing: not even seq 1 of either
  ASSERT_THAT(replica->AppendReplicated(*events), IsOk());
  EXPECT_EQ(replica->GetHead().hash, writer->GetHead().hash);
}

TEST_F(PgLogStoreTest, APostgresCrashIsUnavailableAndTheWriterResumesAfterReopeningAndCatchingUp) {
  auto a = Store("n1");
  auto writer = Log("a", a.get());
  BecomeWriter(*a, *writer, 1);
  ASSERT_THAT(Put(*writer, "r1"), IsOk());
  ASSERT_THAT(server_->Crash(), IsOk());
  EXPECT_THAT(Put(*writer, "r2").status(), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("replicated log")));
  ASSERT_THAT(server_->Restart(), IsOk());
  // Crash-only: the node reopens its replica, catches up (r2 was never committed) and claims again.
  writer.reset();
  a = Store("n1");
  writer = Log("a", a.get());
  BecomeWriter(*a, *writer, 2);
  EXPECT_EQ(writer->GetHead().seq, 1u);
  auto retried = Put(*writer, "r2");
  ASSERT_THAT(retried, IsOk());
  EXPECT_FALSE(retried->replayed);
  EXPECT_EQ(retried->event.seq(), 2u);
}

}  // namespace
}  // namespace salesledger
