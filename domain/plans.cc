// Plans and marketing (SPEC.md §3.8): the annual sales plan by product, monthly feedback
// (反馈分析), marketing spend and competitor projects (竞争楼盘).
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger {

using namespace salesledger::v1;

absl::Status DecideSetSalesPlan(const State& state, const SetSalesPlanRequest& r, const DecideContext& c,
                                Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Range("year", 2000, 2100), Name("product_type")}));
  if (r.months_size() != 12) {
    return absl::InvalidArgumentError(absl::StrCat("field 'months' needs 12 months; got ", r.months_size()));
  }
  for (int i = 0; i < 12; ++i) {
    const auto& m = r.months(i);
    if (m.units() < 0 || m.units() > 1000000 || m.amount_fen() < 0 || m.amount_fen() > kMaxMoneyFen) {
      return absl::InvalidArgumentError(absl::StrCat("field 'months[", i, "]': units and amount_fen must be ",
                                                     "0 or more (amount at most 10^12 fen); got units ", m.units(),
                                                     ", amount_fen ", m.amount_fen()));
    }
  }
  RETURN_IF_ERROR(AccessProject(state, c.actor, r.project_id()).status());
  Record(event, event.mutable_set_sales_plan(), r, r.project_id());
  return absl::OkStatus();
}

void ApplySetSalesPlan(State& state, const Event& event, const SetSalesPlanRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  const auto key = std::make_pair(static_cast<int>(b.year()), b.product_type());
  ++project.plan_versions[key];
  auto& months = project.plans_by_product[key];
  months.clear();
  for (const auto& m : b.months()) months.push_back({m.units(), m.amount_fen()});
  project.first_plan_recorded.emplace(b.year(), FromProto(event.recorded_at()));
}

absl::Status DecideRecordPlanFeedback(const State& state, const RecordPlanFeedbackRequest& r, const DecideContext& c,
                                      Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Month("month"), Text("analysis")}));
  RETURN_IF_ERROR(AccessProject(state, c.actor, r.project_id()).status());
  Record(event, event.mutable_record_plan_feedback(), r, r.project_id());
  return absl::OkStatus();
}

void ApplyRecordPlanFeedback(State& state, const Event& event, const RecordPlanFeedbackRequest& b) {
  state.FindProject(event.project_id())->feedback_recorded.emplace(b.month(), FromProto(event.recorded_at()));
}

absl::Status DecideRecordMarketingSpend(const State& state, const RecordMarketingSpendRequest& r,
                                        const DecideContext& c, Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Id("spend_id"), Month("month"), Name("channel"), Money("amount_fen")}));
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kRequired));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(CheckNewId(project, "spend_id", r.spend_id()));
  Record(event, event.mutable_record_marketing_spend(), r, r.project_id(), occurred);
  return absl::OkStatus();
}

void ApplyRecordMarketingSpend(State& state, const Event& event, const RecordMarketingSpendRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  project.spends.insert(b.spend_id());
  project.AddItem(b.spend_id(), ItemKind::kSpend, event.seq());
}

absl::Status DecideRecordCompetitor(const State& state, const RecordCompetitorRequest& r, const DecideContext& c,
                                    Event& event) {
  RETURN_IF_ERROR(
      CheckFields(r, {Id("competitor_id"), Name("name"), Money("avg_price_fen_per_m2"), OptionalText("note")}));
  ASSIGN_OR_RETURN(const absl::Time occurred,
                   CheckOccurredAt(r.occurred_at(), r.has_occurred_at(), c.recorded_at, Presence::kRequired));
  ASSIGN_OR_RETURN(const Project& project, AccessProject(state, c.actor, r.project_id()));
  RETURN_IF_ERROR(CheckNewId(project, "competitor_id", r.competitor_id()));
  Record(event, event.mutable_record_competitor(), r, r.project_id(), occurred);
  return absl::OkStatus();
}

void ApplyRecordCompetitor(State& state, const Event& event, const RecordCompetitorRequest& b) {
  Project& project = *state.FindProject(event.project_id());
  project.competitors.insert(b.competitor_id());
  project.AddItem(b.competitor_id(), ItemKind::kCompetitor, event.seq());
}

}  // namespace salesledger
