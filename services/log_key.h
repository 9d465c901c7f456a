// The log's signing key, <data_dir>/log.key: an Ed25519 key in the private-key text of Go's
// golang.org/x/mod/sumdb/note (transparency/note.h), mode 0600. Its name is the log's origin, the
// first line of every checkpoint it signs. It is made at the first start and never changes after:
// a witness trusts the log by this key and this name. A backup carries it; a restore keeps it.
// Thread-safe: no state.
#ifndef SALESLEDGER_SERVICES_LOG_KEY_H_
#define SALESLEDGER_SERVICES_LOG_KEY_H_

#include <string>

#include "absl/status/statusor.h"
#include "transparency/note.h"

namespace salesledger {

inline constexpr char kLogKeyFile[] = "log.key";

std::string LogKeyPath(const std::string& data_dir);

// "<host name>/salesledger/<last component of the data dir>", with every character a key name may
// not hold (space, '+', control characters) replaced by '-'.
std::string DefaultLogName(const std::string& data_dir);

struct LogKey {
  note::Signer signer;
  bool created = false;  // this call made it
};

// Reads the key, or makes one named `name` (DefaultLogName when empty) and writes it when the data
// dir has none. FAILED_PRECONDITION when `name` is given and the stored key has another: a log's
// name cannot change. INVALID_ARGUMENT when `name` is not a key name; what ReadLogKey refuses.
absl::StatusOr<LogKey> LoadOrCreateLogKey(const std::string& data_dir, const std::string& name);

// Reads the key: NOT_FOUND when there is none; FAILED_PRECONDITION when others may read it;
// DATA_LOSS when it is not a key.
absl::StatusOr<note::Signer> ReadLogKey(const std::string& data_dir);

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_LOG_KEY_H_
