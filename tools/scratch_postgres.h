// ScratchPostgres: a throwaway PostgreSQL 15 server for the benchmark's peer and for the tests of
// the replicated log: initdb in a scratch directory, fsync and synchronous_commit on, TCP on
// 127.0.0.1 only, trust authentication for one user. The destructor stops it (fast shutdown) and
// removes the directory.
//
// Thread-safety: conninfo() from any thread; Start, Stop and the destructor from one.
#ifndef SALESLEDGER_TOOLS_SCRATCH_POSTGRES_H_
#define SALESLEDGER_TOOLS_SCRATCH_POSTGRES_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace salesledger {

class ScratchPostgres {
 public:
  // `dir` is created and, when we are root, given to the postgres user (initdb refuses root).
  // `settings` are extra `-c name=value` server options. FAILED_PRECONDITION when PostgreSQL 15
  // is not installed; INTERNAL with the command and its log when initdb or the server fails.
  static absl::StatusOr<std::unique_ptr<ScratchPostgres>> Start(const std::string& dir,
                                                               const std::string& user,
                                                               const std::string& settings = "");
  ~ScratchPostgres();
  ScratchPostgres(const ScratchPostgres&) = delete;
  ScratchPostgres& operator=(const ScratchPostgres&) = delete;

  // libpq key=value connection string for the user and the `postgres` database.
  std::string conninfo() const;
  int port() const { return port_; }

  // Immediate shutdown, as a crash would leave it (kill of the postmaster's children included);
  // Restart brings it back on the same port and data.
  absl::Status Crash();
  absl::Status Restart();

 private:
  ScratchPostgres(std::string dir, std::string user, std::string settings, int port)
      : dir_(std::move(dir)), user_(std::move(user)), settings_(std::move(settings)), port_(port) {}
  absl::Status StartServer();

  std::string dir_, user_, settings_;
  int port_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_TOOLS_SCRATCH_POSTGRES_H_
