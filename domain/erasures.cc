// Erasing a customer's personal data (issue 20; 个人信息保护法 art. 47): an administrator asks, a
// FINANCE_LEAD — another person — decides. The approval is the erasure: from it on the state
// holds neither the name nor the phone, the phone is free to register again, and the ledger
// destroys the customer's data key, so that the sealed copies in the log no longer open. The
// financial facts (amounts, units, receipts, who entered what and when, violations, fines) stay.
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

absl::Status NotErased(const Customer& customer) {
  if (customer.erased_seq == 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("the personal data of customer ", customer.customer_id,
                                                    " was erased at seq ", customer.erased_seq,
                                                    "; there is nothing left to erase"));
}

}  // namespace

absl::Status DecideEraseCustomerData(const State& state, const EraseCustomerDataRequest& r, const DecideContext& c,
                                     Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("customer_id"), Text("reason")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Customer& customer, Find(project.customers, "customer", r.customer_id(), project));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.customer_id()));
  RETURN_IF_ERROR(NotErased(customer));
  if (customer.erasure_requested_seq != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "an erasure of customer ", r.customer_id(), " is pending (asked by ", customer.erasure_requested_by.str(),
        " at seq ", customer.erasure_requested_seq, "): a FINANCE_LEAD decides it with decide_erasure"));
  }
  Record(event, event.mutable_erase_customer_data(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyEraseCustomerData(State& state, const Event& event, const EraseCustomerDataRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Customer& customer = project.customers[b.customer_id()];
  customer.erasure_requested_seq = event.seq();
  customer.erasure_requested_by = event.actor_id();
  project.Touch(b.customer_id(), event.seq());
}

absl::Status DecideDecideErasure(const State& state, const DecideErasureRequest& r, const DecideContext& c,
                                 Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("customer_id"), Present("approve"), OptionalText("note")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Customer& customer, Find(project.customers, "customer", r.customer_id(), project));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.customer_id()));
  RETURN_IF_ERROR(NotErased(customer));
  if (customer.erasure_requested_seq == 0) {
    return absl::FailedPreconditionError(absl::StrCat("no erasure of customer ", r.customer_id(),
                                                      " is pending: an ADMIN asks for one with erase_customer_data"));
  }
  // Two different people (the seed's 双人复核): one who holds both roles cannot approve their own.
  if (customer.erasure_requested_by == c.actor.person_id) {
    return absl::PermissionDeniedError(absl::StrCat(c.actor.person_id, " asked for the erasure of customer ",
                                                    r.customer_id(), " (seq ", customer.erasure_requested_seq,
                                                    "); another FINANCE_LEAD must decide it"));
  }
  Record(event, event.mutable_decide_erasure(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyDecideErasure(State& state, const Event& event, const DecideErasureRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Customer& customer = project.customers[b.customer_id()];
  customer.erasure_requested_seq = 0;
  customer.erasure_requested_by = Symbol();
  project.Touch(b.customer_id(), event.seq());
  if (!b.approve()) return;
  customer.erased_seq = event.seq();
  if (auto owner = project.customer_by_phone.find(customer.phone_index);
      owner != project.customer_by_phone.end() && owner->second == customer.customer_id) {
    project.customer_by_phone.erase(owner);
  }
  customer.name.clear();
  customer.phone_digits.clear();
  customer.phone_index.clear();
}

}  // namespace salesledger
