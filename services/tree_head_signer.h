// TreeHeadSigner: signs checkpoints of the ledger's Merkle tree (transparency/checkpoint.h) with
// the log's key (log_key.h) and stores them in the log (EventLog::PutTreeHead), so that every size
// a client was shown stays provable. While events arrive it signs at most once a second; a
// checkpoint is only ever signed over a durable tree.
//
// Thread-safe. The background thread runs from Start() until the signer is destroyed, which must
// happen before the log is closed.
#ifndef SALESLEDGER_SERVICES_TREE_HEAD_SIGNER_H_
#define SALESLEDGER_SERVICES_TREE_HEAD_SIGNER_H_

#include <cstdint>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ledger/event_log.h"
#include "transparency/checkpoint.h"
#include "transparency/note.h"

namespace salesledger {

struct SignedTreeHead {
  uint64_t size = 0;
  std::string root;  // 32 bytes
  std::string note;  // the signed checkpoint, as stored
};

class TreeHeadSigner {
 public:
  // `log` is not owned and must outlive the signer.
  TreeHeadSigner(EventLog* log, note::Signer key) : log_(log), key_(std::move(key)) {}
  ~TreeHeadSigner();

  const std::string& origin() const { return key_.name; }
  note::Verifier verifier() const { return key_.verifier(); }

  // Signs the durable tree at its size, unless the latest checkpoint already has that size.
  // Returns the latest checkpoint. What EventLog's tree methods refuse, as they do.
  absl::StatusOr<SignedTreeHead> SignLatest();

  // Starts signing in the background: every `interval`, when the tree has grown.
  void Start(absl::Duration interval = absl::Seconds(1));

 private:
  void Loop(absl::Duration interval);

  EventLog* const log_;
  const note::Signer key_;
  absl::Mutex sign_mu_;  // one signing at a time, so sizes are stored in order
  absl::Mutex stop_mu_;
  bool stopping_ ABSL_GUARDED_BY(stop_mu_) = false;
  std::thread thread_;
};

// The stored checkpoint of `size` (0 = the latest), opened with `log_key`: NOT_FOUND when no
// checkpoint was signed at that size, naming the latest one; DATA_LOSS when the stored note does
// not verify, or its root is not the tree's at its size.
absl::StatusOr<SignedTreeHead> ReadTreeHead(const EventLog& log, const note::Verifier& log_key, uint64_t size);

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_TREE_HEAD_SIGNER_H_
