#include "services/simulation.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "google/protobuf/util/json_util.h"
#include "queries/statements.h"
#include "queries/timeliness.h"
#include "salesledger/v1/report.pb.h"
#include "services/ledger.h"
#include "services/scenario_line.h"

namespace salesledger {
namespace {

// A scenario's actors act as the person they name. One who was given tokens and has none left
// that is neither revoked nor expired at `at` can no longer act, as a token-bearing client could not.
absl::Status CheckActor(const State& state, const std::string& actor, absl::Time at) {
  auto person = state.org.people.find(actor);
  if (person == state.org.people.end()) {
    return absl::UnauthenticatedError(absl::StrCat("unknown actor '", actor, "'"));
  }
  bool has_token = false, live_token = false;
  for (const auto& [id, token] : state.org.tokens) {
    if (token.person_id != actor) continue;
    has_token = true;
    live_token = live_token || (!token.revoked && at < token.expires_at);
  }
  if (has_token && !live_token && actor != kAdminPersonId) {
    return absl::UnauthenticatedError(absl::StrCat("every token of '", actor, "' was revoked or has expired"));
  }
  return absl::OkStatus();
}

// A 64-bit quantity as the report's JSON number (report.proto): exact below 2^53, or refused.
absl::StatusOr<double> Exact(int64_t value, absl::string_view what) {
  constexpr int64_t kExact = int64_t{1} << 53;
  if (value <= -kExact || value >= kExact) {
    return absl::OutOfRangeError(absl::StrCat(what, " ", value, " is too large for the report's JSON numbers"));
  }
  return static_cast<double>(value);
}

absl::StatusOr<std::string> Report(const State& state, const Head& head, const std::vector<v1::ScenarioReport::Rejected>& rejected,
                                   const std::vector<std::pair<std::string, std::string>>& receipts) {
  v1::ScenarioReport report;
  ASSIGN_OR_RETURN(const double seq, Exact(head.seq, "head seq"));
  report.mutable_head()->set_seq(seq);
  report.mutable_head()->set_hash(ToHex(head.hash));
  for (const auto& r : rejected) *report.add_rejected() = r;
  for (const auto& [project_id, project] : state.projects) {
    for (const auto& [unit_id, unit] : project.units) {
      auto* u = report.add_units();
      u->set_project_id(project_id);
      u->set_unit_id(unit_id);
      u->set_status(UnitStatusName(unit.status));
    }
  }
  for (const v1::PenaltyStatement& statement : AllPenaltyStatements(state)) {
    auto* s = report.add_penalty_statements();
    s->set_person_id(statement.person_id());
    s->set_period(statement.period());
    ASSIGN_OR_RETURN(const double total, Exact(statement.total_fen(), "total_fen"));
    s->set_total_fen(total);
    for (const v1::ViolationView& v : statement.items()) {
      auto* item = s->add_items();
      item->set_violation_id(v.violation_id());
      item->set_rule(v.rule());
      ASSIGN_OR_RETURN(const double amount, Exact(v.amount_fen(), "amount_fen"));
      ASSIGN_OR_RETURN(const double event_seq, Exact(v.event_seq(), "event_seq"));
      ASSIGN_OR_RETURN(const double entry_seq, Exact(v.entry_seq(), "entry_seq"));
      item->set_amount_fen(amount);
      item->set_event_seq(event_seq);
      item->set_entry_seq(entry_seq);
      item->set_joint(v.joint());
      item->set_waived(v.waived());
      item->set_excused_by_outage(v.excused_by_outage());
      item->set_policy_version(v.policy_version());
    }
  }
  ASSIGN_OR_RETURN(const v1::TimelinessResponse rows, GetTimeliness(state, v1::TimelinessRequest()));
  for (const v1::TimelinessRow& row : rows.rows()) {
    auto* t = report.add_timeliness();
    t->set_project_id(row.project_id());
    t->set_person_id(row.person_id());
    t->set_kind(row.kind());
    t->set_period(row.period());
    ASSIGN_OR_RETURN(const double entries, Exact(row.entries(), "entries"));
    ASSIGN_OR_RETURN(const double late, Exact(row.late(), "late"));
    ASSIGN_OR_RETURN(const double p50, Exact(row.lag_p50_s(), "lag"));
    ASSIGN_OR_RETURN(const double p90, Exact(row.lag_p90_s(), "lag"));
    ASSIGN_OR_RETURN(const double max, Exact(row.lag_max_s(), "lag"));
    t->set_entries(entries);
    t->set_late(late);
    t->set_on_time_bp(static_cast<int32_t>(row.on_time_bp()));
    t->set_lag_p50_s(p50);
    t->set_lag_p90_s(p90);
    t->set_lag_max_s(max);
    ASSIGN_OR_RETURN(const double excused, Exact(row.excused(), "excused"));
    t->set_excused(excused);
  }
  for (const auto& [payment, receipt] : receipts) (*report.mutable_receipts())[payment] = receipt;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto printed = google::protobuf::util::MessageToJsonString(report, &json, options);
  if (!printed.ok()) return absl::InternalError(absl::StrCat("printing the report: ", printed.message().as_string()));
  return json;
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

  std::vector<v1::ScenarioReport::Rejected> rejected;
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
      status = ledger->Read([&](const State& state) { return CheckActor(state, line->actor, *line->at); });
      if (status.ok()) {
        auto outcome = ledger->Execute(line->actor, line->command);
        status = outcome.status();
        if (outcome.ok() && !outcome->event.receipt_no().empty() && !outcome->replayed) {
          receipts.push_back({outcome->event.record_payment().payment_id(), outcome->event.receipt_no()});
        }
      }
    }
    if (!status.ok()) {
      v1::ScenarioReport::Rejected& r = rejected.emplace_back();
      r.set_line(number);
      r.set_code(absl::StatusCodeToString(status.code()));
      r.set_message(std::string(status.message()));
    }
  }
  const Head head = ledger->log().GetHead();
  return ledger->Read([&](const State& state) { return Report(state, head, rejected, receipts); });
}

}  // namespace salesledger
