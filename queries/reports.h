// The reports of SPEC.md §5: 收支日报 (GetDailyCashReport), the sales report by day, ISO week or
// month (GetSalesReport), and plan against actual (GetPlanVsActual). Voided entries are left out
// of every report; days are the project's local days of occurred_at. Pure functions of the state.
#ifndef SALESLEDGER_QUERIES_REPORTS_H_
#define SALESLEDGER_QUERIES_REPORTS_H_

#include "absl/status/statusor.h"
#include "domain/state.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

// Per cashier who entered the money: receipts by kind and method, refunds, net.
absl::StatusOr<v1::DailyCashReport> GetDailyCashReport(const State& state, const v1::DailyCashReportRequest& request);
// Collections exclude collected fees (代收费用).
absl::StatusOr<v1::SalesReport> GetSalesReport(const State& state, const v1::SalesReportRequest& request);
// Completion is the subscription amount over the plan amount, in basis points.
absl::StatusOr<v1::PlanVsActual> GetPlanVsActual(const State& state, const v1::PlanVsActualRequest& request);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_REPORTS_H_
