// Units and payment plans (SPEC.md §3.2): 房源初始化 by the specialist, review by the sales lead,
// confirmation by marketing, holds (销控).
#include <limits>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/describe.h"
#include "domain/validation.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

constexpr int64_t kAnyNumber = std::numeric_limits<int64_t>::max();

bool Sold(UnitStatus s) {
  return s == UnitStatus::kReserved || s == UnitStatus::kSubscribed || s == UnitStatus::kContracted;
}

const char* SetupName(SetupStatus s) {
  switch (s) {
    case SetupStatus::kDraft: return "DRAFT (not yet reviewed)";
    case SetupStatus::kReviewed: return "REVIEWED";
    case SetupStatus::kConfirmed: return "confirmed";
  }
  return "?";
}

// Each item must exist and be at `want` in its setup; the whole list is checked before anything
// changes, so a review or confirmation applies to all its items or to none.
absl::Status CheckItems(const Project& project, const google::protobuf::RepeatedPtrField<std::string>& ids,
                        SetupStatus want, const char* command) {
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
      return absl::FailedPreconditionError(
          absl::StrCat(command, ": '", id, "' is ", SetupName(have), "; it must be ", SetupName(want)));
    }
  }
  return absl::OkStatus();
}

template <typename Request>
absl::Status CheckItemsUnchanged(const Project& project, const Request& r) {
  for (const auto& id : r.item_ids()) RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), id));
  return absl::OkStatus();
}

}  // namespace

absl::Status DecideDefineUnit(const State& state, const DefineUnitRequest& r, const DecideContext& c, Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("unit_id"), Name("building"), Range("floor", -20, 300), Name("room"),
                                  Name("product_type"), Range("area_x100", 1, 100000000), Money("list_price_fen")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(CheckNewId(project, "unit_id", r.unit_id()));
  Record(event, event.mutable_define_unit(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyDefineUnit(State& state, const Event& event, const DefineUnitRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Unit& u = project.units[b.unit_id()];
  u.unit_id = b.unit_id();
  u.building = b.building();
  u.floor = b.floor();
  u.room = b.room();
  u.product_type = b.product_type();
  u.area_x100 = b.area_x100();
  u.list_price_fen = b.list_price_fen();
  project.AddItem(b.unit_id(), ItemKind::kUnit, event.seq());
}

absl::Status DecideDefinePaymentPlan(const State& state, const DefinePaymentPlanRequest& r, const DecideContext& c,
                                     Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("plan_id"), Name("name"), Enum("kind"), Range("discount_bp", 0, 10000)}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(CheckNewId(project, "plan_id", r.plan_id()));
  Record(event, event.mutable_define_payment_plan(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyDefinePaymentPlan(State& state, const Event& event, const DefinePaymentPlanRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  PaymentPlan& p = project.plans[b.plan_id()];
  p.plan_id = b.plan_id();
  p.name = b.name();
  p.kind = b.kind();
  p.discount_bp = b.discount_bp();
  project.AddItem(b.plan_id(), ItemKind::kPaymentPlan, event.seq());
}

absl::Status DecideChangeListPrice(const State& state, const ChangeListPriceRequest& r, const DecideContext& c,
                                   Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("unit_id"), Money("list_price_fen")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(Find(project.units, "unit", r.unit_id(), project).status());
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.unit_id()));
  Record(event, event.mutable_change_list_price(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyChangeListPrice(State& state, const Event& event, const ChangeListPriceRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  Unit& u = project.units[b.unit_id()];
  u.list_price_fen = b.list_price_fen();
  u.setup = SetupStatus::kDraft;
  u.rejected = false;
  // An unsold unit leaves sale until the new price is reviewed and confirmed; a sold one keeps
  // its status and its sale price, and only its list price waits for review.
  if (!Sold(u.status)) u.status = UnitStatus::kDraft;
  project.Touch(b.unit_id(), event.seq());
}

absl::Status DecideReviewSetup(const State& state, const ReviewSetupRequest& r, const DecideContext& c,
                               Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Ids("item_ids", 1, kAnyNumber), Present("approve"), OptionalText("note")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(CheckItems(project, r.item_ids(), SetupStatus::kDraft, "review_setup"));
  RETURN_IF_ERROR(CheckItemsUnchanged(project, r));
  Record(event, event.mutable_review_setup(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyReviewSetup(State& state, const Event& event, const ReviewSetupRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  for (const auto& id : b.item_ids()) {
    project.Touch(id, event.seq());
    if (auto u = project.units.find(id); u != project.units.end()) {
      u->second.rejected = !b.approve();
      if (b.approve()) {
        u->second.setup = SetupStatus::kReviewed;
        if (!Sold(u->second.status)) u->second.status = UnitStatus::kReviewed;
      }
    } else {
      PaymentPlan& p = project.plans[id];
      p.rejected = !b.approve();
      if (b.approve()) p.setup = SetupStatus::kReviewed;
    }
  }
}

absl::Status DecideConfirmSetup(const State& state, const ConfirmSetupRequest& r, const DecideContext& c,
                                Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Ids("item_ids", 1, kAnyNumber)}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(CheckItems(project, r.item_ids(), SetupStatus::kReviewed, "confirm_setup"));
  RETURN_IF_ERROR(CheckItemsUnchanged(project, r));
  Record(event, event.mutable_confirm_setup(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyConfirmSetup(State& state, const Event& event, const ConfirmSetupRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  for (const auto& id : b.item_ids()) {
    project.Touch(id, event.seq());
    if (auto u = project.units.find(id); u != project.units.end()) {
      u->second.setup = SetupStatus::kConfirmed;
      if (!Sold(u->second.status)) u->second.status = UnitStatus::kAvailable;
    } else {
      project.plans[id].setup = SetupStatus::kConfirmed;
    }
  }
}

absl::Status DecideSetUnitHold(const State& state, const SetUnitHoldRequest& r, const DecideContext& c,
                               Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("unit_id"), Present("held"), Text("reason")}));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  ASSIGN_OR_RETURN(const Unit& unit, Find(project.units, "unit", r.unit_id(), project));
  RETURN_IF_ERROR(CheckExpectedSeq(project, r.expected_seq(), r.unit_id()));
  const UnitStatus want = r.held() ? UnitStatus::kAvailable : UnitStatus::kHeld;
  if (unit.status != want) {
    return absl::FailedPreconditionError(absl::StrCat("unit ", r.unit_id(), " is ", DescribeUnit(unit), "; ",
                                                      r.held() ? "only an AVAILABLE unit can be held"
                                                               : "only a HELD unit can be released"));
  }
  Record(event, event.mutable_set_unit_hold(), r, r.project_id());
  return absl::OkStatus();
}

void ApplySetUnitHold(State& state, const Event& event, const SetUnitHoldRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  project.units[b.unit_id()].status = b.held() ? UnitStatus::kHeld : UnitStatus::kAvailable;
  project.Touch(b.unit_id(), event.seq());
}

}  // namespace salesledger
