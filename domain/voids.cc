// Voids (SPEC.md §3.8): an entry is never edited (一经填写不可更改); its maker asks to void it,
// the sales lead (sales entries) or the accountant (money entries) decides.
#include "absl/strings/str_cat.h"
#include "domain/areas.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger::areas {
namespace {

using namespace salesledger::v1;

bool IsMoneyEntry(Event::BodyCase kind) {
  return kind == Event::kRecordPayment || kind == Event::kRefundPayment || kind == Event::kTransferPayment;
}

absl::Status Dependants(const std::string& what) {
  return absl::FailedPreconditionError(absl::StrCat("cannot void: ", what));
}

// Refuses voiding an entry that others depend on or that is locked.
absl::Status CheckVoidable(const Project& p, const VoidableEntry& e) {
  const std::string id = e.item_id.str();
  if (e.voided) return absl::FailedPreconditionError(absl::StrCat("the entry creating ", id, " is already voided"));
  if (e.kind() == Event::kCreateSubscription) {
    const Subscription& s = p.subscriptions.at(id);
    if (s.locked) return Dependants(absl::StrCat("subscription ", id, " is locked (audited); unlock it first"));
    if (!s.contract_id.empty()) return Dependants(absl::StrCat("subscription ", id, " has contract ", s.contract_id));
    for (const auto& [pid, pay] : p.payments) {
      if (!pay.voided && pay.subscription_id == id) return Dependants(absl::StrCat("payment ", pid.view(), " is on subscription ", id));
    }
    for (const auto& [tid, t] : p.transfers) {
      if (!t.voided && t.subscription_id == id) return Dependants(absl::StrCat("transfer ", tid, " is on subscription ", id));
    }
  } else if (e.kind() == Event::kSignContract) {
    const Contract& k = p.contracts.at(id);
    if (k.locked) return Dependants(absl::StrCat("contract ", id, " is locked (audited); unlock it first"));
    if (!k.service_steps_done.empty()) return Dependants(absl::StrCat("contract ", id, " has service steps recorded"));
  } else if (e.kind() == Event::kRecordPayment) {
    const Payment& pay = p.payments.at(id);
    if (pay.refunded_fen > 0 || !pay.transfer_id.empty()) {
      return Dependants(absl::StrCat("payment ", id, " was refunded or transferred"));
    }
  } else if (e.kind() == Event::kReserveUnit) {
    if (p.reservations.at(id).status == ReservationStatus::kConverted) {
      return Dependants(absl::StrCat("reservation ", id, " became a subscription"));
    }
  } else if (e.kind() == Event::kRegisterCustomer) {
    for (uint32_t index : p.customers.at(id).visits) {
      const Visit& v = p.visits[index];
      if (!v.voided) return Dependants(absl::StrCat("customer ", id, " has visit ", p.VisitId(v)));
    }
    for (const auto& [rid, r] : p.reservations) {
      if (!r.voided && r.customer_id == id) return Dependants(absl::StrCat("customer ", id, " has reservation ", rid));
    }
    for (const auto& [sid, s] : p.subscriptions) {
      if (s.voided) continue;
      for (const auto& c : s.customer_ids) {
        if (c == id) return Dependants(absl::StrCat("customer ", id, " is a buyer on subscription ", sid));
      }
    }
    for (const auto& [pid, pay] : p.payments) {
      if (!pay.voided && pay.customer_id == id) return Dependants(absl::StrCat("customer ", id, " paid ", pid.view()));
    }
  }
  return absl::OkStatus();
}

void ApplyVoid(Project& p, VoidableEntry& e) {
  e.voided = true;
  const std::string id = e.item_id.str();
  if (e.kind() == Event::kLogVisit) {
    p.VisitById(id).voided = true;
  } else if (e.kind() == Event::kRegisterCustomer) {
    Customer& c = p.customers[id];
    c.voided = true;
    p.customer_by_phone.erase(c.phone_digits);
  } else if (e.kind() == Event::kReserveUnit) {
    Reservation& r = p.reservations[id];
    r.voided = true;
    if (r.status == ReservationStatus::kActive) {
      Unit& u = p.units[r.unit_id];
      u.status = UnitStatus::kAvailable;
      u.reservation_id.clear();
    }
  } else if (e.kind() == Event::kCreateSubscription) {
    Subscription& s = p.subscriptions[id];
    s.voided = true;
    if (s.status == SubscriptionStatus::kActive) {
      Unit& u = p.units[s.unit_id];
      u.subscription_id.clear();
      // As if it had never been entered: a converted reservation holds the unit again.
      if (!s.reservation_id.empty()) {
        p.reservations[s.reservation_id].status = ReservationStatus::kActive;
        u.status = UnitStatus::kReserved;
        u.reservation_id = s.reservation_id;
      } else {
        u.status = UnitStatus::kAvailable;
      }
    }
  } else if (e.kind() == Event::kSignContract) {
    Contract& k = p.contracts[id];
    k.voided = true;
    if (k.status == ContractStatus::kActive) {
      Subscription& s = p.subscriptions[k.subscription_id];
      s.status = SubscriptionStatus::kActive;
      s.contract_id.clear();
      Unit& u = p.units[k.unit_id];
      u.status = UnitStatus::kSubscribed;
      u.contract_id.clear();
    }
  } else if (e.kind() == Event::kRecordPayment) {
    p.payments[id].voided = true;
  } else if (e.kind() == Event::kRefundPayment) {
    Refund& r = p.refunds[id];
    r.voided = true;
    p.payments[r.payment_id].refunded_fen -= r.amount_fen;
  } else if (e.kind() == Event::kTransferPayment) {
    Transfer& t = p.transfers[id];
    t.voided = true;
    p.payments[t.payment_id].transfer_id.clear();
  }
}

}  // namespace

std::optional<absl::Status> DecideVoids(const State& state, const Command& command, const DecideContext& c,
                                        Event& event) {
  switch (command.command_case()) {
    case Command::kRequestVoid: {
      const auto& r = command.request_void();
      if (auto s = CheckId("void_id", r.void_id()); !s.ok()) return s;
      if (r.target_seq() == 0) return absl::InvalidArgumentError("field 'target_seq' is required");
      if (auto s = CheckText("reason", r.reason()); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      const Project& p = **project;
      const VoidableEntry* entry = p.voidable.Find(r.target_seq());
      if (entry == nullptr) {
        if (r.target_seq() > state.head_seq) {
          return absl::NotFoundError(absl::StrCat("no event at seq ", r.target_seq()));
        }
        return absl::FailedPreconditionError(absl::StrCat(
            "the event at seq ", r.target_seq(), " is not a sales or money entry of project ", r.project_id(),
            " and cannot be voided"));
      }
      if (entry->actor_id != c.actor.person_id) {
        return absl::PermissionDeniedError(absl::StrCat(c.actor.person_id, " may not void seq ", r.target_seq(),
                                                        ": only its maker (", entry->actor_id.str(),
                                                        ") may ask to void it"));
      }
      if (auto s = CheckNewId(p, "void_id", r.void_id()); !s.ok()) return s;
      if (auto s = CheckExpectedSeq(p, r.expected_seq(), entry->item_id); !s.ok()) return s;
      for (const auto& [vid, v] : p.voids) {
        if (v.target_seq == r.target_seq() && v.status == DecisionStatus::kPending) {
          return absl::FailedPreconditionError(absl::StrCat("void ", vid, " of seq ", r.target_seq(), " is pending"));
        }
      }
      if (auto s = CheckVoidable(p, *entry); !s.ok()) return s;
      StoreBody(event.mutable_request_void(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kDecideVoid: {
      const auto& r = command.decide_void();
      if (auto s = RequireRole(c.actor, {kRoleSalesLead, kRoleAccountant}, "decide_void"); !s.ok()) return s;
      if (auto s = CheckId("void_id", r.void_id()); !s.ok()) return s;
      if (!r.has_approve()) return absl::InvalidArgumentError("field 'approve' is required");
      if (auto s = CheckText("note", r.note(), false); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      const Project& p = **project;
      auto request = Find(p.voids, "void", r.void_id(), p);
      if (!request.ok()) return request.status();
      const VoidableEntry& entry = *p.voidable.Find((*request)->target_seq);  // request_void checked it
      const bool money = IsMoneyEntry(entry.kind());
      if (auto s = RequireRole(c.actor, {money ? kRoleAccountant : kRoleSalesLead},
                               money ? "decide the void of a money entry" : "decide the void of a sales entry");
          !s.ok()) {
        return s;
      }
      if (auto s = CheckExpectedSeq(p, r.expected_seq(), r.void_id()); !s.ok()) return s;
      if ((*request)->status != DecisionStatus::kPending) {
        return absl::FailedPreconditionError(absl::StrCat("void ", r.void_id(), " was already decided"));
      }
      if (r.approve()) {
        if (auto s = CheckVoidable(p, entry); !s.ok()) return s;
      }
      StoreBody(event.mutable_decide_void(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    default:
      return std::nullopt;
  }
}

bool ApplyVoids(State& state, const Event& event) {
  Project* project = state.FindProject(event.project_id());
  switch (event.body_case()) {
    case Event::kRequestVoid: {
      const auto& b = event.request_void();
      VoidRequest& v = project->voids[b.void_id()];
      v.void_id = b.void_id();
      v.target_seq = b.target_seq();
      v.maker_id = event.actor_id();
      project->AddItem(b.void_id(), ItemKind::kVoid, event.seq());
      return true;
    }
    case Event::kDecideVoid: {
      const auto& b = event.decide_void();
      VoidRequest& v = project->voids[b.void_id()];
      v.status = b.approve() ? DecisionStatus::kApproved : DecisionStatus::kRejected;
      project->Touch(b.void_id(), event.seq());
      if (b.approve()) {
        VoidableEntry& entry = *project->voidable.Find(v.target_seq);  // request_void checked it
        ApplyVoid(*project, entry);
        project->Touch(entry.item_id, event.seq());
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace salesledger::areas
