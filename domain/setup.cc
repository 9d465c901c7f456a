// Units and payment plans (SPEC.md §3.2): 房源初始化, review by the sales lead, confirmation by
// marketing, holds (销控).
#include "absl/strings/str_cat.h"
#include "domain/areas.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger::areas {
namespace {

using namespace salesledger::v1;

bool Sold(UnitStatus s) {
  return s == UnitStatus::kReserved || s == UnitStatus::kSubscribed || s == UnitStatus::kContracted;
}

// Each item must exist and be at `want` in its setup; the whole list is checked before anything
// changes, so a review or confirmation applies to all its items or to none.
absl::Status CheckItems(const Project& project, const google::protobuf::RepeatedPtrField<std::string>& ids,
                        SetupStatus want, const char* command) {
  if (ids.empty()) return absl::InvalidArgumentError("field 'item_ids' needs at least one unit or plan");
  absl::flat_hash_set<std::string> seen;
  for (const auto& id : ids) {
    if (auto s = CheckId("item_ids", id); !s.ok()) return s;
    if (!seen.insert(id).second) return absl::InvalidArgumentError(absl::StrCat("item_ids names '", id, "' twice"));
  }
  for (const auto& id : ids) {
    SetupStatus have;
    if (auto u = project.units.find(id); u != project.units.end()) {
      have = u->second.setup;
    } else if (auto p = project.plans.find(id); p != project.plans.end()) {
      have = p->second.setup;
    } else {
      return absl::NotFoundError(absl::StrCat("no unit or payment plan '", id, "' in project ", project.project_id));
    }
    if (have != want) {
      static const char* kNames[] = {"DRAFT (not yet reviewed)", "REVIEWED", "confirmed"};
      return absl::FailedPreconditionError(absl::StrCat(command, ": '", id, "' is ",
                                                        kNames[static_cast<int>(have)], "; it must be ",
                                                        kNames[static_cast<int>(want)]));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<absl::Status> DecideSetup(const State& state, const Command& command, const DecideContext& c,
                                        Event& event) {
  switch (command.command_case()) {
    case Command::kDefineUnit: {
      const auto& r = command.define_unit();
      if (auto s = RequireRole(c.actor, {kRoleCustomerService}, "define_unit"); !s.ok()) return s;
      if (auto s = CheckId("unit_id", r.unit_id()); !s.ok()) return s;
      if (auto s = CheckName("building", r.building()); !s.ok()) return s;
      if (!r.has_floor()) return absl::InvalidArgumentError("field 'floor' is required");
      if (r.floor() < -20 || r.floor() > 300) {
        return absl::InvalidArgumentError(absl::StrCat("field 'floor' must be in -20..300; got ", r.floor()));
      }
      if (auto s = CheckName("room", r.room()); !s.ok()) return s;
      if (auto s = CheckName("product_type", r.product_type()); !s.ok()) return s;
      if (r.area_x100() <= 0 || r.area_x100() > 100000000) {
        return absl::InvalidArgumentError(absl::StrCat(
            "field 'area_x100' must be the area in hundredths of m², more than 0; got ", r.area_x100()));
      }
      if (auto s = CheckMoney("list_price_fen", r.list_price_fen()); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      if (auto s = CheckNewId(**project, "unit_id", r.unit_id()); !s.ok()) return s;
      StoreBody(event.mutable_define_unit(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kDefinePaymentPlan: {
      const auto& r = command.define_payment_plan();
      if (auto s = RequireRole(c.actor, {kRoleCustomerService}, "define_payment_plan"); !s.ok()) return s;
      if (auto s = CheckId("plan_id", r.plan_id()); !s.ok()) return s;
      if (auto s = CheckName("name", r.name()); !s.ok()) return s;
      if (auto s = CheckEnum("kind", r.kind(), DefinePaymentPlanRequest::Kind_descriptor()); !s.ok()) return s;
      if (!r.has_discount_bp()) return absl::InvalidArgumentError("field 'discount_bp' is required");
      if (r.discount_bp() < 0 || r.discount_bp() > 10000) {
        return absl::InvalidArgumentError(absl::StrCat("field 'discount_bp' must be in 0..10000; got ", r.discount_bp()));
      }
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      if (auto s = CheckNewId(**project, "plan_id", r.plan_id()); !s.ok()) return s;
      StoreBody(event.mutable_define_payment_plan(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kChangeListPrice: {
      const auto& r = command.change_list_price();
      if (auto s = RequireRole(c.actor, {kRoleCustomerService}, "change_list_price"); !s.ok()) return s;
      if (auto s = CheckId("unit_id", r.unit_id()); !s.ok()) return s;
      if (auto s = CheckMoney("list_price_fen", r.list_price_fen()); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      auto unit = Find((*project)->units, "unit", r.unit_id(), **project);
      if (!unit.ok()) return unit.status();
      if (auto s = CheckExpectedSeq(**project, r.expected_seq(), r.unit_id()); !s.ok()) return s;
      StoreBody(event.mutable_change_list_price(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kReviewSetup: {
      const auto& r = command.review_setup();
      if (auto s = RequireRole(c.actor, {kRoleSalesLead}, "review_setup"); !s.ok()) return s;
      if (!r.has_approve()) return absl::InvalidArgumentError("field 'approve' is required");
      if (auto s = CheckText("note", r.note(), false); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      if (auto s = CheckItems(**project, r.item_ids(), SetupStatus::kDraft, "review_setup"); !s.ok()) return s;
      for (const auto& id : r.item_ids()) {
        if (auto s = CheckExpectedSeq(**project, r.expected_seq(), id); !s.ok()) return s;
      }
      StoreBody(event.mutable_review_setup(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kConfirmSetup: {
      const auto& r = command.confirm_setup();
      if (auto s = RequireRole(c.actor, {kRoleMarketing}, "confirm_setup"); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      if (auto s = CheckItems(**project, r.item_ids(), SetupStatus::kReviewed, "confirm_setup"); !s.ok()) return s;
      for (const auto& id : r.item_ids()) {
        if (auto s = CheckExpectedSeq(**project, r.expected_seq(), id); !s.ok()) return s;
      }
      StoreBody(event.mutable_confirm_setup(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kSetUnitHold: {
      const auto& r = command.set_unit_hold();
      if (auto s = RequireRole(c.actor, {kRoleSalesLead}, "set_unit_hold"); !s.ok()) return s;
      if (auto s = CheckId("unit_id", r.unit_id()); !s.ok()) return s;
      if (!r.has_held()) return absl::InvalidArgumentError("field 'held' is required");
      if (auto s = CheckText("reason", r.reason()); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      auto unit = Find((*project)->units, "unit", r.unit_id(), **project);
      if (!unit.ok()) return unit.status();
      if (auto s = CheckExpectedSeq(**project, r.expected_seq(), r.unit_id()); !s.ok()) return s;
      const UnitStatus want = r.held() ? UnitStatus::kAvailable : UnitStatus::kHeld;
      if ((*unit)->status != want) {
        return absl::FailedPreconditionError(absl::StrCat("unit ", r.unit_id(), " is ", UnitStatusName((*unit)->status),
                                                          "; ", r.held() ? "only an AVAILABLE unit can be held"
                                                                         : "only a HELD unit can be released"));
      }
      StoreBody(event.mutable_set_unit_hold(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    default:
      return std::nullopt;
  }
}

bool ApplySetup(State& state, const Event& event) {
  Project* project = state.FindProject(event.project_id());
  switch (event.body_case()) {
    case Event::kDefineUnit: {
      const auto& b = event.define_unit();
      Unit& u = project->units[b.unit_id()];
      u.unit_id = b.unit_id();
      u.building = b.building();
      u.floor = b.floor();
      u.room = b.room();
      u.product_type = b.product_type();
      u.area_x100 = b.area_x100();
      u.list_price_fen = b.list_price_fen();
      project->AddItem(b.unit_id(), ItemKind::kUnit, event.seq());
      return true;
    }
    case Event::kDefinePaymentPlan: {
      const auto& b = event.define_payment_plan();
      PaymentPlan& p = project->plans[b.plan_id()];
      p.plan_id = b.plan_id();
      p.name = b.name();
      p.kind = b.kind();
      p.discount_bp = b.discount_bp();
      project->AddItem(b.plan_id(), ItemKind::kPaymentPlan, event.seq());
      return true;
    }
    case Event::kChangeListPrice: {
      const auto& b = event.change_list_price();
      Unit& u = project->units[b.unit_id()];
      u.list_price_fen = b.list_price_fen();
      u.setup = SetupStatus::kDraft;
      u.rejected = false;
      // An unsold unit leaves sale until the new price is reviewed and confirmed; a sold one keeps
      // its status and its sale price, and only its list price waits for review.
      if (!Sold(u.status)) u.status = UnitStatus::kDraft;
      project->Touch(b.unit_id(), event.seq());
      return true;
    }
    case Event::kReviewSetup: {
      const auto& b = event.review_setup();
      for (const auto& id : b.item_ids()) {
        project->Touch(id, event.seq());
        if (auto u = project->units.find(id); u != project->units.end()) {
          u->second.rejected = !b.approve();
          if (b.approve()) {
            u->second.setup = SetupStatus::kReviewed;
            if (!Sold(u->second.status)) u->second.status = UnitStatus::kReviewed;
          }
        } else {
          PaymentPlan& p = project->plans[id];
          p.rejected = !b.approve();
          if (b.approve()) p.setup = SetupStatus::kReviewed;
        }
      }
      return true;
    }
    case Event::kConfirmSetup: {
      for (const auto& id : event.confirm_setup().item_ids()) {
        project->Touch(id, event.seq());
        if (auto u = project->units.find(id); u != project->units.end()) {
          u->second.setup = SetupStatus::kConfirmed;
          if (!Sold(u->second.status)) u->second.status = UnitStatus::kAvailable;
        } else {
          project->plans[id].setup = SetupStatus::kConfirmed;
        }
      }
      return true;
    }
    case Event::kSetUnitHold: {
      const auto& b = event.set_unit_hold();
      project->units[b.unit_id()].status = b.held() ? UnitStatus::kHeld : UnitStatus::kAvailable;
      project->Touch(b.unit_id(), event.seq());
      return true;
    }
    default:
      return false;
  }
}

}  // namespace salesledger::areas
