// A child process appends from 16 threads and is SIGKILLed at a random moment, 20 times. After
// each kill every append it had reported as acknowledged is in the log, seqs are gap-free and the
// chain verifies.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "ledger/event_log.h"
#include "base/sha256.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using testing::IsOk;

struct Ack {
  uint64_t seq;
  std::string request_id;
  std::string hash_hex;
};

std::vector<Ack> ReadAcks(const std::string& path) {
  std::ifstream in(path);
  std::vector<Ack> acks;
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // a torn last line (no newline) was never fully reported
    std::istringstream fields(line);
    Ack a;
    if (fields >> a.seq >> a.request_id >> a.hash_hex) acks.push_back(a);
  }
  return acks;
}

TEST(EventLogCrashTest, KilledAppenderLosesNothingAcknowledged) {
  testing::TempDir dir;
  const std::string ledger = dir.Sub("ledger"), side = dir.Sub("acks.txt");
  std::mt19937 rng(20261127);
  size_t checked = 0;
  for (int run = 0; run < 20; ++run) {
    pid_t pid = ::fork();
    if (pid == 0) {
      const std::string run_id = absl::StrCat("run", run);
      ::execl(TEST_APPENDER_PATH, TEST_APPENDER_PATH, ledger.c_str(), side.c_str(), run_id.c_str(), "16",
              static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    // Kill at a random moment after this run has acknowledged something (not after a fixed time
    // from its start: a loaded machine may need longer to open the ledger).
    for (int i = 0; i < 10000 && ReadAcks(side).size() <= checked; ++i) absl::SleepFor(absl::Milliseconds(1));
    absl::SleepFor(absl::Milliseconds(std::uniform_int_distribution<int>(0, 200)(rng)));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the appender exited by itself in run " << run;

    EventLogOptions options;
    options.path = ledger;
    auto log = EventLog::Open(options);
    ASSERT_THAT(log, IsOk()) << "run " << run;
    const std::vector<Ack> acks = ReadAcks(side);
    ASSERT_GT(acks.size(), checked) << "run " << run << " acknowledged nothing";
    for (const Ack& a : acks) {
      auto event = (*log)->ReadEvent(a.seq);
      ASSERT_THAT(event, IsOk()) << "acknowledged seq " << a.seq << " lost in run " << run;
      ASSERT_EQ(event->request_id(), a.request_id);
      ASSERT_EQ(ToHex(event->hash()), a.hash_hex);
    }
    checked = acks.size();
    // Gap-free and chained from seq 1 to the head.
    auto verified = (*log)->VerifyChain(0, 0);
    ASSERT_THAT(verified, IsOk()) << "run " << run;
    EXPECT_GE(verified->seq, acks.back().seq);
    // The tree went into the same batches: it covers exactly the events that survived.
    EXPECT_EQ((*log)->tree_size(), verified->seq) << "run " << run;
    ASSERT_THAT((*log)->VerifyTree(), IsOk()) << "run " << run;
  }
}

}  // namespace
}  // namespace salesledger
