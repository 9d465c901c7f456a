// Whole files: any file read at once, and files that hold secrets (the admin token, the log's
// signing key), written whole and durably and readable by their owner only. Thread-safe: no state.
#ifndef SALESLEDGER_BASE_FILES_H_
#define SALESLEDGER_BASE_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace salesledger {

// The whole file. NOT_FOUND naming it when it cannot be opened; UNAVAILABLE when a read fails.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// Writes `content` to `path` with mode 0600 whatever the umask: a temporary file, fsync, rename
// over `path`, fsync of the directory. A crash leaves the old file or the new one, never a part.
// UNAVAILABLE naming the step that failed.
absl::Status WriteSecretFile(const std::string& path, const std::string& content);

// The whole file. NOT_FOUND when it does not exist; UNAVAILABLE when it cannot be read;
// FAILED_PRECONDITION when others than its owner may read or write it (a secret that may have
// been seen is no longer one: say which mode it has).
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

}  // namespace salesledger

#endif  // SALESLEDGER_BASE_FILES_H_
