// A real Ledger (RocksDB in a temp dir) driven by a manual clock, with the first-week cast of
// SPEC.md's scenario already set up: project BJF (Asia/Shanghai), people, three units and a
// confirmed payment plan, customers C1 (of gw01) and C2 (of gw02).
#ifndef SALESLEDGER_TESTS_TESTING_LEDGER_HARNESS_H_
#define SALESLEDGER_TESTS_TESTING_LEDGER_HARNESS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "services/ledger.h"
#include "tests/testing/temp_dir.h"

namespace salesledger::testing {

// 2026-03-01T09:00:00+08:00
absl::Time ScenarioStart();

class LedgerHarness {
 public:
  // `cast`: set up the first-week cast (else only the genesis exists).
  explicit LedgerHarness(bool cast = true);

  // Runs `cmd` with JSON `args` as `actor`; request_id defaults to a fresh one.
  absl::StatusOr<CommandOutcome> Run(const std::string& actor, const std::string& cmd, const std::string& args,
                                     const std::string& request_id = "");
  // As Run, for callers that need only the status.
  absl::Status Do(const std::string& actor, const std::string& cmd, const std::string& args) {
    return Run(actor, cmd, args).status();
  }
  // Runs and aborts the test process on refusal: for set-up steps.
  uint64_t Must(const std::string& actor, const std::string& cmd, const std::string& args);

  // Closes the ledger (which writes its checkpoint) and opens it again on the same data.
  void Reopen();
  // Closes the ledger for good (its data stays until the harness goes), e.g. to tamper with it.
  void Close() { ledger_.reset(); }

  ManualClock& clock() { return clock_; }
  std::string data_dir() const { return dir_.Sub("data"); }
  Ledger& ledger() { return *ledger_; }
  uint64_t head() const { return ledger_->log().GetHead().seq; }
  // Reads the published state.
  template <typename F>
  auto Read(F&& f) {
    return ledger_->Read(std::forward<F>(f));
  }
  UnitStatus UnitStatusOf(const std::string& unit_id);

  // An RFC 3339 time `minutes` after the clock's now (negative: before), in +08:00.
  std::string At(int64_t minutes = 0);

 private:
  void Open();

  TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<Ledger> ledger_;
  int next_request_ = 0;
};

}  // namespace salesledger::testing

#endif  // SALESLEDGER_TESTS_TESTING_LEDGER_HARNESS_H_
