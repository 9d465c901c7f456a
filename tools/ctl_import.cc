// ledgerctl import: sends a file of commands (SPEC.md §8, without `at`) to a running ledgerd, in
// batches (EntryService.SubmitBatch) that share fsyncs.
// Resumable: each line's request_id defaults to a digest of the file's content and the line
// number, so re-running after an interruption sends nothing twice (the server answers the retries
// with the original seq).
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "ledger/sha256.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "services/scenario_line.h"
#include "tools/ctl_support.h"
#include "tools/ctl_verbs.h"

namespace salesledger::ctl {
namespace {

// Lines per SubmitBatch call, and a size after which a batch goes early (the server takes 1 MiB).
constexpr int kImportBatchCommands = 500;
constexpr size_t kImportBatchBytes = 256 << 10;

}  // namespace

int Import(int argc, char** argv) {
  CliFlags flags(ServerFlags({{"quiet", "", "no progress bar", true}}));
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help() || flags.positional().size() != 1) {
    std::cerr << "usage: ledgerctl import [flags] FILE.jsonl\n"
                 "Sends each line's command to the server with the token of --token-file ('actor' and 'at' are\n"
                 "ignored). Refused lines are reported and the import goes on; the exit code is 1 if any was.\n"
                 "Re-running the same file after an interruption sends nothing twice.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  std::ifstream in(flags.positional()[0]);
  if (!in) return Fail(absl::NotFoundError(absl::StrCat("cannot read ", flags.positional()[0])));
  std::stringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  const std::string file_digest = ToHex(Sha256(text)).substr(0, 16);
  std::vector<std::string> lines;
  content.seekg(0);
  for (std::string line; std::getline(content, line);) lines.push_back(line);
  auto token = ReadToken(flags.Get("token-file"));
  if (!token.ok()) return Fail(token.status());
  auto channel = Connect(flags);
  auto entry = v1::EntryService::NewStub(channel);
  ProgressBar bar("import");
  int accepted = 0, replayed = 0, refused = 0;
  auto report_refusal = [&](size_t line, int code, const std::string& message) {
    ++refused;
    std::cerr << "\nline " << line << ": " << message << " ["
              << absl::StatusCodeToString(static_cast<absl::StatusCode>(code)) << "]\n";
  };
  // Lines go in batches (SubmitBatch), one batch at a time so that each line runs after the one
  // before it, as the file orders them.
  v1::CommandBatch batch;
  std::vector<size_t> batch_lines;  // 1-based line number of each command in `batch`
  size_t batch_bytes = 0;
  auto send_batch = [&]() -> absl::Status {
    for (int attempt = 0; batch.commands_size() > 0; ++attempt) {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + *token);
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
      v1::CommandBatchResponse response;
      grpc::Status status = entry->SubmitBatch(&ctx, batch, &response);
      int done = 0;  // commands answered for good
      if (status.ok()) {
        for (; done < response.results_size(); ++done) {
          const v1::CommandResult& r = response.results(done);
          if (r.code() == static_cast<int>(grpc::StatusCode::UNAVAILABLE)) break;  // resend from here
          if (r.code() == 0) {
            ++(r.response().replayed() ? replayed : accepted);
          } else {
            report_refusal(batch_lines[done], r.code(), r.message());
          }
        }
      } else if (status.error_code() != grpc::StatusCode::UNAVAILABLE) {
        return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
      }
      batch.mutable_commands()->DeleteSubrange(0, done);
      batch_lines.erase(batch_lines.begin(), batch_lines.begin() + done);
      if (batch.commands_size() == 0) break;
      // UNAVAILABLE: resend what is left with the same request_ids, as SPEC.md §4 says.
      if (attempt == 5) return absl::UnavailableError("the server stayed unavailable; re-run to resume");
      absl::SleepFor(absl::Seconds(1 << attempt));
    }
    batch_bytes = 0;
    return absl::OkStatus();
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find_first_not_of(" \t\r") == std::string::npos) continue;
    auto line = ParseScenarioLine(lines[i], absl::StrCat("import-", file_digest, "-", i + 1));
    if (!line.ok()) {
      report_refusal(i + 1, static_cast<int>(line.status().code()), std::string(line.status().message()));
      continue;
    }
    batch_bytes += line->command.ByteSizeLong();
    *batch.add_commands() = std::move(line->command);
    batch_lines.push_back(i + 1);
    if (batch.commands_size() == kImportBatchCommands || batch_bytes >= kImportBatchBytes || i + 1 == lines.size()) {
      if (absl::Status s = send_batch(); !s.ok()) {
        std::cerr << "\n";
        return Fail(s);
      }
      if (!flags.GetBool("quiet")) bar(i + 1, lines.size());
    }
  }
  if (absl::Status s = send_batch(); !s.ok()) return Fail(s);
  if (!flags.GetBool("quiet")) bar(lines.size(), lines.size());
  std::cout << accepted << " accepted, " << replayed << " already there, " << refused << " refused" << std::endl;
  return refused == 0 ? 0 : 1;
}

}  // namespace salesledger::ctl
