// What ledgerctl's verbs share: server flags, the token file, a progress bar, output helpers.
// Thread-safety: the functions may be called from any thread; a ProgressBar belongs to one.
#ifndef SALESLEDGER_TOOLS_CTL_SUPPORT_H_
#define SALESLEDGER_TOOLS_CTL_SUPPORT_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "ledger/event_log.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "transparency/note.h"
#include "services/tree_audit.h"
#include "tools/cli_flags.h"

namespace salesledger::ctl {

// `more` plus --server and --token-file, which every verb that talks to ledgerd takes.
std::vector<FlagSpec> ServerFlags(std::vector<FlagSpec> more);
// `more` and the TLS flags Connect reads (--tls-ca, --tls-cert, --tls-key); ServerFlags has them.
std::vector<FlagSpec> WithTlsFlags(std::vector<FlagSpec> more);
absl::StatusOr<std::string> ReadToken(const std::string& path);
// A channel to --server: TLS with --tls-ca (and a client certificate with --tls-cert/--tls-key).
// Exits with a message when a TLS file cannot be read.
std::shared_ptr<grpc::Channel> Connect(const CliFlags& flags);
// The --NAME flag's RFC 3339 time; INVALID_ARGUMENT naming the flag otherwise.
absl::Status ParseTimeFlag(const std::string& text, const char* name, google::protobuf::Timestamp* out);

// A client context carrying the bearer token of --token-file.
absl::StatusOr<std::unique_ptr<grpc::ClientContext>> Authorized(const CliFlags& flags);
// Prints "ledgerctl: <message> [CODE]" to stderr and returns 1.
int Fail(const absl::Status& status);
int Fail(const grpc::Status& status);

// Opens <data_dir>/ledger for offline verbs. Read-only opens work beside a running ledgerd;
// writable ones need it stopped.
absl::StatusOr<std::unique_ptr<EventLog>> OpenLog(const std::string& data_dir, bool read_only);

// AuditTree (services/tree_audit.h) with the key in <data_dir>/log.key; nullopt for a ledger that
// has no tree yet (written before it, and not started since).
absl::StatusOr<std::optional<TreeAudit>> AuditTreeOffline(const EventLog& log, const std::string& data_dir);

// A progress bar on stderr, redrawn at most a few times a second.
class ProgressBar {
 public:
  explicit ProgressBar(std::string what) : what_(std::move(what)) {}
  void operator()(uint64_t done, uint64_t total) {
    const absl::Time now = absl::Now();
    if (done < total && now - last_ < absl::Milliseconds(200)) return;
    last_ = now;
    const int width = 40;
    const int filled = total == 0 ? width : static_cast<int>(width * done / total);
    std::cerr << "\r" << what_ << " [" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done
              << "/" << total << (done >= total ? "\n" : "") << std::flush;
  }

 private:
  std::string what_;
  absl::Time last_ = absl::InfinitePast();
};


// A verifier key given on the command line (`--flag`), or the name of a file holding one.
absl::StatusOr<note::Verifier> VerifierArg(const std::string& flag, const std::string& value);
// The signed checkpoint of `size` (0 = the latest), asked of the server.
absl::StatusOr<v1::GetCheckpointResponse> FetchCheckpoint(const CliFlags& flags, v1::AuditService::Stub& stub,
                                                          uint64_t size);

std::string CsvField(const std::string& s);
std::string Yuan(int64_t fen);  // 12345 -> "123.45"

}  // namespace salesledger::ctl

#endif  // SALESLEDGER_TOOLS_CTL_SUPPORT_H_
