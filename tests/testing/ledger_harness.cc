#include "tests/testing/ledger_harness.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "services/scenario_line.h"
#include "tests/testing/first_week_cast.h"

namespace salesledger::testing {

absl::Time ScenarioStart() { return absl::FromUnixSeconds(1772326800); }

void LedgerHarness::Open() {
  LedgerOptions options;
  options.data_dir = dir_.Sub("data");
  options.clock = &clock_;
  auto ledger = Ledger::Open(options);
  if (!ledger.ok()) {
    std::fprintf(stderr, "LedgerHarness: %s\n", ledger.status().ToString().c_str());
    std::abort();
  }
  ledger_ = *std::move(ledger);
}

void LedgerHarness::Reopen() {
  ledger_.reset();
  Open();
}

LedgerHarness::LedgerHarness(bool cast) : clock_(ScenarioStart()) {
  Open();
  if (!cast) return;
  for (const CastStep& step : FirstWeekCast()) Must(step.actor, step.cmd, step.args);
}

absl::StatusOr<CommandOutcome> LedgerHarness::Run(const std::string& actor, const std::string& cmd,
                                                  const std::string& args, const std::string& request_id) {
  const std::string id = request_id.empty() ? absl::StrCat("h-", ++next_request_) : request_id;
  auto line = ParseScenarioLine(absl::StrCat(R"({"cmd":")", cmd, R"(","args":)", args, "}"), id);
  if (!line.ok()) return line.status();
  return ledger_->Execute(actor, line->command);
}

uint64_t LedgerHarness::Must(const std::string& actor, const std::string& cmd, const std::string& args) {
  auto outcome = Run(actor, cmd, args);
  if (!outcome.ok()) {
    std::fprintf(stderr, "LedgerHarness set-up step %s by %s refused: %s\n", cmd.c_str(), actor.c_str(),
                 outcome.status().ToString().c_str());
    std::abort();
  }
  return outcome->event.seq();
}

UnitStatus LedgerHarness::UnitStatusOf(const std::string& unit_id) {
  return Read([&](const State& s) { return s.projects.at("BJF").units.at(unit_id).status; });
}

std::string LedgerHarness::At(int64_t minutes) {
  static const absl::TimeZone kBeijing = absl::FixedTimeZone(8 * 3600);
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S+08:00", clock_.Now() + absl::Minutes(minutes), kBeijing);
}

}  // namespace salesledger::testing
