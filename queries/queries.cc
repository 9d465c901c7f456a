#include "queries/queries.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/time_proto.h"
#include "domain/validation.h"
#include "salesledger/v1/commands.pb.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

constexpr int kDefaultPageSize = 100, kMaxPageSize = 1000;

int PageSize(int requested) { return requested <= 0 ? kDefaultPageSize : std::min(requested, kMaxPageSize); }

absl::StatusOr<const Project*> ProjectOf(const State& state, const std::string& id) {
  if (auto s = CheckId("project_id", id); !s.ok()) return s;
  const Project* p = state.FindProject(id);
  if (p == nullptr) return absl::NotFoundError(absl::StrCat("project '", id, "' not found"));
  return p;
}

const char* AuditName(AuditStatus a) {
  static const char* kNames[] = {"NONE", "APPROVED", "REJECTED"};
  return kNames[static_cast<int>(a)];
}

const char* SetupName(SetupStatus s) {
  static const char* kNames[] = {"DRAFT", "REVIEWED", "CONFIRMED"};
  return kNames[static_cast<int>(s)];
}

std::string Enum(const google::protobuf::EnumDescriptor* type, int value) {
  const auto* v = type->FindValueByNumber(value);
  return v == nullptr ? absl::StrCat(value) : v->name();
}

// What buyers have paid on a subscription: deposits and house payments, plus transferred earnest
// money, less refunds; voided entries and collected fees (代收费用) are not part of the price.
int64_t PaidOn(const Project& p, const std::string& subscription_id) {
  int64_t paid = 0;
  for (const auto& [id, pay] : p.payments) {
    if (pay.voided || pay.subscription_id != subscription_id) continue;
    if (pay.kind == RecordPaymentRequest::DEPOSIT || pay.kind == RecordPaymentRequest::HOUSE_PAYMENT) {
      paid += pay.amount_fen - pay.refunded_fen;
    }
  }
  for (const auto& [id, t] : p.transfers) {
    if (!t.voided && t.subscription_id == subscription_id) paid += t.amount_fen;
  }
  return paid;
}

PaymentView PaymentViewOf(const Project& p, absl::string_view payment_id, const Payment& pay) {
  PaymentView v;
  v.set_project_id(p.project_id);
  v.set_payment_id(std::string(payment_id));
  v.set_receipt_no(pay.receipt_no);
  v.set_customer_id(pay.customer_id);
  v.set_subscription_id(pay.subscription_id);
  v.set_kind(Enum(RecordPaymentRequest::Kind_descriptor(), pay.kind));
  v.set_fee_item(pay.fee_item);
  v.set_method(Enum(RecordPaymentRequest::Method_descriptor(), pay.method));
  v.set_amount_fen(pay.amount_fen);
  v.set_refunded_fen(pay.refunded_fen);
  v.set_transfer_id(pay.transfer_id);
  v.set_audit(AuditName(pay.audit));
  if (auto invoices = p.payment_invoices.find(payment_id); invoices != p.payment_invoices.end()) {
    for (const auto& n : invoices->second) v.add_invoice_nos(n);
  }
  v.set_cashier_id(pay.cashier_id);
  *v.mutable_occurred_at() = ToProto(pay.occurred_at);
  *v.mutable_recorded_at() = ToProto(pay.recorded_at);
  v.set_seq(pay.seq);
  v.set_voided(pay.voided);
  return v;
}

UnitView UnitViewOf(const Project& p, const Unit& u) {
  UnitView v;
  v.set_project_id(p.project_id);
  v.set_unit_id(u.unit_id);
  v.set_building(u.building);
  v.set_floor(u.floor);
  v.set_room(u.room);
  v.set_product_type(u.product_type);
  v.set_area_x100(u.area_x100);
  v.set_list_price_fen(u.list_price_fen);
  v.set_status(UnitStatusName(u.status));
  v.set_setup(SetupName(u.setup));
  v.set_rejected(u.rejected);
  v.set_reservation_id(u.reservation_id);
  v.set_subscription_id(u.subscription_id);
  v.set_contract_id(u.contract_id);
  if (!u.subscription_id.empty()) {
    const Subscription& s = p.subscriptions.at(u.subscription_id);
    for (const auto& c : s.customer_ids) v.add_customer_ids(c);
    v.set_payment_plan_id(s.payment_plan_id);
    const Auditable* record = &s;
    int64_t price = s.price_fen;
    if (!u.contract_id.empty()) {
      const Contract& k = p.contracts.at(u.contract_id);
      price = k.price_fen;
      record = &k;
    }
    v.set_price_fen(price);
    v.set_paid_fen(PaidOn(p, u.subscription_id));
    v.set_balance_fen(price - v.paid_fen());
    v.set_audit(AuditName(record->audit));
    v.set_locked(record->locked);
  } else if (!u.reservation_id.empty()) {
    v.add_customer_ids(p.reservations.at(u.reservation_id).customer_id);
  }
  return v;
}

bool SeesPhone(const Project& p, const Customer& c, const Person& reader) {
  if (reader.HasRole(kRoleAuditor) || reader.HasRole(kRoleAdmin)) return true;
  if (reader.HasRole(kRoleSalesLead) && reader.project_ids.contains(p.project_id)) return true;
  return reader.person_id == c.consultant_id;
}

CustomerView CustomerViewOf(const Project& p, const Customer& c, const Person& reader) {
  CustomerView v;
  v.set_project_id(p.project_id);
  v.set_customer_id(c.customer_id);
  v.set_name(c.name);
  v.set_phone(SeesPhone(p, c, reader) ? c.phone_digits : MaskPhone(c.phone_digits));
  v.set_consultant_id(c.consultant_id);
  v.set_source(Enum(RegisterCustomerRequest::Source_descriptor(), c.source));
  for (uint32_t index : c.visits) {
    const Visit& visit = p.visits[index];
    VisitView* vv = v.add_visits();
    vv->set_visit_id(std::string(p.VisitId(visit)));
    vv->set_consultant_id(visit.consultant_id);
    vv->set_kind(Enum(LogVisitRequest::Kind_descriptor(), visit.kind));
    *vv->mutable_occurred_at() = ToProto(visit.occurred_at);
    vv->set_seq(visit.seq);
    vv->set_voided(visit.voided);
  }
  v.set_voided(c.voided);
  return v;
}

DocumentView DocumentOf(const Project& p, const Subscription& s, const Contract* k) {
  DocumentView v;
  v.set_project_id(p.project_id);
  v.set_subscription_id(s.subscription_id);
  v.set_contract_id(s.contract_id);
  for (const auto& c : s.customer_ids) v.add_customer_ids(c);
  v.set_consultant_id(s.consultant_id);
  v.set_payment_plan_id(s.payment_plan_id);
  for (const auto& [id, pay] : p.payments) {
    if (pay.subscription_id == s.subscription_id) *v.add_payments() = PaymentViewOf(p, id, pay);
  }
  v.set_paid_fen(PaidOn(p, s.subscription_id));
  if (k == nullptr) {
    static const char* kStatus[] = {"ACTIVE", "CONVERTED", "CANCELLED"};
    v.set_id(s.subscription_id);
    v.set_kind("subscription");
    v.set_status(kStatus[static_cast<int>(s.status)]);
    v.set_unit_id(s.unit_id);
    v.set_price_fen(s.price_fen);
    v.set_audit(AuditName(s.audit));
    v.set_locked(s.locked);
    v.set_voided(s.voided);
    v.set_seq(s.seq);
    for (const auto& c : s.change_ids) v.add_change_ids(c);
  } else {
    v.set_id(k->contract_id);
    v.set_kind("contract");
    v.set_status(k->status == ContractStatus::kActive ? "ACTIVE" : "CANCELLED");
    v.set_unit_id(k->unit_id);
    v.set_price_fen(k->price_fen);
    v.set_contract_no(k->contract_no);
    v.set_audit(AuditName(k->audit));
    v.set_locked(k->locked);
    v.set_voided(k->voided);
    v.set_seq(k->seq);
    for (const auto& c : k->change_ids) v.add_change_ids(c);
    for (const auto& [service, done] : k->service_steps_done) {
      (*v.mutable_service_progress())[Enum(RecordServiceStepRequest::Service_descriptor(), service)] =
          absl::StrCat(done, " step(s)");
    }
  }
  v.set_balance_fen(v.price_fen() - v.paid_fen());
  return v;
}

absl::StatusOr<absl::CivilDay> ParseDay(const char* field, const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(absl::StrCat("field '", field, "' must be a day YYYY-MM-DD; got '", text, "'"));
  }
  return day;
}

// Percentile by nearest rank over a copy.
int64_t Percentile(std::vector<uint32_t> values, int pct) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t rank = (values.size() * pct + 99) / 100;
  return values[std::max<size_t>(rank, 1) - 1];
}

TimelinessRow Row(const std::string& project, const std::string& person, const std::string& kind,
                  const std::string& period, int64_t entries, int64_t late, const std::vector<uint32_t>& lags) {
  TimelinessRow r;
  r.set_project_id(project);
  r.set_person_id(person);
  r.set_kind(kind);
  r.set_period(period);
  r.set_entries(entries);
  r.set_late(late);
  r.set_on_time_bp(entries == 0 ? 10000 : (entries - late) * 10000 / entries);
  r.set_lag_p50_s(Percentile(lags, 50));
  r.set_lag_p90_s(Percentile(lags, 90));
  r.set_lag_max_s(Percentile(lags, 100));
  return r;
}

}  // namespace

ViolationView ViolationViewOf(const Violations& violations, const Violation& v) {
  ViolationView out;
  out.set_violation_id(v.violation_id);
  out.set_rule(v.rule);
  out.set_subject_id(v.subject_id);
  out.set_project_id(v.project_id);
  out.set_amount_fen(v.amount_fen);
  out.set_joint(v.joint);
  out.set_joins(v.joins);
  out.set_event_seq(v.event_seq);
  out.set_entry_seq(v.entry_seq);
  *out.mutable_time() = ToProto(v.time);
  out.set_period(v.period);
  out.set_policy_version(v.policy_version);
  out.set_parameters(ViolationParameters(v));
  out.set_waived(v.waived);
  if (const Waiver* w = violations.WaiverOf(v.violation_id)) {
    out.set_waiver_reason(w->reason);
    out.set_waived_by(w->waived_by);
  }
  out.set_waiver_seq(v.waiver_seq);
  return out;
}

absl::StatusOr<UnitView> GetUnit(const State& state, const GetUnitRequest& request) {
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  auto it = (*p)->units.find(request.unit_id());
  if (it == (*p)->units.end()) return absl::NotFoundError(absl::StrCat("unit '", request.unit_id(), "' not found"));
  return UnitViewOf(**p, it->second);
}

absl::StatusOr<ListUnitsResponse> ListUnits(const State& state, const ListUnitsRequest& request) {
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  ListUnitsResponse out;
  const int page = PageSize(request.page_size());
  for (const auto& [id, u] : (*p)->units) {
    // The counts (销控表) cover every unit of the building filter, not just this page.
    if (request.building().empty() || u.building == request.building()) {
      (*out.mutable_counts_by_status())[UnitStatusName(u.status)]++;
    }
  }
  for (auto it = (*p)->units.upper_bound(request.page_token()); it != (*p)->units.end(); ++it) {
    const Unit& u = it->second;
    if (!request.building().empty() && u.building != request.building()) continue;
    if (!request.status().empty() && request.status() != UnitStatusName(u.status)) continue;
    if (out.units_size() == page) {
      out.set_next_page_token(out.units(page - 1).unit_id());
      break;
    }
    *out.add_units() = UnitViewOf(**p, u);
  }
  return out;
}

absl::StatusOr<CustomerView> GetCustomer(const State& state, const GetCustomerRequest& request, const Person& reader) {
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  auto it = (*p)->customers.find(request.customer_id());
  if (it == (*p)->customers.end()) {
    return absl::NotFoundError(absl::StrCat("customer '", request.customer_id(), "' not found"));
  }
  return CustomerViewOf(**p, it->second, reader);
}

absl::StatusOr<ListCustomersResponse> ListCustomers(const State& state, const ListCustomersRequest& request,
                                                    const Person& reader) {
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  std::vector<const Customer*> sorted;
  for (const auto& [id, c] : (*p)->customers) {
    if (id > request.page_token() && (request.consultant_id().empty() || c.consultant_id == request.consultant_id())) {
      sorted.push_back(&c);
    }
  }
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->customer_id < b->customer_id; });
  ListCustomersResponse out;
  const size_t page = PageSize(request.page_size());
  for (size_t i = 0; i < sorted.size() && i < page; ++i) *out.add_customers() = CustomerViewOf(**p, *sorted[i], reader);
  if (sorted.size() > page) out.set_next_page_token(sorted[page - 1]->customer_id);
  return out;
}

absl::StatusOr<DocumentView> GetSubscription(const State& state, const GetDocumentRequest& request) {
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  auto it = (*p)->subscriptions.find(request.id());
  if (it == (*p)->subscriptions.end()) return absl::NotFoundError(absl::StrCat("subscription '", request.id(), "' not found"));
  return DocumentOf(**p, it->second, nullptr);
}

absl::StatusOr<DocumentView> GetContract(const State& state, const GetDocumentRequest& request) {
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  auto it = (*p)->contracts.find(request.id());
  if (it == (*p)->contracts.end()) return absl::NotFoundError(absl::StrCat("contract '", request.id(), "' not found"));
  return DocumentOf(**p, (*p)->subscriptions.at(it->second.subscription_id), &it->second);
}

absl::StatusOr<PaymentView> GetPayment(const State& state, const GetPaymentRequest& request) {
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  auto it = (*p)->payments.find(request.payment_id());
  if (it == (*p)->payments.end()) return absl::NotFoundError(absl::StrCat("payment '", request.payment_id(), "' not found"));
  return PaymentViewOf(**p, it->first, it->second);
}

absl::StatusOr<ListPaymentsResponse> ListPayments(const State& state, const ListPaymentsRequest& request) {
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  ListPaymentsResponse out;
  const int page = PageSize(request.page_size());
  for (auto it = (*p)->payments.upper_bound(request.page_token()); it != (*p)->payments.end(); ++it) {
    const Payment& pay = it->second;
    if (!request.subscription_id().empty() && pay.subscription_id != request.subscription_id()) continue;
    if (!request.customer_id().empty() && pay.customer_id != request.customer_id()) continue;
    if (out.payments_size() == page) {
      out.set_next_page_token(out.payments(page - 1).payment_id());
      break;
    }
    *out.add_payments() = PaymentViewOf(**p, it->first, pay);
  }
  return out;
}

absl::StatusOr<DailyCashReport> GetDailyCashReport(const State& state, const DailyCashReportRequest& request) {
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  auto day = ParseDay("day", request.day());
  if (!day.ok()) return day.status();
  std::map<std::string, CashierDay> by_cashier;
  for (const auto& [id, pay] : (*p)->payments) {
    if (pay.voided || absl::ToCivilDay(pay.occurred_at, (*p)->zone) != *day) continue;
    CashierDay& c = by_cashier[pay.cashier_id];
    (*c.mutable_receipts_by_kind())[Enum(RecordPaymentRequest::Kind_descriptor(), pay.kind)] += pay.amount_fen;
    (*c.mutable_receipts_by_method())[Enum(RecordPaymentRequest::Method_descriptor(), pay.method)] += pay.amount_fen;
    c.set_receipts_fen(c.receipts_fen() + pay.amount_fen);
    c.set_receipt_count(c.receipt_count() + 1);
  }
  for (const auto& [id, r] : (*p)->refunds) {
    if (r.voided || absl::ToCivilDay(r.occurred_at, (*p)->zone) != *day) continue;
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
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  if (auto s = CheckEnum("granularity", request.granularity(), SalesReportRequest::Granularity_descriptor()); !s.ok()) {
    return s;
  }
  auto from = ParseDay("from_day", request.from_day());
  if (!from.ok()) return from.status();
  auto to = ParseDay("to_day", request.to_day());
  if (!to.ok()) return to.status();
  const Project& project = **p;
  std::map<std::string, SalesBucket> buckets;
  auto bucket = [&](absl::Time t) -> SalesBucket* {
    const absl::CivilDay day = absl::ToCivilDay(t, project.zone);
    if (day < *from || day > *to) return nullptr;
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
  auto p = ProjectOf(state, request.project_id());
  if (!p.ok()) return p.status();
  if (request.year() < 2000 || request.year() > 2100) {
    return absl::InvalidArgumentError(absl::StrCat("field 'year' must be in 2000..2100; got ", request.year()));
  }
  if (auto s = CheckName("product_type", request.product_type()); !s.ok()) return s;
  const Project& project = **p;
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

absl::StatusOr<TimelinessResponse> GetTimeliness(const State& state, const TimelinessRequest& request) {
  if (!request.period().empty()) {
    if (auto s = CheckMonth("period", request.period()); !s.ok()) return s;
  }
  struct Acc {
    int64_t entries = 0, late = 0;
    std::vector<uint32_t> lags;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Acc> by_role, by_project;
  TimelinessResponse out;
  for (const auto& [key, cell] : state.timeliness) {
    if (!request.project_id().empty() && key.project_id != request.project_id()) continue;
    if (!request.period().empty() && key.period != request.period()) continue;
    if (!request.person_id().empty() && key.person_id != request.person_id()) continue;
    *out.add_rows() = Row(key.project_id, key.person_id, key.kind, key.period, cell.entries, cell.late, cell.lag_seconds);
    auto add = [&cell = cell](Acc& a) {
      a.entries += cell.entries;
      a.late += cell.late;
      a.lags.insert(a.lags.end(), cell.lag_seconds.begin(), cell.lag_seconds.end());
    };
    if (auto person = state.org.people.find(key.person_id); person != state.org.people.end()) {
      std::vector<std::string> roles(person->second.roles.begin(), person->second.roles.end());
      std::sort(roles.begin(), roles.end());
      for (const auto& role : roles) add(by_role[{key.project_id, role, key.period}]);
    }
    add(by_project[{key.project_id, "*", key.period}]);
  }
  for (const auto& [k, a] : by_role) *out.add_by_role() = Row(std::get<0>(k), std::get<1>(k), "*", std::get<2>(k), a.entries, a.late, a.lags);
  for (const auto& [k, a] : by_project) *out.add_by_project() = Row(std::get<0>(k), "*", "*", std::get<2>(k), a.entries, a.late, a.lags);
  return out;
}

absl::StatusOr<ListViolationsResponse> ListViolations(const State& state, const ListViolationsRequest& request) {
  size_t start = 0;
  if (!request.page_token().empty() && !absl::SimpleAtoi(request.page_token(), &start)) {
    return absl::InvalidArgumentError("field 'page_token' is not a token this server gave out");
  }
  ListViolationsResponse out;
  const int page = PageSize(request.page_size());
  for (size_t i = start; i < state.violations.size(); ++i) {
    const Violation& v = state.violations[i];
    if ((!request.project_id().empty() && v.project_id != request.project_id()) ||
        (!request.person_id().empty() && v.subject_id != request.person_id()) ||
        (!request.period().empty() && v.period != request.period()) ||
        (!request.rule().empty() && v.rule != request.rule())) {
      continue;
    }
    if (out.violations_size() == page) {
      out.set_next_page_token(absl::StrCat(i));
      break;
    }
    *out.add_violations() = ViolationViewOf(state.violations, v);
  }
  return out;
}

absl::StatusOr<PenaltyStatement> GetPenaltyStatement(const State& state, const PenaltyStatementRequest& request) {
  if (auto s = CheckId("person_id", request.person_id()); !s.ok()) return s;
  if (auto s = CheckMonth("period", request.period()); !s.ok()) return s;
  auto person = state.org.people.find(request.person_id());
  if (person == state.org.people.end()) {
    return absl::NotFoundError(absl::StrCat("person '", request.person_id(), "' not found"));
  }
  PenaltyStatement out;
  out.set_person_id(request.person_id());
  out.set_name(person->second.name);
  out.set_period(request.period());
  for (const Violation& v : state.violations) {
    if (v.subject_id != request.person_id() || v.period != request.period()) continue;
    *out.add_items() = ViolationViewOf(state.violations, v);
    if (!v.waived) out.set_total_fen(out.total_fen() + v.amount_fen);
  }
  return out;
}

std::vector<PenaltyStatement> AllPenaltyStatements(const State& state) {
  std::map<std::pair<std::string, std::string>, PenaltyStatement> by_key;
  for (const Violation& v : state.violations) {
    PenaltyStatement& s = by_key[{v.subject_id, v.period}];
    s.set_person_id(v.subject_id);
    s.set_period(v.period);
    if (auto person = state.org.people.find(v.subject_id); person != state.org.people.end()) {
      s.set_name(person->second.name);
    }
    *s.add_items() = ViolationViewOf(state.violations, v);
    if (!v.waived) s.set_total_fen(s.total_fen() + v.amount_fen);
  }
  std::vector<PenaltyStatement> out;
  for (auto& [key, s] : by_key) out.push_back(std::move(s));
  return out;
}

}  // namespace salesledger
