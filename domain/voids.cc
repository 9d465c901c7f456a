// Voids (SPEC.md §3.8): an entry is never edited (一经填写不可更改); its maker asks to void it,
// the sales lead (sales entries) or the accountant (money entries) decides.
#include <limits>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/access.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/describe.h"
#include "domain/validation.h"

namespace salesledger {
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
  if (e.voided) {
    return absl::FailedPreconditionError(
        absl::StrCat("the entry creating ", id, " is already voided (", DescribeVoided(p, e.seq), ")"));
  }
  switch (e.kind()) {
    case Event::kCreateSubscription: {
      const Subscription& s = p.subscriptions.at(id);
      if (s.locked) {
        return Dependants(absl::StrCat("subscription ", id, " is locked (", DescribeAudit(s), "); unlock it first"));
      }
      if (!s.contract_id.empty()) return Dependants(absl::StrCat("subscription ", id, " has contract ", s.contract_id));
      for (const auto& [pid, pay] : p.payments) {
        if (!pay.voided && pay.subscription_id == id) {
          return Dependants(absl::StrCat("payment ", pid.view(), " is on subscription ", id));
        }
      }
      for (const auto& [tid, t] : p.transfers) {
        if (!t.voided && t.subscription_id == id) return Dependants(absl::StrCat("transfer ", tid, " is on subscription ", id));
      }
      return absl::OkStatus();
    }
    case Event::kSignContract: {
      const Contract& k = p.contracts.at(id);
      if (k.locked) return Dependants(absl::StrCat("contract ", id, " is locked (", DescribeAudit(k), "); unlock it first"));
      if (!k.service_steps_done.empty()) return Dependants(absl::StrCat("contract ", id, " has service steps recorded"));
      return absl::OkStatus();
    }
    case Event::kRecordPayment: {
      const Payment& pay = p.payments.at(id);
      if (pay.refunded_fen > 0 || !pay.transfer_id.empty()) {
        return Dependants(absl::StrCat("payment ", id, " was ", DescribePaymentUse(p, id, pay)));
      }
      return absl::OkStatus();
    }
    case Event::kReserveUnit: {
      const Reservation& r = p.reservations.at(id);
      if (r.status == ReservationStatus::kConverted) {
        return Dependants(absl::StrCat("reservation ", id, " is ", DescribeReservation(p, r)));
      }
      return absl::OkStatus();
    }
    case Event::kRegisterCustomer: {
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
      return absl::OkStatus();
    }
    default:  // visits, refunds and transfers: nothing depends on them
      return absl::OkStatus();
  }
}

void VoidEntry(Project& p, VoidableEntry& e) {
  e.voided = true;
  const std::string id = e.item_id.str();
  switch (e.kind()) {
    case Event::kLogVisit:
      p.VisitById(id).voided = true;
      break;
    case Event::kRegisterCustomer: {
      Customer& c = p.customers[id];
      c.voided = true;
      p.customer_by_phone.erase(c.phone_index);
      break;
    }
    case Event::kReserveUnit: {
      Reservation& r = p.reservations[id];
      r.voided = true;
      if (r.status == ReservationStatus::kActive) {
        Unit& u = p.units[r.unit_id];
        u.status = UnitStatus::kAvailable;
        u.reservation_id.clear();
      }
      break;
    }
    case Event::kCreateSubscription: {
      Subscription& s = p.subscriptions[id];
      s.voided = true;
      if (s.status == SubscriptionStatus::kActive) {
        Unit& u = p.units[s.unit_id];
        u.subscription_id.clear();
        // As if it had never been entered: a converted reservation holds the unit again.
        if (!s.reservation_id.empty()) {
          Reservation& r = p.reservations[s.reservation_id];
          r.status = ReservationStatus::kActive;
          r.ended_seq = 0;
          r.subscription_id.clear();
          u.status = UnitStatus::kReserved;
          u.reservation_id = s.reservation_id;
        } else {
          u.status = UnitStatus::kAvailable;
        }
      }
      break;
    }
    case Event::kSignContract: {
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
      break;
    }
    case Event::kRecordPayment:
      p.payments[id].voided = true;
      break;
    case Event::kRefundPayment: {
      Refund& r = p.refunds[id];
      r.voided = true;
      p.payments[r.payment_id].refunded_fen -= r.amount_fen;
      break;
    }
    case Event::kTransferPayment: {
      Transfer& t = p.transfers[id];
      t.voided = true;
      p.payments[t.payment_id].transfer_id.clear();
      break;
    }
    default:
      break;
  }
}

}  // namespace

absl::Status DecideRequestVoid(const State& state, const RequestVoidRequest& r, const DecideContext& c,
                               Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("void_id"), Range("target_seq", 1, std::numeric_limits<int64_t>::max()),
                                  Text("reason")}));
  ASSIGN_OR_RETURN(const Project& p, AccessProject(state, c.actor, r.project_id()));
  const VoidableEntry* entry = p.voidable.Find(r.target_seq());
  if (entry == nullptr && r.target_seq() > state.head_seq) {
    return absl::NotFoundError(absl::StrCat("no event at seq ", r.target_seq(), "; the last is seq ", state.head_seq));
  }
  if (entry == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("the event at seq ", r.target_seq(),
                                                      " is not a sales or money entry of project ", r.project_id(),
                                                      " and cannot be voided"));
  }
  // Only the maker asks (SPEC.md §3.8): a void is a correction of one's own entry.
  if (entry->actor_id != c.actor.person_id) {
    return absl::PermissionDeniedError(absl::StrCat(c.actor.person_id, " may not void seq ", r.target_seq(),
                                                    ": only its maker (", entry->actor_id.str(),
                                                    ") may ask to void it"));
  }
  RETURN_IF_ERROR(CheckNewId(p, "void_id", r.void_id()));
  RETURN_IF_ERROR(CheckExpectedSeq(p, r.expected_seq(), entry->item_id));
  for (const auto& [vid, v] : p.voids) {
    if (v.target_seq == r.target_seq() && v.status == DecisionStatus::kPending) {
      return absl::FailedPreconditionError(absl::StrCat("void ", vid, " of seq ", r.target_seq(), " is pending"));
    }
  }
  RETURN_IF_ERROR(CheckVoidable(p, *entry));
  Record(event, event.mutable_request_void(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyRequestVoid(State& state, const Event& event, const RequestVoidRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  VoidRequest& v = project.voids[b.void_id()];
  v.void_id = b.void_id();
  v.target_seq = b.target_seq();
  v.maker_id = event.actor_id();
  project.AddItem(b.void_id(), ItemKind::kVoid, event.seq());
}

absl::Status DecideDecideVoid(const State& state, const DecideVoidRequest& r, const DecideContext& c,
                              Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("void_id"), Present("approve"), OptionalText("note")}));
  ASSIGN_OR_RETURN(const Project& p, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const VoidRequest& request, Find(p.voids, "void", r.void_id(), p));
  const VoidableEntry& entry = *p.voidable.Find(request.target_seq);  // request_void checked it
  // Sales entries are the sales lead's to void, money entries the accountant's (SPEC.md §3.8).
  const bool money = IsMoneyEntry(entry.kind());
  RETURN_IF_ERROR(RequireRole(c.actor, {money ? ACCOUNTANT : SALES_LEAD},
                              money ? "decide the void of a money entry" : "decide the void of a sales entry"));
  RETURN_IF_ERROR(CheckExpectedSeq(p, r.expected_seq(), r.void_id()));
  if (request.status != DecisionStatus::kPending) {
    return absl::FailedPreconditionError(absl::StrCat("void ", r.void_id(), " was already decided: ",
                                                      DescribeDecision(request.status, request.decided_seq)));
  }
  if (r.approve()) RETURN_IF_ERROR(CheckVoidable(p, entry));
  Record(event, event.mutable_decide_void(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyDecideVoid(State& state, const Event& event, const DecideVoidRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  VoidRequest& v = project.voids[b.void_id()];
  v.status = b.approve() ? DecisionStatus::kApproved : DecisionStatus::kRejected;
  v.decided_seq = event.seq();
  project.Touch(b.void_id(), event.seq());
  if (b.approve()) {
    VoidableEntry& entry = *project.voidable.Find(v.target_seq);  // request_void checked it
    VoidEntry(project, entry);
    project.Touch(entry.item_id, event.seq());
  }
}

}  // namespace salesledger
