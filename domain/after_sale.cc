// Services after the sale (SPEC.md §3.7): the steps of 合同备案, 按揭, 公积金, 产权 and 入伙,
// recorded in order.
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/time_proto.h"
#include "domain/areas.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger::areas {
namespace {

using namespace salesledger::v1;

const std::vector<std::string>& Steps(int service) {
  static const auto* steps = new std::map<int, std::vector<std::string>>{
      {RecordServiceStepRequest::FILING, {"SUBMITTED", "FILED"}},
      {RecordServiceStepRequest::MORTGAGE, {"DOCS_COLLECTED", "SUBMITTED_TO_BANK", "BANK_APPROVED", "LOAN_DISBURSED"}},
      {RecordServiceStepRequest::HOUSING_FUND, {"DOCS_COLLECTED", "SUBMITTED_TO_CENTER", "APPROVED", "LOAN_DISBURSED"}},
      {RecordServiceStepRequest::TITLE, {"SUBMITTED", "CERTIFICATE_ISSUED", "CERTIFICATE_DELIVERED"}},
      {RecordServiceStepRequest::HANDOVER, {"NOTICE_SENT", "INSPECTED", "KEYS_HANDED_OVER"}},
  };
  return steps->at(service);
}

}  // namespace

std::optional<absl::Status> DecideServices(const State& state, const Command& command, const DecideContext& c,
                                           Event& event) {
  if (command.command_case() != Command::kRecordServiceStep) return std::nullopt;
  const auto& r = command.record_service_step();
  if (auto s = RequireRole(c.actor, {kRoleTitleMortgage}, "record_service_step"); !s.ok()) return s;
  if (auto s = CheckId("contract_id", r.contract_id()); !s.ok()) return s;
  if (auto s = CheckEnum("service", r.service(), RecordServiceStepRequest::Service_descriptor()); !s.ok()) return s;
  if (r.step().empty()) return absl::InvalidArgumentError("field 'step' is required");
  const auto& steps = Steps(r.service());
  const auto at = std::find(steps.begin(), steps.end(), r.step());
  const std::string service = EnumName(RecordServiceStepRequest::Service_descriptor(), r.service());
  if (at == steps.end()) {
    return absl::InvalidArgumentError(absl::StrCat("field 'step': '", r.step(), "' is not a step of ", service,
                                                   " (", absl::StrJoin(steps, ", "), ")"));
  }
  if (auto s = CheckText("note", r.note(), false); !s.ok()) return s;
  auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, true);
  if (!occurred.ok()) return occurred.status();
  auto project = AccessProject(state, c.actor, r.project_id());
  if (!project.ok()) return project.status();
  auto contract = Find((*project)->contracts, "contract", r.contract_id(), **project);
  if (!contract.ok()) return contract.status();
  if (auto s = CheckExpectedSeq(**project, r.expected_seq(), r.contract_id()); !s.ok()) return s;
  if ((*contract)->status != ContractStatus::kActive || (*contract)->voided) {
    return absl::FailedPreconditionError(absl::StrCat("contract ", r.contract_id(), " is cancelled or voided"));
  }
  const auto done_it = (*contract)->service_steps_done.find(r.service());
  const size_t done = done_it == (*contract)->service_steps_done.end() ? 0 : done_it->second;
  const size_t index = at - steps.begin();
  if (index < done) {
    return absl::FailedPreconditionError(absl::StrCat(service, " step ", r.step(), " of contract ", r.contract_id(),
                                                      " is already recorded"));
  }
  if (index > done) {
    return absl::FailedPreconditionError(absl::StrCat(service, " step ", r.step(), " of contract ", r.contract_id(),
                                                      " must come after ", steps[done]));
  }
  StoreBody(event.mutable_record_service_step(), r);
  event.set_project_id(r.project_id());
  *event.mutable_occurred_at() = ToProto(*occurred);
  return absl::OkStatus();
}

bool ApplyServices(State& state, const Event& event) {
  if (event.body_case() != Event::kRecordServiceStep) return false;
  const auto& b = event.record_service_step();
  Project* project = state.FindProject(event.project_id());
  ++project->contracts[b.contract_id()].service_steps_done[b.service()];
  project->Touch(b.contract_id(), event.seq());
  return true;
}

}  // namespace salesledger::areas
