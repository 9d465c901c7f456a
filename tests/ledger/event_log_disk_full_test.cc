// Disk full: the ledger on a 4 MiB tmpfs fills up. Appends are refused with UNAVAILABLE from the
// first failed write on, nothing acknowledged is lost, and once there is space again a reopened
// log verifies and accepts entries. Needs root (it mounts a tmpfs); skipped otherwise.
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/event_log.h"
#include "base/sha256.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using testing::IsOk;

class Tmpfs {
 public:
  explicit Tmpfs(const std::string& path) : path_(path) {
    mounted_ = ::mount("tmpfs", path.c_str(), "tmpfs", 0, "size=4m") == 0;
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool Grow() { return ::mount("tmpfs", path_.c_str(), "tmpfs", MS_REMOUNT, "size=64m") == 0; }

 private:
  std::string path_;
  bool mounted_ = false;
};

TEST(EventLogDiskFullTest, FullDiskRefusesWithoutLosingAcknowledgedEntries) {
  testing::TempDir dir;
  Tmpfs tmpfs(dir.path());
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  EventLogOptions options;
  options.path = dir.Sub("ledger");
  std::mutex mu;
  std::vector<std::pair<uint64_t, std::string>> acked;  // seq, hash
  absl::Status first_failure;
  {
    auto log = EventLog::Open(options);
    ASSERT_THAT(log.status(), IsOk());
    std::atomic<bool> full{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; !full && i < 100000; ++i) {
          v1::Event e;
          e.set_actor_id("sy01");
          e.mutable_genesis()->set_ledger_id(std::string(1000, 'x'));  // ~1 KiB events
          const std::string id = absl::StrCat(t, "-", i);
          auto a = (*log)->AppendEvent(id, Sha256(id), e);
          std::lock_guard<std::mutex> lock(mu);
          if (a.ok()) {
            acked.push_back({a->event.seq(), a->event.hash()});
          } else {
            if (first_failure.ok()) first_failure = a.status();
            full = true;
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    ASSERT_FALSE(first_failure.ok()) << "the 4 MiB disk never filled";
    EXPECT_EQ(first_failure.code(), absl::StatusCode::kUnavailable) << first_failure;
    // Once failed, always refused until reopened, even for tiny entries.
    v1::Event small;
    EXPECT_EQ((*log)->AppendEvent("small", Sha256("small"), small).status().code(), absl::StatusCode::kUnavailable);
  }
  ASSERT_GT(acked.size(), 100u);
  ASSERT_TRUE(tmpfs.Grow());  // space returns
  auto log = EventLog::Open(options);
  ASSERT_THAT(log.status(), IsOk());
  for (const auto& [seq, hash] : acked) {
    auto stored = (*log)->ReadEvent(seq);
    ASSERT_THAT(stored.status(), IsOk()) << "acknowledged seq " << seq << " lost";
    ASSERT_EQ(stored->hash(), hash);
  }
  EXPECT_THAT((*log)->VerifyChain(0, 0).status(), IsOk());
  v1::Event after;
  after.set_actor_id("sy01");
  EXPECT_THAT((*log)->AppendEvent("after", Sha256("after"), after).status(), IsOk());
}

}  // namespace
}  // namespace salesledger
