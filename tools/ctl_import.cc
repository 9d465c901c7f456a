// ledgerctl import: sends a file of commands (SPEC.md §8, without `at`) to a running ledgerd, in
// batches over one stream (EntryService.SubmitStream), so that the server decides the next batch
// while it writes the last one; each line is answered as its own RPC would be, in file order.
// Resumable: each line's request_id defaults to a digest of the file's content and the line
// number, so re-running after an interruption sends nothing twice (the server answers the retries
// with the original seq).
#include <deque>
#include <functional>
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

struct StreamResult {
  absl::Status status;                 // OK: every batch was sent and answered
  std::deque<ParsedBatch> unanswered;  // when not OK: what is still to send, in order
};

// Sends the batches `next` yields over one SubmitStream, at most kWindow unanswered, and gives
// each answer to `take` in order (which returns whether every line of the batch was answered
// for good). Stops at the first batch not answered for good, or when the stream breaks.
StreamResult StreamBatches(v1::EntryService::Stub& entry, const std::string& token,
                           const std::function<std::optional<ParsedBatch>()>& next,
                           const std::function<bool(ParsedBatch&, const v1::CommandBatchResponse&)>& take) {
  // Enough to keep the server's pipeline full (services/command_services.h, kStreamBatchesInFlight).
  constexpr size_t kWindow = 4;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  auto stream = entry.SubmitStream(&ctx);
  struct Sent {
    absl::Mutex mu;
    std::deque<ParsedBatch> batches;  // sent (or being sent), not yet answered; guarded by mu
    bool all_sent = false, stop = false;
  } sent;
  std::thread sender([&] {
    while (true) {
      {
        absl::MutexLock lock(&sent.mu);
        sent.mu.Await(absl::Condition(+[](Sent* s) { return s->batches.size() < kWindow || s->stop; }, &sent));
        if (sent.stop) break;
      }
      std::optional<ParsedBatch> b = next();
      if (!b) {
        absl::MutexLock lock(&sent.mu);
        sent.all_sent = true;
        break;
      }
      const v1::CommandBatch* batch;
      {
        absl::MutexLock lock(&sent.mu);
        sent.batches.push_back(*std::move(b));
        batch = &sent.batches.back().batch;  // a deque keeps its elements where they are
      }
      // A batch of only unparsed lines still goes: its answer (no results) reports them in order.
      if (!stream->Write(*batch)) break;
    }
    stream->WritesDone();
  });
  StreamResult result;
  bool broken = false;
  for (v1::CommandBatchResponse response; !broken && stream->Read(&response);) {
    absl::MutexLock lock(&sent.mu);
    if (sent.batches.empty()) break;  // an answer to nothing sent: the server is not ours
    broken = !take(sent.batches.front(), response);
    if (!broken) sent.batches.pop_front();
  }
  {
    absl::MutexLock lock(&sent.mu);
    sent.stop = true;
  }
  if (broken) ctx.TryCancel();
  sender.join();
  grpc::Status finished = stream->Finish();
  absl::MutexLock lock(&sent.mu);
  if (finished.ok() && !broken && sent.all_sent && sent.batches.empty()) return result;
  result.unanswered = std::move(sent.batches);
  if (broken) {
    result.status = absl::UnavailableError("the server answered UNAVAILABLE");
  } else if (finished.ok()) {
    result.status = absl::UnavailableError("the stream ended before every batch was answered");
  } else {
    result.status = absl::Status(static_cast<absl::StatusCode>(finished.error_code()), finished.error_message());
  }
  return result;
}

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
  // Takes a batch's answer: the lines answered for good leave the batch; true when all did.
  auto take = [&](ParsedBatch& b, const v1::CommandBatchResponse& response) {
    for (const auto& [line, status] : b.unparsed) {
      report_refusal(line, static_cast<int>(status.code()), std::string(status.message()));
    }
    b.unparsed.clear();
    int done = 0;
    for (; done < response.results_size() && done < b.batch.commands_size(); ++done) {
      const v1::CommandResult& r = response.results(done);
      if (r.code() == static_cast<int>(grpc::StatusCode::UNAVAILABLE)) break;  // resend from here
      if (r.code() == 0) {
        ++(r.response().replayed() ? replayed : accepted);
      } else {
        report_refusal(b.lines[done], r.code(), r.message());
      }
    }
    b.batch.mutable_commands()->DeleteSubrange(0, done);
    b.lines.erase(b.lines.begin(), b.lines.begin() + done);
    if (!flags.GetBool("quiet") && b.batch.commands_size() == 0) bar(b.through_line, lines.size());
    return b.batch.commands_size() == 0;
  };
  BatchParser parser(lines, absl::StrCat("import-", file_digest, "-"));
  // Batches sent but not answered for good by a stream that broke: they go first in the next.
  std::deque<ParsedBatch> resend;
  auto next = [&]() -> std::optional<ParsedBatch> {
    if (resend.empty()) return parser.Next();
    ParsedBatch b = std::move(resend.front());
    resend.pop_front();
    return b;
  };
  for (int attempt = 0;; ++attempt) {
    StreamResult result = StreamBatches(*entry, *token, next, take);
    if (result.status.ok()) break;
    if (result.status.code() != absl::StatusCode::kUnavailable) {
      std::cerr << "\n";
      return Fail(result.status);
    }
    // UNAVAILABLE: resend what is left with the same request_ids, as SPEC.md §4 says.
    while (!result.unanswered.empty()) {
      resend.push_front(std::move(result.unanswered.back()));
      result.unanswered.pop_back();
    }
    if (attempt == 5) return Fail(absl::UnavailableError("the server stayed unavailable; re-run to resume"));
    absl::SleepFor(absl::Seconds(1 << attempt));
  }
  std::cout << accepted << " accepted, " << replayed << " already there, " << refused << " refused" << std::endl;
  return refused == 0 ? 0 : 1;
}

}  // namespace salesledger::ctl
