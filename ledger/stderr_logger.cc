#include "ledger/stderr_logger.h"

#include <cstdarg>
#include <cstdio>

namespace salesledger {
namespace {

class StderrLogger final : public rocksdb::Logger {
 public:
  explicit StderrLogger(rocksdb::InfoLogLevel level) : rocksdb::Logger(level) {}

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    std::fprintf(stderr, "rocksdb: %s\n", line);  // one call: lines from threads do not interleave
  }
};

}  // namespace

std::shared_ptr<rocksdb::Logger> NewStderrLogger(rocksdb::InfoLogLevel level) {
  return std::make_shared<StderrLogger>(level);
}

}  // namespace salesledger
