#include "services/simulation.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "queries/queries.h"
#include "services/ledger.h"
#include "services/report_json.h"
#include "services/scenario_line.h"

namespace salesledger {
namespace {

// A scenario's actors act as the person they name. One who was given tokens and has had them all
// revoked can no longer act, as a token-bearing client could not.
absl::Status CheckActor(const State& state, const std::string& actor) {
  auto person = state.org.people.find(actor);
  if (person == state.org.people.end()) {
    return absl::UnauthenticatedError(absl::StrCat("unknown actor '", actor, "'"));
  }
  bool has_token = false, live_token = false;
  for (const auto& [id, token] : state.org.tokens) {
    if (token.person_id != actor) continue;
    has_token = true;
    live_token = live_token || !token.revoked;
  }
  if (has_token && !live_token && actor != kAdminPersonId) {
    return absl::UnauthenticatedError(absl::StrCat("every token of '", actor, "' was revoked"));
  }
  return absl::OkStatus();
}

std::string Report(const State& state, const Head& head, const std::vector<std::string>& rejected,
                   const std::vector<std::pair<std::string, std::string>>& receipts) {
  std::vector<std::string> units;
  for (const auto& [project_id, project] : state.projects) {
    for (const auto& [unit_id, unit] : project.units) {
      units.push_back(JsonObject()
                          .String("project_id", project_id)
                          .String("unit_id", unit_id)
                          .String("status", UnitStatusName(unit.status))
                          .Done());
    }
  }
  std::vector<std::string> statements;
  for (const v1::PenaltyStatement& statement : AllPenaltyStatements(state)) {
    std::vector<std::string> rows;
    for (const v1::ViolationView& v : statement.items()) {
      rows.push_back(JsonObject()
                         .String("violation_id", v.violation_id())
                         .String("rule", v.rule())
                         .Int("amount_fen", v.amount_fen())
                         .Int("event_seq", v.event_seq())
                         .Int("entry_seq", v.entry_seq())
                         .Bool("joint", v.joint())
                         .Bool("waived", v.waived())
                         .Int("policy_version", v.policy_version())
                         .Done());
    }
    statements.push_back(JsonObject()
                             .String("person_id", statement.person_id())
                             .String("period", statement.period())
                             .Int("total_fen", statement.total_fen())
                             .Field("items", "[" + absl::StrJoin(rows, ",") + "]")
                             .Done());
  }
  std::vector<std::string> timeliness;
  const v1::TimelinessResponse all_rows = *GetTimeliness(state, v1::TimelinessRequest());
  for (const v1::TimelinessRow& row : all_rows.rows()) {
    timeliness.push_back(JsonObject()
                             .String("project_id", row.project_id())
                             .String("person_id", row.person_id())
                             .String("kind", row.kind())
                             .String("period", row.period())
                             .Int("entries", row.entries())
                             .Int("late", row.late())
                             .Int("on_time_bp", row.on_time_bp())
                             .Int("lag_p50_s", row.lag_p50_s())
                             .Int("lag_p90_s", row.lag_p90_s())
                             .Int("lag_max_s", row.lag_max_s())
                             .Done());
  }
  JsonObject receipt_map;
  for (const auto& [payment, receipt] : receipts) receipt_map.String(payment, receipt);
  return JsonObject()
      .Field("head", JsonObject().Int("seq", head.seq).String("hash", ToHex(head.hash)).Done())
      .Field("rejected", "[" + absl::StrJoin(rejected, ",\n  ") + "]")
      .Field("units", "[" + absl::StrJoin(units, ",\n  ") + "]")
      .Field("penalty_statements", "[" + absl::StrJoin(statements, ",\n  ") + "]")
      .Field("timeliness", "[" + absl::StrJoin(timeliness, ",\n  ") + "]")
      .Field("receipts", receipt_map.Done())
      .Done();
}

}  // namespace

absl::StatusOr<std::string> Simulate(std::istream& scenario, const SimulationOptions& options) {
  std::string base = options.scratch_dir;
  if (base.empty()) base = std::getenv("TMPDIR") != nullptr ? std::getenv("TMPDIR") : "/tmp";
  std::string pattern = base + "/salesledger-simulate-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return absl::UnavailableError("cannot create a scratch directory");
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{pattern};

  std::vector<std::string> lines;
  for (std::string text; std::getline(scenario, text);) lines.push_back(text);

  // The genesis is recorded at the first line's time.
  ManualClock clock;
  absl::Time last_at = absl::InfinitePast();
  for (const auto& text : lines) {
    auto parsed = ParseScenarioLine(text, "line-0");
    if (parsed.ok() && parsed->at) {
      clock.Set(*parsed->at);
      break;
    }
  }
  LedgerOptions ledger_options;
  ledger_options.data_dir = pattern;
  ledger_options.clock = &clock;
  ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::Open(ledger_options));

  std::vector<std::string> rejected;
  std::vector<std::pair<std::string, std::string>> receipts;
  for (size_t i = 0; i < lines.size(); ++i) {
    const int number = static_cast<int>(i + 1);
    if (lines[i].find_first_not_of(" \t\r") == std::string::npos) continue;
    absl::Status status;
    auto line = ParseScenarioLine(lines[i], absl::StrCat("line-", number));
    if (!line.ok()) {
      status = line.status();
    } else if (!line->at) {
      status = absl::InvalidArgumentError("a scenario line needs 'at'");
    } else if (*line->at < last_at) {
      status = absl::InvalidArgumentError("'at' goes backwards; scenario lines must have non-decreasing 'at'");
    } else {
      last_at = *line->at;
      clock.Set(*line->at);
      status = ledger->Read([&](const State& state) { return CheckActor(state, line->actor); });
      if (status.ok()) {
        auto outcome = ledger->Execute(line->actor, line->command);
        status = outcome.status();
        if (outcome.ok() && !outcome->event.receipt_no().empty() && !outcome->replayed) {
          receipts.push_back({outcome->event.record_payment().payment_id(), outcome->event.receipt_no()});
        }
      }
    }
    if (!status.ok()) {
      rejected.push_back(JsonObject()
                             .Int("line", number)
                             .String("code", absl::StatusCodeToString(status.code()))
                             .String("message", std::string(status.message()))
                             .Done());
    }
  }
  const Head head = ledger->log().GetHead();
  return ledger->Read([&](const State& state) { return Report(state, head, rejected, receipts); });
}

}  // namespace salesledger
