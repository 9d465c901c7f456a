#include "services/audit_service.h"

#include "absl/strings/str_cat.h"
#include <map>
#include <optional>

#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "domain/apply.h"
#include "domain/deadlines.h"
#include "base/time_proto.h"
#include "services/auth.h"
#include "services/grpc_status.h"

namespace salesledger {

using salesledger::v1::Event;

namespace {

// The stored event as ReadEvents and Subscribe send it: parsed, with its hash, and its raw bytes
// when asked for.
absl::Status ToResponse(const StoredEvent& e, bool include_raw, v1::ReadEventsResponse& response) {
  response.Clear();
  if (!response.mutable_event()->ParseFromArray(e.bytes.data(), e.bytes.size())) {
    return absl::DataLossError(absl::StrCat("event ", e.seq, " cannot be decoded"));
  }
  response.mutable_event()->set_hash(e.hash.data(), e.hash.size());
  if (include_raw) response.set_raw(e.bytes.data(), e.bytes.size());
  return absl::OkStatus();
}

}  // namespace

bool MatchesFilters(const v1::ReadEventsRequest& r, const Event& e) {
  if (!r.project_id().empty() && e.project_id() != r.project_id()) return false;
  if (!r.actor_id().empty() && e.actor_id() != r.actor_id()) return false;
  if (!r.kind().empty() && EventKind(e) != r.kind()) return false;
  if (!r.subject_id().empty()) {
    const std::string subject = e.has_log_visit()           ? e.log_visit().consultant_id()
                                : e.has_register_customer() ? e.register_customer().consultant_id()
                                                            : e.actor_id();
    if (subject != r.subject_id()) return false;
  }
  const absl::Time recorded = FromProto(e.recorded_at()), occurred = FromProto(e.occurred_at());
  if (r.has_recorded_from() && recorded < FromProto(r.recorded_from())) return false;
  if (r.has_recorded_to() && recorded >= FromProto(r.recorded_to())) return false;
  if (r.has_occurred_from() && occurred < FromProto(r.occurred_from())) return false;
  if (r.has_occurred_to() && occurred >= FromProto(r.occurred_to())) return false;
  return true;
}

absl::StatusOr<v1::FindBackdatedResponse> FindBackdatedEntries(const EventLog& log, const State& state,
                                                              const v1::FindBackdatedRequest& request) {
  if (request.min_lag_seconds() < 0) return absl::InvalidArgumentError("field 'min_lag_seconds' must be 0 or more");
  const size_t limit = request.limit() <= 0 ? 100 : std::min(request.limit(), 10000);
  std::multimap<uint64_t, std::string> caused;  // entry seq -> violation ids
  for (const Violation& v : state.violations) {
    if (v.entry_seq == v.event_seq) caused.emplace(v.entry_seq, v.violation_id);
  }
  std::vector<v1::BackdatedEntry> found;
  Event event;
  absl::Status bad;
  RETURN_IF_ERROR(log.Read(1, state.head_seq, [&](const StoredEvent& e) {
    if (!event.ParseFromArray(e.bytes.data(), e.bytes.size())) {
      bad = absl::DataLossError(absl::StrCat("event ", e.seq, " cannot be decoded"));
      return false;
    }
    const Project* project = state.FindProject(event.project_id());
    if (project == nullptr || !event.has_occurred_at()) return true;
    const int64_t lag = absl::ToInt64Seconds(FromProto(event.recorded_at()) - FromProto(event.occurred_at()));
    if (lag <= request.min_lag_seconds()) return true;
    if (!request.project_id().empty() && event.project_id() != request.project_id()) return true;
    if (!request.period().empty() &&
        absl::FormatTime("%Y-%m", FromProto(event.recorded_at()), project->zone) != request.period()) {
      return true;
    }
    const std::string subject = EntrySubject(state, *project, event);
    if (!request.subject_id().empty() && subject != request.subject_id()) return true;
    v1::BackdatedEntry entry;
    entry.set_seq(e.seq);
    entry.set_kind(EventKind(event));
    entry.set_project_id(event.project_id());
    entry.set_actor_id(event.actor_id());
    entry.set_subject_id(subject);
    *entry.mutable_occurred_at() = event.occurred_at();
    *entry.mutable_recorded_at() = event.recorded_at();
    entry.set_lag_seconds(lag);
    if (event.policy_version() >= 1 && event.policy_version() <= state.policies.size()) {
      if (auto deadline = DeadlineOf(state.policies[event.policy_version() - 1], *project, event)) {
        *entry.mutable_deadline() = ToProto(deadline->at);
        entry.set_late(deadline->Late(FromProto(event.recorded_at())));
      }
    }
    for (auto [it, end] = caused.equal_range(e.seq); it != end; ++it) entry.add_violation_ids(it->second);
    if (const VoidableEntry* v = project->voidable.Find(e.seq)) entry.set_voided(v->voided);
    found.push_back(std::move(entry));
    return true;
  }));
  RETURN_IF_ERROR(bad);
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.lag_seconds() > b.lag_seconds(); });
  v1::FindBackdatedResponse out;
  for (size_t i = 0; i < found.size() && i < limit; ++i) *out.add_entries() = std::move(found[i]);
  return out;
}

absl::Status AuditServiceImpl::Authorize(const grpc::ServerContext& context,
                                         absl::string_view action) const {
  absl::StatusOr<Person> person = AuthenticateCall(context, *ledger_);
  if (!person.ok()) return person.status();
  return RequireAnyRole(*person, {kRoleAuditor, kRoleAdmin, kRoleFinanceLead}, action);
}

grpc::Status AuditServiceImpl::GetHead(grpc::ServerContext* context, const v1::GetHeadRequest*,
                                       v1::GetHeadResponse* response) {
  if (absl::Status s = Authorize(*context, "read the ledger head"); !s.ok()) return ToGrpc(s);
  const Head head = ledger_->log().GetHead();
  response->set_seq(head.seq);
  response->set_hash(head.hash);
  *response->mutable_recorded_at() = ToProto(head.recorded_at);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ReadEvents(grpc::ServerContext* context, const v1::ReadEventsRequest* request,
                                          grpc::ServerWriter<v1::ReadEventsResponse>* writer) {
  if (absl::Status s = Authorize(*context, "read events"); !s.ok()) return ToGrpc(s);
  v1::ReadEventsResponse response;
  absl::Status failure;
  absl::Status read = ledger_->log().Read(request->from_seq(), request->to_seq(), [&](const StoredEvent& e) {
    if (context->IsCancelled()) {
      failure = absl::CancelledError("the client cancelled the read");
      return false;
    }
    failure = ToResponse(e, request->include_raw(), response);
    if (!failure.ok()) return false;
    if (!MatchesFilters(*request, response.event())) return true;
    if (!writer->Write(response)) {
      failure = absl::CancelledError("the client went away");
      return false;
    }
    return true;
  });
  if (!read.ok()) return ToGrpc(read);
  return ToGrpc(failure);
}

grpc::Status AuditServiceImpl::VerifyChain(grpc::ServerContext* context, const v1::VerifyChainRequest* request,
                                           v1::VerifyChainResponse* response) {
  if (absl::Status s = Authorize(*context, "verify the chain"); !s.ok()) return ToGrpc(s);
  absl::StatusOr<Head> verified = ledger_->log().VerifyChain(request->from_seq(), request->to_seq());
  if (!verified.ok()) return ToGrpc(verified.status());
  response->set_verified_from(std::max<uint64_t>(request->from_seq(), 1));
  response->set_verified_to(verified->seq);
  response->set_hash(verified->hash);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::Subscribe(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                                         grpc::ServerWriter<v1::ReadEventsResponse>* writer) {
  if (absl::Status s = Authorize(*context, "subscribe to events"); !s.ok()) return ToGrpc(s);
  uint64_t last = std::max<uint64_t>(request->from_seq(), 1) - 1;  // the last seq sent
  bool caught_up = false;
  v1::ReadEventsResponse response;
  while (true) {
    if (context->IsCancelled()) return grpc::Status::CANCELLED;
    if (stopping_) {
      return ToGrpc(absl::UnavailableError(absl::StrCat("the server is stopping; resubscribe from seq ", last + 1)));
    }
    // Only events the readers may see: the published head, never a group still being synced.
    const uint64_t head = ledger_->WaitForPublished(last, absl::Seconds(1));
    if (caught_up && head - last > kMaxSubscriberLag) {
      return ToGrpc(absl::ResourceExhaustedError(absl::StrCat("the subscriber fell ", head - last,
                                                              " events behind; resubscribe from seq ", last + 1)));
    }
    absl::Status failure;
    absl::Status read = ledger_->log().Read(last + 1, head, [&](const StoredEvent& e) {
      failure = ToResponse(e, request->include_raw(), response);
      if (!failure.ok()) return false;
      if (!writer->Write(response)) {
        failure = absl::CancelledError("the subscriber went away");
        return false;
      }
      last = e.seq;
      return !stopping_;
    });
    if (!read.ok()) return ToGrpc(read);
    if (!failure.ok()) return ToGrpc(failure);
    caught_up = caught_up || last >= head;
  }
}

grpc::Status AuditServiceImpl::FindBackdated(grpc::ServerContext* context, const v1::FindBackdatedRequest* request,
                                             v1::FindBackdatedResponse* response) {
  if (absl::Status s = Authorize(*context, "read the back-dated entries report"); !s.ok()) return ToGrpc(s);
  absl::StatusOr<v1::FindBackdatedResponse> report;
  if (request->as_of_seq() == 0) {
    report = ledger_->Read([&](const State& state) { return FindBackdatedEntries(ledger_->log(), state, *request); });
  } else {
    auto state = ledger_->StateAt(request->as_of_seq());
    if (!state.ok()) return ToGrpc(state.status());
    report = FindBackdatedEntries(ledger_->log(), **state, *request);
  }
  if (!report.ok()) return ToGrpc(report.status());
  *response = *std::move(report);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ExplainViolation(grpc::ServerContext* context, const v1::ExplainViolationRequest* request,
                                                v1::ExplainViolationResponse* response) {
  if (absl::Status s = Authorize(*context, "explain violations"); !s.ok()) return ToGrpc(s);
  std::optional<Violation> found = ledger_->Read([&](const State& state) -> std::optional<Violation> {
    const Violation* v = state.violations.Find(request->violation_id());
    if (v == nullptr) return std::nullopt;
    return *v;
  });
  if (!found) {
    return ToGrpc(absl::NotFoundError(absl::StrCat("violation '", request->violation_id(), "' not found")));
  }
  const Violation& v = *found;
  response->set_violation_id(v.violation_id);
  response->set_rule(v.rule);
  response->set_subject_id(v.subject_id);
  response->set_amount_fen(v.amount_fen);
  response->set_joint(v.joint);
  response->set_joins(v.joins);
  response->set_policy_version(v.policy_version);
  response->set_parameters(ViolationParameters(v));
  response->set_waived(v.waived);
  auto cause = ledger_->log().ReadEvent(v.event_seq);
  if (!cause.ok()) return ToGrpc(cause.status());
  *response->mutable_cause() = *cause;
  if (v.entry_seq != v.event_seq) {
    auto entry = ledger_->log().ReadEvent(v.entry_seq);
    if (!entry.ok()) return ToGrpc(entry.status());
    *response->mutable_entry() = *entry;
  }
  if (v.waived) {
    auto waiver = ledger_->log().ReadEvent(v.waiver_seq);
    if (!waiver.ok()) return ToGrpc(waiver.status());
    *response->mutable_waiver() = *waiver;
  }
  const Event& late = v.entry_seq == v.event_seq ? *cause : response->entry();
  const int64_t lag_minutes = absl::ToInt64Minutes(FromProto(late.recorded_at()) - FromProto(late.occurred_at()));
  std::string why;
  if (v.rule == "audit_overdue") {
    why = absl::StrCat("the ", EventKind(late), " at seq ", v.entry_seq, " was still unaudited at the inspection of seq ",
                       v.event_seq, ", more than the allowed hours after it was recorded");
  } else if (v.rule == "plan_missing") {
    why = absl::StrCat("the inspection of seq ", v.event_seq, " found no sales plan or monthly feedback recorded by its deadline");
  } else {
    why = absl::StrCat("the ", EventKind(late), " at seq ", v.entry_seq, " was recorded ", lag_minutes,
                       " minutes after the moment it records, past its deadline");
  }
  absl::StrAppend(&why, v.joint ? absl::StrCat("; a joint fine (连带) with ", v.joins.view()) : "",
                  "; judged by policy version ", v.policy_version, " (", ViolationParameters(v), ")",
                  v.waived ? absl::StrCat("; waived at seq ", v.waiver_seq, ": ",
                                          response->waiver().waive_violation().reason())
                           : "");
  response->set_explanation(why);
  return grpc::Status::OK;
}

}  // namespace salesledger
