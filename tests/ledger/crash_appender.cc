// Test helper for event_log_crash_test: appends from many threads until killed, and after each
// acknowledged append writes "<seq> <request_id> <hash hex>\n" to a side file.
//
// usage: crash_appender LEDGER_DIR SIDE_FILE RUN_ID THREADS
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ledger/event_log.h"
#include "ledger/sha256.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: crash_appender LEDGER_DIR SIDE_FILE RUN_ID THREADS\n");
    return 2;
  }
  salesledger::EventLogOptions options;
  options.path = argv[1];
  auto log = salesledger::EventLog::Open(options);
  if (!log.ok()) {
    std::fprintf(stderr, "open: %s\n", log.status().ToString().c_str());
    return 1;
  }
  const int side = ::open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
  const std::string run = argv[3];
  const int threads = std::atoi(argv[4]);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        const std::string id = absl::StrCat(run, "-", t, "-", i);
        salesledger::v1::Event content;
        content.set_actor_id(absl::StrCat("appender", t));
        content.set_project_id("BJF");
        auto appended = (*log)->AppendEvent(id, salesledger::Sha256(id), content);
        if (!appended.ok()) {
          std::fprintf(stderr, "append: %s\n", appended.status().ToString().c_str());
          std::_Exit(1);
        }
        // One write() per line: the kernel keeps it across SIGKILL; only a torn last line is lost.
        const std::string line = absl::StrCat(appended->event.seq(), " ", id, " ",
                                              salesledger::ToHex(appended->event.hash()), "\n");
        if (::write(side, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::_Exit(1);
      }
    });
  }
  for (auto& w : workers) w.join();
  return 0;
}
