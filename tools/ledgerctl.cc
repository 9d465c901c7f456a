// ledgerctl: the salesledger admin and auditor tool (SPEC.md §7).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/grpcpp.h"
#include "ledger/sha256.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/query.grpc.pb.h"
#include "google/protobuf/text_format.h"
#include "projections/policy.h"
#include "projections/projector.h"
#include "projections/snapshot.h"
#include "services/simulation.h"
#include "tools/cli_flags.h"

namespace {

constexpr char kUsage[] =
    "usage: ledgerctl VERB [flags] [args]\n"
    "verbs:\n"
    "  simulate FILE     run a scenario file in-process with its own clock; print the report (JSON)\n"
    "  token issue|revoke  give a person a bearer token, or revoke one (through the server)\n"
    "  statement         a person's or a project's monthly penalty statement, table or CSV\n"
    "  rebuild           regenerate every projection from the log, offline (--data-dir)\n"
    "  policy show|set   print the built-in policy as a text-format file; publish a policy file\n"
    "  verify            check the whole chain and that the stored projections equal a fresh fold\n"
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

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Yuan(int64_t fen) { return absl::StrFormat("%s%d.%02d", fen < 0 ? "-" : "", std::abs(fen) / 100, std::abs(fen) % 100); }

// Prints statements as the payroll sheet: one line per violation, then each person's total.
void PrintStatements(const std::vector<salesledger::v1::PenaltyStatement>& statements, bool csv) {
  if (csv) {
    std::cout << "person_id,name,period,violation_id,rule,amount_fen,joint,waived,event_seq,policy_version\n";
  } else {
    std::cout << absl::StrFormat("%-10s %-8s %-10s %-20s %12s %-6s %-6s\n", "person", "period", "violation",
                                 "rule", "amount (元)", "joint", "waived");
  }
  for (const auto& s : statements) {
    for (const auto& v : s.items()) {
      if (csv) {
        std::cout << absl::StrJoin(std::vector<std::string>{CsvField(s.person_id()), CsvField(s.name()), s.period(),
                                                            v.violation_id(), v.rule(), absl::StrCat(v.amount_fen()),
                                                            v.joint() ? "true" : "false", v.waived() ? "true" : "false",
                                                            absl::StrCat(v.event_seq()), absl::StrCat(v.policy_version())},
                                   ",")
                  << "\n";
      } else {
        std::cout << absl::StrFormat("%-10s %-8s %-10s %-20s %12s %-6s %-6s\n", s.person_id(), s.period(),
                                     v.violation_id(), v.rule(), Yuan(v.amount_fen()), v.joint() ? "yes" : "",
                                     v.waived() ? "yes" : "");
      }
    }
    if (csv) {
      std::cout << absl::StrJoin(std::vector<std::string>{CsvField(s.person_id()), CsvField(s.name()), s.period(),
                                                          "TOTAL", "", absl::StrCat(s.total_fen()), "", "", "", ""},
                                 ",")
                << "\n";
    } else {
      std::cout << absl::StrFormat("%-10s %-8s %-10s %-20s %12s\n", s.person_id(), s.period(), "TOTAL", "",
                                   Yuan(s.total_fen()));
    }
  }
}

int Statement(int argc, char** argv) {
  salesledger::CliFlags flags(ServerFlags({
      {"person", "", "the person whose statement to print"},
      {"project", "", "or: everyone with a violation on this project"},
      {"month", "", "YYYY-MM"},
      {"csv", "", "CSV for payroll instead of a table", true},
      {"as-of-seq", "0", "the statement as the ledger stood right after this seq"},
  }));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  if (!parsed.ok() || flags.help() || flags.Get("month").empty() ||
      flags.Get("person").empty() == flags.Get("project").empty()) {
    std::cerr << "usage: ledgerctl statement (--person P | --project P) --month YYYY-MM [--csv] [flags]\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  auto token = ReadToken(flags.Get("token-file"));
  if (!token.ok()) {
    std::cerr << "ledgerctl: " << token.status().message() << "\n";
    return 1;
  }
  auto stub = salesledger::v1::QueryService::NewStub(
      grpc::CreateChannel(flags.Get("server"), grpc::InsecureChannelCredentials()));
  const uint64_t as_of = std::stoull(flags.Get("as-of-seq"));
  std::vector<salesledger::v1::PenaltyStatement> statements;
  auto fail = [](const grpc::Status& s) {
    std::cerr << "ledgerctl: " << s.error_message() << " ["
              << absl::StatusCodeToString(static_cast<absl::StatusCode>(s.error_code())) << "]\n";
    return 1;
  };
  if (!flags.Get("person").empty()) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + *token);
    salesledger::v1::PenaltyStatementRequest request;
    request.set_person_id(flags.Get("person"));
    request.set_period(flags.Get("month"));
    request.set_as_of_seq(as_of);
    salesledger::v1::PenaltyStatement statement;
    if (grpc::Status s = stub->GetPenaltyStatement(&ctx, request, &statement); !s.ok()) return fail(s);
    statements.push_back(statement);
  } else {
    std::map<std::string, salesledger::v1::PenaltyStatement> by_person;
    salesledger::v1::ListViolationsRequest request;
    request.set_project_id(flags.Get("project"));
    request.set_period(flags.Get("month"));
    request.set_page_size(1000);
    request.set_as_of_seq(as_of);
    do {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + *token);
      salesledger::v1::ListViolationsResponse page;
      if (grpc::Status s = stub->ListViolations(&ctx, request, &page); !s.ok()) return fail(s);
      for (const auto& v : page.violations()) {
        auto& st = by_person[v.subject_id()];
        st.set_person_id(v.subject_id());
        st.set_period(v.period());
        *st.add_items() = v;
        if (!v.waived()) st.set_total_fen(st.total_fen() + v.amount_fen());
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    for (auto& [person, st] : by_person) statements.push_back(st);
  }
  PrintStatements(statements, flags.GetBool("csv"));
  return 0;
}

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

absl::StatusOr<std::unique_ptr<salesledger::EventLog>> OpenLog(const std::string& data_dir) {
  salesledger::EventLogOptions options;
  options.path = data_dir + "/ledger";
  if (!std::filesystem::exists(options.path)) {
    return absl::NotFoundError(absl::StrCat("no ledger in ", data_dir, " (expected ", options.path, ")"));
  }
  return salesledger::EventLog::Open(options);
}

int Rebuild(int argc, char** argv) {
  salesledger::CliFlags flags({{"data-dir", "./data", "the data dir of a stopped ledgerd"}});
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help()) {
    std::cerr << "usage: ledgerctl rebuild [--data-dir DIR]\n"
                 "Folds every event from seq 1 into fresh projections and stores them as the checkpoint\n"
                 "ledgerd resumes from. Offline: ledgerd must not be running on DIR.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  auto log = OpenLog(flags.Get("data-dir"));
  if (!log.ok()) {
    std::cerr << "ledgerctl: " << log.status().message() << "\n";
    return 1;
  }
  const absl::Time start = absl::Now();
  ProgressBar bar("rebuild");
  auto state = salesledger::FoldFromScratch(**log, 0, [&](uint64_t d, uint64_t t) { bar(d, t); });
  if (!state.ok()) {
    std::cerr << "ledgerctl: " << state.status().message() << "\n";
    return 1;
  }
  if (absl::Status s = salesledger::WriteCheckpoint(**log, *state); !s.ok()) {
    std::cerr << "ledgerctl: " << s.message() << "\n";
    return 1;
  }
  const absl::Duration took = absl::Now() - start;
  std::cout << "rebuilt projections at seq " << state->head_seq << " in " << absl::FormatDuration(took) << " ("
            << static_cast<int64_t>(state->head_seq / std::max(absl::ToDoubleSeconds(took), 1e-9)) << " events/s)"
            << std::endl;
  return 0;
}

int Verify(int argc, char** argv) {
  salesledger::CliFlags flags({{"data-dir", "./data", "the data dir of a stopped ledgerd"}});
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help()) {
    std::cerr << "usage: ledgerctl verify [--data-dir DIR]\n"
                 "Checks the hash chain from seq 1 to the head, and that the stored projection checkpoint\n"
                 "equals a fresh fold of the log up to its seq. Exits 1 naming the first problem.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  auto log = OpenLog(flags.Get("data-dir"));
  if (!log.ok()) {
    std::cerr << "ledgerctl: " << log.status().message() << " [" << absl::StatusCodeToString(log.status().code())
              << "]\n";
    return 1;
  }
  auto chain = (*log)->VerifyChain(0, 0);
  if (!chain.ok()) {
    std::cerr << "ledgerctl: " << chain.status().message() << " [" << absl::StatusCodeToString(chain.status().code())
              << "]\n";
    return 1;
  }
  std::cout << "chain: OK, seq 1.." << chain->seq << ", head " << salesledger::ToHex(chain->hash) << std::endl;
  auto checkpoint = salesledger::ReadCheckpoint(**log);
  if (!checkpoint.ok()) {
    std::cerr << "ledgerctl: " << checkpoint.status().message() << "\n";
    return 1;
  }
  if (!*checkpoint) {
    std::cout << "projections: no checkpoint stored (ledgerd folds from seq 1)" << std::endl;
    return 0;
  }
  ProgressBar bar("fold");
  auto fresh = salesledger::FoldFromScratch(**log, (*checkpoint)->seq, [&](uint64_t d, uint64_t t) { bar(d, t); });
  if (!fresh.ok()) {
    std::cerr << "ledgerctl: " << fresh.status().message() << "\n";
    return 1;
  }
  if (salesledger::EncodeState(*fresh) != (*checkpoint)->state_bytes) {
    std::cerr << "ledgerctl: the stored projections at seq " << (*checkpoint)->seq
              << " differ from a fresh fold of the log; run 'ledgerctl rebuild' [DATA_LOSS]\n";
    return 1;
  }
  std::cout << "projections: OK, the checkpoint at seq " << (*checkpoint)->seq << " equals a fresh fold" << std::endl;
  return 0;
}

int Policy(int argc, char** argv) {
  salesledger::CliFlags flags(ServerFlags({
      {"file", "", "set: the text-format salesledger.v1.Policy to publish as the next version"},
      {"request-id", "", "idempotency key (default: derived from the file's content)"},
  }));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  const std::vector<std::string>& args = flags.positional();
  const bool show = args.size() == 1 && args[0] == "show", set = args.size() == 1 && args[0] == "set";
  if (!parsed.ok() || flags.help() || (!show && !set) || (set && flags.Get("file").empty())) {
    std::cerr << "usage: ledgerctl policy show            the seed's policy (version 1), as a text-format file\n"
                 "       ledgerctl policy set --file F    publish F as the next policy version (ADMIN, FINANCE_LEAD)\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  if (show) {
    std::string text;
    google::protobuf::TextFormat::PrintToString(salesledger::DefaultPolicy(), &text);
    std::cout << "# salesledger.v1.Policy (proto/salesledger/v1/policy.proto); version is assigned by the ledger\n"
              << text;
    return 0;
  }
  std::ifstream in(flags.Get("file"));
  std::stringstream text;
  text << in.rdbuf();
  salesledger::v1::SetPolicyRequest request;
  if (!in || !google::protobuf::TextFormat::ParseFromString(text.str(), request.mutable_policy())) {
    std::cerr << "ledgerctl: " << flags.Get("file") << " is not a text-format salesledger.v1.Policy\n";
    return 1;
  }
  if (absl::Status s = salesledger::CheckPolicy(request.policy()); !s.ok()) {
    std::cerr << "ledgerctl: " << s.message() << "\n";
    return 1;
  }
  auto token = ReadToken(flags.Get("token-file"));
  if (!token.ok()) {
    std::cerr << "ledgerctl: " << token.status().message() << "\n";
    return 1;
  }
  request.set_request_id(flags.Get("request-id").empty()
                             ? "ledgerctl-policy-" + salesledger::ToHex(salesledger::Sha256(text.str())).substr(0, 16)
                             : flags.Get("request-id"));
  auto stub = salesledger::v1::AdminService::NewStub(
      grpc::CreateChannel(flags.Get("server"), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + *token);
  salesledger::v1::EntryResponse response;
  if (grpc::Status s = stub->SetPolicy(&ctx, request, &response); !s.ok()) {
    std::cerr << "ledgerctl: " << s.error_message() << " ["
              << absl::StatusCodeToString(static_cast<absl::StatusCode>(s.error_code())) << "]\n";
    return 1;
  }
  std::cout << "published the policy at seq " << response.seq() << (response.replayed() ? " (earlier)" : "")
            << "; it applies to entries recorded from now on" << std::endl;
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
  if (verb == "statement") return Statement(argc, argv);
  if (verb == "rebuild") return Rebuild(argc, argv);
  if (verb == "policy") return Policy(argc, argv);
  if (verb == "verify") return Verify(argc, argv);
  std::cerr << "ledgerctl: unknown verb '" << verb << "'\n" << kUsage;
  return 2;
}
