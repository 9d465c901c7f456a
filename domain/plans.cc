// Plans and marketing (SPEC.md §3.8): the annual sales plan by product, monthly feedback
// (反馈分析), marketing spend and competitor projects (竞争楼盘).
#include "absl/strings/str_cat.h"
#include "base/time_proto.h"
#include "domain/areas.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger::areas {

using namespace salesledger::v1;

std::optional<absl::Status> DecidePlans(const State& state, const Command& command, const DecideContext& c,
                                        Event& event) {
  switch (command.command_case()) {
    case Command::kSetSalesPlan: {
      const auto& r = command.set_sales_plan();
      if (auto s = RequireRole(c.actor, {kRoleMarketing}, "set_sales_plan"); !s.ok()) return s;
      if (r.year() < 2000 || r.year() > 2100) {
        return absl::InvalidArgumentError(absl::StrCat("field 'year' must be in 2000..2100; got ", r.year()));
      }
      if (auto s = CheckName("product_type", r.product_type()); !s.ok()) return s;
      if (r.months_size() != 12) {
        return absl::InvalidArgumentError(absl::StrCat("field 'months' needs 12 months; got ", r.months_size()));
      }
      for (int i = 0; i < 12; ++i) {
        const auto& m = r.months(i);
        if (m.units() < 0 || m.units() > 1000000 || m.amount_fen() < 0 || m.amount_fen() > kMaxMoneyFen) {
          return absl::InvalidArgumentError(absl::StrCat("field 'months[", i, "]': units and amount_fen must be ",
                                                         "0 or more (amount at most 10^12 fen)"));
        }
      }
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      StoreBody(event.mutable_set_sales_plan(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kRecordPlanFeedback: {
      const auto& r = command.record_plan_feedback();
      if (auto s = RequireRole(c.actor, {kRoleMarketing}, "record_plan_feedback"); !s.ok()) return s;
      if (auto s = CheckMonth("month", r.month()); !s.ok()) return s;
      if (auto s = CheckText("analysis", r.analysis()); !s.ok()) return s;
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      StoreBody(event.mutable_record_plan_feedback(), r);
      event.set_project_id(r.project_id());
      return absl::OkStatus();
    }
    case Command::kRecordMarketingSpend: {
      const auto& r = command.record_marketing_spend();
      if (auto s = RequireRole(c.actor, {kRoleMarketing}, "record_marketing_spend"); !s.ok()) return s;
      if (auto s = CheckId("spend_id", r.spend_id()); !s.ok()) return s;
      if (auto s = CheckMonth("month", r.month()); !s.ok()) return s;
      if (auto s = CheckName("channel", r.channel()); !s.ok()) return s;
      if (auto s = CheckMoney("amount_fen", r.amount_fen()); !s.ok()) return s;
      auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, true);
      if (!occurred.ok()) return occurred.status();
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      if (auto s = CheckNewId(**project, "spend_id", r.spend_id()); !s.ok()) return s;
      StoreBody(event.mutable_record_marketing_spend(), r);
      event.set_project_id(r.project_id());
      *event.mutable_occurred_at() = ToProto(*occurred);
      return absl::OkStatus();
    }
    case Command::kRecordCompetitor: {
      const auto& r = command.record_competitor();
      if (auto s = RequireRole(c.actor, {kRoleMarketing}, "record_competitor"); !s.ok()) return s;
      if (auto s = CheckId("competitor_id", r.competitor_id()); !s.ok()) return s;
      if (auto s = CheckName("name", r.name()); !s.ok()) return s;
      if (auto s = CheckMoney("avg_price_fen_per_m2", r.avg_price_fen_per_m2()); !s.ok()) return s;
      if (auto s = CheckText("note", r.note(), false); !s.ok()) return s;
      auto occurred = CheckOccurredAt(&r.occurred_at(), r.has_occurred_at(), c.recorded_at, true);
      if (!occurred.ok()) return occurred.status();
      auto project = AccessProject(state, c.actor, r.project_id());
      if (!project.ok()) return project.status();
      if (auto s = CheckNewId(**project, "competitor_id", r.competitor_id()); !s.ok()) return s;
      StoreBody(event.mutable_record_competitor(), r);
      event.set_project_id(r.project_id());
      *event.mutable_occurred_at() = ToProto(*occurred);
      return absl::OkStatus();
    }
    default:
      return std::nullopt;
  }
}

bool ApplyPlans(State& state, const Event& event) {
  Project* project = state.FindProject(event.project_id());
  const absl::Time recorded_at = FromProto(event.recorded_at());
  switch (event.body_case()) {
    case Event::kSetSalesPlan: {
      const auto& b = event.set_sales_plan();
      ++project->plan_versions[{b.year(), b.product_type()}];
      auto& months = project->plans_by_product[{b.year(), b.product_type()}];
      months.clear();
      for (const auto& m : b.months()) months.push_back({m.units(), m.amount_fen()});
      project->first_plan_recorded.emplace(b.year(), recorded_at);
      return true;
    }
    case Event::kRecordPlanFeedback:
      project->feedback_recorded.emplace(event.record_plan_feedback().month(), recorded_at);
      return true;
    case Event::kRecordMarketingSpend:
      project->spends.insert(event.record_marketing_spend().spend_id());
      project->AddItem(event.record_marketing_spend().spend_id(), ItemKind::kSpend, event.seq());
      return true;
    case Event::kRecordCompetitor:
      project->competitors.insert(event.record_competitor().competitor_id());
      project->AddItem(event.record_competitor().competitor_id(), ItemKind::kCompetitor, event.seq());
      return true;
    default:
      return false;
  }
}

}  // namespace salesledger::areas
