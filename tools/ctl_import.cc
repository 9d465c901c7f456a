// ledgerctl import: sends a file of commands (SPEC.md §8, without `at`) to a running ledgerd, in
// batches (EntryService.SubmitBatch) that share fsyncs.
// Resumable: each line's request_id defaults to a digest of the file's content and the line
// number, so re-running after an interruption sends nothing twice (the server answers the retries
// with the original seq).
#include <deque>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/sha256.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "services/scenario_line.h"
#include "tools/ctl_support.h"
#include "tools/ctl_verbs.h"

namespace salesledger::ctl {
namespace {

// Lines per SubmitBatch call, and a size after which a batch goes early (the server takes 1 MiB).
constexpr int kImportBatchCommands = 500;
constexpr size_t kImportBatchBytes = 256 << 10;

// The lines of one batch, parsed.
struct ParsedBatch {
  v1::CommandBatch batch;
  std::vector<size_t> lines;                              // 1-based line of each command
  std::vector<std::pair<size_t, absl::Status>> unparsed;  // lines that are not a command
  size_t through_line = 0;                                // the last line it covers
};

// Parses lines into batches on a thread of its own, at most two batches ahead of the sender, so
// that parsing the next batch overlaps sending this one.
class BatchParser {
 public:
  BatchParser(const std::vector<std::string>& lines, std::string request_prefix)
      : lines_(lines), prefix_(std::move(request_prefix)), thread_([this] { Run(); }) {}
  ~BatchParser() {
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
    }
    thread_.join();
  }

  // The next batch in file order; nullopt after the last.
  std::optional<ParsedBatch> Next() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(+[](BatchParser* p) { return !p->ready_.empty() || p->finished_; }, this));
    if (ready_.empty()) return std::nullopt;
    ParsedBatch b = std::move(ready_.front());
    ready_.pop_front();
    return b;
  }

 private:
  void Run() {
    ParsedBatch b;
    size_t bytes = 0;
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (lines_[i].find_first_not_of(" \t\r") != std::string::npos) {
        auto line = ParseScenarioLine(lines_[i], absl::StrCat(prefix_, i + 1));
        if (!line.ok()) {
          b.unparsed.emplace_back(i + 1, line.status());
        } else {
          bytes += line->command.ByteSizeLong();
          *b.batch.add_commands() = std::move(line->command);
          b.lines.push_back(i + 1);
        }
      }
      b.through_line = i + 1;
      if (b.batch.commands_size() == kImportBatchCommands || bytes >= kImportBatchBytes || i + 1 == lines_.size()) {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(+[](BatchParser* p) { return p->ready_.size() < 2 || p->cancelled_; }, this));
        if (cancelled_) return;
        ready_.push_back(std::move(b));
        b = ParsedBatch();
        bytes = 0;
      }
    }
    absl::MutexLock lock(&mu_);
    finished_ = true;
  }

  const std::vector<std::string>& lines_;
  const std::string prefix_;
  absl::Mutex mu_;
  std::deque<ParsedBatch> ready_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: starts once the rest is built
};

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
  auto send = [&](ParsedBatch& b) -> absl::Status {
    for (const auto& [line, status] : b.unparsed) {
      report_refusal(line, static_cast<int>(status.code()), std::string(status.message()));
    }
    v1::CommandBatch& batch = b.batch;
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
            report_refusal(b.lines[done], r.code(), r.message());
          }
        }
      } else if (status.error_code() != grpc::StatusCode::UNAVAILABLE) {
        return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
      }
      batch.mutable_commands()->DeleteSubrange(0, done);
      b.lines.erase(b.lines.begin(), b.lines.begin() + done);
      if (batch.commands_size() == 0) break;
      // UNAVAILABLE: resend what is left with the same request_ids, as SPEC.md §4 says.
      if (attempt == 5) return absl::UnavailableError("the server stayed unavailable; re-run to resume");
      absl::SleepFor(absl::Seconds(1 << attempt));
    }
    return absl::OkStatus();
  };
  BatchParser parser(lines, absl::StrCat("import-", file_digest, "-"));
  while (std::optional<ParsedBatch> b = parser.Next()) {
    if (absl::Status s = send(*b); !s.ok()) {
      std::cerr << "\n";
      return Fail(s);
    }
    if (!flags.GetBool("quiet")) bar(b->through_line, lines.size());
  }
  std::cout << accepted << " accepted, " << replayed << " already there, " << refused << " refused" << std::endl;
  return refused == 0 ? 0 : 1;
}

}  // namespace salesledger::ctl
