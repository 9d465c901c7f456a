// Sales (SPEC.md §3.4): 小订, 认购, 签约 and change requests (变更).
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/describe.h"
#include "domain/validation.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

using CustomerIds = google::protobuf::RepeatedPtrField<std::string>;

// NOT_FOUND unless every customer a sale names exists.
absl::Status FindCustomers(const Project& project, const CustomerIds& ids) {
  for (const auto& id : ids) RETURN_IF_ERROR(Find(project.customers, "customer", id, project).status());
  return absl::OkStatus();
}

// FAILED_PRECONDITION when one of them was voided.
absl::Status CustomersLive(const Project& project, const CustomerIds& ids) {
  for (const auto& id : ids) {
    const Customer& customer = project.customers.at(id);
    if (customer.voided) {
      return absl::FailedPreconditionError(
          absl::StrCat("customer ", id, " was ", DescribeVoided(project, customer.seq)));
    }
  }
  return absl::OkStatus();
}

// FAILED_PRECONDITION unless the plan (which must exist) is confirmed.
absl::Status PlanUsable(const Project& project, const std::string& plan_id) {
  const PaymentPlan& plan = project.plans.at(plan_id);
  if (plan.setup != SetupStatus::kConfirmed) {
    return absl::FailedPreconditionError(absl::StrCat("payment plan ", plan_id, " is ",
                                                      plan.setup == SetupStatus::kDraft ? "DRAFT" : "REVIEWED",
                                                      ", not confirmed yet (review_setup, then confirm_setup)"));
  }
  return absl::OkStatus();
}

absl::Status UnitIs(const Unit& unit, UnitStatus want, const char* why) {
  if (unit.status == want) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("unit ", unit.unit_id, " is ", DescribeUnit(unit), "; ", why));
}

// The subscription or contract a change targets.
struct Target {
  const Subscription* subscription = nullptr;  // set for both kinds (a contract's subscription)
  const Contract* contract = nullptr;
  const Auditable* record = nullptr;
};

// NOT_FOUND when `target_id` names neither.
absl::StatusOr<Target> FindTarget(const Project& project, const std::string& target_id) {
  Target t;
  if (auto k = project.contracts.find(target_id); k != project.contracts.end()) {
    t.contract = &k->second;
    t.subscription = &project.subscriptions.at(k->second.subscription_id);
    t.record = t.contract;
    return t;
  }
  if (auto s = project.subscriptions.find(target_id); s != project.subscriptions.end()) {
    t.subscription = &s->second;
    t.record = t.subscription;
    return t;
  }
  return absl::NotFoundError(
      absl::StrCat("no subscription or contract '", target_id, "' in project ", project.project_id));
}

// FAILED_PRECONDITION unless the target can be changed now: active, and for a subscription not yet
// a contract (which is then the one to change).
absl::Status CheckChangeable(const Project& project, const std::string& target_id, const Target& t) {
  if (t.contract != nullptr) {
    if (t.contract->status != ContractStatus::kActive || t.contract->voided) {
      return absl::FailedPreconditionError(
          absl::StrCat("contract ", target_id, " is not active: ", DescribeContract(project, *t.contract)));
    }
    return absl::OkStatus();
  }
  if (t.subscription->status == SubscriptionStatus::kConverted && !t.subscription->voided) {
    return absl::FailedPreconditionError(absl::StrCat("subscription ", target_id, " became contract ",
                                                      t.subscription->contract_id, "; change the contract instead"));
  }
  if (t.subscription->status != SubscriptionStatus::kActive || t.subscription->voided) {
    return absl::FailedPreconditionError(
        absl::StrCat("subscription ", target_id, " is not active: ", DescribeSubscription(project, *t.subscription)));
  }
  return absl::OkStatus();
}

// Whether an approved change of `kind` can be carried out now.
absl::Status CheckExecutable(const Project& project, const Change& change) {
  switch (change.kind) {
    case RequestChangeRequest::CHANGE_UNIT: {
      ASSIGN_OR_RETURN(const Unit& unit, Find(project.units, "unit", change.new_unit_id, project));
      return UnitIs(unit, UnitStatus::kAvailable, "a change of unit needs an AVAILABLE unit");
    }
    case RequestChangeRequest::RENAME:
      for (const auto& id : change.new_customer_ids) {  // named when requested: they exist
        const Customer& customer = project.customers.at(id);
        if (customer.voided) {
          return absl::FailedPreconditionError(
              absl::StrCat("customer ", id, " was ", DescribeVoided(project, customer.seq)));
        }
      }
      return absl::OkStatus();
    case RequestChangeRequest::CHANGE_PAYMENT_PLAN:
      return PlanUsable(project, change.new_payment_plan_id);
    default:  // CANCEL, CHANGE_PRICE: nothing else to check
      return absl::OkStatus();
  }
}

void ReleaseUnit(Unit& unit) {
  unit.status = UnitStatus::kAvailable;
  unit.reservation_id.clear();
  unit.subscription_id.clear();
  unit.contract_id.clear();
}

}  // namespace

absl::Status DecideReserveUnit(const State& state, const ReserveUnitRequest& r, const DecideContext& c,
                               Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("reservation_id"), Id("unit_id"), Id("customer_id")}));
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kRequired));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Unit& unit, Find(project.units, "unit", r.unit_id(), project));
  RETURN_IF_ERROR(Find(project.customers, "customer", r.customer_id(), project).status());
  RETURN_IF_ERROR(CheckNewId(project, "reservation_id", r.reservation_id()));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.unit_id()));
  CustomerIds customer;
  *customer.Add() = r.customer_id();
  RETURN_IF_ERROR(CustomersLive(project, customer));
  RETURN_IF_ERROR(UnitIs(unit, UnitStatus::kAvailable, "only an AVAILABLE unit can be reserved"));
  Record(event, event.mutable_reserve_unit(), r, r.project_id(), occurred);
  return absl::OkStatus();
}

void ApplyReserveUnit(State& state, const Event& event, const ReserveUnitRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Reservation& res = project.reservations[b.reservation_id()];
  res.reservation_id = b.reservation_id();
  res.unit_id = b.unit_id();
  res.customer_id = b.customer_id();
  res.seq = event.seq();
  Unit& u = project.units[b.unit_id()];
  u.status = UnitStatus::kReserved;
  u.reservation_id = b.reservation_id();
  project.AddItem(b.reservation_id(), ItemKind::kReservation, event.seq());
  for (const auto& id : {b.reservation_id(), b.unit_id()}) project.Touch(id, event.seq());
  project.voidable.Add({event.seq(), Event::kReserveUnit, false, event.actor_id(), b.reservation_id()});
}

absl::Status DecideCancelReservation(const State& state, const CancelReservationRequest& r, const DecideContext& c,
                                     Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("reservation_id"), Text("reason")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Reservation& reservation,
                   Find(project.reservations, "reservation", r.reservation_id(), project));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.reservation_id()));
  if (reservation.status != ReservationStatus::kActive || reservation.voided) {
    return absl::FailedPreconditionError(absl::StrCat("reservation ", r.reservation_id(), " is no longer active: it is ",
                                                      DescribeReservation(project, reservation)));
  }
  Record(event, event.mutable_cancel_reservation(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyCancelReservation(State& state, const Event& event, const CancelReservationRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Reservation& res = project.reservations[b.reservation_id()];
  res.status = ReservationStatus::kCancelled;
  res.ended_seq = event.seq();
  ReleaseUnit(project.units[res.unit_id]);
  for (const auto& id : {b.reservation_id(), res.unit_id}) project.Touch(id, event.seq());
}

absl::Status DecideCreateSubscription(const State& state, const CreateSubscriptionRequest& r, const DecideContext& c,
                                      Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("subscription_id"), Id("unit_id"), Money("price_fen"),
                                  Ids("customer_ids", 1, 4), Id("payment_plan_id")}));
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kRequired));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(NamedConsultant(state, project, r.consultant_id()).status());
  RETURN_IF_ERROR(FindCustomers(project, r.customer_ids()));
  ASSIGN_OR_RETURN(const Unit& unit, Find(project.units, "unit", r.unit_id(), project));
  RETURN_IF_ERROR(Find(project.plans, "payment plan", r.payment_plan_id(), project).status());
  RETURN_IF_ERROR(CheckNewId(project, "subscription_id", r.subscription_id()));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.unit_id()));
  RETURN_IF_ERROR(CustomersLive(project, r.customer_ids()));
  RETURN_IF_ERROR(PlanUsable(project, r.payment_plan_id()));
  if (unit.status == UnitStatus::kReserved) {
    // A reserved unit goes to its reservation's customer (the reservation is converted).
    const Reservation& reservation = project.reservations.at(unit.reservation_id);
    bool buyer = false;
    for (const auto& id : r.customer_ids()) buyer = buyer || id == reservation.customer_id;
    if (!buyer) {
      return absl::FailedPreconditionError(absl::StrCat("unit ", unit.unit_id, " is RESERVED for customer ",
                                                        reservation.customer_id, " (reservation ",
                                                        reservation.reservation_id, ")"));
    }
  } else {
    RETURN_IF_ERROR(UnitIs(unit, UnitStatus::kAvailable, "a subscription needs an AVAILABLE unit"));
  }
  Record(event, event.mutable_create_subscription(), r, r.project_id(), occurred);
  return absl::OkStatus();
}

void ApplyCreateSubscription(State& state, const Event& event, const CreateSubscriptionRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Subscription& sub = project.subscriptions[b.subscription_id()];
  sub.subscription_id = b.subscription_id();
  sub.unit_id = b.unit_id();
  sub.customer_ids.assign(b.customer_ids().begin(), b.customer_ids().end());
  sub.consultant_id = b.consultant_id();
  sub.price_fen = b.price_fen();
  sub.payment_plan_id = b.payment_plan_id();
  sub.occurred_at = FromProto(event.occurred_at());
  sub.seq = event.seq();
  sub.recorded_at = FromProto(event.recorded_at());
  Unit& u = project.units[b.unit_id()];
  if (u.status == UnitStatus::kReserved) {
    Reservation& reservation = project.reservations[u.reservation_id];
    reservation.status = ReservationStatus::kConverted;
    reservation.ended_seq = event.seq();
    reservation.subscription_id = b.subscription_id();
    sub.reservation_id = u.reservation_id;
  }
  u.status = UnitStatus::kSubscribed;
  u.subscription_id = b.subscription_id();
  project.AddItem(b.subscription_id(), ItemKind::kSubscription, event.seq());
  for (const auto& id : {b.subscription_id(), b.unit_id()}) project.Touch(id, event.seq());
  project.voidable.Add({event.seq(), Event::kCreateSubscription, false, event.actor_id(), b.subscription_id()});
}

absl::Status DecideSignContract(const State& state, const SignContractRequest& r, const DecideContext& c,
                                Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("contract_id"), Id("subscription_id"), Name("contract_no"), Money("price_fen")}));
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kRequired));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Subscription& sub,
                   Find(project.subscriptions, "subscription", r.subscription_id(), project));
  RETURN_IF_ERROR(CheckNewId(project, "contract_id", r.contract_id()));
  if (project.contract_nos.contains(r.contract_no())) {
    return absl::AlreadyExistsError(absl::StrCat("contract_no '", r.contract_no(), "' is already used"));
  }
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.subscription_id()));
  if (sub.status != SubscriptionStatus::kActive || sub.voided) {
    return absl::FailedPreconditionError(absl::StrCat("subscription ", r.subscription_id(), " is not active: ",
                                                      DescribeSubscription(project, sub)));
  }
  Record(event, event.mutable_sign_contract(), r, r.project_id(), occurred);
  return absl::OkStatus();
}

void ApplySignContract(State& state, const Event& event, const SignContractRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Subscription& sub = project.subscriptions[b.subscription_id()];
  Contract& k = project.contracts[b.contract_id()];
  k.contract_id = b.contract_id();
  k.subscription_id = b.subscription_id();
  k.contract_no = b.contract_no();
  k.unit_id = sub.unit_id;
  k.price_fen = b.price_fen();
  k.occurred_at = FromProto(event.occurred_at());
  k.seq = event.seq();
  k.recorded_at = FromProto(event.recorded_at());
  sub.status = SubscriptionStatus::kConverted;
  sub.contract_id = b.contract_id();
  Unit& u = project.units[sub.unit_id];
  u.status = UnitStatus::kContracted;
  u.contract_id = b.contract_id();
  project.contract_nos.insert(b.contract_no());
  project.AddItem(b.contract_id(), ItemKind::kContract, event.seq());
  for (const auto& id : {b.contract_id(), b.subscription_id(), sub.unit_id}) project.Touch(id, event.seq());
  project.voidable.Add({event.seq(), Event::kSignContract, false, event.actor_id(), b.contract_id()});
}

absl::Status DecideRequestChange(const State& state, const RequestChangeRequest& r, const DecideContext& c,
                                 Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("change_id"), Id("target_id"), Enum("kind"), Text("reason")}));
  switch (r.kind()) {  // what each kind of change needs (SPEC.md §3.4)
    case RequestChangeRequest::CHANGE_UNIT:
      RETURN_IF_ERROR(CheckFields(r, {Id("new_unit_id")}));
      break;
    case RequestChangeRequest::CHANGE_PAYMENT_PLAN:
      RETURN_IF_ERROR(CheckFields(r, {Id("new_payment_plan_id")}));
      break;
    case RequestChangeRequest::CHANGE_PRICE:
      RETURN_IF_ERROR(CheckFields(r, {Money("new_price_fen")}));
      break;
    case RequestChangeRequest::RENAME:
      RETURN_IF_ERROR(CheckFields(r, {Ids("new_customer_ids", 1, 4)}));
      break;
    default:
      break;
  }
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Target target, FindTarget(project, r.target_id()));
  const bool rename = r.kind() == RequestChangeRequest::RENAME;
  const bool new_plan = r.kind() == RequestChangeRequest::CHANGE_PAYMENT_PLAN;
  if (rename) RETURN_IF_ERROR(FindCustomers(project, r.new_customer_ids()));
  if (r.kind() == RequestChangeRequest::CHANGE_UNIT) {
    RETURN_IF_ERROR(Find(project.units, "unit", r.new_unit_id(), project).status());
    if (r.new_unit_id() == target.subscription->unit_id) {
      return absl::InvalidArgumentError("field 'new_unit_id' is the unit the target already has");
    }
  }
  if (new_plan) RETURN_IF_ERROR(Find(project.plans, "payment plan", r.new_payment_plan_id(), project).status());
  RETURN_IF_ERROR(CheckNewId(project, "change_id", r.change_id()));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.target_id()));
  RETURN_IF_ERROR(CheckChangeable(project, r.target_id(), target));
  if (rename) RETURN_IF_ERROR(CustomersLive(project, r.new_customer_ids()));
  if (new_plan) RETURN_IF_ERROR(PlanUsable(project, r.new_payment_plan_id()));
  Record(event, event.mutable_request_change(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyRequestChange(State& state, const Event& event, const RequestChangeRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Change& ch = project.changes[b.change_id()];
  ch.change_id = b.change_id();
  ch.target_id = b.target_id();
  ch.kind = b.kind();
  ch.new_unit_id = b.new_unit_id();
  ch.new_payment_plan_id = b.new_payment_plan_id();
  ch.new_customer_ids.assign(b.new_customer_ids().begin(), b.new_customer_ids().end());
  ch.new_price_fen = b.new_price_fen();
  if (auto k = project.contracts.find(b.target_id()); k != project.contracts.end()) {
    k->second.change_ids.push_back(b.change_id());
  } else {
    project.subscriptions[b.target_id()].change_ids.push_back(b.change_id());
  }
  project.AddItem(b.change_id(), ItemKind::kChange, event.seq());
  for (const auto& id : {b.change_id(), b.target_id()}) project.Touch(id, event.seq());
}

absl::Status DecideDecideChange(const State& state, const DecideChangeRequest& r, const DecideContext& c,
                                Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("change_id"), Present("approve"), OptionalText("note")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Change& change, Find(project.changes, "change", r.change_id(), project));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), change.target_id));
  if (change.status != DecisionStatus::kPending) {
    return absl::FailedPreconditionError(absl::StrCat("change ", r.change_id(), " was already decided: ",
                                                      DescribeDecision(change.status, change.decided_seq)));
  }
  ASSIGN_OR_RETURN(const Target target, FindTarget(project, change.target_id));
  RETURN_IF_ERROR(CheckChangeable(project, change.target_id, target));
  // Locked either way (SPEC.md §6.2): the accountant unlocks before anyone decides.
  if (target.record->locked) {
    return absl::FailedPreconditionError(absl::StrCat(change.target_id, " is locked: ", DescribeAudit(*target.record),
                                                      "; the accountant must unlock it first"));
  }
  if (r.approve()) RETURN_IF_ERROR(CheckExecutable(project, change));
  Record(event, event.mutable_decide_change(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyDecideChange(State& state, const Event& event, const DecideChangeRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Change& ch = project.changes[b.change_id()];
  ch.decided_seq = event.seq();
  project.Touch(b.change_id(), event.seq());
  project.Touch(ch.target_id, event.seq());
  if (!b.approve()) {
    ch.status = DecisionStatus::kRejected;
    return;
  }
  ch.status = DecisionStatus::kApproved;
  Contract* k = nullptr;
  Subscription* sub = nullptr;
  if (auto it = project.contracts.find(ch.target_id); it != project.contracts.end()) {
    k = &it->second;
    sub = &project.subscriptions[k->subscription_id];
  } else {
    sub = &project.subscriptions[ch.target_id];
  }
  Auditable& record = k != nullptr ? static_cast<Auditable&>(*k) : static_cast<Auditable&>(*sub);
  record.audit = AuditStatus::kNone;  // an executed change must be audited again
  record.audit_seq = 0;
  record.locked = false;
  switch (ch.kind) {
    case RequestChangeRequest::CANCEL:
      sub->status = SubscriptionStatus::kCancelled;
      sub->cancelled_at = FromProto(event.recorded_at());
      if (k != nullptr) {
        k->status = ContractStatus::kCancelled;
        k->cancelled_at = FromProto(event.recorded_at());
      }
      ReleaseUnit(project.units[sub->unit_id]);
      break;
    case RequestChangeRequest::CHANGE_UNIT: {
      Unit& old_unit = project.units[sub->unit_id];
      Unit& new_unit = project.units[ch.new_unit_id];
      new_unit.status = old_unit.status;
      new_unit.subscription_id = old_unit.subscription_id;
      new_unit.contract_id = old_unit.contract_id;
      ReleaseUnit(old_unit);
      project.Touch(old_unit.unit_id, event.seq());
      project.Touch(new_unit.unit_id, event.seq());
      sub->unit_id = ch.new_unit_id;
      if (k != nullptr) k->unit_id = ch.new_unit_id;
      break;
    }
    case RequestChangeRequest::RENAME:
      sub->customer_ids = ch.new_customer_ids;
      break;
    case RequestChangeRequest::CHANGE_PAYMENT_PLAN:
      sub->payment_plan_id = ch.new_payment_plan_id;
      break;
    case RequestChangeRequest::CHANGE_PRICE:
      if (k != nullptr) {
        k->price_fen = ch.new_price_fen;
      } else {
        sub->price_fen = ch.new_price_fen;
      }
      break;
    default:
      break;
  }
}

}  // namespace salesledger
