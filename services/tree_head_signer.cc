#include "services/tree_head_signer.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace salesledger {

TreeHeadSigner::~TreeHeadSigner() {
  {
    absl::MutexLock lock(&stop_mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<SignedTreeHead> TreeHeadSigner::SignLatest() {
  absl::MutexLock lock(&sign_mu_);
  ASSIGN_OR_RETURN(auto latest, log_->LatestTreeHead());
  const uint64_t size = log_->tree_size();
  if (latest && latest->first >= size) return ReadTreeHead(*log_, verifier(), latest->first);
  ASSIGN_OR_RETURN(std::string root, log_->TreeRoot(size));
  SignedTreeHead head{size, root, SignCheckpoint(TreeCheckpoint{key_.name, size, root}, key_)};
  RETURN_IF_ERROR(log_->PutTreeHead(size, head.note));
  return head;
}

void TreeHeadSigner::Start(absl::Duration interval) { thread_ = std::thread([this, interval] { Loop(interval); }); }

void TreeHeadSigner::Loop(absl::Duration interval) {
  absl::MutexLock lock(&stop_mu_);
  while (!stopping_) {
    stop_mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval);
    if (stopping_) break;
    stop_mu_.Unlock();
    // Best effort: a failure (a failed disk refuses appends too) is retried at the next tick.
    (void)SignLatest();
    stop_mu_.Lock();
  }
}

absl::StatusOr<SignedTreeHead> ReadTreeHead(const EventLog& log, const note::Verifier& log_key, uint64_t size) {
  std::optional<std::string> stored;
  if (size == 0) {
    ASSIGN_OR_RETURN(auto latest, log.LatestTreeHead());
    if (!latest) return absl::NotFoundError("no checkpoint has been signed yet");
    size = latest->first;
    stored = std::move(latest->second);
  } else {
    ASSIGN_OR_RETURN(stored, log.TreeHeadAt(size));
    if (!stored) {
      ASSIGN_OR_RETURN(auto latest, log.LatestTreeHead());
      return absl::NotFoundError(absl::StrCat("no checkpoint was signed at tree size ", size, "; the latest is size ",
                                              latest ? latest->first : 0, " (ask for 0 to get it)"));
    }
  }
  absl::StatusOr<TreeCheckpoint> checkpoint = OpenCheckpoint(*stored, log_key);
  if (!checkpoint.ok()) {
    return absl::DataLossError(absl::StrCat("the stored checkpoint of size ", size, " does not verify with the log's key (",
                                            checkpoint.status().message(), ")"));
  }
  if (checkpoint->size != size) {
    return absl::DataLossError(absl::StrCat("the checkpoint stored as size ", size, " says size ", checkpoint->size));
  }
  ASSIGN_OR_RETURN(const std::string root, log.TreeRoot(size));
  if (checkpoint->root != root) {
    return absl::DataLossError(absl::StrCat("the signed checkpoint of size ", size,
                                            " has another root than the stored tree at that size"));
  }
  return SignedTreeHead{size, root, *std::move(stored)};
}

}  // namespace salesledger
