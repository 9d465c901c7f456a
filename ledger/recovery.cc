// What EventLog::Open checks before the log is used (see log_impl.h).
#include <algorithm>

#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "ledger/log_impl.h"

namespace salesledger {

namespace {

// How many events at the tail Open re-verifies: enough to catch a torn or damaged tail at once,
// few enough that a restart stays instant. `ledgerctl verify` checks the whole chain.
constexpr uint64_t kTailCheckEvents = 64;

}  // namespace

absl::Status EventLog::Impl::Recover() {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), meta(), rf::kFormatKey, &value);
  if (s.IsNotFound() && options_.read_only) {
    return absl::NotFoundError(absl::StrCat(options_.path, " holds no ledger"));
  }
  if (s.IsNotFound()) {
    RETURN_IF_ERROR(FromRocks(db_->Put(sync_, meta(), rf::kFormatKey, rf::kFormatVersion), "write format"));
  } else if (!s.ok()) {
    return FromRocks(s, "read format");
  } else if (value != rf::kFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("data dir holds format '", value, "', this build reads '", rf::kFormatVersion, "'"));
  }

  Head head{0, GenesisPrevHash(), absl::UnixEpoch()};
  s = db_->Get(rocksdb::ReadOptions(), meta(), rf::kHeadKey, &value);
  const bool have_head = s.ok();
  if (have_head) {
    auto decoded = rf::DecodeHead(value);
    if (!decoded) return absl::DataLossError("the ledger head record is unreadable");
    head = Head{decoded->seq, decoded->hash, decoded->recorded_at};
  } else if (!s.IsNotFound()) {
    return FromRocks(s, "read head");
  }

  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events()));
  it->SeekToLast();
  RETURN_IF_ERROR(FromRocks(it->status(), "read last event"));
  uint64_t last = 0;
  if (it->Valid()) {
    auto seq = rf::DecodeSeq(absl::string_view(it->key().data(), it->key().size()));
    if (!seq) return absl::DataLossError("the last event's key is malformed");
    last = *seq;
  }
  absl::Status tail;
  if (last != head.seq) {
    tail = absl::DataLossError(absl::StrCat("the ledger head says seq ", head.seq,
                                            " but the last stored event is seq ", last,
                                            "; the tail is torn or was tampered with"));
  }
  {
    absl::MutexLock lock(&head_mu_);
    head_ = head;
  }
  if (tail.ok() && head.seq > 0) {
    const uint64_t from = head.seq > kTailCheckEvents ? head.seq - kTailCheckEvents + 1 : 1;
    tail = VerifyChain(from, head.seq).status();
  }
  if (!tail.ok() && !options_.tolerate_broken_tail) return tail;
  broken_on_open_ = tail;
  if (merkle() == nullptr) return absl::OkStatus();
  // The tree: built here when the ledger is older than it (or a build was interrupted), so that
  // every later group only adds to it.
  s = db_->Get(rocksdb::ReadOptions(), meta(), rf::kMerkleSizeKey, &value);
  uint64_t tree = 0;
  if (s.ok()) {
    auto size = rf::DecodeSeq(value);
    if (!size || *size > head.seq) {
      return absl::DataLossError(absl::StrCat("the Merkle tree's size record is unreadable or past the head (seq ",
                                              head.seq, ")"));
    }
    tree = *size;
  } else if (!s.IsNotFound()) {
    return FromRocks(s, "read the Merkle tree's size");
  }
  {
    absl::MutexLock lock(&head_mu_);
    tree_size_ = tree;
  }
  if (options_.read_only || !tail.ok()) return absl::OkStatus();  // reads what there is
  return BuildTree();
}

}  // namespace salesledger
