// Customers and visits (SPEC.md §3.3): 来电来访 entered the same day.
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/describe.h"
#include "domain/validation.h"

namespace salesledger {

using namespace salesledger::v1;

absl::Status DecideRegisterCustomer(const State& state, const RegisterCustomerRequest& r, const DecideContext& c,
                                    Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("customer_id"), Name("name")}));
  ASSIGN_OR_RETURN(const std::string phone, NormalizePhone(r.phone()));
  RETURN_IF_ERROR(CheckFields(r, {Enum("source")}));
  for (const auto& [field, value] : {std::pair{"sealed_name", &r.sealed_name()}, {"sealed_phone", &r.sealed_phone()},
                                     {"phone_index", &r.phone_index()}}) {
    if (!value->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("field '", field, "' is the ledger's to fill, not a client's: leave it empty"));
    }
  }
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kOptional));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(NamedConsultant(state, project, r.consultant_id()).status());
  RETURN_IF_ERROR(CheckNewId(project, "customer_id", r.customer_id()));
  // Customers from before sealing are indexed by their digits, the others by the keyed index.
  for (const std::string* index : {&phone, &c.phone_index}) {
    auto owner = index->empty() ? project.customer_by_phone.end() : project.customer_by_phone.find(*index);
    if (owner == project.customer_by_phone.end()) continue;
    const Customer& existing = project.customers.at(owner->second);
    return absl::AlreadyExistsError(absl::StrCat("phone ", MaskPhone(phone), " is already registered (customer ",
                                                 existing.customer_id, ", consultant ", existing.consultant_id.str(),
                                                 "): the first registration owns the customer"));
  }
  Record(event, event.mutable_register_customer(), r, r.project_id(), occurred);
  event.mutable_register_customer()->set_phone(phone);  // digits only: 撞单 compares these
  event.mutable_register_customer()->set_phone_index(c.phone_index);
  return absl::OkStatus();
}

void ApplyRegisterCustomer(State& state, const Event& event, const RegisterCustomerRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Customer& cu = project.customers[b.customer_id()];
  cu.customer_id = b.customer_id();
  cu.sealed = !b.sealed_name().empty();
  cu.name = cu.sealed ? b.sealed_name() : b.name();
  cu.phone_digits = cu.sealed ? b.sealed_phone() : b.phone();
  cu.phone_index = b.phone_index().empty() ? b.phone() : b.phone_index();
  cu.consultant_id = b.consultant_id();
  cu.source = b.source();
  cu.occurred_at = FromProto(event.occurred_at());
  cu.seq = event.seq();
  project.customer_by_phone[cu.phone_index] = b.customer_id();
  project.AddItem(b.customer_id(), ItemKind::kCustomer, event.seq());
  project.voidable.Add({event.seq(), Event::kRegisterCustomer, false, event.actor_id(), b.customer_id()});
}

absl::Status DecideLogVisit(const State& state, const LogVisitRequest& r, const DecideContext& c, Event& event) {
  RETURN_IF_ERROR(CheckFields(
      r, {Id("visit_id"), Id("customer_id"), Enum("kind"), OptionalEnum("intent"), OptionalText("note")}));
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kRequired));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(NamedConsultant(state, project, r.consultant_id()).status());
  ASSIGN_OR_RETURN(const Customer& customer, Find(project.customers, "customer", r.customer_id(), project));
  RETURN_IF_ERROR(CheckNewId(project, "visit_id", r.visit_id()));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.customer_id()));
  if (customer.voided) {
    return absl::FailedPreconditionError(
        absl::StrCat("customer ", r.customer_id(), " was ", DescribeVoided(project, customer.seq)));
  }
  Record(event, event.mutable_log_visit(), r, r.project_id(), occurred);
  return absl::OkStatus();
}

void ApplyLogVisit(State& state, const Event& event, const LogVisitRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  const auto index = static_cast<uint32_t>(project.visits.size());
  Visit& v = project.visits.emplace_back();
  v.consultant_id = b.consultant_id();
  v.kind = b.kind();
  v.occurred_at = FromProto(event.occurred_at());
  v.seq = event.seq();
  project.customers[b.customer_id()].visits.push_back(index);
  project.AddItem(b.visit_id(), ItemKind::kVisit, event.seq(), index);
  project.Touch(b.customer_id(), event.seq());
  project.voidable.Add({event.seq(), Event::kLogVisit, false, event.actor_id(), b.visit_id()});
}

}  // namespace salesledger
