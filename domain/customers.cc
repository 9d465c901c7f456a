// Customers and visits (SPEC.md §3.3): 来电来访 entered the same day.
#include "absl/strings/str_cat.h"
#include "base/time_proto.h"
#include "domain/areas.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger::areas {

using namespace salesledger::v1;

std::optional<absl::Status> DecideCustomers(const State& state, const Command& command, const DecideContext& c,
                                            Event& event) {
  switch (command.command_case()) {
    case Command::kRegisterCustomer: {
      const auto& r = command.register_customer();
      if (auto s = RequireRole(c.actor, {kRoleConsultant, kRoleCustomerService}, "register_customer"); !s.ok()) {
        return s;
      }
      if (auto s = CheckId("customer_id", r.customer_id()); !s.ok()) return s;
      if (auto s = CheckName("name", r.name()); !s.ok()) return s;
      auto phone = NormalizePhone(r.phone());
      if (!phone.ok()) return phone.status();
      if (auto s = CheckEnum("source", r.source(), RegisterCustomerRequest::Source_descriptor()); !s.ok()) return s;
      auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, false);
      if (!occurred.ok()) return occurred.status();
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      auto consultant = NamedConsultant(state, **project, r.consultant_id());
      if (!consultant.ok()) return consultant.status();
      if (auto s = CheckNewId(**project, "customer_id", r.customer_id()); !s.ok()) return s;
      if (auto owner = (*project)->customer_by_phone.find(*phone); owner != (*project)->customer_by_phone.end()) {
        const Customer& existing = (*project)->customers.at(owner->second);
        return absl::AlreadyExistsError(absl::StrCat("phone ", MaskPhone(*phone), " is already registered (customer ",
                                                     existing.customer_id, ", consultant ", existing.consultant_id.str(),
                                                     "): the first registration owns the customer"));
      }
      StoreBody(event.mutable_register_customer(), r);
      event.mutable_register_customer()->set_phone(*phone);
      event.set_project_id(r.project_id());
      *event.mutable_occurred_at() = ToProto(*occurred);
      return absl::OkStatus();
    }
    case Command::kLogVisit: {
      const auto& r = command.log_visit();
      if (auto s = RequireRole(c.actor, {kRoleConsultant, kRoleCustomerService}, "log_visit"); !s.ok()) return s;
      if (auto s = CheckId("visit_id", r.visit_id()); !s.ok()) return s;
      if (auto s = CheckId("customer_id", r.customer_id()); !s.ok()) return s;
      if (auto s = CheckEnum("kind", r.kind(), LogVisitRequest::Kind_descriptor()); !s.ok()) return s;
      if (r.intent() != 0) {
        if (auto s = CheckEnum("intent", r.intent(), LogVisitRequest::Intent_descriptor()); !s.ok()) return s;
      }
      if (auto s = CheckText("note", r.note(), false); !s.ok()) return s;
      auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, true);
      if (!occurred.ok()) return occurred.status();
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      auto consultant = NamedConsultant(state, **project, r.consultant_id());
      if (!consultant.ok()) return consultant.status();
      auto customer = Find((*project)->customers, "customer", r.customer_id(), **project);
      if (!customer.ok()) return customer.status();
      if ((*customer)->voided) {
        return absl::FailedPreconditionError(absl::StrCat("customer ", r.customer_id(), " was voided"));
      }
      if (auto s = CheckNewId(**project, "visit_id", r.visit_id()); !s.ok()) return s;
      if (auto s = CheckExpectedSeq(**project, r.expected_seq(), r.customer_id()); !s.ok()) return s;
      StoreBody(event.mutable_log_visit(), r);
      event.set_project_id(r.project_id());
      *event.mutable_occurred_at() = ToProto(*occurred);
      return absl::OkStatus();
    }
    default:
      return std::nullopt;
  }
}

bool ApplyCustomers(State& state, const Event& event) {
  Project* project = state.FindProject(event.project_id());
  switch (event.body_case()) {
    case Event::kRegisterCustomer: {
      const auto& b = event.register_customer();
      Customer& cu = project->customers[b.customer_id()];
      cu.customer_id = b.customer_id();
      cu.name = b.name();
      cu.phone_digits = b.phone();
      cu.consultant_id = b.consultant_id();
      cu.source = b.source();
      cu.occurred_at = FromProto(event.occurred_at());
      project->customer_by_phone[b.phone()] = b.customer_id();
      project->AddItem(b.customer_id(), ItemKind::kCustomer, event.seq());
      project->voidable.Add({event.seq(), Event::kRegisterCustomer, false, event.actor_id(), b.customer_id()});
      return true;
    }
    case Event::kLogVisit: {
      const auto& b = event.log_visit();
      const auto index = static_cast<uint32_t>(project->visits.size());
      Visit& v = project->visits.emplace_back();
      v.consultant_id = b.consultant_id();
      v.kind = b.kind();
      v.occurred_at = FromProto(event.occurred_at());
      v.seq = event.seq();
      project->customers[b.customer_id()].visits.push_back(index);
      project->AddItem(b.visit_id(), ItemKind::kVisit, event.seq(), index);
      project->Touch(b.customer_id(), event.seq());
      project->voidable.Add({event.seq(), Event::kLogVisit, false, event.actor_id(), b.visit_id()});
      return true;
    }
    default:
      return false;
  }
}

}  // namespace salesledger::areas
