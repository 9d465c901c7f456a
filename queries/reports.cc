#include "queries/reports.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "domain/decide_support.h"
#include "domain/validation.h"
#include "queries/read_support.h"

namespace salesledger {

using namespace salesledger::v1;

absl::StatusOr<DailyCashReport> GetDailyCashReport(const State& state, const DailyCashReportRequest& request) {
  ASSIGN_OR_RETURN(const Project& project, ProjectOf(state, request.project_id()));
  ASSIGN_OR_RETURN(const absl::CivilDay day, ParseDay("day", request.day()));
  std::map<std::string, CashierDay> by_cashier;
  for (const auto& [id, pay] : project.payments) {
    if (pay.voided || absl::ToCivilDay(pay.occurred_at, project.zone) != day) continue;
    CashierDay& c = by_cashier[pay.cashier_id];
    (*c.mutable_receipts_by_kind())[NameOf(pay.kind)] += pay.amount_fen;
    (*c.mutable_receipts_by_method())[NameOf(pay.method)] += pay.amount_fen;
    c.set_receipts_fen(c.receipts_fen() + pay.amount_fen);
    c.set_receipt_count(c.receipt_count() + 1);
  }
  for (const auto& [id, r] : project.refunds) {
    if (r.voided || absl::ToCivilDay(r.occurred_at, project.zone) != day) continue;
    CashierDay& c = by_cashier[r.cashier_id];
    c.set_refunds_fen(c.refunds_fen() + r.amount_fen);
  }
  DailyCashReport out;
  out.set_project_id(request.project_id());
  out.set_day(request.day());
  for (auto& [cashier, c] : by_cashier) {
    c.set_cashier_id(cashier);
    c.set_net_fen(c.receipts_fen() - c.refunds_fen());
    out.set_receipts_fen(out.receipts_fen() + c.receipts_fen());
    out.set_refunds_fen(out.refunds_fen() + c.refunds_fen());
    *out.add_cashiers() = c;
  }
  out.set_net_fen(out.receipts_fen() - out.refunds_fen());
  return out;
}

absl::StatusOr<SalesReport> GetSalesReport(const State& state, const SalesReportRequest& request) {
  ASSIGN_OR_RETURN(const Project& project, ProjectOf(state, request.project_id()));
  RETURN_IF_ERROR(CheckFields(request, {Enum("granularity")}));
  ASSIGN_OR_RETURN(const absl::CivilDay from, ParseDay("from_day", request.from_day()));
  ASSIGN_OR_RETURN(const absl::CivilDay to, ParseDay("to_day", request.to_day()));
  std::map<std::string, SalesBucket> buckets;
  auto bucket = [&](absl::Time t) -> SalesBucket* {
    const absl::CivilDay day = absl::ToCivilDay(t, project.zone);
    if (day < from || day > to) return nullptr;
    std::string key;
    switch (request.granularity()) {
      case SalesReportRequest::DAY:
        key = absl::FormatCivilTime(day);
        break;
      case SalesReportRequest::WEEK: {
        // ISO week: the week's Thursday decides the year.
        const absl::CivilDay thursday = day + (3 - (static_cast<int>(absl::GetWeekday(day)) + 7) % 7);
        const int week = static_cast<int>((thursday - absl::CivilDay(thursday.year(), 1, 1)) / 7 + 1);
        key = absl::StrFormat("%04d-W%02d", thursday.year(), week);
        break;
      }
      default:
        key = absl::FormatCivilTime(absl::CivilMonth(day)).substr(0, 7);
    }
    SalesBucket& b = buckets[key];
    b.set_period(key);
    return &b;
  };
  for (const Visit& v : project.visits) {
    if (SalesBucket* b = v.voided ? nullptr : bucket(v.occurred_at)) b->set_visits(b->visits() + 1);
  }
  for (const auto& [id, c] : project.customers) {
    if (SalesBucket* b = c.voided ? nullptr : bucket(c.occurred_at)) b->set_new_customers(b->new_customers() + 1);
  }
  auto area = [&](const std::string& unit_id) { return project.units.at(unit_id).area_x100; };
  for (const auto& [id, s] : project.subscriptions) {
    if (s.voided) continue;
    if (SalesBucket* b = bucket(s.occurred_at)) {
      b->set_subscriptions(b->subscriptions() + 1);
      b->set_subscription_area_x100(b->subscription_area_x100() + area(s.unit_id));
      b->set_subscription_amount_fen(b->subscription_amount_fen() + s.price_fen);
    }
    if (s.contract_id.empty() && s.cancelled_at != absl::InfinitePast()) {
      if (SalesBucket* b = bucket(s.cancelled_at)) b->set_cancellations(b->cancellations() + 1);
    }
  }
  for (const auto& [id, k] : project.contracts) {
    if (k.voided) continue;
    if (SalesBucket* b = bucket(k.occurred_at)) {
      b->set_contracts(b->contracts() + 1);
      b->set_contract_area_x100(b->contract_area_x100() + area(k.unit_id));
      b->set_contract_amount_fen(b->contract_amount_fen() + k.price_fen);
    }
    if (k.cancelled_at != absl::InfinitePast()) {
      if (SalesBucket* b = bucket(k.cancelled_at)) b->set_cancellations(b->cancellations() + 1);
    }
  }
  for (const auto& [id, pay] : project.payments) {
    if (pay.voided || pay.kind == RecordPaymentRequest::COLLECTED_FEE) continue;
    if (SalesBucket* b = bucket(pay.occurred_at)) b->set_collections_fen(b->collections_fen() + pay.amount_fen);
  }
  for (const auto& [id, r] : project.refunds) {
    if (r.voided || project.payments.at(r.payment_id).kind == RecordPaymentRequest::COLLECTED_FEE) continue;
    if (SalesBucket* b = bucket(r.occurred_at)) b->set_collections_fen(b->collections_fen() - r.amount_fen);
  }
  SalesReport out;
  out.set_project_id(project.project_id);
  for (auto& [key, b] : buckets) *out.add_buckets() = std::move(b);
  return out;
}

absl::StatusOr<PlanVsActual> GetPlanVsActual(const State& state, const PlanVsActualRequest& request) {
  ASSIGN_OR_RETURN(const Project& project, ProjectOf(state, request.project_id()));
  RETURN_IF_ERROR(CheckFields(request, {Range("year", 2000, 2100), Name("product_type")}));
  PlanVsActual out;
  out.set_project_id(project.project_id);
  out.set_year(request.year());
  out.set_product_type(request.product_type());
  const auto key = std::make_pair(static_cast<int>(request.year()), request.product_type());
  auto version = project.plan_versions.find(key);
  out.set_plan_version(version == project.plan_versions.end() ? 0 : version->second);
  auto plan = project.plans_by_product.find(key);
  for (int m = 1; m <= 12; ++m) {
    PlanMonth* pm = out.add_months();
    pm->set_month(m);
    if (plan != project.plans_by_product.end()) {
      pm->set_plan_units(plan->second[m - 1].first);
      pm->set_plan_amount_fen(plan->second[m - 1].second);
    }
  }
  auto month_of = [&](absl::Time t) -> PlanMonth* {
    const absl::CivilDay day = absl::ToCivilDay(t, project.zone);
    if (day.year() != request.year()) return nullptr;
    return out.mutable_months(day.month() - 1);
  };
  auto product = [&](const std::string& unit_id) { return project.units.at(unit_id).product_type; };
  for (const auto& [id, s] : project.subscriptions) {
    if (s.voided || product(s.unit_id) != request.product_type()) continue;
    if (PlanMonth* m = month_of(s.occurred_at)) {
      m->set_subscriptions(m->subscriptions() + 1);
      m->set_subscription_amount_fen(m->subscription_amount_fen() + s.price_fen);
    }
  }
  for (const auto& [id, k] : project.contracts) {
    if (k.voided || product(k.unit_id) != request.product_type()) continue;
    if (PlanMonth* m = month_of(k.occurred_at)) {
      m->set_contracts(m->contracts() + 1);
      m->set_contract_amount_fen(m->contract_amount_fen() + k.price_fen);
    }
  }
  for (const auto& [id, pay] : project.payments) {
    if (pay.voided || pay.subscription_id.empty() || pay.kind == RecordPaymentRequest::COLLECTED_FEE) continue;
    if (product(project.subscriptions.at(pay.subscription_id).unit_id) != request.product_type()) continue;
    if (PlanMonth* m = month_of(pay.occurred_at)) m->set_collections_fen(m->collections_fen() + pay.amount_fen - pay.refunded_fen);
  }
  for (PlanMonth& m : *out.mutable_months()) {
    if (m.plan_amount_fen() > 0) m.set_completion_bp(m.subscription_amount_fen() * 10000 / m.plan_amount_fen());
  }
  return out;
}

}  // namespace salesledger
