#include "tools/ctl_support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "base/files.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "services/grpc_status.h"
#include "services/log_key.h"

namespace salesledger::ctl {

// Flags every verb that talks to a server shares.
std::vector<FlagSpec> ServerFlags(std::vector<FlagSpec> more) {
  more.push_back({"server", "127.0.0.1:50051", "ledgerd address"});
  more.push_back({"token-file", "data/admin.token", "file holding the bearer token to call with"});
  return WithTlsFlags(std::move(more));
}

std::vector<FlagSpec> WithTlsFlags(std::vector<FlagSpec> more) {
  more.push_back({"tls-ca", "", "PEM certificate(s) to trust: connect over TLS"});
  more.push_back({"tls-cert", "", "with --tls-ca: PEM client certificate, for a server that requires one"});
  more.push_back({"tls-key", "", "PEM private key for --tls-cert"});
  return more;
}

absl::StatusOr<std::string> ReadToken(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return absl::NotFoundError(absl::StrCat("cannot read the token file ", path));
  return std::string(absl::StripAsciiWhitespace(*text));
}

std::shared_ptr<grpc::Channel> Connect(const CliFlags& flags) {
  if (flags.Get("tls-ca").empty()) {
    return grpc::CreateChannel(flags.Get("server"), grpc::InsecureChannelCredentials());
  }
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    if (!in) std::exit(Fail(absl::NotFoundError(absl::StrCat("cannot read ", path))));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = read(flags.Get("tls-ca"));
  if (!flags.Get("tls-cert").empty()) {
    ssl.pem_cert_chain = read(flags.Get("tls-cert"));
    ssl.pem_private_key = read(flags.Get("tls-key"));
  }
  return grpc::CreateChannel(flags.Get("server"), grpc::SslCredentials(ssl));
}

absl::StatusOr<std::unique_ptr<grpc::ClientContext>> Authorized(const CliFlags& flags) {
  auto token = ReadToken(flags.Get("token-file"));
  if (!token.ok()) return token.status();
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + *token);
  return ctx;
}

int Fail(const absl::Status& status) {
  std::cerr << "ledgerctl: " << status.message() << " [" << absl::StatusCodeToString(status.code()) << "]\n";
  return 1;
}

int Fail(const grpc::Status& status) { return Fail(FromGrpc(status)); }

absl::StatusOr<std::unique_ptr<EventLog>> OpenLog(const std::string& data_dir, bool read_only) {
  EventLogOptions options;
  options.read_only = read_only;
  options.path = data_dir + "/ledger";
  if (!std::filesystem::exists(options.path)) {
    return absl::NotFoundError(absl::StrCat("no ledger in ", data_dir, " (expected ", options.path, ")"));
  }
  return EventLog::Open(options);
}

absl::StatusOr<std::optional<TreeAudit>> AuditTreeOffline(const EventLog& log, const std::string& data_dir) {
  if (log.tree_size() == 0 && log.GetHead().seq > 0) return std::nullopt;
  ASSIGN_OR_RETURN(const note::Signer key, ReadLogKey(data_dir));
  ASSIGN_OR_RETURN(TreeAudit audit, AuditTree(log, key.verifier()));
  return audit;
}

// A verifier key given on the command line, or the name of a file holding one.
absl::StatusOr<note::Verifier> VerifierArg(const std::string& flag, const std::string& value) {
  std::string text = value;
  if (std::error_code ec; std::filesystem::is_regular_file(value, ec)) {
    ASSIGN_OR_RETURN(text, ReadWholeFile(value));
  }
  absl::StatusOr<note::Verifier> key = note::ParseVerifierKey(absl::StripAsciiWhitespace(text));
  if (!key.ok()) return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", key.status().message()));
  return key;
}

absl::StatusOr<v1::GetCheckpointResponse> FetchCheckpoint(const CliFlags& flags, v1::AuditService::Stub& stub,
                                                          uint64_t size) {
  ASSIGN_OR_RETURN(auto ctx, Authorized(flags));
  v1::GetCheckpointRequest request;
  request.set_tree_size(size);
  v1::GetCheckpointResponse response;
  RETURN_IF_ERROR(FromGrpc(stub.GetCheckpoint(ctx.get(), request, &response)));
  return response;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Yuan(int64_t fen) { return absl::StrFormat("%s%d.%02d", fen < 0 ? "-" : "", std::abs(fen) / 100, std::abs(fen) % 100); }

absl::Status ParseTimeFlag(const std::string& text, const char* name, google::protobuf::Timestamp* out) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, " must be an RFC 3339 time: ", error));
  }
  *out = ToProto(t);
  return absl::OkStatus();
}

}  // namespace salesledger::ctl
