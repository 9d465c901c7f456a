// Test helper: appends events to a ledger directory from many threads, and after each acknowledged
// append writes "<seq> <request_id> <hash hex>\n" to a side file. Without COUNT it appends until
// killed (event_log_crash_test); with COUNT each thread appends that many and exits 0.
//
// usage: test_appender LEDGER_DIR SIDE_FILE RUN_ID THREADS [COUNT]
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ledger/event_log.h"
#include "base/sha256.h"

int main(int argc, char** argv) {
  if (argc != 5 && argc != 6) {
    std::fprintf(stderr, "usage: test_appender LEDGER_DIR SIDE_FILE RUN_ID THREADS [COUNT]\n");
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
  const long count = argc == 6 ? std::atol(argv[5]) : -1;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (long i = 0; count < 0 || i < count; ++i) {
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
