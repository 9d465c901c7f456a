// Services after the sale (SPEC.md §3.7): the steps of 合同备案, 按揭, 公积金, 产权 and 入伙,
// recorded in order.
#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/describe.h"
#include "domain/validation.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

const std::vector<std::string>& Steps(RecordServiceStepRequest::Service service) {
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

absl::Status DecideRecordServiceStep(const State& state, const RecordServiceStepRequest& r, const DecideContext& c,
                                     Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("contract_id"), Enum("service")}));
  if (r.step().empty()) return absl::InvalidArgumentError("field 'step' is required");
  const auto& steps = Steps(r.service());
  const auto at = std::find(steps.begin(), steps.end(), r.step());
  const std::string service = NameOf(r.service());
  if (at == steps.end()) {
    return absl::InvalidArgumentError(absl::StrCat("field 'step': '", r.step(), "' is not a step of ", service,
                                                   " (", absl::StrJoin(steps, ", "), ")"));
  }
  RETURN_IF_ERROR(CheckFields(r, {OptionalText("note")}));
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kRequired));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Contract& contract, Find(project.contracts, "contract", r.contract_id(), project));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.contract_id()));
  if (contract.status != ContractStatus::kActive || contract.voided) {
    return absl::FailedPreconditionError(
        absl::StrCat("contract ", r.contract_id(), " is not active: ", DescribeContract(project, contract)));
  }
  const auto done_it = contract.service_steps_done.find(r.service());
  const size_t done = done_it == contract.service_steps_done.end() ? 0 : done_it->second;
  const size_t index = at - steps.begin();
  if (index < done) {
    return absl::FailedPreconditionError(absl::StrCat(service, " step ", r.step(), " of contract ", r.contract_id(),
                                                      " is already recorded"));
  }
  if (index > done) {
    return absl::FailedPreconditionError(absl::StrCat(service, " step ", r.step(), " of contract ", r.contract_id(),
                                                      " must come after ", steps[done]));
  }
  Record(event, event.mutable_record_service_step(), r, r.project_id(), occurred);
  return absl::OkStatus();
}

void ApplyRecordServiceStep(State& state, const Event& event, const RecordServiceStepRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  ++project.contracts[b.contract_id()].service_steps_done[b.service()];
  project.Touch(b.contract_id(), event.seq());
}

}  // namespace salesledger
