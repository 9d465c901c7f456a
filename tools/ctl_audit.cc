#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/numbers.h"
#include "google/protobuf/util/json_util.h"
#include "base/sha256.h"
#include "base/time_proto.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "salesledger/v1/query.grpc.pb.h"
#include "queries/event_filter.h"
#include "tools/ctl_support.h"
#include "tools/ctl_verbs.h"

namespace salesledger::ctl {
namespace {

// Prints statements as the payroll sheet: one line per violation, then each person's total.
void PrintStatements(const std::vector<v1::PenaltyStatement>& statements, bool csv) {
  if (csv) {
    std::cout << "person_id,name,period,violation_id,rule,amount_fen,joint,waived,event_seq,policy_version\n";
  } else {
    std::cout << absl::StrFormat("%-10s %-8s %-10s %-20s %12s %-6s %-6s\n", "person", "period", "violation",
                                 "rule", "amount (元)", "joint", "waived");
  }
  for (const auto& s : statements) {
    for (const auto& v : s.items()) {
      if (csv) {
        std::cout << absl::StrJoin(std::vector<std::string>{CsvField(s.person_id()), CsvField(s.name()), s.period(),
                                                            v.violation_id(), v.rule(), absl::StrCat(v.amount_fen()),
                                                            v.joint() ? "true" : "false", v.waived() ? "true" : "false",
                                                            absl::StrCat(v.event_seq()), absl::StrCat(v.policy_version())},
                                   ",")
                  << "\n";
      } else {
        std::cout << absl::StrFormat("%-10s %-8s %-10s %-20s %12s %-6s %-6s\n", s.person_id(), s.period(),
                                     v.violation_id(), v.rule(), Yuan(v.amount_fen()), v.joint() ? "yes" : "",
                                     v.waived() ? "yes" : "");
      }
    }
    if (csv) {
      std::cout << absl::StrJoin(std::vector<std::string>{CsvField(s.person_id()), CsvField(s.name()), s.period(),
                                                          "TOTAL", "", absl::StrCat(s.total_fen()), "", "", "", ""},
                                 ",")
                << "\n";
    } else {
      std::cout << absl::StrFormat("%-10s %-8s %-10s %-20s %12s\n", s.person_id(), s.period(), "TOTAL", "",
                                   Yuan(s.total_fen()));
    }
  }
}

}  // namespace

int Statement(int argc, char** argv) {
  CliFlags flags(ServerFlags({
      {"person", "", "the person whose statement to print"},
      {"project", "", "or: everyone with a violation on this project"},
      {"month", "", "YYYY-MM"},
      {"csv", "", "CSV for payroll instead of a table", true},
      {"as-of-seq", "0", "the statement as the ledger stood right after this seq"},
  }));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  if (!parsed.ok() || flags.help() || flags.Get("month").empty() ||
      flags.Get("person").empty() == flags.Get("project").empty()) {
    std::cerr << "usage: ledgerctl statement (--person P | --project P) --month YYYY-MM [--csv] [flags]\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  auto stub = v1::QueryService::NewStub(Connect(flags));
  const uint64_t as_of = std::stoull(flags.Get("as-of-seq"));
  std::vector<v1::PenaltyStatement> statements;
  if (!flags.Get("person").empty()) {
    auto ctx = Authorized(flags);
    if (!ctx.ok()) return Fail(ctx.status());
    v1::PenaltyStatementRequest request;
    request.set_person_id(flags.Get("person"));
    request.set_period(flags.Get("month"));
    request.set_as_of_seq(as_of);
    v1::PenaltyStatement statement;
    if (grpc::Status s = stub->GetPenaltyStatement(ctx->get(), request, &statement); !s.ok()) return Fail(s);
    statements.push_back(statement);
  } else {
    std::map<std::string, v1::PenaltyStatement> by_person;
    v1::ListViolationsRequest request;
    request.set_project_id(flags.Get("project"));
    request.set_period(flags.Get("month"));
    request.set_page_size(1000);
    request.set_as_of_seq(as_of);
    do {
      auto ctx = Authorized(flags);
      if (!ctx.ok()) return Fail(ctx.status());
      v1::ListViolationsResponse page;
      if (grpc::Status s = stub->ListViolations(ctx->get(), request, &page); !s.ok()) return Fail(s);
      for (const auto& v : page.violations()) {
        auto& st = by_person[v.subject_id()];
        st.set_person_id(v.subject_id());
        st.set_period(v.period());
        *st.add_items() = v;
        if (!v.waived() && v.excused_by_outage().empty()) st.set_total_fen(st.total_fen() + v.amount_fen());
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    // The sheet is the project's items only; each person's name comes from their own statement.
    for (auto& [person, st] : by_person) {
      auto ctx = Authorized(flags);
      if (!ctx.ok()) return Fail(ctx.status());
      v1::PenaltyStatementRequest named;
      named.set_person_id(person);
      named.set_period(flags.Get("month"));
      named.set_as_of_seq(as_of);
      v1::PenaltyStatement whole;
      if (grpc::Status s = stub->GetPenaltyStatement(ctx->get(), named, &whole); !s.ok()) return Fail(s);
      st.set_name(whole.name());
      statements.push_back(st);
    }
  }
  PrintStatements(statements, flags.GetBool("csv"));
  return 0;
}

namespace {

// `m` in protobuf's JSON mapping; DATA_LOSS naming the record when it cannot be printed (a stored
// event holding a value JSON cannot carry): a verb then fails instead of printing half a line.
absl::StatusOr<std::string> Json(const google::protobuf::Message& m, bool pretty = false) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = true;
  const auto printed = google::protobuf::util::MessageToJsonString(m, &out, options);
  if (!printed.ok()) {
    return absl::DataLossError(absl::StrCat("cannot print this ", m.GetDescriptor()->name(), " as JSON (",
                                            printed.message().as_string(), ")"));
  }
  return out;
}

}  // namespace

int Events(int argc, char** argv) {
  CliFlags flags(ServerFlags({
      {"data-dir", "", "read a stopped ledger's data dir instead of a server"},
      {"from-seq", "0", "first seq"},
      {"to-seq", "0", "last seq (0 = head)"},
      {"project", "", "filter: project id"},
      {"actor", "", "filter: actor id"},
      {"subject", "", "filter: the person an entry concerns"},
      {"kind", "", "filter: command name, e.g. record_payment"},
      {"recorded-from", "", "filter: recorded at or after (RFC 3339)"},
      {"recorded-to", "", "filter: recorded before (RFC 3339)"},
      {"occurred-from", "", "filter: occurred at or after (RFC 3339)"},
      {"occurred-to", "", "filter: occurred before (RFC 3339)"},
      {"raw", "", "add each event's stored bytes (hex) for independent chain checks", true},
  }));
  if (absl::Status s = flags.Parse(argc, argv, 2); !s.ok() || flags.help()) {
    std::cerr << "usage: ledgerctl events [flags]\nPrints events as JSON lines, in seq order.\n\nflags:\n" << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  v1::ReadEventsRequest request;
  request.set_from_seq(std::stoull(flags.Get("from-seq")));
  request.set_to_seq(std::stoull(flags.Get("to-seq")));
  request.set_include_raw(flags.GetBool("raw"));
  request.set_project_id(flags.Get("project"));
  request.set_actor_id(flags.Get("actor"));
  request.set_subject_id(flags.Get("subject"));
  request.set_kind(flags.Get("kind"));
  using Setter = google::protobuf::Timestamp* (v1::ReadEventsRequest::*)();
  for (auto [name, field] : {std::pair<const char*, Setter>{"recorded-from", &v1::ReadEventsRequest::mutable_recorded_from},
                             {"recorded-to", &v1::ReadEventsRequest::mutable_recorded_to},
                             {"occurred-from", &v1::ReadEventsRequest::mutable_occurred_from},
                             {"occurred-to", &v1::ReadEventsRequest::mutable_occurred_to}}) {
    if (flags.Get(name).empty()) continue;  // unset: no bound
    if (absl::Status s = ParseTimeFlag(flags.Get(name), name, (request.*field)()); !s.ok()) return Fail(s);
  }
  auto print = [&](v1::Event& event, const std::string& raw) -> absl::Status {
    absl::StatusOr<std::string> line = Json(event);
    if (!line.ok()) return absl::Status(line.status().code(), absl::StrCat("event ", event.seq(), ": ", line.status().message()));
    if (request.include_raw()) *line = line->substr(0, line->size() - 1) + R"(,"raw_hex":")" + ToHex(raw) + "\"}";
    std::cout << *line << "\n";
    return absl::OkStatus();
  };
  if (!flags.Get("data-dir").empty()) {
    auto log = OpenLog(flags.Get("data-dir"), true);
    if (!log.ok()) return Fail(log.status());
    v1::Event event;
    absl::Status printed;
    absl::Status status = (*log)->Read(request.from_seq(), request.to_seq(), [&](const StoredEvent& e) {
      if (!event.ParseFromArray(e.bytes.data(), e.bytes.size())) {
        printed = absl::DataLossError(absl::StrCat("event ", e.seq, " cannot be decoded"));
        return false;
      }
      if (!MatchesFilters(request, event)) return true;
      event.set_hash(e.hash.data(), e.hash.size());
      printed = print(event, std::string(e.bytes));
      return printed.ok();
    });
    if (status.ok()) status = printed;
    return status.ok() ? 0 : Fail(status);
  }
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  auto stub = v1::AuditService::NewStub(Connect(flags));
  auto reader = stub->ReadEvents(ctx->get(), request);
  v1::ReadEventsResponse response;
  while (reader->Read(&response)) {
    if (absl::Status printed = print(*response.mutable_event(), response.raw()); !printed.ok()) {
      ctx->get()->TryCancel();
      return Fail(printed);
    }
  }
  grpc::Status status = reader->Finish();
  return status.ok() ? 0 : Fail(status);
}

int Backdated(int argc, char** argv) {
  CliFlags flags(ServerFlags({
      {"min-lag", "30m", "report entries recorded more than this after they happened (e.g. 30m, 2h)"},
      {"month", "", "YYYY-MM of recorded_at; empty = all"},
      {"project", "", "filter: project id"},
      {"subject", "", "filter: the person an entry concerns"},
      {"limit", "100", "at most this many entries"},
      {"json", "", "JSON lines instead of a table", true},
  }));
  absl::Duration min_lag;
  if (absl::Status s = flags.Parse(argc, argv, 2);
      !s.ok() || flags.help() || !absl::ParseDuration(flags.Get("min-lag"), &min_lag)) {
    std::cerr << "usage: ledgerctl backdated [--min-lag 30m] [--month YYYY-MM] [flags]\n"
                 "The auditor's report: entries whose recorded_at - occurred_at exceeds the threshold, worst\n"
                 "first, with their deadline and the violations they caused.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  v1::FindBackdatedRequest request;
  request.set_min_lag_seconds(absl::ToInt64Seconds(min_lag));
  request.set_period(flags.Get("month"));
  request.set_project_id(flags.Get("project"));
  request.set_subject_id(flags.Get("subject"));
  request.set_limit(std::stoi(flags.Get("limit")));
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  v1::FindBackdatedResponse response;
  if (grpc::Status s = v1::AuditService::NewStub(Connect(flags))->FindBackdated(ctx->get(), request, &response); !s.ok()) {
    return Fail(s);
  }
  if (flags.GetBool("json")) {
    for (const auto& e : response.entries()) {
      absl::StatusOr<std::string> line = Json(e);
      if (!line.ok()) return Fail(line.status());
      std::cout << *line << "\n";
    }
    return 0;
  }
  absl::TimeZone shanghai;
  absl::LoadTimeZone("Asia/Shanghai", &shanghai);
  std::cout << absl::StrFormat("%-6s %-20s %-8s %-10s %-16s %-16s %10s %-5s %-14s %s\n", "seq", "kind", "project",
                               "subject", "occurred", "recorded", "lag", "late", "printed", "violations");
  for (const auto& e : response.entries()) {
    // When its document was first printed from the system, after it was recorded; how many times.
    const std::string printed =
        e.prints() == 0 ? "" : absl::StrCat("+", absl::FormatDuration(absl::Seconds(e.print_lag_seconds())), " x", e.prints());
    std::cout << absl::StrFormat("%-6d %-20s %-8s %-10s %-16s %-16s %10s %-5s %-14s %s%s\n", e.seq(), e.kind(),
                                 e.project_id(), e.subject_id(),
                                 absl::FormatTime("%m-%d %H:%M", FromProto(e.occurred_at()), shanghai),
                                 absl::FormatTime("%m-%d %H:%M", FromProto(e.recorded_at()), shanghai),
                                 absl::FormatDuration(absl::Seconds(e.lag_seconds())), e.late() ? "yes" : "", printed,
                                 absl::StrJoin(e.violation_ids(), " "), e.voided() ? " (voided)" : "");
  }
  return 0;
}

int AsOf(int argc, char** argv) {
  CliFlags flags(ServerFlags({}));
  const absl::Status parsed = flags.Parse(argc, argv, 2);
  const auto& args = flags.positional();
  uint64_t seq = 0;
  if (!parsed.ok() || flags.help() || args.size() < 2 || !absl::SimpleAtoi(args[0], &seq) || seq == 0) {
    std::cerr << "usage: ledgerctl as-of SEQ QUERY ARGS... [flags]\n"
                 "queries: unit PROJECT UNIT | units PROJECT | customer PROJECT CUSTOMER |\n"
                 "         subscription PROJECT ID | contract PROJECT ID | payment PROJECT ID |\n"
                 "         statement PERSON YYYY-MM | cash PROJECT YYYY-MM-DD\n"
                 "Prints the answer (JSON) as the ledger stood right after event SEQ.\n\nflags:\n"
              << flags.Usage();
    return flags.help() ? 0 : 2;
  }
  auto ctx = Authorized(flags);
  if (!ctx.ok()) return Fail(ctx.status());
  auto stub = v1::QueryService::NewStub(Connect(flags));
  const std::string& query = args[1];
  auto need = [&](size_t n) { return args.size() == 2 + n; };
  grpc::Status status;
  absl::StatusOr<std::string> out;
  auto run = [&](auto method, auto request, auto response) {
    request.set_as_of_seq(seq);
    status = ((*stub).*method)(ctx->get(), request, &response);
    out = Json(response, true);
  };
  if (query == "unit" && need(2)) {
    v1::GetUnitRequest r;
    r.set_project_id(args[2]);
    r.set_unit_id(args[3]);
    run(&v1::QueryService::Stub::GetUnit, r, v1::UnitView());
  } else if (query == "units" && need(1)) {
    v1::ListUnitsRequest r;
    r.set_project_id(args[2]);
    r.set_page_size(1000);
    run(&v1::QueryService::Stub::ListUnits, r, v1::ListUnitsResponse());
  } else if (query == "customer" && need(2)) {
    v1::GetCustomerRequest r;
    r.set_project_id(args[2]);
    r.set_customer_id(args[3]);
    run(&v1::QueryService::Stub::GetCustomer, r, v1::CustomerView());
  } else if ((query == "subscription" || query == "contract") && need(2)) {
    v1::GetDocumentRequest r;
    r.set_project_id(args[2]);
    r.set_id(args[3]);
    run(query == "subscription" ? &v1::QueryService::Stub::GetSubscription : &v1::QueryService::Stub::GetContract, r,
        v1::DocumentView());
  } else if (query == "payment" && need(2)) {
    v1::GetPaymentRequest r;
    r.set_project_id(args[2]);
    r.set_payment_id(args[3]);
    run(&v1::QueryService::Stub::GetPayment, r, v1::PaymentView());
  } else if (query == "statement" && need(2)) {
    v1::PenaltyStatementRequest r;
    r.set_person_id(args[2]);
    r.set_period(args[3]);
    run(&v1::QueryService::Stub::GetPenaltyStatement, r, v1::PenaltyStatement());
  } else if (query == "cash" && need(2)) {
    v1::DailyCashReportRequest r;
    r.set_project_id(args[2]);
    r.set_day(args[3]);
    run(&v1::QueryService::Stub::GetDailyCashReport, r, v1::DailyCashReport());
  } else {
    std::cerr << "ledgerctl as-of: unknown query or wrong arguments: " << query << " (see --help)\n";
    return 2;
  }
  if (!status.ok()) return Fail(status);
  if (!out.ok()) return Fail(out.status());
  std::cout << *out << std::endl;
  return 0;
}

}  // namespace salesledger::ctl
