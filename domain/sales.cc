// Sales (SPEC.md §3.4): 小订, 认购, 签约 and change requests (变更).
#include "absl/strings/str_cat.h"
#include "base/time_proto.h"
#include "domain/areas.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger::areas {
namespace {

using namespace salesledger::v1;

absl::Status CheckCustomers(const Project& project, const google::protobuf::RepeatedPtrField<std::string>& ids,
                            const char* field) {
  if (ids.empty() || ids.size() > 4) {
    return absl::InvalidArgumentError(absl::StrCat("field '", field, "' needs 1-4 customers; got ", ids.size()));
  }
  absl::flat_hash_set<std::string> seen;
  for (const auto& id : ids) {
    if (auto s = CheckId(field, id); !s.ok()) return s;
    if (!seen.insert(id).second) return absl::InvalidArgumentError(absl::StrCat(field, " names '", id, "' twice"));
  }
  for (const auto& id : ids) {
    auto it = project.customers.find(id);
    if (it == project.customers.end()) {
      return absl::NotFoundError(absl::StrCat("customer '", id, "' not found in project ", project.project_id));
    }
    if (it->second.voided) return absl::FailedPreconditionError(absl::StrCat("customer ", id, " was voided"));
  }
  return absl::OkStatus();
}

absl::Status CheckPlanUsable(const Project& project, const char* field, const std::string& plan_id) {
  if (auto s = CheckId(field, plan_id); !s.ok()) return s;
  auto plan = project.plans.find(plan_id);
  if (plan == project.plans.end()) {
    return absl::NotFoundError(absl::StrCat("payment plan '", plan_id, "' not found in project ", project.project_id));
  }
  if (plan->second.setup != SetupStatus::kConfirmed) {
    return absl::FailedPreconditionError(
        absl::StrCat("payment plan ", plan_id, " is not confirmed yet (review_setup, then confirm_setup)"));
  }
  return absl::OkStatus();
}

absl::Status UnitIs(const Unit& unit, UnitStatus want, const char* why) {
  if (unit.status == want) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("unit ", unit.unit_id, " is ", UnitStatusName(unit.status), "; ", why));
}

// The subscription or contract a change targets, checked to be changeable now.
struct Target {
  const Subscription* subscription = nullptr;  // set for both kinds (a contract's subscription)
  const Contract* contract = nullptr;
  const Auditable* record = nullptr;
};

absl::StatusOr<Target> FindTarget(const Project& project, const std::string& target_id) {
  Target t;
  if (auto k = project.contracts.find(target_id); k != project.contracts.end()) {
    t.contract = &k->second;
    t.subscription = &project.subscriptions.at(k->second.subscription_id);
    t.record = t.contract;
    if (k->second.status != ContractStatus::kActive || k->second.voided) {
      return absl::FailedPreconditionError(absl::StrCat("contract ", target_id, " is cancelled or voided"));
    }
    return t;
  }
  if (auto s = project.subscriptions.find(target_id); s != project.subscriptions.end()) {
    t.subscription = &s->second;
    t.record = t.subscription;
    if (s->second.status == SubscriptionStatus::kConverted) {
      return absl::FailedPreconditionError(absl::StrCat("subscription ", target_id, " became contract ",
                                                        s->second.contract_id, "; change the contract instead"));
    }
    if (s->second.status != SubscriptionStatus::kActive || s->second.voided) {
      return absl::FailedPreconditionError(absl::StrCat("subscription ", target_id, " is cancelled or voided"));
    }
    return t;
  }
  return absl::NotFoundError(
      absl::StrCat("no subscription or contract '", target_id, "' in project ", project.project_id));
}

// Whether an approved change of `kind` can be carried out now.
absl::Status CheckExecutable(const Project& project, const Change& change) {
  switch (change.kind) {
    case RequestChangeRequest::CHANGE_UNIT: {
      auto unit = project.units.find(change.new_unit_id);
      if (unit == project.units.end()) return absl::NotFoundError(absl::StrCat("unit '", change.new_unit_id, "' not found"));
      return UnitIs(unit->second, UnitStatus::kAvailable, "a change of unit needs an AVAILABLE unit");
    }
    case RequestChangeRequest::RENAME:
      for (const auto& id : change.new_customer_ids) {
        auto it = project.customers.find(id);
        if (it == project.customers.end() || it->second.voided) {
          return absl::FailedPreconditionError(absl::StrCat("customer ", id, " is gone (voided)"));
        }
      }
      return absl::OkStatus();
    case RequestChangeRequest::CHANGE_PAYMENT_PLAN:
      return CheckPlanUsable(project, "new_payment_plan_id", change.new_payment_plan_id);
    default:
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

std::optional<absl::Status> DecideSales(const State& state, const Command& command, const DecideContext& c,
                                        Event& event) {
  switch (command.command_case()) {
    case Command::kReserveUnit: {
      const auto& r = command.reserve_unit();
      if (auto s = RequireRole(c.actor, {kRoleCustomerService}, "reserve_unit"); !s.ok()) return s;
      if (auto s = CheckId("reservation_id", r.reservation_id()); !s.ok()) return s;
      if (auto s = CheckId("unit_id", r.unit_id()); !s.ok()) return s;
      if (auto s = CheckId("customer_id", r.customer_id()); !s.ok()) return s;
      auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, true);
      if (!occurred.ok()) return occurred.status();
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      const Project& p = **project;
      auto unit = Find(p.units, "unit", r.unit_id(), p);
      if (!unit.ok()) return unit.status();
      google::protobuf::RepeatedPtrField<std::string> customer;
      *customer.Add() = r.customer_id();
      if (auto s = CheckCustomers(p, customer, "customer_id"); !s.ok()) return s;
      if (auto s = CheckNewId(p, "reservation_id", r.reservation_id()); !s.ok()) return s;
      if (auto s = CheckExpectedSeq(p, r.expected_seq(), r.unit_id()); !s.ok()) return s;
      if (auto s = UnitIs(**unit, UnitStatus::kAvailable, "only an AVAILABLE unit can be reserved"); !s.ok()) return s;
      StoreBody(event.mutable_reserve_unit(), r);
      event.set_project_id(r.project_id());
      *event.mutable_occurred_at() = ToProto(*occurred);
      return absl::OkStatus();
    }
    case Command::kCancelReservation: {
      const auto& r = command.cancel_reservation();
      if (auto s = RequireRole(c.actor, {kRoleCustomerService}, "cancel_reservation"); !s.ok()) return s;
      if (auto s = CheckId("reservation_id", r.reservation_id()); !s.ok()) return s;
      if (auto s = CheckText("reason", r.reason()); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      auto reservation = Find((*project)->reservations, "reservation", r.reservation_id(), **project);
      if (!reservation.ok()) return reservation.status();
      if (auto s = CheckExpectedSeq(**project, r.expected_seq(), r.reservation_id()); !s.ok()) return s;
      if ((*reservation)->status != ReservationStatus::kActive || (*reservation)->voided) {
        return absl::FailedPreconditionError(absl::StrCat("reservation ", r.reservation_id(),
                                                          " is no longer active (cancelled, converted or voided)"));
      }
      StoreBody(event.mutable_cancel_reservation(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kCreateSubscription: {
      const auto& r = command.create_subscription();
      if (auto s = RequireRole(c.actor, {kRoleCustomerService}, "create_subscription"); !s.ok()) return s;
      if (auto s = CheckId("subscription_id", r.subscription_id()); !s.ok()) return s;
      if (auto s = CheckId("unit_id", r.unit_id()); !s.ok()) return s;
      if (auto s = CheckMoney("price_fen", r.price_fen()); !s.ok()) return s;
      auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, true);
      if (!occurred.ok()) return occurred.status();
      if (r.customer_ids().empty() || r.customer_ids().size() > 4) {
        return absl::InvalidArgumentError(
            absl::StrCat("field 'customer_ids' needs 1-4 customers; got ", r.customer_ids().size()));
      }
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      const Project& p = **project;
      auto consultant = NamedConsultant(state, p, r.consultant_id());
      if (!consultant.ok()) return consultant.status();
      if (auto s = CheckCustomers(p, r.customer_ids(), "customer_ids"); !s.ok()) return s;
      auto unit = Find(p.units, "unit", r.unit_id(), p);
      if (!unit.ok()) return unit.status();
      if (auto s = CheckPlanUsable(p, "payment_plan_id", r.payment_plan_id()); !s.ok()) return s;
      if (auto s = CheckNewId(p, "subscription_id", r.subscription_id()); !s.ok()) return s;
      if (auto s = CheckExpectedSeq(p, r.expected_seq(), r.unit_id()); !s.ok()) return s;
      const Unit& u = **unit;
      if (u.status == UnitStatus::kReserved) {
        const Reservation& reservation = p.reservations.at(u.reservation_id);
        bool buyer = false;
        for (const auto& id : r.customer_ids()) buyer = buyer || id == reservation.customer_id;
        if (!buyer) {
          return absl::FailedPreconditionError(absl::StrCat("unit ", u.unit_id, " is RESERVED for customer ",
                                                            reservation.customer_id, " (reservation ",
                                                            reservation.reservation_id, ")"));
        }
      } else if (auto s = UnitIs(u, UnitStatus::kAvailable, "a subscription needs an AVAILABLE unit"); !s.ok()) {
        return s;
      }
      StoreBody(event.mutable_create_subscription(), r);
      event.set_project_id(r.project_id());
      *event.mutable_occurred_at() = ToProto(*occurred);
      return absl::OkStatus();
    }
    case Command::kSignContract: {
      const auto& r = command.sign_contract();
      if (auto s = RequireRole(c.actor, {kRoleCustomerService}, "sign_contract"); !s.ok()) return s;
      if (auto s = CheckId("contract_id", r.contract_id()); !s.ok()) return s;
      if (auto s = CheckId("subscription_id", r.subscription_id()); !s.ok()) return s;
      if (auto s = CheckName("contract_no", r.contract_no()); !s.ok()) return s;
      if (auto s = CheckMoney("price_fen", r.price_fen()); !s.ok()) return s;
      auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, true);
      if (!occurred.ok()) return occurred.status();
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      const Project& p = **project;
      auto sub = Find(p.subscriptions, "subscription", r.subscription_id(), p);
      if (!sub.ok()) return sub.status();
      if (auto s = CheckNewId(p, "contract_id", r.contract_id()); !s.ok()) return s;
      if (p.contract_nos.contains(r.contract_no())) {
        return absl::AlreadyExistsError(absl::StrCat("contract_no '", r.contract_no(), "' is already used"));
      }
      if (auto s = CheckExpectedSeq(p, r.expected_seq(), r.subscription_id()); !s.ok()) return s;
      if ((*sub)->status != SubscriptionStatus::kActive || (*sub)->voided) {
        return absl::FailedPreconditionError(absl::StrCat("subscription ", r.subscription_id(),
                                                          " is not active (converted, cancelled or voided)"));
      }
      StoreBody(event.mutable_sign_contract(), r);
      event.set_project_id(r.project_id());
      *event.mutable_occurred_at() = ToProto(*occurred);
      return absl::OkStatus();
    }
    case Command::kRequestChange: {
      const auto& r = command.request_change();
      if (auto s = RequireRole(c.actor, {kRoleCustomerService}, "request_change"); !s.ok()) return s;
      if (auto s = CheckId("change_id", r.change_id()); !s.ok()) return s;
      if (auto s = CheckId("target_id", r.target_id()); !s.ok()) return s;
      if (auto s = CheckEnum("kind", r.kind(), RequestChangeRequest::Kind_descriptor()); !s.ok()) return s;
      if (auto s = CheckText("reason", r.reason()); !s.ok()) return s;
      switch (r.kind()) {
        case RequestChangeRequest::CHANGE_UNIT:
          if (auto s = CheckId("new_unit_id", r.new_unit_id()); !s.ok()) return s;
          break;
        case RequestChangeRequest::CHANGE_PAYMENT_PLAN:
          if (auto s = CheckId("new_payment_plan_id", r.new_payment_plan_id()); !s.ok()) return s;
          break;
        case RequestChangeRequest::CHANGE_PRICE:
          if (auto s = CheckMoney("new_price_fen", r.new_price_fen()); !s.ok()) return s;
          break;
        case RequestChangeRequest::RENAME:
          if (r.new_customer_ids().empty() || r.new_customer_ids().size() > 4) {
            return absl::InvalidArgumentError("field 'new_customer_ids' needs 1-4 customers");
          }
          break;
        default:
          break;
      }
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      const Project& p = **project;
      auto target = FindTarget(p, r.target_id());
      if (!target.ok()) return target.status();
      if (r.kind() == RequestChangeRequest::RENAME) {
        if (auto s = CheckCustomers(p, r.new_customer_ids(), "new_customer_ids"); !s.ok()) return s;
      }
      if (r.kind() == RequestChangeRequest::CHANGE_UNIT) {
        auto unit = Find(p.units, "unit", r.new_unit_id(), p);
        if (!unit.ok()) return unit.status();
        if (r.new_unit_id() == target->subscription->unit_id) {
          return absl::InvalidArgumentError("field 'new_unit_id' is the unit the target already has");
        }
      }
      if (r.kind() == RequestChangeRequest::CHANGE_PAYMENT_PLAN) {
        if (auto s = CheckPlanUsable(p, "new_payment_plan_id", r.new_payment_plan_id()); !s.ok()) return s;
      }
      if (auto s = CheckNewId(p, "change_id", r.change_id()); !s.ok()) return s;
      if (auto s = CheckExpectedSeq(p, r.expected_seq(), r.target_id()); !s.ok()) return s;
      StoreBody(event.mutable_request_change(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kDecideChange: {
      const auto& r = command.decide_change();
      if (auto s = RequireRole(c.actor, {kRoleSalesLead}, "decide_change"); !s.ok()) return s;
      if (auto s = CheckId("change_id", r.change_id()); !s.ok()) return s;
      if (!r.has_approve()) return absl::InvalidArgumentError("field 'approve' is required");
      if (auto s = CheckText("note", r.note(), false); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      const Project& p = **project;
      auto change = Find(p.changes, "change", r.change_id(), p);
      if (!change.ok()) return change.status();
      if (auto s = CheckExpectedSeq(p, r.expected_seq(), (*change)->target_id); !s.ok()) return s;
      if ((*change)->status != DecisionStatus::kPending) {
        return absl::FailedPreconditionError(absl::StrCat("change ", r.change_id(), " was already decided"));
      }
      auto target = FindTarget(p, (*change)->target_id);
      if (!target.ok()) return target.status();
      if (target->record->locked) {
        return absl::FailedPreconditionError(absl::StrCat((*change)->target_id,
                                                          " is locked (audited); the accountant must unlock it first"));
      }
      if (r.approve()) {
        if (auto s = CheckExecutable(p, **change); !s.ok()) return s;
      }
      StoreBody(event.mutable_decide_change(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    default:
      return std::nullopt;
  }
}

bool ApplySales(State& state, const Event& event) {
  Project* project = state.FindProject(event.project_id());
  switch (event.body_case()) {
    case Event::kReserveUnit: {
      const auto& b = event.reserve_unit();
      Reservation& res = project->reservations[b.reservation_id()];
      res.reservation_id = b.reservation_id();
      res.unit_id = b.unit_id();
      res.customer_id = b.customer_id();
      Unit& u = project->units[b.unit_id()];
      u.status = UnitStatus::kReserved;
      u.reservation_id = b.reservation_id();
      project->AddItem(b.reservation_id(), ItemKind::kReservation, event.seq());
      for (const auto& id : {b.reservation_id(), b.unit_id()}) project->Touch(id, event.seq());
      project->voidable.Add({event.seq(), Event::kReserveUnit, false, event.actor_id(), b.reservation_id()});
      return true;
    }
    case Event::kCancelReservation: {
      const auto& b = event.cancel_reservation();
      Reservation& res = project->reservations[b.reservation_id()];
      res.status = ReservationStatus::kCancelled;
      ReleaseUnit(project->units[res.unit_id]);
      for (const auto& id : {b.reservation_id(), res.unit_id}) project->Touch(id, event.seq());
      return true;
    }
    case Event::kCreateSubscription: {
      const auto& b = event.create_subscription();
      Subscription& sub = project->subscriptions[b.subscription_id()];
      sub.subscription_id = b.subscription_id();
      sub.unit_id = b.unit_id();
      sub.customer_ids.assign(b.customer_ids().begin(), b.customer_ids().end());
      sub.consultant_id = b.consultant_id();
      sub.price_fen = b.price_fen();
      sub.payment_plan_id = b.payment_plan_id();
      sub.occurred_at = FromProto(event.occurred_at());
      sub.seq = event.seq();
      sub.recorded_at = FromProto(event.recorded_at());
      Unit& u = project->units[b.unit_id()];
      if (u.status == UnitStatus::kReserved) {
        project->reservations[u.reservation_id].status = ReservationStatus::kConverted;
        sub.reservation_id = u.reservation_id;
      }
      u.status = UnitStatus::kSubscribed;
      u.subscription_id = b.subscription_id();
      project->AddItem(b.subscription_id(), ItemKind::kSubscription, event.seq());
      for (const auto& id : {b.subscription_id(), b.unit_id()}) project->Touch(id, event.seq());
      project->voidable.Add({event.seq(), Event::kCreateSubscription, false, event.actor_id(), b.subscription_id()});
      return true;
    }
    case Event::kSignContract: {
      const auto& b = event.sign_contract();
      Subscription& sub = project->subscriptions[b.subscription_id()];
      Contract& k = project->contracts[b.contract_id()];
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
      Unit& u = project->units[sub.unit_id];
      u.status = UnitStatus::kContracted;
      u.contract_id = b.contract_id();
      project->contract_nos.insert(b.contract_no());
      project->AddItem(b.contract_id(), ItemKind::kContract, event.seq());
      for (const auto& id : {b.contract_id(), b.subscription_id(), sub.unit_id}) project->Touch(id, event.seq());
      project->voidable.Add({event.seq(), Event::kSignContract, false, event.actor_id(), b.contract_id()});
      return true;
    }
    case Event::kRequestChange: {
      const auto& b = event.request_change();
      Change& ch = project->changes[b.change_id()];
      ch.change_id = b.change_id();
      ch.target_id = b.target_id();
      ch.kind = b.kind();
      ch.new_unit_id = b.new_unit_id();
      ch.new_payment_plan_id = b.new_payment_plan_id();
      ch.new_customer_ids.assign(b.new_customer_ids().begin(), b.new_customer_ids().end());
      ch.new_price_fen = b.new_price_fen();
      if (auto k = project->contracts.find(b.target_id()); k != project->contracts.end()) {
        k->second.change_ids.push_back(b.change_id());
      } else {
        project->subscriptions[b.target_id()].change_ids.push_back(b.change_id());
      }
      project->AddItem(b.change_id(), ItemKind::kChange, event.seq());
      for (const auto& id : {b.change_id(), b.target_id()}) project->Touch(id, event.seq());
      return true;
    }
    case Event::kDecideChange: {
      const auto& b = event.decide_change();
      Change& ch = project->changes[b.change_id()];
      project->Touch(b.change_id(), event.seq());
      project->Touch(ch.target_id, event.seq());
      if (!b.approve()) {
        ch.status = DecisionStatus::kRejected;
        return true;
      }
      ch.status = DecisionStatus::kApproved;
      Contract* k = nullptr;
      Subscription* sub = nullptr;
      if (auto it = project->contracts.find(ch.target_id); it != project->contracts.end()) {
        k = &it->second;
        sub = &project->subscriptions[k->subscription_id];
      } else {
        sub = &project->subscriptions[ch.target_id];
      }
      Auditable& record = k != nullptr ? static_cast<Auditable&>(*k) : static_cast<Auditable&>(*sub);
      record.audit = AuditStatus::kNone;  // an executed change must be audited again
      record.locked = false;
      switch (ch.kind) {
        case RequestChangeRequest::CANCEL:
          sub->status = SubscriptionStatus::kCancelled;
          sub->cancelled_at = FromProto(event.recorded_at());
          if (k != nullptr) {
            k->status = ContractStatus::kCancelled;
            k->cancelled_at = FromProto(event.recorded_at());
          }
          ReleaseUnit(project->units[sub->unit_id]);
          break;
        case RequestChangeRequest::CHANGE_UNIT: {
          Unit& old_unit = project->units[sub->unit_id];
          Unit& new_unit = project->units[ch.new_unit_id];
          new_unit.status = old_unit.status;
          new_unit.subscription_id = old_unit.subscription_id;
          new_unit.contract_id = old_unit.contract_id;
          ReleaseUnit(old_unit);
          project->Touch(old_unit.unit_id, event.seq());
          project->Touch(new_unit.unit_id, event.seq());
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
      return true;
    }
    default:
      return false;
  }
}

}  // namespace salesledger::areas
