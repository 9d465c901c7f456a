// The PostgreSQL peer for ledger_bench: what a finance department's DBA would build instead of
// salesledger — a hash-chained append in PostgreSQL 15 — measured on the same machine in the same run.
//
// Start() runs a throwaway server (tools/scratch_postgres.h); the destructor stops it and removes
// its directory. Each append is one
// transaction: the head row locked FOR UPDATE, sha256(previous hash ‖ bytes) computed by the server,
// the event inserted under a unique request_id, the head moved. It runs as one call to a PL/pgSQL
// function, so a client pays one round trip per append, the peer's best case.
//
// Thread-safety: Append() may run from one thread at a time; it starts its own client threads, each
// with its own libpq connection.
#ifndef SALESLEDGER_TOOLS_POSTGRES_PEER_H_
#define SALESLEDGER_TOOLS_POSTGRES_PEER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/scratch_postgres.h"

namespace salesledger {

class PostgresPeer {
 public:
  // `scratch_dir` is created and given to the postgres user. FAILED_PRECONDITION when PostgreSQL
  // 15 is not installed; INTERNAL with the command and its log when initdb or the server fails.
  static absl::StatusOr<std::unique_ptr<PostgresPeer>> Start(const std::string& scratch_dir);
  ~PostgresPeer();

  // `clients` threads append `bytes`-sized events back to back for `duration`; returns each
  // append's latency. Checks afterwards that the table holds exactly the appends acknowledged;
  // INTERNAL when it does not or an append fails (the peer is then unusable).
  absl::StatusOr<std::vector<absl::Duration>> Append(int clients, absl::Duration duration, size_t bytes);

 private:
  explicit PostgresPeer(std::unique_ptr<ScratchPostgres> server) : server_(std::move(server)) {}
  std::string Conninfo() const;

  std::unique_ptr<ScratchPostgres> server_;
  uint64_t appended_ = 0;  // acknowledged appends so far, over every Append()
};

}  // namespace salesledger

#endif  // SALESLEDGER_TOOLS_POSTGRES_PEER_H_
