// ledgerctl: the salesledger admin and auditor tool (SPEC.md §7).
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/grpcpp.h"
#include "ledger/sha256.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "services/simulation.h"
#include "tools/cli_flags.h"

namespace {

constexpr char kUsage[] =
    "usage: ledgerctl VERB [flags] [args]\n"
    "verbs:\n"
    "  simulate FILE     run a scenario file in-process with its own clock; print the report (JSON)\n"
    "  token issue|revoke  give a person a bearer token, or revoke one (through the server)\n"
    "Run 'ledgerctl VERB --help' for a verb's flags.\n";

int Simulate(int argc, char** argv) {
  salesledger::CliFlags flags({{"scratch-dir", "", "where the temporary ledger lives (default $TMPDIR)"}});
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help() || flags.positional().size() != 1) {
    std::cerr << "usage: ledgerctl simulate [flags] FILE.jsonl\n"
                 "Runs each line through the same command handling as the server with a scripted clock\n"
                 "and a temporary data dir, and prints the report of SPEC.md §8.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  std::ifstream in(flags.positional()[0]);
  if (!in) {
    std::cerr << "ledgerctl: cannot read " << flags.positional()[0] << "\n";
    return 1;
  }
  auto report = salesledger::Simulate(in, {flags.Get("scratch-dir")});
  if (!report.ok()) {
    std::cerr << "ledgerctl: " << report.status().message() << "\n";
    return 1;
  }
  std::cout << *report << std::endl;
  return 0;
}

// Flags every verb that talks to a server shares.
std::vector<salesledger::FlagSpec> ServerFlags(std::vector<salesledger::FlagSpec> more) {
  more.push_back({"server", "127.0.0.1:50051", "ledgerd address"});
  more.push_back({"token-file", "data/admin.token", "file holding the bearer token to call with"});
  return more;
}

absl::StatusOr<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the token file ", path));
  std::stringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

int Token(int argc, char** argv) {
  salesledger::CliFlags flags(ServerFlags({
      {"person", "", "issue: the person the token is for"},
      {"token-id", "", "the token's id (issue: a new one; revoke: the one to revoke)"},
      {"request-id", "", "idempotency key (default: derived from the arguments)"},
  }));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  const std::vector<std::string>& args = flags.positional();
  const bool issue = args.size() == 1 && args[0] == "issue", revoke = args.size() == 1 && args[0] == "revoke";
  if (!parsed.ok() || flags.help() || (!issue && !revoke) || flags.Get("token-id").empty() ||
      (issue && flags.Get("person").empty())) {
    std::cerr << "usage: ledgerctl token issue --person P --token-id T [flags]\n"
                 "       ledgerctl token revoke --token-id T [flags]\n"
                 "issue prints the new bearer token once; only its SHA-256 is stored.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  auto token = ReadToken(flags.Get("token-file"));
  if (!token.ok()) {
    std::cerr << "ledgerctl: " << token.status().message() << "\n";
    return 1;
  }
  auto stub = salesledger::v1::AdminService::NewStub(
      grpc::CreateChannel(flags.Get("server"), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + *token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  std::string request_id = flags.Get("request-id");
  if (request_id.empty()) {
    request_id = "ledgerctl-token-" + salesledger::ToHex(salesledger::Sha256(
                                          absl::StrCat(args[0], "/", flags.Get("person"), "/", flags.Get("token-id"))))
                                          .substr(0, 16);
  }
  salesledger::v1::EntryResponse response;
  grpc::Status status;
  if (issue) {
    salesledger::v1::IssueTokenRequest request;
    request.set_request_id(request_id);
    request.set_person_id(flags.Get("person"));
    request.set_token_id(flags.Get("token-id"));
    status = stub->IssueToken(&ctx, request, &response);
  } else {
    salesledger::v1::RevokeTokenRequest request;
    request.set_request_id(request_id);
    request.set_token_id(flags.Get("token-id"));
    status = stub->RevokeToken(&ctx, request, &response);
  }
  if (!status.ok()) {
    std::cerr << "ledgerctl: " << status.error_message() << " ["
              << absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())) << "]\n";
    return 1;
  }
  if (issue && response.token().empty()) {
    std::cerr << "ledgerctl: token " << flags.Get("token-id") << " was issued earlier (seq " << response.seq()
              << "); a token is shown only once. Revoke it and issue a new one if it was lost.\n";
    return 1;
  }
  if (issue) {
    std::cout << response.token() << std::endl;
  } else {
    std::cout << "revoked token " << flags.Get("token-id") << " (seq " << response.seq() << ")" << std::endl;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::string verb = argv[1];
  if (verb == "simulate") return Simulate(argc, argv);
  if (verb == "token") return Token(argc, argv);
  std::cerr << "ledgerctl: unknown verb '" << verb << "'\n" << kUsage;
  return 2;
}
