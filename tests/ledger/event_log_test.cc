#include "ledger/event_log.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/record_format.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "rocksdb/db.h"
#include "tests/testing/fault_injection_fs.h"
#include "tests/testing/raw_ledger.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using salesledger::v1::Event;
using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

const absl::Time kStart = absl::FromUnixSeconds(1772326800);  // 2026-03-01T09:00:00+08:00

class EventLogTest : public ::testing::Test {
 protected:
  std::unique_ptr<EventLog> Open(rocksdb::Env* env = nullptr) {
    EventLogOptions options;
    options.path = dir_.Sub("ledger");
    options.clock = &clock_;
    options.env = env;
    auto log = EventLog::Open(options);
    EXPECT_THAT(log, IsOk());
    return log.ok() ? *std::move(log) : nullptr;
  }

  // An event for project `project` with a distinguishable body.
  static Event Content(const std::string& actor) {
    Event e;
    e.set_actor_id(actor);
    e.set_project_id("BJF");
    e.set_policy_version(1);
    e.mutable_genesis()->set_ledger_id(actor);
    return e;
  }

  static absl::StatusOr<Appended> Put(EventLog& log, const std::string& request_id,
                                      const std::string& actor = "kf01") {
    return log.AppendEvent(request_id, Sha256(actor), Content(actor));
  }

  testing::TempDir dir_;
  ManualClock clock_{kStart};
};

TEST_F(EventLogTest, AppendThenReadRoundTrip) {
  auto log = Open();
  for (int i = 1; i <= 3; ++i) {
    clock_.Advance(absl::Seconds(1));
    auto appended = Put(*log, absl::StrCat("r-", i), absl::StrCat("actor", i));
    ASSERT_THAT(appended, IsOk());
    EXPECT_EQ(appended->event.seq(), static_cast<uint64_t>(i));
    EXPECT_FALSE(appended->replayed);
    EXPECT_EQ(FromProto(appended->event.recorded_at()), kStart + absl::Seconds(i));
  }
  EXPECT_EQ(log->GetHead().seq, 3u);

  std::string prev = GenesisPrevHash();
  uint64_t expected = 1;
  ASSERT_THAT(log->Read(1, 0,
                        [&](const StoredEvent& e) {
                          EXPECT_EQ(e.seq, expected);
                          Event event;
                          EXPECT_TRUE(event.ParseFromArray(e.bytes.data(), e.bytes.size()));
                          EXPECT_EQ(event.seq(), expected);
                          EXPECT_EQ(event.actor_id(), absl::StrCat("actor", expected));
                          EXPECT_EQ(event.request_id(), absl::StrCat("r-", expected));
                          EXPECT_EQ(event.prev_hash(), prev);
                          EXPECT_TRUE(event.hash().empty());
                          // occurred_at defaults to recorded_at.
                          EXPECT_EQ(FromProto(event.occurred_at()), FromProto(event.recorded_at()));
                          std::string hash = ChainHash(prev, std::string(e.bytes));
                          EXPECT_EQ(std::string(e.hash), hash);
                          prev = hash;
                          ++expected;
                          return true;
                        }),
              IsOk());
  EXPECT_EQ(expected, 4u);
  EXPECT_EQ(log->GetHead().hash, prev);
  auto verified = log->VerifyChain(0, 0);
  ASSERT_THAT(verified, IsOk());
  EXPECT_EQ(verified->seq, 3u);
  EXPECT_EQ(verified->hash, prev);

  auto second = log->ReadEvent(2);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->actor_id(), "actor2");
  EXPECT_EQ(second->hash().size(), kHashSize);
  EXPECT_THAT(log->ReadEvent(4), StatusIs(absl::StatusCode::kNotFound, HasSubstr("seq 4")));
}

TEST_F(EventLogTest, SixteenConcurrentAppendersGetGapFreeSeqs) {
  auto log = Open();
  constexpr int kThreads = 16, kEach = 100;
  std::vector<std::vector<uint64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto a = Put(*log, absl::StrCat("t", t, "-", i), absl::StrCat("a", t, "-", i));
        ASSERT_THAT(a, IsOk());
        seqs[t].push_back(a->event.seq());
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<uint64_t> all;
  for (const auto& s : seqs) {
    // Each appender's own appends are in order.
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
    all.insert(s.begin(), s.end());
  }
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*all.begin(), 1u);
  EXPECT_EQ(*all.rbegin(), static_cast<uint64_t>(kThreads * kEach));
  EXPECT_EQ(log->GetHead().seq, static_cast<uint64_t>(kThreads * kEach));
  EXPECT_THAT(log->VerifyChain(0, 0), IsOk());
}

TEST_F(EventLogTest, ALoneCallerDecidesAndIsToldOnItsOwnThread) {
  auto log = Open();
  std::thread::id decided_on, listened_on;
  log->SetCommitListener([&](const std::vector<Event>&) { listened_on = std::this_thread::get_id(); });
  std::thread other;
  std::optional<absl::StatusOr<Appended>> second;
  Proposal p;
  p.request_id = "r-1";
  p.request_digest = Sha256("r-1");
  p.decide = [&](Event& draft) {
    decided_on = std::this_thread::get_id();
    // A caller arriving while this group is decided queues behind it and comes next.
    other = std::thread([&] { second = Put(*log, "r-2"); });
    absl::SleepFor(absl::Milliseconds(50));
    draft.set_actor_id("kf01");
    return absl::OkStatus();
  };
  auto first = log->Append(std::move(p));
  other.join();
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->event.seq(), 1u);
  EXPECT_EQ(decided_on, std::this_thread::get_id());
  ASSERT_TRUE(second.has_value());
  ASSERT_THAT(*second, IsOk());
  EXPECT_EQ((*second)->event.seq(), 2u);
  EXPECT_EQ(log->GetHead().seq, 2u);
  // The idle pipeline again: the next append is this thread's own, listener and all. (The decider
  // thread marks itself idle just after handing r-2 on, so it may need a moment to get there.)
  for (int i = 0; i < 10 && listened_on != std::this_thread::get_id(); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
    ASSERT_THAT(Put(*log, absl::StrCat("r-", 3 + i)), IsOk());
  }
  EXPECT_EQ(listened_on, std::this_thread::get_id());
  EXPECT_THAT(log->VerifyChain(0, 0), IsOk());
}

TEST_F(EventLogTest, SubmitReturnsAtOnceAndALaterBatchIsDecidedAfterIt) {
  auto log = Open();
  auto proposal = [&](const std::string& id, std::vector<std::string>* order, std::thread::id* on) {
    Proposal p;
    p.request_id = id;
    p.request_digest = Sha256(id);
    p.decide = [id, order, on](Event& draft) {
      order->push_back(id);
      *on = std::this_thread::get_id();
      draft.set_actor_id("kf01");
      return absl::OkStatus();
    };
    return p;
  };
  std::vector<std::string> order;
  std::thread::id decided_on;
  std::vector<Proposal> first, second;
  first.push_back(proposal("a", &order, &decided_on));
  first.push_back(proposal("b", &order, &decided_on));
  second.push_back(proposal("c", &order, &decided_on));
  second.push_back(proposal("a", &order, &decided_on));  // a retry of the first batch's: replayed
  std::unique_ptr<PendingAppends> one = log->Submit(std::move(first));
  std::unique_ptr<PendingAppends> two = log->Submit(std::move(second));
  std::vector<absl::StatusOr<Appended>> answers = two->Wait();  // either order of waiting is fine
  std::vector<absl::StatusOr<Appended>> earlier = one->Wait();
  ASSERT_EQ(earlier.size(), 2u);
  ASSERT_EQ(answers.size(), 2u);
  for (const auto* a : {&earlier[0], &earlier[1], &answers[0], &answers[1]}) ASSERT_THAT(*a, IsOk());
  EXPECT_EQ(earlier[0]->event.seq(), 1u);
  EXPECT_EQ(earlier[1]->event.seq(), 2u);
  EXPECT_EQ(answers[0]->event.seq(), 3u);
  EXPECT_TRUE(answers[1]->replayed);
  EXPECT_EQ(answers[1]->event.seq(), 1u);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_NE(decided_on, std::this_thread::get_id());  // the decider's, never the submitter's
  EXPECT_EQ(log->GetHead().seq, 3u);
}

TEST_F(EventLogTest, RetryWithSameContentReturnsTheOriginalAndAppendsNothing) {
  auto log = Open();
  auto first = Put(*log, "r-1", "kf01");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(Put(*log, "r-2", "kf02"), IsOk());
  clock_.Advance(absl::Hours(1));
  auto retry = Put(*log, "r-1", "kf01");
  ASSERT_THAT(retry, IsOk());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->event.seq(), 1u);
  EXPECT_EQ(retry->event.hash(), first->event.hash());
  EXPECT_EQ(retry->event.recorded_at().seconds(), first->event.recorded_at().seconds());
  EXPECT_EQ(log->GetHead().seq, 2u);

  // Forever: also after a restart.
  log.reset();
  log = Open();
  retry = Put(*log, "r-1", "kf01");
  ASSERT_THAT(retry, IsOk());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->event.seq(), 1u);
  EXPECT_EQ(log->GetHead().seq, 2u);
}

TEST_F(EventLogTest, SameRequestIdWithOtherContentIsAlreadyExists) {
  auto log = Open();
  ASSERT_THAT(Put(*log, "r-1", "kf01"), IsOk());
  EXPECT_THAT(Put(*log, "r-1", "kf02"),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("request_id 'r-1'")));
  EXPECT_EQ(log->GetHead().seq, 1u);
}

TEST_F(EventLogTest, ConcurrentRetriesOfOneRequestAppendOnce) {
  auto log = Open();
  std::vector<std::thread> threads;
  std::atomic<int> replays{0};
  std::vector<uint64_t> seqs(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto a = Put(*log, "same", "kf01");
      ASSERT_THAT(a, IsOk());
      seqs[t] = a->event.seq();
      if (a->replayed) ++replays;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(log->GetHead().seq, 1u);
  EXPECT_EQ(replays.load(), 7);
  for (uint64_t s : seqs) EXPECT_EQ(s, 1u);
}

TEST_F(EventLogTest, RefusedProposalLeavesNoTrace) {
  auto log = Open();
  Proposal refused;
  refused.request_id = "r-1";
  refused.request_digest = Sha256("x");
  refused.decide = [](Event&) { return absl::FailedPreconditionError("unit A1-1203 is SUBSCRIBED"); };
  EXPECT_THAT(log->Append(refused), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("SUBSCRIBED")));
  EXPECT_EQ(log->GetHead().seq, 0u);
  // The request_id was not consumed.
  auto ok = Put(*log, "r-1", "kf01");
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->event.seq(), 1u);
  EXPECT_FALSE(ok->replayed);
}

TEST_F(EventLogTest, DecideSeesTheSeqAndCannotChangeTheEnvelope) {
  auto log = Open();
  ASSERT_THAT(Put(*log, "r-1"), IsOk());
  Proposal p;
  p.request_id = "r-2";
  p.request_digest = Sha256("y");
  uint64_t seen = 0;
  p.decide = [&](Event& draft) {
    seen = draft.seq();
    draft.set_seq(99);
    draft.set_prev_hash("forged");
    draft.set_actor_id("kf01");
    return absl::OkStatus();
  };
  auto a = log->Append(p);
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(seen, 2u);
  EXPECT_EQ(a->event.seq(), 2u);
  EXPECT_EQ(a->event.actor_id(), "kf01");
  EXPECT_THAT(log->VerifyChain(0, 0), IsOk());
}

TEST_F(EventLogTest, BadRequestIdIsInvalidArgument) {
  auto log = Open();
  EXPECT_THAT(Put(*log, ""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_THAT(Put(*log, std::string(129, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1-128")));
  EXPECT_THAT(Put(*log, "has space"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_EQ(log->GetHead().seq, 0u);
}

TEST_F(EventLogTest, RecordedAtComesFromTheClockAndNeverGoesBack) {
  auto log = Open();
  clock_.Set(kStart + absl::Hours(2));
  auto a = Put(*log, "r-1");
  clock_.Set(kStart + absl::Hours(1));  // the clock stepped back
  auto b = Put(*log, "r-2");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(FromProto(a->event.recorded_at()), kStart + absl::Hours(2));
  EXPECT_EQ(FromProto(b->event.recorded_at()), kStart + absl::Hours(2));
}

TEST_F(EventLogTest, ReopenContinuesTheChain) {
  auto log = Open();
  ASSERT_THAT(Put(*log, "r-1"), IsOk());
  ASSERT_THAT(Put(*log, "r-2"), IsOk());
  const Head before = log->GetHead();
  log.reset();
  log = Open();
  EXPECT_EQ(log->GetHead().seq, 2u);
  EXPECT_EQ(log->GetHead().hash, before.hash);
  auto third = Put(*log, "r-3");
  ASSERT_THAT(third, IsOk());
  EXPECT_EQ(third->event.seq(), 3u);
  EXPECT_EQ(third->event.prev_hash(), before.hash);
  EXPECT_THAT(log->VerifyChain(0, 0), IsOk());
}

// Tampering tests write 100 events, close the log, change the stored records through the RocksDB
// API (checksums stay valid), reopen and verify.
class TamperTest : public EventLogTest {
 protected:
  void SetUp() override {
    auto log = Open();
    for (int i = 1; i <= 100; ++i)
      ASSERT_THAT(Put(*log, absl::StrCat("r-", i), absl::StrCat("a", i)), IsOk());
  }
  std::string LedgerPath() { return dir_.Sub("ledger"); }
};

TEST_F(TamperTest, FlippedByteIsReportedAtItsSeq) {
  {
    testing::RawLedger raw(LedgerPath());
    std::string value = *raw.GetEvent(20);
    value[value.size() - kHashSize - 3] ^= 0x01;  // inside the event bytes
    raw.PutEvent(20, value);
  }
  auto log = Open();
  EXPECT_THAT(log->VerifyChain(0, 0), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("seq 20:")));
  EXPECT_THAT(log->VerifyChain(1, 19), IsOk());
  EXPECT_THAT(log->VerifyChain(21, 0), IsOk());  // anchored at the stored hash of 20
}

TEST_F(TamperTest, FlippedHashByteIsReportedAtItsSeq) {
  {
    testing::RawLedger raw(LedgerPath());
    std::string value = *raw.GetEvent(7);
    value.back() ^= 0x80;
    raw.PutEvent(7, value);
  }
  auto log = Open();
  EXPECT_THAT(log->VerifyChain(0, 0), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("seq 7:")));
}

TEST_F(TamperTest, RemovedEventIsReportedAtItsSeq) {
  { testing::RawLedger(LedgerPath()).DeleteEvent(31); }
  auto log = Open();
  EXPECT_THAT(log->VerifyChain(0, 0),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("seq 31: the event is missing")));
}

TEST_F(TamperTest, SwappedPairIsReportedAtTheFirst) {
  {
    testing::RawLedger raw(LedgerPath());
    std::string a = *raw.GetEvent(24), b = *raw.GetEvent(25);
    raw.PutEvent(24, b);
    raw.PutEvent(25, a);
  }
  auto log = Open();
  EXPECT_THAT(log->VerifyChain(0, 0), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("seq 24:")));
}

TEST_F(TamperTest, DamagedTailRefusesToOpen) {
  {
    testing::RawLedger raw(LedgerPath());
    std::string value = *raw.GetEvent(99);
    value[5] ^= 0x10;
    raw.PutEvent(99, value);
  }
  EventLogOptions options;
  options.path = LedgerPath();
  options.clock = &clock_;
  EXPECT_THAT(EventLog::Open(options), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("seq 99")));
}

TEST_F(TamperTest, RemovedLastEventRefusesToOpen) {
  { testing::RawLedger(LedgerPath()).DeleteEvent(100); }
  EventLogOptions options;
  options.path = LedgerPath();
  options.clock = &clock_;
  EXPECT_THAT(EventLog::Open(options),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("head says seq 100 but the last stored event is seq 99")));
}

// Long ranges are verified in parallel parts; a break in any part is reported at its exact seq,
// and the lowest one wins.
TEST_F(EventLogTest, ParallelVerificationFindsTheFirstBadSeq) {
  constexpr int kThreads = 32, kEach = 7000;  // 224,000 events: more than one part
  {
    auto log = Open();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) ASSERT_THAT(Put(*log, absl::StrCat(t, "-", i), "kf01"), IsOk());
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_THAT(log->VerifyChain(0, 0), IsOk());
  }
  {
    testing::RawLedger raw(dir_.Sub("ledger"));
    for (uint64_t seq : {150000u, 60000u}) {
      std::string value = *raw.GetEvent(seq);
      value[value.size() - kHashSize - 2] ^= 0x01;
      raw.PutEvent(seq, value);
    }
  }
  auto log = Open();
  EXPECT_THAT(log->VerifyChain(0, 0), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("seq 60000:")));
  EXPECT_THAT(log->VerifyChain(100000, 0), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("seq 150000:")));
  EXPECT_THAT(log->VerifyChain(60001, 149999), IsOk());
}

TEST_F(EventLogTest, PowerCutLosesNothingAcknowledged) {
  testing::FaultInjection faults;
  for (int round = 0; round < 5; ++round) {
    auto log = Open(faults.env.get());
    ASSERT_NE(log, nullptr);
    const uint64_t start = log->GetHead().seq;
    std::mutex mu;
    std::vector<Event> acked;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; !stop; ++i) {
          auto a = Put(*log, absl::StrCat(round, "-", t, "-", i), absl::StrCat("a", t, "-", i));
          if (!a.ok()) {
            EXPECT_THAT(a, StatusIs(absl::StatusCode::kUnavailable, ::testing::_));
            return;
          }
          std::lock_guard<std::mutex> lock(mu);
          acked.push_back(a->event);
        }
      });
    }
    // Cut the power once appends are flowing (not after a fixed time: slow machines vary), at a
    // different moment each round.
    for (int i = 0; i < 3000; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (acked.size() >= 10) break;
      }
      absl::SleepFor(absl::Milliseconds(1));
    }
    absl::SleepFor(absl::Milliseconds(5 * round));
    faults.fs->PowerCut();
    stop = true;
    for (auto& th : threads) th.join();
    log.reset();  // the "machine" is off: nothing more reaches the disk
    faults.fs = std::make_shared<testing::FaultInjectionFs>();
    faults.env = rocksdb::NewCompositeEnv(faults.fs);

    log = Open(faults.env.get());
    ASSERT_NE(log, nullptr);
    ASSERT_GT(acked.size(), 0u);
    EXPECT_GE(log->GetHead().seq, start + acked.size());
    for (const Event& e : acked) {
      auto stored = log->ReadEvent(e.seq());
      ASSERT_THAT(stored, IsOk()) << "acknowledged seq " << e.seq() << " lost";
      EXPECT_EQ(stored->hash(), e.hash());
      EXPECT_EQ(stored->request_id(), e.request_id());
    }
    EXPECT_THAT(log->VerifyChain(0, 0), IsOk());
  }
}

TEST_F(EventLogTest, FailedSyncMakesEveryLaterAppendUnavailable) {
  testing::FaultInjection faults;
  auto log = Open(faults.env.get());
  ASSERT_THAT(Put(*log, "r-1"), IsOk());
  faults.fs->FailSyncs(true);
  EXPECT_THAT(Put(*log, "r-2"), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("restarted")));
  faults.fs->FailSyncs(false);  // the disk "recovers"; the log must not trust it again
  EXPECT_THAT(Put(*log, "r-3"), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("restarted")));
  EXPECT_EQ(log->GetHead().seq, 1u);
  log.reset();
  log = Open(faults.env.get());
  ASSERT_NE(log, nullptr);
  EXPECT_THAT(log->VerifyChain(0, 0), IsOk());
  // Whether r-2 reached the disk is unknown to its caller, who retries with the same request_id:
  // either way the retry answers OK and the event exists once.
  auto retry = Put(*log, "r-2");
  ASSERT_THAT(retry, IsOk());
  auto next = Put(*log, "r-4");
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->event.seq(), retry->event.seq() + 1);
}

TEST_F(EventLogTest, BulkCheckpointRecordsAreDurableAndReplaceEarlierOnes) {
  {
    auto log = Open();
    ASSERT_THAT(log->PutCheckpoint("a", "single"), IsOk());
    ASSERT_THAT(log->PutCheckpoints([](const EventLog::CheckpointAdd& add) {
      for (const char* name : {"a", "b", "c"}) RETURN_IF_ERROR(add(name, absl::StrCat("bulk-", name)));
      return absl::OkStatus();
    }), IsOk());
    ASSERT_THAT(log->DeleteCheckpoints("c", "d"), IsOk());
    ASSERT_THAT(log->PutCheckpoints([](const EventLog::CheckpointAdd& add) { return add("c", "again"); }), IsOk());
  }
  auto log = Open();  // reopened: nothing depended on the write-ahead log
  EXPECT_EQ(*log->GetCheckpoint("a"), std::optional<std::string>("bulk-a"));
  EXPECT_EQ(*log->GetCheckpoint("b"), std::optional<std::string>("bulk-b"));
  EXPECT_EQ(*log->GetCheckpoint("c"), std::optional<std::string>("again"));  // over the deleted range
  EXPECT_EQ(*log->GetCheckpoint("d"), std::nullopt);
}

// The projections column family's live table files, by their smallest record name, as a second
// (read-only) RocksDB instance on the same directory sees them.
std::vector<std::string> CheckpointFiles(const std::string& path) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  EXPECT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, families, &handles, &db).ok());
  std::vector<rocksdb::LiveFileMetaData> files;
  db->GetLiveFilesMetaData(&files);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
  std::vector<std::string> smallest;
  for (const auto& f : files) {
    if (f.column_family_name == record_format::kProjectionsFamily) smallest.push_back(f.smallestkey);
  }
  std::sort(smallest.begin(), smallest.end());
  return smallest;
}

TEST_F(EventLogTest, DeletedBulkCheckpointsFreeTheirFilesWithoutACompaction) {
  auto log = Open();
  ASSERT_THAT(log->PutCheckpoint("p/0", "single"), IsOk());  // in a memtable: deleted as a record
  for (const char* name : {"p/1", "p/2", "p/3"}) {
    ASSERT_THAT(log->PutCheckpoints([&](const EventLog::CheckpointAdd& add) {
      RETURN_IF_ERROR(add(absl::StrCat(name, "/0"), "piece"));
      return add(absl::StrCat(name, "/1"), "piece");
    }), IsOk());
    ASSERT_THAT(log->DeleteCheckpoints("p/", name), IsOk());  // as a checkpoint drops older ones
    EXPECT_EQ(CheckpointFiles(dir_.Sub("ledger")), std::vector<std::string>{absl::StrCat(name, "/0")}) << name;
  }
  EXPECT_EQ(*log->GetCheckpoint("p/0"), std::nullopt);
  EXPECT_EQ(*log->GetCheckpoint("p/2/1"), std::nullopt);
  EXPECT_EQ(*log->GetCheckpoint("p/3/1"), std::optional<std::string>("piece"));
}

TEST_F(EventLogTest, AFailedBulkCheckpointLeavesNoRecordAndNoFile) {
  auto log = Open();
  EXPECT_THAT(log->PutCheckpoints([](const EventLog::CheckpointAdd& add) {
    RETURN_IF_ERROR(add("x1", "one"));
    return absl::InternalError("encoding failed");
  }), StatusIs(absl::StatusCode::kInternal, HasSubstr("encoding failed")));
  EXPECT_THAT(log->PutCheckpoints([](const EventLog::CheckpointAdd& add) {
    RETURN_IF_ERROR(add("y2", "two"));
    return add("y1", "out of order");
  }), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("write projection checkpoint")));
  for (const char* name : {"x1", "y1", "y2"}) EXPECT_EQ(*log->GetCheckpoint(name), std::nullopt) << name;
  for (const auto& f : std::filesystem::directory_iterator(dir_.Sub("ledger"))) {
    EXPECT_EQ(f.path().filename().string().find("checkpoint"), std::string::npos) << f.path();
  }
}

}  // namespace
}  // namespace salesledger
