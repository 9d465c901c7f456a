// LogUpstream: the authoritative store of a replicated ledger (issue 19), which holds every event
// before this node's RocksDB does.
//
// In replicated mode the log in PostgreSQL is the ledger; each node's EventLog is a verified
// replica of it. The writing node's EventLog hands each group to Commit before writing it locally,
// and answers its callers only after both; a follower's (or a restarted writer's) EventLog takes
// events the upstream already holds through EventLog::AppendReplicated.
#ifndef SALESLEDGER_LEDGER_UPSTREAM_H_
#define SALESLEDGER_LEDGER_UPSTREAM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace salesledger {

// One event as both stores keep it: the same bytes and hash as the local events family, with the
// request index entry that names it.
struct ReplicatedEvent {
  uint64_t seq = 0;
  std::string bytes;           // bytes(n): the serialized Event with `hash` empty
  std::string hash;            // hash(n) = SHA-256(hash(n-1) || bytes(n))
  std::string request_id;
  std::string request_digest;  // 32 bytes
};

// Thread-safety: implementations are called from any thread; Commit is called by one thread at a
// time (whoever writes the EventLog's groups).
class LogUpstream {
 public:
  virtual ~LogUpstream() = default;

  // Whether this node may append now: OK, or UNAVAILABLE saying why not and where to go instead
  // (a follower names the writer). Checked before a proposal is decided; cheap, never blocks.
  virtual absl::Status CanAppend() const = 0;

  // Makes `events` (consecutive seqs, the first one right after the upstream's last) durable
  // upstream, all or none. OK: committed. FAILED_PRECONDITION: this node is no longer the writer,
  // or another writer holds one of the seqs or request_ids; nothing of these events was written.
  // UNAVAILABLE: the store could not be reached in time; whether they were committed is unknown.
  // After any error the EventLog takes no more appends (its decided state is ahead of both stores)
  // until it is reopened and caught up from the upstream.
  virtual absl::Status Commit(const std::vector<ReplicatedEvent>& events) = 0;
};

}  // namespace salesledger

#endif  // SALESLEDGER_LEDGER_UPSTREAM_H_
