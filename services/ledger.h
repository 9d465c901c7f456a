// Ledger: the event log together with the state derived from it, as one server holds them.
//
// The published state is what readers see: it reflects exactly the durable events (it is folded
// by the log's commit listener, after each group's fsync), so no reader ever sees an entry that a
// crash could still take back.
//
// Thread-safe.
#ifndef SALESLEDGER_SERVICES_LEDGER_H_
#define SALESLEDGER_SERVICES_LEDGER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "ledger/clock.h"
#include "ledger/event_log.h"
#include "projections/org_state.h"

namespace salesledger {

struct LedgerOptions {
  std::string data_dir;              // holds ledger/ (RocksDB) and admin.token
  Clock* clock = nullptr;            // not owned; nullptr = RealClock
  rocksdb::Env* env = nullptr;       // not owned; nullptr = default
};

class Ledger {
 public:
  // Opens <data_dir>/ledger. On an empty ledger it first writes a new admin token to
  // <data_dir>/admin.token (mode 0600), then appends the genesis event holding its SHA-256.
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(const LedgerOptions& options);

  // True when this Open created the ledger (and admin.token).
  bool created() const { return created_; }
  std::string admin_token_path() const;

  // The person a bearer token belongs to. UNAUTHENTICATED for an unknown or revoked token or an
  // inactive person.
  absl::StatusOr<Person> Authenticate(absl::string_view bearer_token) const;

  EventLog& log() { return *log_; }
  const EventLog& log() const { return *log_; }

 private:
  Ledger() = default;
  void Publish(const std::vector<salesledger::v1::Event>& events);

  LedgerOptions options_;
  bool created_ = false;
  std::unique_ptr<EventLog> log_;
  mutable absl::Mutex mu_;
  OrgState org_ ABSL_GUARDED_BY(mu_);
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_LEDGER_H_
